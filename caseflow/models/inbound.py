"""Incoming mail: each message that reached the mail receiver, registered on arrival (OSL 5 kap.) whatever became
of it (a reply on its case, a new case, an auto-reply recorded and left, a bounce, a refusal)."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..domain import enums
from ..extensions import db
from .types import UTCDateTime, utcnow

# What became of an incoming mail (services.inbound). FAILED: processing broke midway; the receiver answered 4xx
# so the mail server tries again, and the row (shown on the operations page) is taken over by the next attempt.
OUTCOMES = enums.MAIL_OUTCOME.values  # what became of the mail (domain.enums: their labels)


class InboundMail(db.Model):
    __table_args__ = (
        # per-sender rate limit: this sender's mails of the last hour
        sa.Index("ix_inbound_mail_sender_at", "from_address", "received_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # sha256 of the Message-ID (or of the whole message when it has none): the same mail delivered twice is
    # stored once
    message_key: Mapped[str] = mapped_column(sa.String(64), unique=True)
    message_id: Mapped[str] = mapped_column(sa.String(300), default="")
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    envelope_from: Mapped[str] = mapped_column(sa.String(254), default="")
    recipient: Mapped[str] = mapped_column(sa.String(254), default="")
    from_address: Mapped[str] = mapped_column(sa.String(254), default="")
    from_name: Mapped[str] = mapped_column(sa.String(200), default="")
    subject: Mapped[str] = mapped_column(sa.String(300), default="")
    outcome: Mapped[str] = mapped_column(sa.String(20))
    case_id: Mapped[int | None] = mapped_column(sa.ForeignKey("case.id"), index=True)
    case_message_id: Mapped[int | None] = mapped_column(sa.ForeignKey("message.id"))
    # the reply token chose the case; From was another address than the case's contact (shown to the officer)
    sender_mismatch: Mapped[bool] = mapped_column(default=False)
    # the complete original (.eml) under UPLOAD_DIR, the registered incoming document: staff download it
    storage_name: Mapped[str | None] = mapped_column(sa.String(64))
    size: Mapped[int] = mapped_column(default=0)
    sha256: Mapped[str] = mapped_column(sa.String(64), default="")
    attempts: Mapped[int] = mapped_column(default=1)
    last_error: Mapped[str | None] = mapped_column(sa.Text)
    # what the officer or operator needs besides: refused files, bounced addresses, auto-reply headers
    detail: Mapped[dict] = mapped_column(sa.JSON, default=dict)

    # served as a download like an attachment (web.helpers.send_attachment)
    content_type = "message/rfc822"

    @property
    def filename(self) -> str:
        return f"e-post-{self.id}.eml"
