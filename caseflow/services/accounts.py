"""Staff accounts: authentication and creation."""
from __future__ import annotations

from functools import cache

import sqlalchemy as sa
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db
from ..models import Office, User
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
    """Create a staff account from the command line (the same rules as the admin page)."""
    from .admin import validate

    office = db.session.scalar(sa.select(Office).where(Office.code == office_code)) if office_code else None
    if office_code and office is None:
        raise InvalidInput({"office": "invalid_choice"})
    user = User()
    values = {"email": email, "name": name, "role": role, "office_id": office.id if office else None,
              "password": password}
    validate("users", user, values)
    for field in ("email", "name", "role", "office_id"):
        setattr(user, field, values[field])
    user.set_password(password)
    db.session.add(user)
    commit()
    return user
