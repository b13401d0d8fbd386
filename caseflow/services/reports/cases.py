"""The cases behind a report's figure, as a report reader sees them: read-only, with the personal data masked
(``domain.masking``). What the case is, where and when it went, its clocks and the kinds of its events — never
the contact, the description or the messages. Opening one is logged like a member of staff's view."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from ...domain import masking
from ...extensions import db
from ...models import AccessLog, Case, CaseEvent, SlaClock
from ..authorization import require_masked_case_reader
from ..errors import NotFound, valid_id
from ..unit import commit

# The facts of an event a masked view may show (labels and office names, never free text or a person's name).
_SAFE_DETAIL = ("clock", "outcome", "office_id", "office_name", "to_office_id", "to_office_name", "from_office_name")


@dataclass(frozen=True)
class MaskedEvent:
    at: datetime
    kind: str
    actor_kind: str  # staff, company, system: who acted, never their name
    data: dict


@dataclass(frozen=True)
class MaskedClock:
    name: str
    unit: str
    target: int
    started_at: datetime | None
    due_at: datetime | None
    stopped_at: datetime | None
    breached: bool


@dataclass(frozen=True)
class MaskedCase:
    id: int
    reference: str
    kind: str
    status: str
    priority: str
    complaint_ground: str | None
    category: object | None  # the Category row (its name is configuration, not personal data)
    office: object  # the Office row (configuration)
    created_at: datetime
    first_response_at: datetime | None
    decided_at: datetime | None
    closed_at: datetime | None
    outcome: str | None
    subject: str  # e-mail addresses, phone and personal identity numbers masked
    company: str  # an organisation's name and number; a sole trader's masked
    legal_form: str | None
    contact: str = masking.MASK
    events: tuple[MaskedEvent, ...] = ()
    clocks: tuple[MaskedClock, ...] = ()


def _company(case: Case) -> tuple[str, str | None]:
    if case.company is None:
        return masking.MASK, None
    if case.company.is_personal:  # a sole trader: the number is a personnummer, the name usually the owner's
        return masking.MASK, case.company.legal_form
    return f"{masking.mask_text(case.company.name)} ({case.company.org_number})", case.company.legal_form


def summary(case: Case) -> MaskedCase:
    """The masked facts of a loaded case, without its events (for a list)."""
    company, legal_form = _company(case)
    return MaskedCase(case.id, case.reference, case.kind, case.status, case.priority, case.complaint_ground,
                      case.category, case.office, case.created_at, case.first_response_at, case.decided_at,
                      case.closed_at, case.outcome, masking.mask_text(case.subject), company, legal_form)


def masked_cases(user, cases: list[Case]) -> list[MaskedCase]:
    """The drill-down's cases, masked for a report reader."""
    require_masked_case_reader(user)
    return [summary(c) for c in cases]


def masked_case(user, case_id: int, now: datetime) -> MaskedCase:
    """One case behind a figure, read-only and masked; the view is logged (who read which case, when)."""
    require_masked_case_reader(user)
    case = db.session.get(Case, case_id) if valid_id(case_id) else None
    if case is None:
        raise NotFound("case")
    events = db.session.scalars(sa.select(CaseEvent).where(CaseEvent.case_id == case.id)
                                .order_by(CaseEvent.at, CaseEvent.id)).all()
    clocks = db.session.scalars(sa.select(SlaClock).where(SlaClock.case_id == case.id).order_by(SlaClock.id)).all()
    base = summary(case)
    masked = MaskedCase(**{**base.__dict__,
                           "events": tuple(MaskedEvent(e.at, e.kind, e.actor_kind,
                                                       {k: v for k, v in (e.data or {}).items() if k in _SAFE_DETAIL})
                                           for e in events),
                           "clocks": tuple(MaskedClock(c.name, c.unit, c.target, c.started_at, c.due_at, c.stopped_at,
                                                       c.breach_at is not None and (c.stopped_at or now) >= c.breach_at)
                                           for c in clocks)})
    db.session.add(AccessLog(at=now, user_id=user.id, case_id=case.id, what="case:masked"))
    commit()
    return masked
