"""Staff and company accounts: login with its lockout, sessions that can be ended, creation."""
from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime, timedelta
from functools import cache

import sqlalchemy as sa
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db
from ..models import AuditLog, Case, CompanyAccount, LoginFailure, User
from .authorization import permissions as permissions  # for the views: menus, forms shown, the first page
from .dispatch import add_outbox
from .errors import InvalidInput, valid_id
from .unit import commit


@cache
def _dummy_hash() -> str:
    """Checked when the e-mail is unknown, so a wrong e-mail takes as long as a wrong password."""
    return generate_password_hash("no such user")


# -- login and lockout --------------------------------------------------------------------------------------------
# The lockout counts failures per (account name typed, client address): an attacker's failures lock out the
# attacker's address for that name, never the owner at their own address, and a name without an account is
# counted and locked exactly like one with (the same answers, the same work: it tells nobody who exists).
# Guessing across many names from one address meets the looser per-address limit of the login views
# (LOGIN_RATE_LIMIT, Flask-Limiter).
def _failure_key(kind: str, email: str, address: str) -> str:
    from flask import current_app

    secret = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(secret, f"{kind}\n{email}\n{address}".encode(), hashlib.sha256).hexdigest()


def _upsert_failure(key: str, now: datetime, stale: datetime):
    """One statement on both databases: insert the first failure or count one more, starting again when the
    last failure is older than the lockout period. Two requests at once both count."""
    if db.session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    stmt = insert(LoginFailure).values(key=key, failures=1, last_failed_at=now)
    stmt = stmt.on_conflict_do_update(index_elements=[LoginFailure.key], set_={
        "failures": sa.case((LoginFailure.last_failed_at <= stale, 1), else_=LoginFailure.failures + 1),
        "last_failed_at": stmt.excluded.last_failed_at,
    }).returning(LoginFailure.id, LoginFailure.failures)
    return db.session.execute(stmt).one()


def check_login(kind: str, account, email: str, password: str, address: str, now: datetime) -> bool:
    """Check ``password`` for the account named ``email`` (``account`` None when there is none, or it may not
    log in), counting failures per (name, client address): after LOGIN_LOCKOUT_ATTEMPTS failures within
    LOGIN_LOCKOUT_MINUTES that name is locked from that address for LOGIN_LOCKOUT_MINUTES (InvalidInput
    "locked", even with the right password). Staged: the caller commits, a failed attempt too."""
    from flask import current_app

    cfg = current_app.config
    period = timedelta(minutes=cfg["LOGIN_LOCKOUT_MINUTES"])
    key = _failure_key(kind, (email or "").strip().lower(), address or "")
    locked_until = db.session.scalar(sa.select(LoginFailure.locked_until).where(LoginFailure.key == key))
    if locked_until is not None and locked_until > now:
        check_password_hash(_dummy_hash(), password or "")  # same time as a real check
        raise InvalidInput({"email": "locked"})
    if account is not None:
        ok = account.check_password(password or "")
    else:
        check_password_hash(_dummy_hash(), password or "")  # the same work as for a real account
        ok = False
    if ok:
        db.session.execute(sa.delete(LoginFailure).where(LoginFailure.key == key))
        return True
    row_id, failures = _upsert_failure(key, now, now - period)
    if failures >= cfg["LOGIN_LOCKOUT_ATTEMPTS"]:
        db.session.execute(sa.update(LoginFailure).where(LoginFailure.id == row_id)
                           .values(failures=0, locked_until=now + period))
    db.session.execute(sa.delete(LoginFailure).where(  # forget what no longer counts
        LoginFailure.last_failed_at <= now - period,
        sa.or_(LoginFailure.locked_until.is_(None), LoginFailure.locked_until <= now)))
    return False


def authenticate(email: str, password: str, address: str, now: datetime | None = None) -> User | None:
    """The staff user for these credentials from client ``address``, or None. InvalidInput("locked") while
    that name is locked out from that address. A deactivated account answers as an unknown one, and so does
    every account while local passwords are switched off for staff (STAFF_PASSWORDS=off: staff sign in through
    the identity provider, services.sso; the break-glass administrator through services.break_glass)."""
    from flask import current_app

    now = now or datetime.now(UTC)
    email = (email or "").strip().lower()
    user = db.session.scalar(sa.select(User).where(User.email == email))
    candidate = user if user is not None and user.active else None
    if not current_app.config.get("STAFF_PASSWORDS", True):
        candidate = None
    ok = check_login("staff", candidate, email, password, address, now)
    commit()  # the counters, whichever way it went
    return candidate if ok else None


