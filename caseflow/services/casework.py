"""Casework: what staff do with a case. Every use case asks ``authorization`` first, never the views:
an officer or lead sees and acts on the cases of their own office only; an admin on all."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from ..domain import enums, workflow
from ..domain.identifiers import format_reference, parse_reference
from ..domain.sla import CALENDAR_WEEKS
from ..domain.workflow import IllegalTransition
from ..extensions import db
from ..models import AccessLog, Case, CaseEvent, CaseLink, CaseView, Message, Office, SlaClock, User
from . import attachments, routing, sla, snapshot, surveys
from .authorization import (
    case_holders,
    colleagues_scope,
    holds_cases,
    may_learn_where_it_went,
    may_link_to,
    may_see_case,
    office_scope,
    require_staff,
    sees_every_office,
)
from .dispatch import add_outbox
from .errors import Conflict, InvalidInput, NotFound, valid_id
from .events import record
from .unit import commit

OUTCOMES = enums.OUTCOME.values
MESSAGE_LIMIT = 10000


# perf: a case page takes 38.04 M instructions with its statements built once (here, in sla, routing, accounts and
# snapshot), 41.02 M with them built per request (bench/README.md, issue 22). SQLAlchemy keeps a statement's cache
# key on the statement, so a statement made per request costs its construction and key every time.
_CASE = (sa.select(Case).options(joinedload(Case.company), joinedload(Case.assignee))  # area, office: catalog
         .where(Case.id == sa.bindparam("case_id")))
_CASE_OF_OFFICE = _CASE.where(Case.office_id == sa.bindparam("office_id"))  # office_scope, for non-admins
_EVENTS = (sa.select(CaseEvent).options(joinedload(CaseEvent.actor)).where(CaseEvent.case_id == sa.bindparam("case_id"))
           .order_by(CaseEvent.at, CaseEvent.id))
_VIEWED = sa.insert(AccessLog.__table__)  # Core: no ORM bulk-insert machinery for the busiest write


def get_case(user: User, case_id: int) -> Case:
    """A case the user may see. Another office's case is NotFound (404), not Forbidden: no existence leak."""
    require_staff(user)
    if not valid_id(case_id):
        raise NotFound("case")
    if sees_every_office(user):
        case = db.session.scalar(_CASE, {"case_id": case_id})
    else:
        case = db.session.scalar(_CASE_OF_OFFICE, {"case_id": case_id, "office_id": user.office_id})
    if case is None:
        raise NotFound("case")
    return case


def get_case_by_reference(user: User, reference: str) -> Case:
    """A case by its exact reference, if the user may see it (NotFound otherwise)."""
    parsed = parse_reference(reference)
    if parsed is None:
        raise NotFound("case")
    require_staff(user)
    case_id = db.session.scalar(sa.select(Case.id).where(Case.reference == format_reference(*parsed)))
    if case_id is None:
        raise NotFound("case")
    return get_case(user, case_id)


@dataclass
class TimelineEntry:
    at: datetime
    kind: str  # an event kind, or "message" / "internal_note"
    actor: str
    data: dict
    message: Message | None = None


def message_attachments(user: User, case: Case, entries: list[TimelineEntry]) -> dict:
    """Attachments per message id of the case's timeline ``entries``, for the case page (files hang on
    messages: none to read when the timeline shows none)."""
    require_staff(user)
    return attachments.for_messages([e.message.id for e in entries if e.message is not None])


def attachment_file(user: User, case_id: int, attachment_id: int, now: datetime | None = None):
    """(Attachment, path) for staff who may see the case; the download is logged."""
    case = get_case(user, case_id)
    result = attachments.open_for_case(case, attachment_id, public_only=False)
    db.session.add(AccessLog(at=now or datetime.now(UTC), user_id=user.id, case_id=case.id,
                             what=f"attachment:{attachment_id}"))
    commit()
    return result


