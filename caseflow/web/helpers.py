"""Template filters and globals: Stockholm time, language, labels for codes."""
from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta

from flask import Flask, request
from flask_babel import format_datetime, get_timezone, get_translations
from flask_babel.speaklater import LazyString
from markupsafe import Markup

from ..domain import complaints, enums, numbers
from ..domain import sla as clock_rules
from ..domain.identifiers import CompanyIdentifier
from ..domain.sla import fl12_flag_date
from . import decisions as decision_words
from .i18n import enum_labels, lang
from .i18n import gettext as _template_gettext
from .i18n import lazy_gettext as _l
from .i18n import once as _once

# Labels of the domain's enumerations, from their one source (domain.enums), in the language of the request
STATUS_LABELS = enum_labels(enums.STATUS)
STAFF_STATUS_LABELS = enum_labels(enums.STAFF_STATUS)
KIND_LABELS = enum_labels(enums.KIND)
GROUND_LABELS = enum_labels(enums.COMPLAINT_GROUND)
# the complaint grounds' hints and the Insikt factors the reports count them under (domain.complaints)
GROUND_HINTS = {g.value: LazyString(lambda g=g: g.hint(lang())) for g in complaints.GROUNDS}
COMPLAINT_FACTOR_LABELS = {k: LazyString(lambda k=k: complaints.factor_label(k, lang()))
                           for k in complaints.REPORT_KEYS}
OUTCOME_LABELS = enum_labels(enums.OUTCOME)
MAIL_OUTCOME_LABELS = enum_labels(enums.MAIL_OUTCOME)  # what became of an incoming mail
CHANNEL_LABELS = enum_labels(enums.CHANNEL)
EVENT_LABELS = enum_labels(enums.EVENT)
CLOCK_LABELS = enum_labels(enums.CLOCK)
UNIT_LABELS = enum_labels(enums.UNIT)
ROLE_LABELS = enum_labels(enums.ROLE)
LEGAL_FORM_LABELS = enum_labels(enums.LEGAL_FORM)
PRIORITY_LABELS = enum_labels(enums.PRIORITY)
SCOPE_LABELS = enum_labels(enums.SCOPE)
OUTBOX_STATUS_LABELS = enum_labels(enums.OUTBOX_STATUS)
MAIL_LABELS = enum_labels(enums.MAIL)

NKI_GRADES = {"low": _l("low"), "approved": _l("approved"), "high": _l("high"), "very_high": _l("very high")}
STATUS_WORDS = {"on_track": _l("On track"), "at_risk": _l("At risk"), "off_track": _l("Off track"),
                "no_data": _l("No data")}
LINK_LABELS = enum_labels(enums.LINK)
ACTOR_LABELS = enum_labels(enums.ACTOR)


def as_int(text: str) -> int | None:
    """A whole number typed or posted as ASCII digits, else None ("¹" and "٣" are digits to str.isdigit too)."""
    return int(text) if text.isascii() and text.isdigit() else None


class Labels(Mapping):
    """Templates' view of a dict of lazy labels: each label translated once per language, not once per use
    (a queue of 100 rows would otherwise run gettext hundreds of times per page)."""

    def __init__(self, lazy: dict):
        self._lazy = lazy

    def __getitem__(self, key):
        return _once(self._lazy[key])

    def __iter__(self):
        return iter(self._lazy)

    def __len__(self):
        return len(self._lazy)


def local_dt(value: datetime | None, fmt: str = "yyyy-MM-dd HH:mm", tz=None) -> str:
    """An instant shown in Europe/Stockholm (stored in UTC). ``tz``: the zone, when the caller has it already."""
    if value is None:
        return ""
    if fmt == "yyyy-MM-dd HH:mm":  # perf: numeric, no need for Babel's formatter (64.25 M, bench/README.md)
        return value.astimezone(tz or get_timezone()).strftime("%Y-%m-%d %H:%M")
    return format_datetime(value, fmt)


