"""Intake: a company files a case. Validated, registered, routed, numbered and receipted in one transaction."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from ..domain import complaints, workflow
from ..domain.identifiers import InvalidIdentifier, format_reference, parse_company_identifier, parse_reference
from ..domain.routing import RouteDecision
from ..extensions import db
from ..models import Case, CaseEvent, CaseLink, CaseSequence, Company, SlaClock
from . import company_access, routing, sla, snapshot, tracking
from .dispatch import add_outbox_rows
from .errors import InvalidInput, valid_id
from .events import event_row, record
from .rows import columns_of, core, insert_row, insert_rows
from .unit import transaction

LIMITS = {
    "company_name": 200, "contact_name": 120, "contact_email": 254, "contact_phone": 40,
    "subject": 200, "description": 10000,
}


@dataclass
class Submission:
    kind: str
    category_id: int | None
    org_number: str
    company_name: str
    contact_name: str
    contact_email: str
    subject: str
    description: str
    contact_phone: str = ""
    complaint_ground: str | None = None
    priority: str = "normal"
    language: str = "sv"
    related_reference: str = ""  # a complaint may point to the earlier case it is about
    account_id: int | None = None  # filed while logged in: the account sees this case (and no other of the company)
    channel: str = "web"  # workflow.CHANNELS; by e-mail the company is unknown until an officer sets it


@dataclass
class Receipt:
    case_id: int
    reference: str
    token: str  # shown once on the receipt page; only its hash is stored


@transaction()
def submit_case(sub: Submission, now: datetime, *, api_token_id: int | None = None) -> Receipt:
    """Register a new case (OSL 5 kap.: at once, with date, number, sender and description), route it to an
    office, start its clocks and queue the receipt mail. All or nothing: one transaction, committed on return,
    or staged only when a caller's unit of work is open (the API's submit: the case and its Idempotency-Key
    row commit together). ``api_token_id`` is the integration that filed it.

    The busiest write of the system, so the new rows (case, events, clocks, outbox) are written by Core inserts,
    one statement per table, instead of through the ORM's unit of work; the case object is built as usual and
    the clocks and events are computed from it by the same functions as everywhere else."""
    ident, category = _validate(sub)
    related = _related_case(sub, ident)
    company_id = company_id_for(ident, sub.company_name.strip()) if ident is not None else None
    decision = _route(sub, category, ident)

    salt = tracking.new_salt()
    token = tracking.token_for(salt)
    case = Case(  # never added to the session: written by rows.insert_row below
        kind=sub.kind, priority=sub.priority, status=workflow.NEW,
        category_id=category.id if category else None, office_id=decision.office_id,
        route_rule_id=decision.rule_id, route_reason=decision.reason,
        company_id=company_id, company_name=sub.company_name.strip(),
        contact_name=sub.contact_name.strip(), contact_email=sub.contact_email.strip().lower(),
        contact_phone=sub.contact_phone.strip(), subject=sub.subject.strip(), description=sub.description.strip(),
        complaint_ground=sub.complaint_ground if sub.kind == "complaint" else None,
        language=sub.language if sub.language in ("sv", "en") else "sv",
        tracking_salt=salt, tracking_token_hash=tracking.token_hash(token),
        created_at=now, api_token_id=api_token_id, channel=sub.channel,
    )
    office = snapshot.current().office(decision.office_id)
    assignee = routing.pick_assignee(office.id, decision.assign_strategy)
    clocks = sla.start_clocks(case, now, add=False)
    sla.refresh_case(case, clocks)  # due instants on the row as it is inserted (no UPDATE after)
    if assignee is not None:
        case.assignee_id, case.status = assignee.id, workflow.next_status(case.status, "assign")
        case.last_assigned_at = now  # the "assigned" event below is written as a row, not by events.record
    # Take the number last: on PostgreSQL the sequence row stays locked until commit, so keep that short.
    case.year = now.astimezone(sla.calendar().tz).year
    case.number = _next_number(case.year)
    case.reference = format_reference(case.year, case.number)
    insert_row(case)
    events = [
        event_row(case, "received", now, actor_kind="company", reference=case.reference, case_kind=case.kind,
                  category_id=case.category_id, subject=case.subject),
        event_row(case, "routed", now, office_id=office.id, office_name=office.name, rule_id=decision.rule_id,
                  reason=decision.reason),
    ]
    if assignee is not None:
        events.append(event_row(case, "assigned", now, assignee_id=assignee.id, assignee_name=assignee.name,
                                how=decision.assign_strategy))
    events += [event_row(case, "clock_started", now, clock=c.name, due_at=c.due_at.isoformat() if c.due_at else None)
               for c in clocks]
    insert_rows(CaseEvent, events)
    insert_rows(SlaClock, [dict(columns_of(c), case_id=case.id) for c in clocks])
    if related is not None:
        db.session.add(CaseLink(case_id=case.id, other_case_id=related.id, kind="related", created_at=now))
        insert_rows(CaseEvent, [event_row(case, "linked", now, actor_kind="company", other_case_id=related.id,
                                          other_reference=related.reference, kind="related")])
        record(related, "linked", now, actor_kind="company", other_case_id=case.id, other_reference=case.reference,
               kind="complaint")
    if sub.account_id:
        company_access.record_filed_case(sub.account_id, case.id, now)
    add_outbox_rows([("mail", {"template": "receipt", "case_id": case.id}),
                     ("mail", {"template": "new_case", "case_id": case.id, "audience": "assignee"})],
                    case_id=case.id, at=now)
    return Receipt(case.id, case.reference, token)


def _validate(sub: Submission) -> tuple:
    errors: dict[str, str] = {}
    if sub.kind not in workflow.KINDS:
        errors["kind"] = "invalid_choice"
    category = snapshot.current().category(sub.category_id) if valid_id(sub.category_id) else None
    if sub.category_id and (category is None or not category.active):
        errors["category_id"] = "invalid_choice"
    elif category is not None and sub.kind in workflow.KINDS and sub.kind not in category.kind_list:
        errors["category_id"] = "kind_not_served"
    if sub.channel not in workflow.CHANNELS:
        errors["channel"] = "invalid_choice"
    ident = None
    by_mail = sub.channel == "email" and not sub.org_number.strip()  # a mail names no company: the officer sets it
    try:
        ident = None if by_mail else parse_company_identifier(sub.org_number)
    except InvalidIdentifier as exc:
        errors["org_number"] = f"org_{exc.code}"
    for field in ("contact_name", "contact_email", "subject", "description",
                  *(() if by_mail else ("company_name",))):
        if not getattr(sub, field).strip():
            errors[field] = "required"
    for field, limit in LIMITS.items():
        if len(getattr(sub, field) or "") > limit:
            errors[field] = "too_long"
    if sub.kind == "complaint" and sub.complaint_ground not in complaints.ACCEPTED:
        errors["complaint_ground"] = "required"
    if sub.priority not in workflow.PRIORITIES:
        errors["priority"] = "invalid_choice"
    if errors:
        raise InvalidInput(errors)
    return ident, category


def _related_case(sub: Submission, ident) -> Case | None:
    """The earlier case a complaint points to. It must be a case of the same company, so a reference cannot
    be used to probe other companies' cases: any other answer is the same "unknown case"."""
    text = (sub.related_reference or "").strip()
    if not text or sub.kind != "complaint":
        return None
    parsed = parse_reference(text)
    case = db.session.scalar(sa.select(Case).where(Case.reference == format_reference(*parsed))) if parsed else None
    company = db.session.get(Company, case.company_id) if case is not None and case.company_id else None
    if company is None or company.org_number != ident.number:
        raise InvalidInput({"related_reference": "unknown_case_of_company"})
    return case