def record_view(user: User, case_id: int, now: datetime, what: str = "case") -> None:
    """Log that a member of staff opened the case (who read what, when). Called after the page was built, so
    the case is usually in the session already: checked in Python, no second query."""
    require_staff(user)
    case = db.session.get(Case, case_id) if valid_id(case_id) else None
    if case is None or not may_see_case(user, case):
        raise NotFound("case")
    db.session.execute(_VIEWED, {"at": now, "user_id": user.id, "case_id": case.id, "what": what})
    if what == "case":
        _mark_seen(user.id, case.id, now)
    commit()


def _mark_seen(user_id: int, case_id: int, now: datetime) -> None:
    """Staged: move the person's "last viewed" of the case to ``now`` (one row per person and case; the queue's
    markers compare the case's events with it). An upsert, so two tabs opening the case at once cannot clash."""
    if db.session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    stmt = insert(CaseView.__table__).values(user_id=user_id, case_id=case_id, viewed_at=now)
    db.session.execute(stmt.on_conflict_do_update(index_elements=["user_id", "case_id"],
                                                  set_={"viewed_at": stmt.excluded.viewed_at}))


def timeline(user: User, case: Case) -> list[TimelineEntry]:
    """Events and messages of a case, oldest first, for staff (internal notes included). A message is shown by
    the event that registered it, so messages are read only when an event names one."""
    require_staff(user)
    events = db.session.scalars(_EVENTS, {"case_id": case.id}).all()
    ids = [ev.data["message_id"] for ev in events if ev.data and ev.data.get("message_id")]
    messages = {m.id: m for m in db.session.scalars(
        sa.select(Message).where(Message.case_id == case.id, Message.id.in_(ids)))} if ids else {}
    out = []
    for ev in events:
        msg = messages.get(ev.data.get("message_id")) if ev.data else None
        actor = ev.actor.name if ev.actor else ev.actor_kind  # "company" / "system": labelled in the template
        out.append(TimelineEntry(ev.at, ev.kind, actor, ev.data or {}, msg))
    return out


def _transition(case: Case, action: str) -> tuple[str, str]:
    try:
        new = workflow.next_status(case.status, action)
    except IllegalTransition as exc:
        raise Conflict("illegal_transition", str(exc)) from exc
    old, case.status = case.status, new
    return old, new


def _check_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise InvalidInput({"body": "required"})
    if len(body) > MESSAGE_LIMIT:
        raise InvalidInput({"body": "too_long"})
    return body


def reply(user: User, case_id: int, body: str, now: datetime, uploads: list | None = None) -> Message:
    """A public message to the company, with optional attachments. The first one stops the response clocks."""
    case = get_case(user, case_id)
    body = _check_body(body)
    checked = attachments.validate(uploads or [])
    old, new = _transition(case, "reply")
    msg = _message(case, user, body, now)
    files = attachments.store(case, msg, checked, "staff", now)
    record(case, "public_reply", now, actor=user, message_id=msg.id, status_before=old, status_after=new,
           attachments=[f.filename for f in files])
    _first_response(case, user, now)
    add_outbox("mail", {"template": "reply", "case_id": case.id, "message_id": msg.id}, case=case, at=now)
    commit()
    return msg


def add_note(user: User, case_id: int, body: str, now: datetime) -> Message:
    """An internal note: staff only, never shown to the company, never mailed."""
    case = get_case(user, case_id)
    body = _check_body(body)
    msg = _message(case, user, body, now, internal=True)
    record(case, "internal_note", now, actor=user, message_id=msg.id)
    commit()
    return msg


def _close(user: User, case: Case, outcome: str, now: datetime, comment: str) -> None:
    """Staged close (shared by close, bulk close and duplicates)."""
    if outcome not in OUTCOMES:
        raise InvalidInput({"outcome": "invalid_choice"})
    comment = (comment or "").strip()
    if len(comment) > MESSAGE_LIMIT:
        raise InvalidInput({"comment": "too_long"})
    old, new = _transition(case, "close")
    case.closed_at = now
    case.outcome = outcome
    msg_id = _message(case, user, comment, now).id if comment else None
    record(case, "closed", now, actor=user, outcome=outcome, status_before=old, status_after=new,
           message_id=msg_id, hours=None if case.decided_at else sla.resolution_hours(case, now))
    if msg_id:
        _first_response(case, user, now)
    sla.on_closed(case, now, user)
    survey = surveys.create_for(case, now)
    if survey is not None:
        db.session.flush()
    add_outbox("mail", {"template": "closed", "case_id": case.id, "survey_id": survey.id if survey else None},
               case=case, at=now)