# -- sessions -----------------------------------------------------------------------------------------------------
# A session names its account and the account's session version at login (User.get_id, CompanyAccount.get_id:
# "s:<id>:<version>"), and is honoured only while the version is unchanged. Bumping the version ends every
# session of that account at once, including any remember-me cookie, which carries the same id.
_SESSION_KINDS = {"s": User, "c": CompanyAccount}
# perf: every request: built once, as in casework (bench/README.md, issue 22: 38.04 M, 41.02 M)
_BY_ID = {kind: sa.select(model).where(model.id == sa.bindparam("id")) for kind, model in _SESSION_KINDS.items()}


def account_for_session(session_id: str | None):
    """The staff user or company account a session names, or None when the session has ended: unknown or
    malformed id, account gone or not active, or a session version that is no longer the account's."""
    parts = (session_id or "").split(":")
    if len(parts) != 3 or parts[0] not in _BY_ID or not all(p.isascii() and p.isdigit() for p in parts[1:]):
        return None
    account_id, version = int(parts[1]), int(parts[2])
    if not valid_id(account_id):
        return None
    account = db.session.scalar(_BY_ID[parts[0]], {"id": account_id})
    if account is None or not account.is_active or account.session_version != version:
        return None
    return account


def bump_session_version(account) -> None:
    """Staged: every session of ``account`` started before this change is no longer honoured. In SQL, so two
    bumps at once both count."""
    account.session_version = type(account).session_version + 1


def end_sessions(account) -> None:
    """Log out and "log out everywhere": end every session of the account (on every device)."""
    bump_session_version(account)
    commit()


def change_password(account, current: str, new: str, address: str, now: datetime) -> None:
    """Change the password of a logged-in staff user or company account, given the current one; ends every
    session of the account (the caller starts a new one for the browser that made the change). A wrong
    current password counts towards the lockout, as at login."""
    kind = "staff" if isinstance(account, User) else "company"
    if len(new or "") < 10:
        raise InvalidInput({"password": "too_short"})
    try:
        ok = check_login(kind, account, account.email, current, address, now)
    except InvalidInput:
        raise InvalidInput({"current_password": "locked"}) from None
    if not ok:
        commit()  # the failure counts
        raise InvalidInput({"current_password": "wrong_password"})
    account.set_password(new)
    bump_session_version(account)
    if kind == "staff":
        db.session.add(AuditLog(at=now, actor_user_id=account.id, entity="users", entity_id=account.id,
                                action="update", changes={"password": ["***", "***"]}))  # never the value
    commit()


# -- company accounts ---------------------------------------------------------------------------------------------
VERIFY_MAX_AGE = 3 * 24 * 3600
RESET_MAX_AGE = 3600


def _serializer(purpose: str):
    from flask import current_app
    from itsdangerous import URLSafeTimedSerializer

    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"caseflow-{purpose}")


def _verify_token(account: CompanyAccount) -> str:
    """The confirmation link's token: the account and its registration (the session version at the time), so a
    later registration of the same pending address makes every earlier link worthless."""
    return _serializer("verify").dumps([account.id, account.session_version or 0])


def register_company_account(email: str, name: str, password: str, language: str, now) -> None:
    """Create an unverified account and mail a confirmation link. The answer is the same whether or not the
    address already has an account, and takes the same time (every path hashes the password once):
    - a confirmed account: its owner gets a "you already have an account" mail, nothing of it changes;
    - a pending (unverified) account: whoever registered it has not proved the mailbox, so it is no claim on the
      address. It takes this registration's name, language and password, and every earlier confirmation link
      stops working (the session version in the token), so someone who registered another person's address
      first gains nothing from that person's click (pre-hijacking)."""
    email = (email or "").strip().lower()
    errors = {}
    if not name.strip():
        errors["name"] = "required"
    if len(password or "") < 10:
        errors["password"] = "too_short"
    if errors:
        raise InvalidInput(errors)
    existing = db.session.scalar(sa.select(CompanyAccount).where(CompanyAccount.email == email))
    lang = language if language in ("sv", "en") else "sv"
    if existing is not None and (existing.verified_at is not None or not existing.active):
        generate_password_hash(password)  # the same work as a new account's: the time tells nobody either
        add_outbox("mail", {"template": "account_exists", "to": email, "lang": lang}, at=now)
    else:
        account = existing
        if account is None:
            account = CompanyAccount(email=email, created_at=now)
            db.session.add(account)
        else:
            bump_session_version(account)  # the earlier registration's links are dead
        account.name, account.language = name.strip(), lang
        account.set_password(password)
        db.session.flush()  # the id, and the session version as the database now has it
        add_outbox("mail", {"template": "verify_account", "to": email, "lang": lang,
                            "token": _verify_token(account)}, at=now)
    commit()


