"""The words of the company's promises and next steps (``domain.promises`` decides what to say, the case's clocks
give the dates). Used by the public pages and by the mails to the company (rendered in the case's language).

No number of days is written in a text: each duration is a clock's or a policy's target, each date a due instant
its clock holds, formatted by Babel in the page's language and shown in Europe/Stockholm.
"""
from __future__ import annotations

from datetime import datetime

from flask_babel import format_date, format_time, get_timezone

from ..domain import promises as rules
from ..domain import sla as clock_rules
from .helpers import KIND_LABELS
from .i18n import gettext as _
from .i18n import lang
from .i18n import lazy_gettext as _l

# One text per unit and number (no ngettext: the translation test reads singular msgids only).
_DURATION = {
    (clock_rules.WORKING_DAYS, True): _l("%(n)s working day"),
    (clock_rules.WORKING_DAYS, False): _l("%(n)s working days"),
    (clock_rules.WORKING_HOURS, True): _l("%(n)s working hour"),
    (clock_rules.WORKING_HOURS, False): _l("%(n)s working hours"),
    (clock_rules.CALENDAR_WEEKS, True): _l("%(n)s week"), (clock_rules.CALENDAR_WEEKS, False): _l("%(n)s weeks"),
}

_DUE = {
    rules.RESPOND: _l("We answer by %(date)s at the latest."),
    rules.ACKNOWLEDGE: _l("We acknowledge your complaint by %(date)s at the latest."),
    rules.ANSWER_COMPLAINT: _l("We answer your complaint by %(date)s at the latest."),
    rules.ANSWER_QUESTION: _l("We answer your question by %(date)s at the latest."),
    rules.ANSWER_FEEDBACK: _l("We answer your feedback by %(date)s at the latest."),
    rules.DECIDE: _l("We decide by %(date)s at the latest: %(duration)s from when your case came in, not counting "
                     "the time we wait for a completion from you."),
    rules.STATUTORY: _l("The law (plan- och bygglagen) gives us %(duration)s from when your application is "
                        "complete: we decide by %(date)s at the latest."),
    rules.DECIDE_AFTER_REQUEST: _l("You have asked for a decision (förvaltningslagen 12 §): we decide the case, or "
                                   "reject the request in a decision of its own, by %(date)s at the latest."),
}
_STATUTORY_EXTENDED = _l("The law (plan- och bygglagen) gives us %(duration)s from when your application is "
                         "complete. We have extended the time once, by %(extension)s, as the law allows: we "
                         "decide by %(date)s at the latest.")
_STATUTORY_WAITING = _l("The law (plan- och bygglagen) gives us %(duration)s from when your application is "
                        "complete. The time starts when we have your completion.")
_DECISIONS = (rules.DECIDE, rules.STATUTORY, rules.DECIDE_AFTER_REQUEST)
_LATE_ANSWER = _l("We promised to answer by %(date)s and we are late. We are sorry: you get an e-mail as soon as "
                  "we write.")
_LATE_DECISION = _l("We were to decide by %(date)s and we are late. We are sorry: you get an e-mail as soon as "
                    "the decision is made.")
_LATE_FEE = _l("By plan- och bygglagen your fee is reduced for every week or part of a week we are late.")
_PAUSED = _l("The clock stands still while we wait for your completion.")
_PAUSED_ANSWER = _l("When you have answered, the time for our answer runs on.")
_PAUSED_DECISION = _l("When you have answered, the time for our decision runs on.")

_WE_ASK = _l("If we need more from you, we ask. The clock then stands still until you answer.")
_WE_ASK_NO_PAUSE = _l("If we need more from you, we ask.")
_STEPS = {
    rules.RECEIVED: (_l("Your case is with %(office)s. An officer reads it and answers you on your case page and "
                        "by e-mail."),
                     _WE_ASK,
                     _l("You do not need to do anything now.")),
    rules.WITH_US: (_l("Your case is with %(office)s. An officer works on it and writes to you on your case page "
                       "and by e-mail."),
                    _WE_ASK,
                    _l("You do not need to do anything now.")),
    rules.REPLIED: (_l("If you want to answer or add something, write on your case page."),
                    _l("Otherwise you do not need to do anything: we go on with your case and write to you when "
                       "there is news.")),
    rules.WITH_YOU: (_l("We need more information from you before we can go on. Answer our question on your case "
                        "page."),
                     _l("When you have answered, we go on with your case.")),
    rules.DECIDED: (_l("There is a decision in your case. Read it on your case page."),
                    _l("If something in the decision is unclear, write to us on your case page. We close the case "
                       "when nothing more remains to do.")),
    rules.CLOSED: (_l("Your case is closed. You can still read it on your case page."),
                   _l("If you need more help, start a new case and give this case number.")),
}

