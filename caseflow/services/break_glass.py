"""The break-glass administrator: the one staff login with a local password when passwords are switched off.

When staff sign in through the organisation's identity provider (STAFF_PASSWORDS=off), the provider being down
must not lock the municipality out of its own system: one administrator, named by BREAK_GLASS_ADMIN, still
signs in with a password *and* a time-based one-time code (TOTP, RFC 6238, by pyotp — the common
implementation that every authenticator app reads through its otpauth:// URI). The secret is made by
``caseflow break-glass-totp`` and shown once. A code is accepted once (the time step is kept), a wrong code
counts towards the login lockout like a wrong password, and every break-glass sign-in is in the audit log.
"""
from __future__ import annotations

import hmac
from datetime import datetime

import sqlalchemy as sa

from ..extensions import db
from ..models import AuditLog, TotpSecret, User
from .accounts import check_login
from .authorization import may_administer
from .errors import InvalidInput
from .unit import commit

STEP = 30  # seconds per code, as every authenticator app assumes


def admin_email() -> str:
    from flask import current_app

    return str(current_app.config.get("BREAK_GLASS_ADMIN") or "").strip().lower()


def enrol(email: str, now: datetime) -> str:
    """A new TOTP secret for the named break-glass administrator (replacing any earlier one); returns the
    otpauth:// URI to put into an authenticator app. InvalidInput when ``email`` is not that administrator."""
    import pyotp

    email = (email or "").strip().lower()
    user = db.session.scalar(sa.select(User).where(User.email == email))
    if not email or email != admin_email() or user is None or not may_administer(user) or not user.active:
        raise InvalidInput({"email": "not_break_glass"})
    row = db.session.scalar(sa.select(TotpSecret).where(TotpSecret.user_id == user.id))
    if row is None:
        row = TotpSecret(user_id=user.id)
        db.session.add(row)
    row.secret, row.last_step, row.created_at = pyotp.random_base32(), 0, now
    db.session.add(AuditLog(at=now, actor_user_id=user.id, entity="users", entity_id=user.id,
                            action="totp_enrol", changes={"totp": ["***", "***"]}))  # never the secret
    commit()
    return pyotp.TOTP(row.secret).provisioning_uri(name=email, issuer_name="caseflow")


def _code_step(secret: str, code: str, now: datetime, last_step: int) -> int | None:
    """The time step whose code ``code`` is (this one or a neighbour, for clock drift), if newer than
    ``last_step``."""
    import pyotp

    code = (code or "").strip().replace(" ", "")
    totp = pyotp.TOTP(secret)
    current = int(now.timestamp()) // STEP
    for step in (current, current - 1, current + 1):
        if step > last_step and hmac.compare_digest(totp.at(step * STEP), code):
            return step
    return None


def authenticate(email: str, password: str, code: str, address: str, now: datetime) -> User | None:
    """The break-glass administrator for these credentials, or None; InvalidInput("locked") while the name is
    locked out from ``address``. The code is checked first, so a right password cannot clear the failures a
    wrong code counted."""
    email = (email or "").strip().lower()
    user = db.session.scalar(sa.select(User).where(User.email == email)) if email == admin_email() else None
    candidate = user if user is not None and user.active and may_administer(user) else None
    secret = (db.session.scalar(sa.select(TotpSecret).where(TotpSecret.user_id == candidate.id))
              if candidate is not None else None)
    step = _code_step(secret.secret, code, now, secret.last_step) if secret is not None else None
    if step is None:
        check_login("staff", None, email, "", address, now)  # one more failure for this name and address
        commit()
        return None
    ok = check_login("staff", candidate, email, password, address, now)
    if ok:
        secret.last_step = step
        db.session.add(AuditLog(at=now, actor_user_id=candidate.id, entity="users", entity_id=candidate.id,
                                action="break_glass_login", changes={}))
    commit()
    return candidate if ok else None