def close(user: User, case_id: int, outcome: str | None, now: datetime, comment: str = "") -> Case:
    """Close the case with an outcome; the company is told by mail. A decided case closes with its decision's
    outcome when none is given (the page does not ask for it again: ``workflow.close_asks_outcome``)."""
    case = get_case(user, case_id)
    if not outcome and not workflow.close_asks_outcome(case.status):
        outcome = case.outcome
    if not outcome:
        raise InvalidInput({"outcome": "outcome_required"})
    _close(user, case, outcome, now, comment)
    commit()
    return case


def _iso(t: datetime | None) -> str | None:
    return t.isoformat() if t else None


def _message(case: Case, user: User, body: str, now: datetime, internal: bool = False) -> Message:
    """Staged staff message (flushed: events refer to its id)."""
    msg = Message(case=case, at=now, author_kind="staff", author_user_id=user.id, author_name=user.name,
                  internal=internal, body=body)
    db.session.add(msg)
    db.session.flush()
    return msg


def _first_response(case: Case, user: User, now: datetime) -> None:
    """Any public message from staff is a response: the first one stops the response clocks."""
    if case.first_response_at is None:
        case.first_response_at = now
        record(case, "first_response", now, actor=user, hours=sla.response_hours(case, now))
    sla.on_public_staff_message(case, now, user)
    if case.assignee_id is None and holds_cases(user):
        case.assignee_id = user.id
        record(case, "assigned", now, actor=user, assignee_id=user.id, how="by_reply")


def request_completion(user: User, case_id: int, body: str, now: datetime) -> Message:
    """Ask the company for more (föreläggande om komplettering): the case waits on the company, pausable clocks
    pause, and a PBL clock restarts at the completion if this is within three weeks of receipt."""
    case = get_case(user, case_id)
    body = _check_body(body)
    old, new = _transition(case, "request_completion")
    msg = _message(case, user, body, now)
    record(case, "completion_requested", now, actor=user, message_id=msg.id, status_before=old, status_after=new)
    _first_response(case, user, now)
    sla.on_awaiting_customer(case, now, user)
    add_outbox("mail", {"template": "completion_request", "case_id": case.id, "message_id": msg.id}, case=case,
               at=now)
    commit()
    return msg


def decide(user: User, case_id: int, outcome: str, text: str, now: datetime) -> Case:
    """Record the decision (outcome + text to the company). Stops the resolution and statutory clocks."""
    case = get_case(user, case_id)
    if outcome not in OUTCOMES:
        raise InvalidInput({"outcome": "invalid_choice"})
    text = _check_body(text)
    old, new = _transition(case, "decide")
    case.outcome, case.decision_text = outcome, text
    first = case.decided_at is None  # the first decision ends the resolution time
    if first:
        case.decided_at = now
    msg = _message(case, user, text, now)
    record(case, "decided", now, actor=user, outcome=outcome, message_id=msg.id, status_before=old, status_after=new,
           hours=sla.resolution_hours(case, now) if first else None)
    _first_response(case, user, now)
    sla.on_decided(case, now, user)
    add_outbox("mail", {"template": "decision", "case_id": case.id, "message_id": msg.id}, case=case, at=now)
    commit()
    return case


def reopen(user: User, case_id: int, reason: str, now: datetime) -> Case:
    case = get_case(user, case_id)
    reason = _check_body(reason)
    old, new = _transition(case, "reopen")
    case.closed_at = None
    record(case, "reopened", now, actor=user, reason=reason, status_before=old, status_after=new)
    sla.on_reopened(case, now, user)
    commit()
    return case