def account_to_verify(token: str) -> CompanyAccount:
    """The pending account a confirmation link names; changes nothing. InvalidInput("token") for a used, expired,
    forged or superseded link (a later registration of the address, or an old-style link naming only an id)."""
    from itsdangerous import BadSignature

    try:
        data = _serializer("verify").loads(token, max_age=VERIFY_MAX_AGE)
    except BadSignature:
        raise InvalidInput({"token": "expired"}) from None
    if not (isinstance(data, list) and len(data) == 2
            and all(isinstance(v, int) and not isinstance(v, bool) for v in data) and valid_id(data[0])):
        raise InvalidInput({"token": "expired"})
    account = db.session.get(CompanyAccount, data[0])
    if account is None or (account.session_version or 0) != data[1]:
        raise InvalidInput({"token": "expired"})
    if account.verified_at is not None:
        raise InvalidInput({"token": "used"})
    return account


def verify_company_account(token: str, password: str, address: str, now: datetime) -> CompanyAccount:
    """Confirm the account's address; the caller logs the account in. Proof of both halves: the link (the
    mailbox) and the account's password, so neither the owner of an address that someone else registered nor
    whoever is sent someone else's link is handed an account by a click. The password is checked as at login
    (``check_login``: a wrong one counts towards the lockout of that name from ``address``); a wrong or locked
    one confirms nothing. Works once. InvalidInput("token") for a link that does not work,
    ("password": "wrong_account_password" / "locked") otherwise."""
    account = account_to_verify(token)
    candidate = account if account.active else None
    try:
        ok = check_login("company", candidate, account.email, password, address, now)
    except InvalidInput:
        raise InvalidInput({"password": "locked"}) from None
    if not ok:
        commit()  # the failure counts
        raise InvalidInput({"password": "wrong_account_password"})
    account.verified_at = now  # from now on the cases with this contact address are the account's to see
    commit()
    return account


def authenticate_company(email: str, password: str, address: str,
                         now: datetime | None = None) -> CompanyAccount | None:
    """The company account for these credentials from client ``address``, or None; the lockout as for staff
    (``check_login``). "not_verified" only to whoever gave the right password."""
    now = now or datetime.now(UTC)
    email = (email or "").strip().lower()
    account = db.session.scalar(sa.select(CompanyAccount).where(CompanyAccount.email == email))
    candidate = account if account is not None and account.active else None
    ok = check_login("company", candidate, email, password, address, now)
    commit()  # the counters, whichever way it went
    if not ok:
        return None
    if candidate.verified_at is None:
        raise InvalidInput({"email": "not_verified"})
    return candidate


def request_password_reset(email: str, language: str, now) -> None:
    """Mail a one-hour, single-use reset link if the account exists; the same answer either way."""
    account = db.session.scalar(sa.select(CompanyAccount).where(
        CompanyAccount.email == (email or "").strip().lower()))
    if account is not None:
        token = _serializer("reset").dumps([account.id, account.password_hash[-16:]])
        add_outbox("mail", {"template": "reset_password", "to": account.email, "lang": account.language,
                            "token": token}, at=now)
        commit()


def reset_password(token: str, password: str, now) -> CompanyAccount:
    from itsdangerous import BadSignature

    try:
        account_id, fingerprint = _serializer("reset").loads(token, max_age=RESET_MAX_AGE)
    except (BadSignature, ValueError):
        raise InvalidInput({"token": "expired"}) from None
    account = db.session.get(CompanyAccount, account_id)
    if account is None or account.password_hash[-16:] != fingerprint:  # used once: the hash has changed
        raise InvalidInput({"token": "expired"})
    if len(password or "") < 10:
        raise InvalidInput({"password": "too_short"})
    account.set_password(password)
    bump_session_version(account)  # whoever knew the old password is logged out everywhere
    if account.verified_at is None:
        account.verified_at = now  # the reset mail proved the address
    commit()
    return account


def resend_links(email: str, language: str, now) -> None:
    """Mail the private links of the cases with this contact address. Same answer whether any exist; the links
    are computed when the mail is sent, so no token is stored."""
    email = (email or "").strip().lower()
    if db.session.scalar(sa.select(Case.id).where(Case.contact_email == email).limit(1)):
        add_outbox("mail", {"template": "your_links", "to": email, "lang": language}, at=now)
        commit()
