"""What a company sees of its case through the private tracking link. Reveals nothing for a wrong token."""
from __future__ import annotations

import re

import sqlalchemy as sa

from ..extensions import db
from ..models import Case, Message
from . import tracking
from .errors import NotFound

_TOKEN = re.compile(r"^[0-9a-f]{48}$")


def case_by_token(token: str) -> Case:
    """The case whose tracking token this is. Any malformed, wrong or guessed token is the same NotFound."""
    if not _TOKEN.match(token or ""):
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
