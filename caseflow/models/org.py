"""The municipality's organisation and configuration: offices, categories, routing rules, staff."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..domain import enums
from ..extensions import db
from .types import AcceptsKinds, Named, PasswordMixin, UTCDateTime, utcnow

ROLES = enums.ROLE.values  # officer, lead, admin, analyst (domain.enums: their labels)


class Office(Named, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(40), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    name_en: Mapped[str] = mapped_column(sa.String(120), default="")
    email: Mapped[str | None] = mapped_column(sa.String(254))
    # The single entry point ("en väg in"): takes every case no rule routes elsewhere.
    is_entry: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)
    # Round-robin assignment: the officer who got the last case (routing rules with strategy round_robin).
    round_robin_last_user_id: Mapped[int | None] = mapped_column()


class Category(Named, AcceptsKinds, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(60), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    name_en: Mapped[str] = mapped_column(sa.String(120), default="")
    # Comma-separated subset of domain.workflow.KINDS that this category accepts.
    kinds: Mapped[str] = mapped_column(sa.String(80), default="errand,question,complaint,feedback")
    default_office_id: Mapped[int | None] = mapped_column(sa.ForeignKey("office.id"))
    # Which statutory clock applies, if any: "pbl_bygglov", "pbl_anmalan" (SLA engine).
    statutory: Mapped[str | None] = mapped_column(sa.String(40))
    position: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)
    # Can the category's decisions be appealed (förvaltningslagen 40-44 §§), to which body, within how many weeks
    # of the day the company received the decision. None: not configured (the company is told to ask).
    appealable: Mapped[bool | None] = mapped_column()
    appeal_body: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")
    appeal_weeks: Mapped[int | None] = mapped_column()

    default_office: Mapped[Office | None] = relationship()


class RoutingRule(db.Model):
    """One ordered routing rule; see domain.routing for the matching semantics."""

    id: Mapped[int] = mapped_column(primary_key=True)
    position: Mapped[int] = mapped_column(default=0, index=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    office_id: Mapped[int] = mapped_column(sa.ForeignKey("office.id"))
    kinds: Mapped[str] = mapped_column(sa.String(80), default="")  # comma-separated, empty = any
    category_id: Mapped[int | None] = mapped_column(sa.ForeignKey("category.id"))
    keywords: Mapped[str] = mapped_column(sa.Text, default="")  # comma-separated, empty = any
    org_numbers: Mapped[str] = mapped_column(sa.Text, default="")  # comma-separated, empty = any
    legal_forms: Mapped[str] = mapped_column(sa.String(200), default="")
    assign_strategy: Mapped[str] = mapped_column(sa.String(20), default="none")
    active: Mapped[bool] = mapped_column(default=True)

    office: Mapped[Office] = relationship()


class User(PasswordMixin, UserMixin, db.Model):
    """A member of staff. Companies do not need an account (they follow a case by its private link)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    role: Mapped[str] = mapped_column(sa.String(20), default="officer")
    office_id: Mapped[int | None] = mapped_column(sa.ForeignKey("office.id"))
    active: Mapped[bool] = mapped_column(default=True)
    # Bumped to end every session of the user at once (services.accounts.end_sessions).
    session_version: Mapped[int] = mapped_column(default=0, server_default=sa.text("0"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    office: Mapped[Office | None] = relationship()

    def get_id(self) -> str:
        """The session's user id: staff and company accounts share the login session, so the kind is a prefix;
        the session version is a suffix, so a session (or remember-me cookie) from before the last
        logout, password change or deactivation names a version that no longer matches."""
        return f"s:{self.id}:{self.session_version or 0}"

    @property
    def is_active(self) -> bool:  # flask-login: a deactivated user cannot log in
        return self.active


class ConfigGeneration(db.Model):
    """One row: bumped in the same transaction as any change of configuration (services.snapshot), so every
    process knows at its next request that its in-memory copy of the configuration is stale."""

    id: Mapped[int] = mapped_column(primary_key=True)
    value: Mapped[int] = mapped_column(default=0)