_NO_CLOCK, _OVERDUE, _REACHED = _l("No running clock"), _l("Overdue by %(t)s"), _l("Deadline reached")
_AT_RISK, _LEFT = _l("At risk: %(t)s left"), _l("%(t)s left")
_AT_RISK_TODAY, _TODAY = _l("At risk: due today"), _l("Due today")
_MINUTES, _WORKING_HOURS = _l("%(n)s min"), _l("%(n)s working h")
# Whole days, in the clock's own terms: working days of a working-day clock, calendar days of a week clock
_DAYS = {(clock_rules.WORKING_DAYS, True): _l("%(n)s working day"),
         (clock_rules.WORKING_DAYS, False): _l("%(n)s working days"),
         (clock_rules.CALENDAR_WEEKS, True): _l("%(n)s day"), (clock_rules.CALENDAR_WEEKS, False): _l("%(n)s days")}


def due_state(due: datetime | None, now: datetime, warn_at: datetime | None = None,
              language: str | None = None, cal=None, breach_at: datetime | None = None,
              unit: str | None = None) -> dict:
    """How a clock's due instant reads in a list and on the case page: time left, or late, in the clock's own
    unit (``domain.sla.remaining``: working hours, working days, calendar days); state for colour *and* words.
    Overdue only past the breach instant (a day clock due at 17:00 is not overdue until the next working
    morning); ``breach_at`` None: computed from the due. ``unit`` None: counted in working hours."""
    language = language or lang()
    if due is None:
        return {"state": "none", "label": _once(_NO_CLOCK, language)}
    left = clock_rules.remaining(cal or sla_calendar(), unit, due, now, breach_at)
    if left.late:
        return {"state": "breached", "label": _once(_OVERDUE, language) % {"t": _amount(left, language)}}
    at_risk = left.reached or (warn_at is not None and now >= warn_at)
    if left.reached:
        label = _once(_REACHED, language)
    elif left.unit in (clock_rules.WORKING_DAYS, clock_rules.CALENDAR_WEEKS) and left.days == 0:
        label = _once(_AT_RISK_TODAY if at_risk else _TODAY, language)
    else:
        label = _once(_AT_RISK if at_risk else _LEFT, language) % {"t": _amount(left, language)}
    return {"state": "at_risk" if at_risk else "ok", "label": label}


def _amount(left: clock_rules.Remaining, language: str) -> str:
    """"3 arbetsdagar", "70 dagar", "5,5 arbetstimmar", "40 min": the time of ``left`` in its clock's terms."""
    if left.unit in (clock_rules.WORKING_DAYS, clock_rules.CALENDAR_WEEKS):
        return _once(_DAYS[(left.unit, left.days == 1)], language) % {"n": numbers.tenths(left.days, language)}
    return _fmt_hours(left.working, language)


class QueueRow:
    """What the queue shows of one case, its texts resolved in Python (cheaper than in the template; plain
    attributes, which Jinja reads at the first try)."""

    __slots__ = ("case", "state", "label", "kind", "status", "due_at", "href", "category", "company_number",
                 "assignee", "markers", "claim_href", "received")

    def __init__(self, **values):
        for name, value in values.items():
            setattr(self, name, value)


# The queue's markers of what changed since the officer last opened the case (finding.queue_rows)
QUEUE_MARKERS = (("answered", _l("The company answered")), ("new_file", _l("New file")),
                 ("reassigned", _l("Assigned to you")))


