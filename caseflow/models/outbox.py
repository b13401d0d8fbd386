"""The transactional outbox: side effects written in the same transaction as the change that causes them."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .types import UTCDateTime, utcnow

PENDING, SENT, FAILED = "pending", "sent", "failed"  # FAILED: a dead letter, never tried again by itself


class Outbox(db.Model):
    __table_args__ = (sa.Index("ix_outbox_status_created", "status", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    topic: Mapped[str] = mapped_column(sa.String(40))  # e.g. "mail"
    case_id: Mapped[int | None] = mapped_column(sa.ForeignKey("case.id"), index=True)
    payload: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    status: Mapped[str] = mapped_column(sa.String(10), default=PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    enqueued_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(sa.Text)
    # A transient failure is tried again no earlier than this (backing off); a permanent one, or too many
    # attempts, makes the row a dead letter: status FAILED, why (a code, services.outbox.DEAD_REASONS) and when.
    retry_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    failed_reason: Mapped[str | None] = mapped_column(sa.String(40))
    failed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # What was delivered (rendered mail), kept as the record when no SMTP server is configured.
    result: Mapped[dict | None] = mapped_column(sa.JSON)

    case = relationship("Case")
