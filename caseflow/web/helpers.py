"""Template filters and globals: Stockholm time, language, labels for codes."""
from __future__ import annotations

from datetime import datetime, timedelta

from flask import Flask, request
from flask_babel import format_datetime, format_decimal, get_locale
from flask_babel import lazy_gettext as _l

from ..domain.calendar import DEFAULT_CALENDAR

STATUS_LABELS = {
    "new": _l("New"), "assigned": _l("Assigned"), "in_progress": _l("In progress"),
    "awaiting_customer": _l("Awaiting your answer"), "decided": _l("Decided"), "closed": _l("Closed"),
}
STAFF_STATUS_LABELS = dict(STATUS_LABELS, awaiting_customer=_l("Awaiting company"))
KIND_LABELS = {
    "errand": _l("Errand"), "question": _l("Question"), "complaint": _l("Complaint"), "feedback": _l("Feedback"),
}
GROUND_LABELS = {
    "information": _l("Information"), "tillganglighet": _l("Accessibility (reaching us)"),
    "bemotande": _l("Treatment"), "kompetens": _l("Competence"), "rattssakerhet": _l("Legal certainty"),
    "effektivitet": _l("Efficiency"), "other": _l("Other"),
}
OUTCOME_LABELS = {
    "answered": _l("Answered"), "granted": _l("Granted"), "partly_granted": _l("Partly granted"),
    "rejected": _l("Rejected"), "withdrawn": _l("Withdrawn"), "referred": _l("Referred elsewhere"),
    "no_action": _l("No action needed"),
}
EVENT_LABELS = {
    "received": _l("Case received and registered"), "routed": _l("Routed to office"),
    "public_reply": _l("Reply sent to the company"), "first_response": _l("First response given"),
    "internal_note": _l("Internal note"), "assigned": _l("Assigned"), "closed": _l("Closed"),
}

ACTOR_LABELS = {"company": _l("The company"), "system": _l("caseflow (automatic)")}


def lang() -> str:
    return str(get_locale() or "sv")


def local_dt(value: datetime | None, fmt: str = "yyyy-MM-dd HH:mm") -> str:
    """An instant shown in Europe/Stockholm (stored in UTC)."""
    if value is None:
        return ""
    return format_datetime(value, fmt)


def due_state(due: datetime | None, now: datetime) -> dict:
    """How a due instant reads in a list: time left in working time, or overdue; state for styling + text."""
    if due is None:
        return {"state": "none", "label": _l("No deadline")}
    cal = DEFAULT_CALENDAR
    if now > due:
        return {"state": "breached", "label": _l("Overdue by %(t)s", t=_fmt_hours(cal.working_time_between(due, now)))}
    left = cal.working_time_between(now, due)
    if left <= timedelta(hours=4):
        return {"state": "at_risk", "label": _l("%(t)s left (soon due)", t=_fmt_hours(left))}
    return {"state": "ok", "label": _l("%(t)s left", t=_fmt_hours(left))}


def _fmt_hours(td: timedelta) -> str:
    hours = td.total_seconds() / 3600
    if hours < 1:
        return _l("%(n)s min", n=int(td.total_seconds() // 60))
    return _l("%(n)s working h", n=format_decimal(round(hours, 1)))


def register(app: Flask) -> None:
    app.jinja_env.filters["local_dt"] = local_dt
    app.jinja_env.globals.update(
        STATUS_LABELS=STATUS_LABELS, STAFF_STATUS_LABELS=STAFF_STATUS_LABELS, KIND_LABELS=KIND_LABELS,
        GROUND_LABELS=GROUND_LABELS, OUTCOME_LABELS=OUTCOME_LABELS, EVENT_LABELS=EVENT_LABELS,
        ACTOR_LABELS=ACTOR_LABELS,
        current_lang=lang, due_state=due_state,
    )

    @app.context_processor
    def lang_switch():
        def switch_url(target: str) -> str:
            args = request.args.to_dict()
            args["lang"] = target
            from urllib.parse import urlencode

            return request.path + "?" + urlencode(args)

        return {"lang_switch_url": switch_url}
