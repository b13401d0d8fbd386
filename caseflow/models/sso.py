"""Staff sign-in through the organisation's OpenID Provider (services.sso) and the break-glass second factor.

- ``SsoGroupMapping``: an administrator's rule "members of this group at that provider are <role> at <office>".
- ``SsoIdentity``: which provider and subject a staff user signs in as, and the groups the provider named at the
  last sign-in (kept so that a mapping change takes effect at once, without waiting for the next sign-in).
- ``TotpSecret``: the one break-glass administrator's TOTP secret (RFC 6238) and the last time step used, so a
  code is accepted once.
"""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .types import UTCDateTime, utcnow


class SsoGroupMapping(db.Model):
    __table_args__ = (sa.UniqueConstraint("provider", "group", name="uq_sso_group_mapping_provider_group"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    provider: Mapped[str] = mapped_column(sa.String(40), default="staff")
    group: Mapped[str] = mapped_column(sa.String(255))  # the value as the provider sends it in the groups claim
    role: Mapped[str] = mapped_column(sa.String(20))
    office_id: Mapped[int | None] = mapped_column(sa.ForeignKey("office.id"))
    active: Mapped[bool] = mapped_column(default=True)

    office = relationship("Office")


class SsoIdentity(db.Model):
    __table_args__ = (sa.UniqueConstraint("provider", "subject", name="uq_sso_identity_provider_subject"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"), unique=True)
    provider: Mapped[str] = mapped_column(sa.String(40))
    subject: Mapped[str] = mapped_column(sa.String(255))  # the ID token's "sub": stable, never reassigned
    groups: Mapped[list] = mapped_column(sa.JSON, default=list)
    # True when the mappings deactivated the user (no group maps): a later sign-in whose groups map lets them in
    # again. A user an administrator deactivated in caseflow stays out whatever the provider says.
    deactivated_by_provider: Mapped[bool] = mapped_column(default=False)
    last_sign_in_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user = relationship("User")


class TotpSecret(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"), unique=True)
    secret: Mapped[str] = mapped_column(sa.String(64))  # base32
    last_step: Mapped[int] = mapped_column(sa.BigInteger, default=0)  # the last accepted code's time step
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