def send_delay_notice(user: User, case_id: int, reason: str, now: datetime) -> Message:
    """FL 11 §: tell the company that the decision will be substantially delayed, and why. Registered + mailed."""
    case = get_case(user, case_id)
    if not case.is_open:
        raise Conflict("closed")
    reason = _check_body(reason)
    msg = _message(case, user, reason, now)
    record(case, "delay_notice", now, actor=user, message_id=msg.id)
    _first_response(case, user, now)
    add_outbox("mail", {"template": "delay_notice", "case_id": case.id, "message_id": msg.id}, case=case, at=now)
    commit()
    return msg


def register_decision_request(user: User, case_id: int, requested_at: datetime, now: datetime) -> Case:
    """FL 12 §: the company asked in writing for a decision in a case older than six months. Starts the
    four-week clock within which the authority must decide or reject the request."""
    case = get_case(user, case_id)
    if not case.is_open or case.decided_at is not None:
        raise Conflict("decided")
    if case.fl12_requested_at is not None:
        raise Conflict("already_requested")
    case.fl12_requested_at = requested_at
    clock = SlaClock(case=case, name=sla.FL12, unit=CALENDAR_WEEKS, target=4, pausable=False,
                     started_at=requested_at, pauses=[])
    sla.recompute(clock, sla.calendar())
    db.session.add(clock)
    db.session.flush()
    record(case, "fl12_request", now, actor=user, requested_at=requested_at.isoformat(),
           due_at=_iso(clock.due_at))
    sla.refresh_case(case)
    commit()
    return case


def extend_statutory_deadline(user: User, case_id: int, weeks: int, reason: str, now: datetime) -> Case:
    """PBL 9:27: the one recorded extension of the statutory period."""
    case = get_case(user, case_id)
    sla.extend_pbl(case, weeks, reason, now, user)
    commit()
    return case


def page_actions(user: User, case: Case, case_clocks: list[SlaClock]) -> frozenset[str]:
    """The actions the case page offers the user on ``case`` (``workflow.case_actions`` with the case's facts):
    claiming only for someone who may hold cases and does not hold this one."""
    require_staff(user)
    extendable = any(c.name == sla.PBL and c.stopped_at is None and not c.extension_weeks for c in case_clocks)
    return workflow.case_actions(
        case.status, assigned_to_me=case.assignee_id == user.id or not holds_cases(user),
        decided=case.decided_at is not None, fl12_requested=case.fl12_requested_at is not None,
        statutory_extendable=extendable)


@dataclass
class Whereabouts:
    reference: str
    office_id: int


def where_it_went(user: User, case_id: int) -> Whereabouts:
    """For the old address of a case the user's office sent on (rerouted): its reference and the office that
    holds it now, nothing else. NotFound for anyone else, as for a case that does not exist."""
    require_staff(user)
    if not valid_id(case_id):
        raise NotFound("case")
    sent_from = db.session.scalars(sa.select(CaseEvent.data).where(
        CaseEvent.case_id == case_id, CaseEvent.kind == "rerouted")).all()
    if not may_learn_where_it_went(user, [d.get("from_office_id") for d in sent_from if d]):
        raise NotFound("case")
    row = db.session.execute(sa.select(Case.reference, Case.office_id).where(Case.id == case_id)).one()
    return Whereabouts(row.reference, row.office_id)


def clocks(user: User, case: Case) -> list[SlaClock]:
    require_staff(user)
    return sla.clocks_of(case)


# -- assignment, rerouting, links, bulk -------------------------------------------------------------------------
def _assign(user: User, case: Case, assignee_id: int | None, now: datetime) -> None:
    """Staged: claim (None = the user) or assign to an officer/lead of the case's own office."""
    assignee_id = assignee_id or user.id
    if assignee_id not in {u.id for u in routing.officers_of(case.office_id)}:
        raise InvalidInput({"assignee_id": "invalid_choice"})
    if case.assignee_id == assignee_id:
        return
    before = case.assignee_id
    old, new = _transition(case, "assign")
    case.assignee_id = assignee_id
    record(case, "assigned", now, actor=user, assignee_id=assignee_id, before=before, status_before=old,
           status_after=new, how="claim" if assignee_id == user.id else "assign")