def queue_view_rows(cases, now: datetime) -> list[QueueRow]:
    """The rows of ``finding.queue_rows`` as the queue page shows them: a row's markers in words, a claim
    address for an unassigned case, and for a case without a running clock the day it was received (its
    place in the order)."""
    from flask import url_for

    from ..services import snapshot

    language, snap, cal, tz = lang(), snapshot.current(), sla_calendar(), get_timezone()  # once, not per row
    # perf: the case link built once, ".../cases/" + id (with tenths, 48.47 M, 64.25 M: bench/README.md)
    href = url_for("officer.case", case_id=0).removesuffix("0")
    rows = []
    for c in cases:
        category = snap.category(c.category_id)
        due = due_state(c.next_due_at, now, c.next_warn_at, language, cal, c.next_breach_at, c.next_due_unit)
        rows.append(QueueRow(
            case=c, state=due["state"], label=due["label"], kind=_once(KIND_LABELS[c.kind], language),
            status=_once(STAFF_STATUS_LABELS[c.status], language), due_at=local_dt(c.next_due_at, tz=tz),
            href=f"{href}{c.id}",
            category=category.display_name(language) if category else "",
            company_number=CompanyIdentifier(c.org_number, c.is_personal).masked if c.org_number else "",
            assignee=c.assignee_name,
            markers=[(key, _once(text, language)) for key, text in QUEUE_MARKERS if getattr(c, key, 0)],
            claim_href=f"{href}{c.id}/claim?back=queue" if c.assignee_name is None else "",
            received=local_dt(c.created_at, tz=tz) if c.next_due_at is None else ""))
    return rows


def sla_calendar():
    """The configured calendar, loaded once per request."""
    from flask import g

    from ..services import sla

    if "calendar" not in g:
        g.calendar = sla.calendar()
    return g.calendar


def clock_view(clock, now: datetime, cal) -> dict:
    """How a clock reads on the case page: its state in words, and time left or overdue."""
    if clock.stopped_at is not None:
        verdict = _l("in time") if clock.in_time else (_l("late") if clock.in_time is False else "")
        label = _l("Stopped %(when)s", when=local_dt(clock.stopped_at))
        return {"state": "stopped", "label": label, "verdict": verdict}
    if clock.started_at is None:
        return {"state": "paused", "label": _l("Starts when the completion arrives"), "verdict": ""}
    if clock.paused_since is not None:
        return {"state": "paused", "label": _l("Paused since %(when)s (waiting for the company)",
                                               when=local_dt(clock.paused_since)), "verdict": ""}
    due = due_state(clock.due_at, now, clock.warn_at, cal=cal, breach_at=clock.breach_at, unit=clock.unit)
    return {"state": due["state"], "label": due["label"], "verdict": ""}


