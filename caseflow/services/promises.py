"""What the company is promised and what happens next: read from its case's clocks (services.sla) and from the
configured service promises (the configuration snapshot). The choice of words is the web layer's; the rules of
what to say are ``domain.promises``; the dates are the clocks' own.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ..domain import promises as rules
from ..domain import sla as clock_rules
from ..models import Case
from . import public, sla, snapshot


@dataclass(frozen=True)
class Outlook:
    """A case as its company should read it now: the promises still open and what happens next."""

    promises: list[rules.Promise]
    step: str
    waiting_pauses: bool = True  # a wait on the company stops a clock (said so in the next step)


def for_case(case: Case, now: datetime, moment: str | None = None) -> Outlook:
    """The open promises of a case (each date the one its clock holds) and its next step. ``moment``: the page or
    mail that asks right after an event (``domain.promises.RECEIVED``, ``REPLIED``)."""
    facts = [rules.ClockFact(name=c.name, unit=c.unit, target=c.target, due=c.due_at, breach=c.breach_at,
                             stopped=c.stopped_at is not None, paused=c.paused_since is not None,
                             started=c.started_at is not None, extension_weeks=c.extension_weeks or 0,
                             pausable=bool(c.pausable))
             for c in sla.clocks_of(case)]
    return Outlook(rules.case_promises(case.kind, facts, now), rules.next_step(case.status, moment),
                   rules.waiting_pauses(facts))


# The mails sent right after an event, and the moment each speaks from.
_MAIL_MOMENTS = {"receipt": rules.RECEIVED, "reply": rules.REPLIED}


def for_mail(case: Case, template: str, now: datetime) -> Outlook:
    """The outlook a mail to the company states (rendered when it is delivered: the clocks as they are then)."""
    return for_case(case, now, _MAIL_MOMENTS.get(template))


def for_token(token: str, now: datetime, moment: str | None = None) -> tuple[Case, Outlook]:
    """The case behind a private tracking token (NotFound for any wrong one) and its outlook."""
    case = public.case_by_token(token)
    return case, for_case(case, now, moment)


@dataclass(frozen=True)
class PromiseGroup:
    """The published promises of one kind or category (both None: every case)."""

    kind: str | None
    category: snapshot.CategoryInfo | None
    promises: list[rules.PolicyFact]
    statutory_weeks: int | None = None  # a category under the statutory PBL rule: its period in weeks


@dataclass(frozen=True)
class General:
    """The service promise as the start page states it: the first answer every case is promised, the date it
    would fall on for a case filed now (by the SLA engine, as a new case's clock gets it), and every other
    configured promise a company can read before filing."""

    headline: rules.PolicyFact | None
    due_if_filed_now: datetime | None
    groups: list[PromiseGroup]


def _facts(snap: snapshot.Snapshot) -> list[rules.PolicyFact]:
    return [rules.PolicyFact(p.clock, p.kind, p.category_id, p.priority, p.unit, p.target) for p in snap.policies]


def general(now: datetime) -> General:
    """The configured promises (active ``sla_policy`` rows of the snapshot) and the statutory PBL periods of the
    categories they apply to; the headline's date is what ``domain.sla`` gives a clock started now."""
    snap = snapshot.current()
    facts = _facts(snap)
    headline = rules.general_promise(facts)
    due = None
    if headline is not None:
        due = clock_rules.clock_state(sla.calendar(), clock_rules.ClockSpec(headline.unit, headline.target), now).due
    groups: dict[tuple, list[rules.PolicyFact]] = {}
    for p in rules.published_promises(facts):
        category = snap.category(p.category_id) if p.category_id is not None else None
        if p.category_id is not None and (category is None or not category.active):
            continue
        groups.setdefault((p.kind if p.category_id is None else None, p.category_id), []).append(p)
    out = [PromiseGroup(kind, snap.category(cat) if cat else None, ps) for (kind, cat), ps in groups.items()]
    for c in snap.active_categories:
        if c.statutory in sla.PBL_WEEKS:
            out.append(PromiseGroup(None, c, [], sla.PBL_WEEKS[c.statutory]))
    return General(headline, due, out)


def general_in_working_hours() -> tuple[rules.PolicyFact | None, float | None]:
    """The general first-response promise and the working hours it stands for as a line on the report's chart of
    first-response times: an hour clock's target; a day clock's days times the hours of a full working day of
    the configured calendar; None for a week clock (or no general promise)."""
    head = rules.general_promise(_facts(snapshot.current()))
    if head is None or head.unit == clock_rules.CALENDAR_WEEKS:
        return head, None
    if head.unit == clock_rules.WORKING_HOURS:
        return head, float(head.target)
    day = max(((datetime.combine(datetime.min, end) - datetime.combine(datetime.min, start)).total_seconds() / 3600
               for _wd, start, end in sla.calendar().hours), default=0.0)
    return head, head.target * day