def assign(user: User, case_id: int, assignee_id: int | None, now: datetime) -> Case:
    """Claim a case (no assignee given) or assign/reassign it within the office."""
    case = get_case(user, case_id)
    _assign(user, case, assignee_id, now)
    commit()
    return case


def reroute(user: User, case_id: int, office_id: int, reason: str, now: datetime) -> Case:
    """Send the case to another office, with a required reason. Counted as a routing miss for the office
    that sends it on; the new office's queue gets it unassigned, and its clocks keep running."""
    case = get_case(user, case_id)
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput({"reason": "required"})
    target = db.session.get(Office, office_id) if valid_id(office_id) else None
    if target is None or not target.active:
        raise InvalidInput({"office_id": "invalid_choice"})
    if target.id == case.office_id:
        raise InvalidInput({"office_id": "same_office"})
    if not case.is_open:
        raise Conflict("closed")
    from_office = case.office_id
    record(case, "rerouted", now, actor=user, from_office_id=from_office, to_office_id=target.id,
           to_office_name=target.name, reason=reason)  # recorded on the sending office (routing miss)
    case.office_id, case.assignee_id = target.id, None
    if case.status == workflow.ASSIGNED:
        case.status = workflow.NEW
    commit()
    return case


LINK_KINDS = ("related", "duplicate_of")


def link(user: User, case_id: int, other_reference: str, kind: str, now: datetime) -> Case:
    """Link two cases. ``duplicate_of`` also closes this case as a duplicate; both keep their histories."""
    case = get_case(user, case_id)
    if kind not in LINK_KINDS:
        raise InvalidInput({"kind": "invalid_choice"})
    parsed = parse_reference(other_reference)
    other = db.session.scalar(sa.select(Case).where(Case.reference == format_reference(*parsed))) if parsed else None
    if other is None or not may_link_to(user, case, other):
        raise InvalidInput({"other_reference": "unknown_case"})
    if other.id == case.id:
        raise InvalidInput({"other_reference": "same_case"})
    exists = db.session.scalar(sa.select(CaseLink.id).where(
        CaseLink.case_id == case.id, CaseLink.other_case_id == other.id, CaseLink.kind == kind))
    if exists:
        raise Conflict("already_linked")
    db.session.add(CaseLink(case_id=case.id, other_case_id=other.id, kind=kind, created_at=now,
                            created_by_id=user.id))
    record(case, "linked", now, actor=user, other_case_id=other.id, other_reference=other.reference, kind=kind)
    record(other, "linked", now, actor=user, other_case_id=case.id, other_reference=case.reference,
           kind="duplicate" if kind == "duplicate_of" else kind)
    if kind == "duplicate_of" and case.is_open:
        _close(user, case, "duplicate", now, "")
    commit()
    return case


def links_of(user: User, case: Case, entries: list[TimelineEntry] | None = None) -> list[tuple[str, Case]]:
    """(kind, other case) for a case, both directions, for the case page. Every link is registered by a
    "linked" event on both cases (``link`` and intake), so given the case's timeline ``entries`` without one,
    there is nothing to read."""
    require_staff(user)
    if entries is not None and not any(e.kind == "linked" for e in entries):
        return []
    out, back = [], []
    for ln in db.session.scalars(sa.select(CaseLink).options(joinedload(CaseLink.other), joinedload(CaseLink.case))
                                 .where(sa.or_(CaseLink.case_id == case.id, CaseLink.other_case_id == case.id))
                                 .order_by(CaseLink.id)):
        if ln.case_id == case.id:
            out.append((ln.kind, ln.other))
        else:
            back.append(("duplicate" if ln.kind == "duplicate_of" else ln.kind, ln.case))
    return out + back


@dataclass
class BulkResult:
    done: list[str]
    skipped: list[str]


