"""Staff accounts: authentication and creation."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import cache

import sqlalchemy as sa
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db
from ..models import AccountCompany, Case, Company, CompanyAccount, Office, User
from .errors import InvalidInput
from .unit import add_outbox, commit


@cache
def _dummy_hash() -> str:
    """Checked when the e-mail is unknown, so a wrong e-mail takes as long as a wrong password."""
    return generate_password_hash("no such user")


def check_login(account, password: str, now: datetime) -> bool:
    """Check a password with lockout: after LOGIN_LOCKOUT_ATTEMPTS failures in a row the account is locked for
    LOGIN_LOCKOUT_MINUTES (InvalidInput "locked", even with the right password). Commits the counters."""
    from flask import current_app

    cfg = current_app.config
    if account.locked_until is not None and account.locked_until > now:
        check_password_hash(_dummy_hash(), password or "")  # same time as a real check
        raise InvalidInput({"email": "locked"})
    if account.check_password(password or ""):
        account.failed_logins, account.locked_until = 0, None
        commit()
        return True
    account.failed_logins = (account.failed_logins or 0) + 1
    if account.failed_logins >= cfg["LOGIN_LOCKOUT_ATTEMPTS"]:
        account.failed_logins = 0
        account.locked_until = now + timedelta(minutes=cfg["LOGIN_LOCKOUT_MINUTES"])
    commit()
    return False


def authenticate(email: str, password: str, now: datetime | None = None) -> User | None:
    """The staff user for these credentials, or None. InvalidInput("locked") while locked out."""
    now = now or datetime.now(UTC)
    user = db.session.scalar(sa.select(User).where(User.email == (email or "").strip().lower()))
    if user is None or not user.active:
        check_password_hash(_dummy_hash(), password or "")
        return None
    return user if check_login(user, password, now) else None


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


# -- company accounts ---------------------------------------------------------------------------------------------
VERIFY_MAX_AGE = 3 * 24 * 3600
RESET_MAX_AGE = 3600


def _serializer(purpose: str):
    from flask import current_app
    from itsdangerous import URLSafeTimedSerializer

    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"caseflow-{purpose}")


def register_company_account(email: str, name: str, password: str, language: str, now) -> None:
    """Create an unverified account and mail a verification link. The answer is the same whether or not the
    address already has an account (that owner gets a "you already have an account" mail instead)."""
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
    if existing is not None:
        add_outbox("mail", {"template": "account_exists", "to": email, "lang": lang}, at=now)
    else:
        account = CompanyAccount(email=email, name=name.strip(), language=lang, created_at=now)
        account.set_password(password)
        db.session.add(account)
        db.session.flush()
        token = _serializer("verify").dumps(account.id)
        add_outbox("mail", {"template": "verify_account", "to": email, "lang": lang, "token": token}, at=now)
    commit()


def verify_company_account(token: str, now) -> CompanyAccount:
    from itsdangerous import BadSignature

    try:
        account_id = _serializer("verify").loads(token, max_age=VERIFY_MAX_AGE)
    except BadSignature:
        raise InvalidInput({"token": "expired"}) from None
    account = db.session.get(CompanyAccount, account_id)
    if account is None:
        raise InvalidInput({"token": "expired"})
    if account.verified_at is None:
        account.verified_at = now
        _link_by_contact_email(account, now)
        commit()
    return account


def authenticate_company(email: str, password: str, now: datetime | None = None) -> CompanyAccount | None:
    now = now or datetime.now(UTC)
    account = db.session.scalar(sa.select(CompanyAccount).where(
        CompanyAccount.email == (email or "").strip().lower()))
    if account is None:
        check_password_hash(_dummy_hash(), password or "")
        return None
    if not check_login(account, password, now):
        return None
    if account.verified_at is None:
        raise InvalidInput({"email": "not_verified"})
    return account if account.active else None


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
    if account.verified_at is None:
        account.verified_at = now  # the reset mail proved the address
    commit()
    return account


def link_company(account_id: int, company_id: int, now, how: str = "filed_case") -> None:
    """Staged: link an account to a company (idempotent)."""
    exists = db.session.scalar(sa.select(AccountCompany.id).where(
        AccountCompany.account_id == account_id, AccountCompany.company_id == company_id))
    if exists is None:
        db.session.add(AccountCompany(account_id=account_id, company_id=company_id, linked_at=now, how=how))


def _link_by_contact_email(account: CompanyAccount, now) -> None:
    """A verified address that is the contact of a company's case proves the relation to that company."""
    company_ids = set(db.session.scalars(sa.select(Case.company_id).where(
        Case.contact_email == account.email, Case.company_id.is_not(None))))
    for cid in company_ids:
        link_company(account.id, cid, now, how="contact_email")


def add_company(account: CompanyAccount, org_number: str, now) -> Company:
    """Link one more company: allowed when one of its cases has this account's verified address as contact."""
    from ..domain.identifiers import InvalidIdentifier, parse_company_identifier

    try:
        ident = parse_company_identifier(org_number)
    except InvalidIdentifier as exc:
        raise InvalidInput({"org_number": f"org_{exc.code}"}) from None
    company = db.session.scalar(sa.select(Company).where(Company.org_number == ident.number))
    proof = company is not None and db.session.scalar(sa.select(Case.id).where(
        Case.company_id == company.id, Case.contact_email == account.email).limit(1))
    if not proof:
        raise InvalidInput({"org_number": "no_case_with_your_email"})
    link_company(account.id, company.id, now, how="contact_email")
    commit()
    return company


def companies_of(account: CompanyAccount) -> list[Company]:
    return list(db.session.scalars(sa.select(Company).join(AccountCompany, AccountCompany.company_id == Company.id)
                                   .where(AccountCompany.account_id == account.id).order_by(Company.name)))


def cases_of(account: CompanyAccount) -> list[tuple[Case, str]]:
    """Every case of the account's companies, newest first, each with its tracking link path."""
    from . import tracking

    cases = db.session.scalars(
        sa.select(Case).join(AccountCompany, AccountCompany.company_id == Case.company_id)
        .where(AccountCompany.account_id == account.id).order_by(Case.created_at.desc(), Case.id.desc()).limit(500))
    return [(c, tracking.token_for(c.tracking_salt)) for c in cases]


def resend_links(email: str, language: str, now) -> None:
    """Mail the private links of the cases with this contact address. Same answer whether any exist; the links
    are computed when the mail is sent, so no token is stored."""
    email = (email or "").strip().lower()
    if db.session.scalar(sa.select(Case.id).where(Case.contact_email == email).limit(1)):
        add_outbox("mail", {"template": "your_links", "to": email, "lang": language}, at=now)
        commit()
