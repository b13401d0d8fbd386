"""The demo's mailbox: every mail the app sent while no SMTP server is configured, read back from the outbox
(which keeps a mail whole in that case). Development and demo only: elsewhere it answers nothing (``NotFound``),
and the page that shows it is not even registered."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask import current_app

from ..extensions import db
from ..models import Outbox
from ..models.outbox import SENT
from .errors import NotFound

DEVELOPMENT_MODES = ("development", "demo")


def enabled(config=None) -> bool:
    """Whether this app runs as development or demo (``CASEFLOW_ENV``): only then is there a mail page."""
    return (config if config is not None else current_app.config).get("CASEFLOW_ENV") in DEVELOPMENT_MODES


@dataclass(frozen=True)
class SentMail:
    id: int
    at: datetime
    to: str
    subject: str
    text: str
    reference: str | None


def sent_mails(limit: int = 300) -> list[SentMail]:
    """The mails sent (written to the log instead of SMTP), newest first."""
    if not enabled():
        raise NotFound("mail")
    rows = db.session.scalars(sa.select(Outbox).where(Outbox.topic == "mail", Outbox.status == SENT)
                              .order_by(Outbox.sent_at.desc(), Outbox.id.desc()).limit(limit)).all()
    out = []
    for r in rows:
        result = r.result or {}
        if result.get("via") == "skipped":
            continue
        out.append(SentMail(r.id, r.sent_at or r.created_at, result.get("to", ""), result.get("subject", ""),
                            result.get("text", ""), r.case.reference if r.case is not None else None))
    return out