# The same steps read on the case page itself ("here", "below" rather than "on your case page").
_STEPS_HERE = dict(_STEPS, **{
    rules.WITH_US: (_l("Your case is with %(office)s. An officer works on it and writes to you here and by "
                       "e-mail."),
                    _WE_ASK,
                    _l("You do not need to do anything now.")),
    rules.WITH_YOU: (_l("We need more information from you before we can go on. Answer our question in the form "
                        "below."),
                     _l("When you have answered, we go on with your case.")),
    rules.DECIDED: (_l("There is a decision in your case. You find it on this page."),
                    _l("If something in the decision is unclear, write to us below. We close the case when nothing "
                       "more remains to do.")),
    rules.CLOSED: (_l("Your case is closed. You can still read it here."),
                   _l("If you need more help, start a new case and give this case number.")),
})

# The start page's list of promises.
_POLICY_WHAT = {
    "first_response": _l("First answer within %(duration)s"),
    "acknowledgement": _l("Acknowledged within %(duration)s"),
    "answered": _l("Answered within %(duration)s"),
    "decision": _l("Decision within %(duration)s"),
}
_STATUTORY_WHAT = _l("Decision within %(duration)s from when the application is complete (plan- och bygglagen)")
_EVERY_CASE = _l("Every case")


def duration(unit: str, n: int) -> str:
    """"3 arbetsdagar", "1 week": a clock's or a policy's target in words."""
    return str(_DURATION[(unit, n == 1)]) % {"n": n}


def when(due: datetime, unit: str, now: datetime | None = None) -> str:
    """A due instant as a date in words in the page's language, in Stockholm time: "onsdag 2 december" (the year
    when it is not this year's; the time of day for a working-hour clock, whose due can be any hour)."""
    tz = get_timezone()
    local = due.astimezone(tz)
    this_year = (now or datetime.now(tz)).astimezone(tz).year
    text = format_date(due, "EEEE d MMMM" if local.year == this_year else "EEEE d MMMM y")
    if unit == clock_rules.WORKING_HOURS:
        text = _("%(date)s at %(time)s", date=text, time=format_time(due, "HH:mm"))
    return text


def promise_lines(outlook, now: datetime | None = None) -> list[str]:
    """Each open promise of a case as a sentence, with its date; a paused clock says so."""
    lines: list[str] = []
    for p in outlook.promises:
        span = duration(p.unit, p.target)
        if p.state == rules.PAUSED:
            lines.append(f"{str(_PAUSED)} {str(_PAUSED_DECISION if p.what in _DECISIONS else _PAUSED_ANSWER)}")
        elif p.state == rules.AWAITING_COMPLETION:
            lines.append(str(_STATUTORY_WAITING) % {"duration": span})
        elif p.state == rules.LATE:
            date = when(p.due, p.unit, now)
            if p.what in _DECISIONS:
                lines.append(str(_LATE_DECISION) % {"date": date}
                             + (f" {str(_LATE_FEE)}" if p.what == rules.STATUTORY else ""))
            else:
                lines.append(str(_LATE_ANSWER) % {"date": date})
        elif p.what == rules.STATUTORY and p.extension_weeks:
            lines.append(str(_STATUTORY_EXTENDED) % {
                "duration": span, "extension": duration(p.unit, p.extension_weeks), "date": when(p.due, p.unit, now)})
        else:
            lines.append(str(_DUE[p.what]) % {"date": when(p.due, p.unit, now), "duration": span})
    return lines


def step_lines(outlook, office_name: str, here: bool = False) -> list[str]:
    """What happens next, in a few plain sentences; ``here``: read on the case's own page."""
    texts = [_WE_ASK_NO_PAUSE if text is _WE_ASK and not outlook.waiting_pauses else text
             for text in (_STEPS_HERE if here else _STEPS)[outlook.step]]
    return [str(text) % {"office": office_name} if "%(office)s" in str(text) else str(text) for text in texts]


def general_promise_lines(general, now: datetime | None = None) -> dict:
    """The start page's promise: the headline (a duration and the date a case filed now would be answered by)
    and the groups of every configured promise, by kind or category."""
    head = general.headline
    groups = []
    for g in general.groups:
        if g.category is not None:
            scope = g.category.display_name(lang())
        elif g.kind is not None:
            scope = KIND_LABELS[g.kind]
        else:
            scope = _EVERY_CASE
        items = []
        for p in g.promises:
            key = p.clock if p.clock != "resolution" else (
                "decision" if (p.category_id is not None or p.kind == "errand") else "answered")
            items.append(str(_POLICY_WHAT[key]) % {"duration": duration(p.unit, p.target)})
        if g.statutory_weeks:
            items.append(str(_STATUTORY_WHAT) % {"duration": duration(clock_rules.CALENDAR_WEEKS, g.statutory_weeks)})
        groups.append({"scope": str(scope), "lines": items})
    return {
        "duration": duration(head.unit, head.target) if head else None,
        "date": when(general.due_if_filed_now, head.unit, now) if head and general.due_if_filed_now else None,
        "groups": groups,
    }


def register(app) -> None:
    """The words as template globals, for the public pages and the mails to the company."""
    app.jinja_env.globals.update(promise_lines=promise_lines, step_lines=step_lines,
                                 general_promise_lines=general_promise_lines)
