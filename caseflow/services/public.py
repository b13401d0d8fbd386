"""What a company sees of its case through the private tracking link. Reveals nothing for a wrong token."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from ..domain import workflow
from ..extensions import db
from ..models import Case, Message
from . import attachments, sla, tracking
from .dispatch import add_outbox
from .errors import Conflict, InvalidInput, NotFound
from .events import record
from .unit import commit


def case_by_token(token: str) -> Case:
    """The case whose tracking token this is. Any malformed, wrong or guessed token is the same NotFound."""
    if not tracking.TOKEN_SHAPE.match(token or ""):
        raise NotFound("case")
    case = db.session.scalar(sa.select(Case).where(Case.tracking_token_hash == tracking.token_hash(token)))
    if case is None or not tracking.token_matches(case.tracking_salt, token):
        raise NotFound("case")
    return case


def public_messages(case: Case) -> list[Message]:
    """Messages the company may read: never internal notes."""
    return list(db.session.scalars(
        sa.select(Message).where(Message.case_id == case.id, Message.internal.is_(False))
        .order_by(Message.at, Message.id)
    ))


MESSAGE_LIMIT = 10000


def answer(token: str, body: str, now: datetime, uploads: list | None = None) -> Message:
    """The company writes on its case, with optional attachments (registered on arrival). An answer to a
    completion request resumes the paused clocks."""
    return answer_case(case_by_token(token), body, now, uploads)


def answer_case(case: Case, body: str, now: datetime, uploads: list | None = None, *, author_name: str = "",
                via: dict | None = None) -> Message:
    """``answer`` on a case its caller has already identified: the tracking page by its token, an e-mail reply
    by its reply address (services.inbound). ``via`` goes on the event (the incoming mail it came in)."""
    body = (body or "").strip()
    if not body:
        raise InvalidInput({"body": "required"})
    if len(body) > MESSAGE_LIMIT:
        raise InvalidInput({"body": "too_long"})
    if not case.is_open:
        raise Conflict("closed")
    checked = attachments.validate(uploads or [])
    old = case.status
    case.status = workflow.next_status(old, "customer_message")
    msg = Message(case=case, at=now, author_kind="company", author_name=(author_name or case.contact_name)[:120],
                  internal=False, body=body)
    db.session.add(msg)
    db.session.flush()
    files = attachments.store(case, msg, checked, "company", now)
    record(case, "company_message", now, actor_kind="company", message_id=msg.id, status_before=old,
           status_after=case.status, attachments=[f.filename for f in files], **(via or {}))
    if old == workflow.AWAITING_CUSTOMER:
        sla.on_customer_answered(case, now)
    add_outbox("mail", {"template": "company_answered", "case_id": case.id, "message_id": msg.id,
                        "audience": "assignee"}, case=case, at=now)
    commit()
    return msg


def message_attachments(case: Case) -> dict:
    return attachments.for_messages([m.id for m in public_messages(case)])


def attachment_file(token: str, attachment_id: int):
    """(Attachment, path) on the token's case, never one on an internal note."""
    return attachments.open_for_case(case_by_token(token), attachment_id, public_only=True)
