"""Casework extras: links between cases, attachments, canned responses, and the audit log of admin changes."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .types import UTCDateTime, utcnow


class CaseLink(db.Model):
    """A link between two cases: ``related`` (both ways) or ``duplicate_of`` (case -> the original)."""

    __table_args__ = (sa.UniqueConstraint("case_id", "other_case_id", "kind", name="uq_case_link_pair"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("case.id"), index=True)
    other_case_id: Mapped[int] = mapped_column(sa.ForeignKey("case.id"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))

    other = relationship("Case", foreign_keys=[other_case_id])
    case = relationship("Case", foreign_keys=[case_id])


class Attachment(db.Model):
    """A file sent with a message. Stored under a random name; the original name is only shown, never used
    as a path. Registered on arrival like every incoming document (OSL 5 kap.)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("case.id"), index=True)
    message_id: Mapped[int | None] = mapped_column(sa.ForeignKey("message.id"), index=True)
    filename: Mapped[str] = mapped_column(sa.String(200))  # sanitised original name, for display/download
    storage_name: Mapped[str] = mapped_column(sa.String(80), unique=True)
    content_type: Mapped[str] = mapped_column(sa.String(100))
    size: Mapped[int] = mapped_column()
    sha256: Mapped[str] = mapped_column(sa.String(64))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    uploader_kind: Mapped[str] = mapped_column(sa.String(10))  # staff, company


class CannedResponse(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int | None] = mapped_column(sa.ForeignKey("office.id"), index=True)  # None: every office
    title: Mapped[str] = mapped_column(sa.String(120))
    body: Mapped[str] = mapped_column(sa.Text)
    active: Mapped[bool] = mapped_column(default=True)


class AuditLog(db.Model):
    """Every configuration change by an administrator: who, when, what, before and after."""

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor_user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    entity: Mapped[str] = mapped_column(sa.String(40))
    entity_id: Mapped[int | None] = mapped_column()
    action: Mapped[str] = mapped_column(sa.String(20))  # create, update
    changes: Mapped[dict] = mapped_column(sa.JSON, default=dict)  # {field: [before, after]}

    actor = relationship("User")


class CaseView(db.Model):
    """When a member of staff last opened a case: one row per person and case, moved forward on every view. The
    queue compares it with the case's events to mark what changed since (the company answered, a new file,
    reassigned to them); the access log keeps every view."""

    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"), primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("case.id"), primary_key=True)
    viewed_at: Mapped[datetime] = mapped_column(UTCDateTime)


class AccessLog(db.Model):
    """Every time a member of staff opens a case or one of its files: who read what, and when."""

    __table_args__ = (sa.Index("ix_access_log_case_at", "case_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"), index=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("case.id"))
    what: Mapped[str] = mapped_column(sa.String(40), default="case")  # case, attachment:<id>
