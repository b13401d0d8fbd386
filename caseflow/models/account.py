"""Company accounts: optional. A company can always follow a case by its private link instead.

What an account may see is decided by services.company_access from the rows below."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

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


class AccountCase(db.Model):
    """A case the account filed while logged in: the account sees it whatever contact address it names."""

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(sa.ForeignKey("company_account.id"), index=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("case.id"), unique=True)
    filed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CompanyInvitation(db.Model):
    """A holder of a grant invites an address to the same company. The mailed token is signed and names this
    row; it is accepted once, by an account logged in with that verified address, before ``expires_at``, while
    the inviter still holds the grant. No token is stored."""

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(sa.ForeignKey("company.id"), index=True)
    inviter_account_id: Mapped[int] = mapped_column(sa.ForeignKey("company_account.id"), index=True)
    email: Mapped[str] = mapped_column(sa.String(254))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    accepted_by_account_id: Mapped[int | None] = mapped_column(sa.ForeignKey("company_account.id"))
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    inviter = relationship("CompanyAccount", foreign_keys=[inviter_account_id])
    company = relationship("Company")


class CompanyGrant(db.Model):
    """Access to every case of a company. Made by staff (admin or lead: ``granted_by_user_id`` and ``reason``)
    or by accepting an invitation (``invitation_id``); in force until ``revoked_at``. Rows are never deleted:
    together with the audit log they are the record of who could see what, and since when."""

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(sa.ForeignKey("company_account.id"), index=True)
    company_id: Mapped[int] = mapped_column(sa.ForeignKey("company.id"), index=True)
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    granted_by_user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    invitation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("company_invitation.id"))
    reason: Mapped[str | None] = mapped_column(sa.String(500))
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_by_user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    revoked_by_account_id: Mapped[int | None] = mapped_column(sa.ForeignKey("company_account.id"))
    revoke_reason: Mapped[str | None] = mapped_column(sa.String(500))

    account = relationship("CompanyAccount", foreign_keys=[account_id])
    company = relationship("Company")
    granted_by = relationship("User", foreign_keys=[granted_by_user_id])
    invitation = relationship("CompanyInvitation")