def bulk(user: User, case_ids: list[int], action: str, now: datetime, assignee_id: int | None = None,
         outcome: str | None = None) -> BulkResult:
    """Assign or close many cases of the user's office at once. Cases where the action is not possible
    (another office, already closed) are skipped and reported, the rest done in one transaction."""
    check_bulk(user, action, outcome)
    result = BulkResult([], [])
    case_ids = [i for i in case_ids if valid_id(i)]  # anything else names no case
    cases = bulk_cases(user, case_ids)
    for case in cases:
        try:
            bulk_step(user, case, action, now, outcome, assignee_id)
            result.done.append(case.reference)
        except (Conflict, InvalidInput):
            result.skipped.append(case.reference)
    result.skipped += [f"#{i}" for i in set(case_ids) - {c.id for c in cases}]
    commit()
    return result


def require_bulk(user: User) -> None:
    """Who may act on many cases at once: staff, on their office's cases (Forbidden otherwise)."""
    require_staff(user)


def check_bulk(user: User, action: str, outcome: str | None) -> None:
    """A bulk action the user may ask for: staff, assign or close (with an outcome)."""
    require_staff(user)
    if action not in ("assign", "close"):
        raise InvalidInput({"action": "invalid_choice"})
    if action == "close" and outcome not in OUTCOMES:
        raise InvalidInput({"outcome": "invalid_choice"})


def bulk_cases(user: User, case_ids: list[int]) -> list[Case]:
    """The chosen cases of the user's office (others are not found), by id."""
    case_ids = [i for i in case_ids if valid_id(i)]  # anything else names no case
    return list(db.session.scalars(sa.select(Case).where(Case.id.in_(case_ids or [-1]), office_scope(user))
                                   .order_by(Case.id)))


def bulk_step(user: User, case: Case, action: str, now: datetime, outcome: str | None,
               assignee_id: int | None = None) -> None:
    """Staged: one case's part of a bulk action (Conflict or InvalidInput where it is not possible)."""
    if action == "assign":
        _assign(user, case, assignee_id, now)
    else:  # a decided case closes with its decision's outcome, as ``close`` does: never one that contradicts it
        _close(user, case, bulk_outcome(case, outcome), now, "")


def bulk_outcome(case: Case, outcome: str | None) -> str | None:
    """The outcome a bulk close gives ``case``: its decision's, if it was decided; else the one asked for."""
    return case.outcome if case.outcome and not workflow.close_asks_outcome(case.status) else outcome


def canned_responses(user: User, case: Case) -> list[snapshot.CannedInfo]:
    """The texts an officer may insert in a reply: the office's own and those for every office, by title."""
    require_staff(user)
    return [c for c in snapshot.current().canned if c.office_id is None or c.office_id == case.office_id]


def colleagues(user: User) -> list[User]:
    """Officers and leads the user may filter and assign by (their office; all for an admin)."""
    require_staff(user)
    q = sa.select(User).where(User.active.is_(True), case_holders(), colleagues_scope(user))
    return list(db.session.scalars(q.order_by(User.name)))


def set_company(user: User, case_id: int, org_number: str, company_name: str, now: datetime) -> Case:
    """Name the company of a case that came without one (a mail to the service's address names none): the
    organisation number checked as on the form, the company row made on first contact. Only while the company is
    unknown: moving a case to another company changes who may see it, which is no correction of a field."""
    from ..domain.identifiers import InvalidIdentifier, parse_company_identifier
    from . import intake

    case = get_case(user, case_id)
    if case.company_id is not None:
        raise Conflict("company_known")
    name = (company_name or "").strip()
    errors = {}
    try:
        ident = parse_company_identifier(org_number or "")
    except InvalidIdentifier as exc:
        errors["org_number"] = f"org_{exc.code}"
    if not name:
        errors["company_name"] = "required"
    elif len(name) > intake.LIMITS["company_name"]:
        errors["company_name"] = "too_long"
    if errors:
        raise InvalidInput(errors)
    case.company_id, case.company_name = intake.company_id_for(ident, name), name
    record(case, "company_set", now, actor=user, org_number=ident.number, company_name=name)
    commit()
    return case
