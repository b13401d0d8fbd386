"""Failed logins, counted per (account name typed, client address): services.accounts.check_login."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .types import UTCDateTime


class LoginFailure(db.Model):
    """Failures in a row of one account name from one client address, and the lock they led to.

    Keyed by a keyed hash of (kind, e-mail as typed, address): a row exists alike for names that have no
    account (so the lockout tells nobody which accounts exist), and neither the address nor the name typed is
    kept in clear. A success removes the row; rows older than the lockout period are purged."""

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(64), unique=True)
    failures: Mapped[int] = mapped_column(default=0)
    last_failed_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
