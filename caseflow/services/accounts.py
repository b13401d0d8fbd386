"""Staff accounts: authentication and creation."""
from __future__ import annotations

from functools import cache

import sqlalchemy as sa
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db
from ..models import ROLES, Office, User
from .errors import InvalidInput
from .unit import commit


@cache
def _dummy_hash() -> str:
    """Checked when the e-mail is unknown, so a wrong e-mail takes as long as a wrong password."""
    return generate_password_hash("no such user")


def authenticate(email: str, password: str) -> User | None:
    user = db.session.scalar(sa.select(User).where(User.email == (email or "").strip().lower()))
    if user is None or not user.active:
        check_password_hash(_dummy_hash(), password or "")
        return None
    return user if user.check_password(password or "") else None


def create_user(email: str, name: str, password: str, role: str, office_code: str | None) -> User:
    email = (email or "").strip().lower()
    errors = {}
    if role not in ROLES:
        errors["role"] = "invalid_choice"
    if len(password or "") < 10:
        errors["password"] = "too_short"
    office = None
    if office_code:
        office = db.session.scalar(sa.select(Office).where(Office.code == office_code))
        if office is None:
            errors["office"] = "invalid_choice"
    elif role in ("officer", "lead"):
        errors["office"] = "required"
    if db.session.scalar(sa.select(User.id).where(User.email == email)):
        errors["email"] = "taken"
    if errors:
        raise InvalidInput(errors)
    user = User(email=email, name=name, role=role, office=office)
    user.set_password(password)
    db.session.add(user)
    commit()
    return user
