"""Company accounts: optional. A company can always follow a case by its private link instead."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .types import PasswordMixin, UTCDateTime, utcnow


class CompanyAccount(PasswordMixin, UserMixin, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    language: Mapped[str] = mapped_column(sa.String(5), default="sv")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    active: Mapped[bool] = mapped_column(default=True)
    # Bumped to end every session of the account at once (services.accounts.end_sessions).
    session_version: Mapped[int] = mapped_column(default=0, server_default=sa.text("0"))

    role = "company"  # never a staff role: every staff check refuses it
    office_id = None

    def get_id(self) -> str:  # see User.get_id
        return f"c:{self.id}:{self.session_version or 0}"

    @property
    def is_active(self) -> bool:
        return self.active and self.verified_at is not None


class AccountCompany(db.Model):
    """An account sees every case of the companies linked to it."""

    __table_args__ = (sa.UniqueConstraint("account_id", "company_id", name="uq_account_company_pair"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(sa.ForeignKey("company_account.id"), index=True)
    company_id: Mapped[int] = mapped_column(sa.ForeignKey("company.id"), index=True)
    linked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    how: Mapped[str] = mapped_column(sa.String(20))  # filed_case, contact_email
