"""A decision as the company is told it: what was decided, why, and whether and how it can be appealed. Pure.

Förvaltningslagen (2017:900):
- 32 §: a decision that may affect someone's situation in more than a trivial way states its reasons;
- 33 §: a party whom a decision goes against, and who can appeal it, is told how to appeal: to the authority that
  decided, in writing, saying which decision and what change is asked for, within the time allowed;
- 44 §: the appeal must reach the authority that decided within three weeks from the day the party received the
  decision (another law may say otherwise: the weeks are configured per category);
- 45 §: that authority checks the time and forwards the appeal to the body that tries it.

Whether a category's decisions can be appealed, to which body and within how many weeks is configuration
(``Category.appealable``, ``appeal_body``, ``appeal_weeks``), set by an administrator; not set, the company is
told to ask, never that it cannot appeal.

Only the decision on an errand (an application or a request) is a decision that can be appealed; an answer to a
question, a complaint or an opinion is not, and neither is a case withdrawn, referred elsewhere, needing no
action or a duplicate (nothing in them goes against the company).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from .calendar import BusinessCalendar

# What the company is told about appealing.
APPEAL = "appeal"  # "Så överklagar du": to whom, how, by when
FINAL = "final"  # the decision cannot be appealed (said plainly)
ASK = "ask"  # the category's appeal is not configured: ask us how the decision can be appealed

# Outcomes that decide the matter of an errand: granted, granted in part, rejected.
DECIDING_OUTCOMES = ("granted", "partly_granted", "rejected")
APPEALABLE_KINDS = ("errand",)
APPEAL_WEEKS_MIN, APPEAL_WEEKS_MAX = 1, 52


@dataclass(frozen=True)
class AppealNotice:
    """What a decision says about appealing it; for ``APPEAL`` the body, the weeks, and the last day an appeal
    must reach the authority if the company received the decision on ``received`` (the day it was made and
    sent)."""

    kind: str
    body: str = ""
    weeks: int | None = None
    received: date | None = None
    last_day: date | None = None


def appeal_notice(cal: BusinessCalendar, *, case_kind: str, outcome: str | None, decided_at: datetime,
                  appealable: bool | None, body: str, weeks: int | None) -> AppealNotice:
    """The appeal notice of a decision (förvaltningslagen 33 §), from its category's configuration.

    The last day is ``weeks`` calendar weeks from the day of receipt, moved to the next working day by lag
    (1930:173) when it falls on a weekend or a holiday (docs/domain.md "Exact definitions", "N calendar weeks").
    The company may have received the decision later than it was made: the notice gives the rule, and the
    date as an example for a decision received the day it was sent."""
    if case_kind not in APPEALABLE_KINDS or outcome not in DECIDING_OUTCOMES or appealable is False:
        return AppealNotice(FINAL)
    if appealable is None or not body.strip() or not weeks:
        return AppealNotice(ASK)
    received = cal.local_date(decided_at)
    last = cal.local_date(cal.add_calendar_weeks(decided_at, weeks))
    return AppealNotice(APPEAL, body.strip(), weeks, received, last)


def configuration_errors(appealable: bool | None, body: str | None, weeks: int | None) -> dict[str, str]:
    """A category's appeal configuration: an appealable category names the body and the weeks (1 to 52)."""
    if appealable is not True:
        return {}
    errors = {}
    if not (body or "").strip():
        errors["appeal_body"] = "required"
    if weeks is None:
        errors["appeal_weeks"] = "required"
    elif not APPEAL_WEEKS_MIN <= weeks <= APPEAL_WEEKS_MAX:
        errors["appeal_weeks"] = "appeal_weeks"
    return errors
