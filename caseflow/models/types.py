"""Column types shared by the models."""
from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import DateTime
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator):
    """A timezone-aware UTC instant on every backend.

    PostgreSQL keeps ``timestamptz``; SQLite has no time zones, so the value is stored as naive UTC and
    given its zone back on load. Naive datetimes are refused on the way in: they are always a bug here.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def utcnow() -> datetime:
    """Column default: evaluated per row, timezone-aware."""
    return datetime.now(UTC)


class PasswordMixin:
    """Hashed password (Werkzeug's scrypt) for staff users and company accounts alike. Failed logins are
    counted per account name and client address (models.login.LoginFailure), not on the account."""

    password_hash: str

    def set_password(self, password: str) -> None:
        from werkzeug.security import generate_password_hash

        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        from werkzeug.security import check_password_hash

        return check_password_hash(self.password_hash, password)


class Named:
    """Shown as ``name`` in Swedish and ``name_en`` in English when there is one (offices, categories: the rows
    and their snapshots in services.snapshot)."""

    def display_name(self, lang: str = "sv") -> str:
        return self.name_en if lang == "en" and self.name_en else self.name


class AcceptsKinds:
    """A category's ``kinds``: a comma-separated subset of domain.workflow.KINDS."""

    @property
    def kind_list(self) -> list[str]:
        return [k for k in self.kinds.split(",") if k]