def _fmt_hours(td: timedelta, language: str) -> str:
    hours = td.total_seconds() / 3600
    if hours < 1:
        return _once(_MINUTES, language) % {"n": int(td.total_seconds() // 60)}
    return _once(_WORKING_HOURS, language) % {"n": numbers.tenths(hours, language)}


# perf: a case page takes 38.04 M instructions with it, 49.71 M without it (bench/README.md, issue 22: each one on its
# own). The widget HTML of a field that carries nothing from a request (no form data, no errors) depends only on
# the field's kind, id, name, attributes, value and choices and on the language: the same on every case page, so
# it is built once per process. A field with posted data is never kept (nothing a user typed stays in memory).
_widgets: dict = {}
_WIDGETS_MAX = 4096


def widget_html(f, attrs: dict, language: str | None = None) -> Markup:
    """``f(**attrs)``, WTForms' own rendering (the ``field`` macro of _macros.html), reused while the inputs are
    the same."""
    if f.raw_data is not None or f.errors or f.type == "CSRFTokenField":
        return f(**attrs)
    language = language or lang()
    choices = getattr(f, "choices", None)
    key = (type(f), type(f.widget), repr(vars(f.widget)), f.id, f.name, language, tuple(attrs.items()),
           tuple(sorted(f.render_kw.items())) if f.render_kw else (), tuple(sorted(vars(f.flags).items())),
           repr(f.data), tuple((v, str(label)) for v, label, *_ in choices) if choices else None)
    html = _widgets.get(key)
    if html is None:
        if len(_widgets) >= _WIDGETS_MAX:
            _widgets.clear()
        html = _widgets[key] = f(**attrs)
    return html


def hidden_csrf(form) -> Markup:
    """A form's CSRF token field, as WTForms writes it (twelve on a case page)."""
    f = getattr(form, "csrf_token", None)
    if f is None:  # CSRF switched off (tests)
        return Markup("")
    return Markup('<input id="{}" name="{}" type="hidden" value="{}">').format(f.id, f.name, f.current_token)


def fl12_due(case) -> date:
    """Local date the case turns six months old (FL 12 §)."""
    return fl12_flag_date(sla_calendar().local_date(case.created_at))


def register(app: Flask) -> None:
    app.jinja_env.install_gettext_callables(  # the rest as Flask-Babel installed them
        gettext=_template_gettext, ngettext=lambda s, p, n: get_translations().ungettext(s, p, n), newstyle=True)
    app.jinja_env.filters["local_dt"] = local_dt
    app.jinja_env.filters["fromiso"] = datetime.fromisoformat
    app.jinja_env.filters["file_size"] = lambda n: numbers.file_size(n, lang())  # "60 byte", "2,5 MB"
    app.jinja_env.globals.update(
        STATUS_LABELS=Labels(STATUS_LABELS), STAFF_STATUS_LABELS=Labels(STAFF_STATUS_LABELS),
        KIND_LABELS=Labels(KIND_LABELS), GROUND_LABELS=Labels(GROUND_LABELS), GROUND_HINTS=Labels(GROUND_HINTS),
        COMPLAINT_FACTOR_LABELS=Labels(COMPLAINT_FACTOR_LABELS), OUTCOME_LABELS=Labels(OUTCOME_LABELS),
        EVENT_LABELS=Labels(EVENT_LABELS), ACTOR_LABELS=Labels(ACTOR_LABELS), CLOCK_LABELS=Labels(CLOCK_LABELS),
        UNIT_LABELS=Labels(UNIT_LABELS), clock_view=clock_view, fl12_due=fl12_due, LINK_LABELS=Labels(LINK_LABELS),
        NKI_GRADES=Labels(NKI_GRADES), STATUS_WORDS=Labels(STATUS_WORDS),
        current_lang=lang, due_state=due_state, queue_view_rows=queue_view_rows, widget_html=widget_html,
        hidden_csrf=hidden_csrf, MAIL_OUTCOME_LABELS=Labels(MAIL_OUTCOME_LABELS), CHANNEL_LABELS=Labels(CHANNEL_LABELS),
        ROLE_LABELS=Labels(ROLE_LABELS), LEGAL_FORM_LABELS=Labels(LEGAL_FORM_LABELS),
        SCOPE_LABELS=Labels(SCOPE_LABELS), OUTBOX_STATUS_LABELS=Labels(OUTBOX_STATUS_LABELS),
        MAIL_LABELS=Labels(MAIL_LABELS), PRIORITY_LABELS=Labels(PRIORITY_LABELS),
    )
    decision_words.register(app.jinja_env.globals)

    @app.context_processor
    def lang_switch():
        def switch_url(target: str) -> str:
            args = request.args.to_dict()
            args["lang"] = target
            from urllib.parse import urlencode

            return request.path + "?" + urlencode(args)

        return {"lang_switch_url": switch_url}


def uploads_from(field) -> list:
    """The files of a MultipleFileField as service uploads (read whole; MAX_CONTENT_LENGTH bounds them)."""
    from ..services.attachments import Upload

    return [Upload(f.filename or "", f.read()) for f in (field.data or []) if getattr(f, "filename", None)]


def send_attachment(att, path):
    """Always a download, never rendered by the browser: nosniff and a sandbox CSP on top."""
    from flask import send_file

    resp = send_file(path, mimetype=att.content_type, as_attachment=True, download_name=att.filename,
                     max_age=0)
    resp.headers["X-Content-Type-Options"] = "nosniff"
    resp.headers["Content-Security-Policy"] = "sandbox; default-src 'none'"
    resp.headers["Cache-Control"] = "private, no-store"
    return resp


def current_account_id() -> int | None:
    """The logged-in company account's id, if a company (not staff) is logged in."""
    from flask_login import current_user

    from ..services.accounts import permissions

    return current_user.id if permissions(current_user).company_account else None