# perf: a submission takes 14.07 M instructions with its statements built once (here, in rows and snapshot), 16.00 M
# with them built per request (bench/README.md, issue 22). SQLAlchemy keeps a statement's cache key on it.
_COMPANY_ID = sa.select(Company.id).where(Company.org_number == sa.bindparam("org_number"))
_BUMP = (sa.update(CaseSequence).where(CaseSequence.year == sa.bindparam("of_year"))
         .values(last_number=CaseSequence.last_number + 1).returning(CaseSequence.last_number))


def company_id_for(ident, name: str) -> int:
    """The id of the company row for an identifier, created on first contact. Safe when two first submissions
    race."""
    company_id = core().execute(_COMPANY_ID, {"org_number": ident.number}).scalar()
    if company_id is not None:
        return company_id
    try:
        with db.session.begin_nested():
            company = Company(org_number=ident.number, name=name, is_personal=ident.is_personal)
            db.session.add(company)
        return company.id
    except IntegrityError:
        return db.session.scalar(_COMPANY_ID, {"org_number": ident.number})


def _route(sub: Submission, category: snapshot.CategoryInfo | None, ident) -> RouteDecision:
    return routing.decide(sub.kind, category, sub.subject, sub.description, ident)


def _next_number(year: int) -> int:
    """Next case number of ``year``: gap-free and never reused.

    The UPDATE locks the year's row until the transaction ends (PostgreSQL row lock; SQLite's write lock),
    so concurrent submissions queue here and a rollback gives the number back.
    """
    number = core().execute(_BUMP, {"of_year": year}).scalar_one_or_none()
    if number is None:  # the year's first case: create its row (safe when two race), then take the number
        dialect = db.session.get_bind().dialect.name
        ins = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(CaseSequence)
        db.session.execute(ins.values(year=year, last_number=0).on_conflict_do_nothing(index_elements=["year"]))
        number = db.session.execute(_BUMP, {"of_year": year}).scalar_one()
    return number
