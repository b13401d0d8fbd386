"""Integration access: API tokens (stored hashed, scoped) and idempotency keys of case submissions."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .types import UTCDateTime, utcnow

SCOPES = ("submit", "read-own", "officer")


class ApiToken(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    prefix: Mapped[str] = mapped_column(sa.String(12))  # shown in lists; the rest is never stored
    scopes: Mapped[str] = mapped_column(sa.String(100))  # comma-separated SCOPES
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))  # officer tokens act as this user
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    active: Mapped[bool] = mapped_column(default=True)

    user = relationship("User")

    def has(self, scope: str) -> bool:
        return scope in self.scopes.split(",")


class IdempotencyKey(db.Model):
    """The same key from the same token returns the same case, never a second one."""

    __table_args__ = (sa.UniqueConstraint("token_id", "key", name="uq_idempotency_key_token_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    token_id: Mapped[int] = mapped_column(sa.ForeignKey("api_token.id"))
    key: Mapped[str] = mapped_column(sa.String(200))
    request_hash: Mapped[str] = mapped_column(sa.String(64))
    # Empty only inside the transaction that claims the key: the row is written first, then the case it makes
    # (integrations.submit), both committed together.
    case_id: Mapped[int | None] = mapped_column(sa.ForeignKey("case.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
