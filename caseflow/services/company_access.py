"""Company access by proof: the one home of what a company account may see.

An account sees
- the cases it filed while logged in (``AccountCase``),
- the cases whose contact address is its *verified* address (the verification mail proved the mailbox),
- every case of a company for which it holds a grant in force (``CompanyGrant``).

Nothing else: a case naming a company proves nothing about that company, since anyone can write any
organisation number on a form. A grant is made either by staff (an admin or a lead) after checking, with who,
when and why recorded in the audit log, or by accepting an invitation from an account that holds a grant for the
same company. So the first grant of a company always comes from staff. Staff revoke any grant; a holder revokes
the invitations it made (and with an accepted one, the grant it gave). A revoked grant ends access at once: every
page asks these rows on every request. A case's private tracking link stays a capability of its own.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..models import AccountCase, AuditLog, Case, Company, CompanyAccount, CompanyGrant, CompanyInvitation
from .authorization import require_company_access_granter, require_company_account
from .dispatch import add_outbox
from .errors import Forbidden, InvalidInput, NotFound, valid_id
from .unit import commit

INVITATION_DAYS = 7
REASON_MAX = 500
AUDIT_ENTITY = "company_access"


# -- what an account sees -----------------------------------------------------------------------------------------
def record_filed_case(account_id: int, case_id: int, now: datetime) -> None:
    """Staged: the logged-in account filed this case, so it sees it (and nothing more of its company)."""
    db.session.add(AccountCase(account_id=account_id, case_id=case_id, filed_at=now))


def _granted_company_ids(account_id: int):
    return sa.select(CompanyGrant.company_id).where(CompanyGrant.account_id == account_id,
                                                    CompanyGrant.revoked_at.is_(None))


def _active_grant(account_id: int, company_id: int) -> CompanyGrant | None:
    return db.session.scalar(sa.select(CompanyGrant).where(
        CompanyGrant.account_id == account_id, CompanyGrant.company_id == company_id,
        CompanyGrant.revoked_at.is_(None)).limit(1))


def cases_of(account: CompanyAccount, limit: int = 500) -> list[tuple[Case, str]]:
    """The cases the account may see, newest first, each with its tracking link's token."""
    from . import tracking

    require_company_account(account)
    seen = [Case.id.in_(sa.select(AccountCase.case_id).where(AccountCase.account_id == account.id)),
            Case.company_id.in_(_granted_company_ids(account.id))]
    if account.verified_at is not None:
        seen.append(Case.contact_email == account.email)
    cases = db.session.scalars(sa.select(Case).where(sa.or_(*seen))
                               .order_by(Case.created_at.desc(), Case.id.desc()).limit(limit))
    return [(c, tracking.token_for(c.tracking_salt)) for c in cases]


def companies_of(account: CompanyAccount) -> list[Company]:
    """The companies whose every case the account sees: those it holds a grant for."""
    require_company_account(account)
    return list(db.session.scalars(sa.select(Company).where(Company.id.in_(_granted_company_ids(account.id)))
                                   .order_by(Company.name, Company.id)))


@dataclass
class CompanyPage:
    company: Company
    holders: list[CompanyGrant]  # grants in force, oldest first
    invitations: list[CompanyInvitation]  # the ones this account made, newest first


def company_page(account: CompanyAccount, company_id: int) -> CompanyPage:
    """A company as its grant holders see it. NotFound for anyone else (the same answer as no such company)."""
    require_company_account(account)
    if not valid_id(company_id) or _active_grant(account.id, company_id) is None:
        raise NotFound("company")
    holders = list(db.session.scalars(
        sa.select(CompanyGrant).where(CompanyGrant.company_id == company_id, CompanyGrant.revoked_at.is_(None))
        .options(joinedload(CompanyGrant.account), joinedload(CompanyGrant.invitation)
                 .joinedload(CompanyInvitation.inviter))
        .order_by(CompanyGrant.granted_at, CompanyGrant.id)))
    invitations = list(db.session.scalars(
        sa.select(CompanyInvitation).where(CompanyInvitation.company_id == company_id,
                                           CompanyInvitation.inviter_account_id == account.id)
        .order_by(CompanyInvitation.created_at.desc(), CompanyInvitation.id.desc()).limit(100)))
    return CompanyPage(db.session.get(Company, company_id), holders, invitations)


def invitation_state(inv: CompanyInvitation, now: datetime) -> str:
    """pending, accepted, revoked or expired: for the company page."""
    if inv.revoked_at is not None:
        return "revoked"
    if inv.accepted_at is not None:
        return "accepted"
    return "expired" if now >= inv.expires_at else "pending"


# -- invitations --------------------------------------------------------------------------------------------------
def _clean_email(email: str) -> str:
    """One plain address (the shared e-mail rule), in lower case as account addresses are kept."""
    from ..domain import text

    if not (email or "").strip():
        raise InvalidInput({"email": "required"})
    try:
        return text.email_address(email).lower()
    except text.TextError as exc:
        raise InvalidInput({"email": exc.code}) from None


def _token_serializer():
    from .accounts import _serializer

    return _serializer("company-invitation")


def invite(account: CompanyAccount, company_id: int, email: str, now: datetime) -> CompanyInvitation:
    """A holder invites an address: a signed link, valid for INVITATION_DAYS, mailed through the outbox in the
    inviter's language. NotFound unless the account holds a grant for the company (so the first grant can only
    come from staff)."""
    require_company_account(account)
    if not valid_id(company_id) or _active_grant(account.id, company_id) is None:
        raise NotFound("company")
    email = _clean_email(email)
    holder = db.session.scalar(sa.select(CompanyGrant.id).join(CompanyAccount, CompanyAccount.id
                                                               == CompanyGrant.account_id)
                               .where(CompanyGrant.company_id == company_id, CompanyGrant.revoked_at.is_(None),
                                      CompanyAccount.email == email).limit(1))
    if holder is not None:
        raise InvalidInput({"email": "already_has_access"})
    inv = CompanyInvitation(company_id=company_id, inviter_account_id=account.id, email=email, created_at=now,
                            expires_at=now + timedelta(days=INVITATION_DAYS))
    db.session.add(inv)
    db.session.flush()
    token = _token_serializer().dumps(inv.id)
    add_outbox("mail", {"template": "company_invitation", "to": email, "lang": account.language or "sv",
                        "token": token, "invitation_id": inv.id}, at=now)
    commit()
    return inv


def invitation_for_token(token: str, now: datetime) -> CompanyInvitation:
    """The invitation a mailed link names, if it can still be accepted: signed by us for this purpose, neither
    accepted nor revoked nor expired, and its inviter still holds the grant. InvalidInput("token") otherwise."""
    from itsdangerous import BadSignature

    try:
        inv_id = _token_serializer().loads(token, max_age=INVITATION_DAYS * 24 * 3600)
    except BadSignature:
        raise InvalidInput({"token": "expired"}) from None
    inv = db.session.get(CompanyInvitation, inv_id) if valid_id(inv_id) else None
    if inv is None or inv.accepted_at is not None or inv.revoked_at is not None or now >= inv.expires_at \
            or _active_grant(inv.inviter_account_id, inv.company_id) is None:
        raise InvalidInput({"token": "expired"})
    return inv


def accept_invitation(account: CompanyAccount, token: str, now: datetime) -> CompanyGrant:
    """Accept an invitation: only by an account logged in with the verified address it was sent to
    (Forbidden otherwise), and only once — a second use, even by the same account, is refused."""
    require_company_account(account)
    inv = invitation_for_token(token, now)
    if account.verified_at is None or account.email != inv.email:
        raise Forbidden("the invitation was sent to another address")
    # Single use under concurrency too: only one accepting transaction can flip the row.
    taken = db.session.execute(
        sa.update(CompanyInvitation).where(CompanyInvitation.id == inv.id, CompanyInvitation.accepted_at.is_(None),
                                           CompanyInvitation.revoked_at.is_(None))
        .values(accepted_at=now, accepted_by_account_id=account.id)
        .execution_options(synchronize_session="fetch"))
    if taken.rowcount != 1:
        raise InvalidInput({"token": "expired"})
    grant = _active_grant(account.id, inv.company_id)
    if grant is None:
        grant = CompanyGrant(account_id=account.id, company_id=inv.company_id, granted_at=now, invitation_id=inv.id)
        db.session.add(grant)
        db.session.flush()
        _audit(None, "grant", grant, now, invited_by=[None, inv.inviter.email])
    commit()
    return grant


def revoke_invitation(account: CompanyAccount, invitation_id: int, now: datetime) -> CompanyInvitation:
    """The inviter withdraws an invitation: a pending one can no longer be accepted, an accepted one ends the
    grant it gave. NotFound for anyone but the inviter."""
    require_company_account(account)
    inv = db.session.get(CompanyInvitation, invitation_id) if valid_id(invitation_id) else None
    if inv is None or inv.inviter_account_id != account.id:
        raise NotFound("invitation")
    if inv.accepted_at is None:
        if inv.revoked_at is None:
            inv.revoked_at = now
    else:
        grant = db.session.scalar(sa.select(CompanyGrant).where(CompanyGrant.invitation_id == inv.id,
                                                                CompanyGrant.revoked_at.is_(None)))
        if grant is not None:
            _end(grant, now, by_account=account)
    commit()
    return inv


# -- staff --------------------------------------------------------------------------------------------------------
@dataclass
class StaffView:
    company: Company
    grants: list[CompanyGrant]  # in force first, then the revoked ones; newest first within each


def staff_find_company(user, org_number: str) -> Company | None:
    """The company with this organisation number (or personnummer), None when it never filed a case."""
    from ..domain.identifiers import InvalidIdentifier, parse_company_identifier

    require_company_access_granter(user)
    try:
        ident = parse_company_identifier(org_number)
    except InvalidIdentifier as exc:
        raise InvalidInput({"org_number": f"org_{exc.code}"}) from None
    return db.session.scalar(sa.select(Company).where(Company.org_number == ident.number))


def staff_view(user, company_id: int) -> StaffView:
    """A company and everyone who holds or held access to all its cases, for staff who grant and revoke."""
    require_company_access_granter(user)
    company = db.session.get(Company, company_id) if valid_id(company_id) else None
    if company is None:
        raise NotFound("company")
    return StaffView(company, _grants_of(company.id))


def _grants_of(company_id: int) -> list[CompanyGrant]:
    return list(db.session.scalars(
        sa.select(CompanyGrant).where(CompanyGrant.company_id == company_id)
        .options(joinedload(CompanyGrant.account), joinedload(CompanyGrant.granted_by),
                 joinedload(CompanyGrant.invitation).joinedload(CompanyInvitation.inviter))
        .order_by(CompanyGrant.revoked_at.is_not(None), CompanyGrant.granted_at.desc(), CompanyGrant.id.desc())
        .limit(500)))


def _reason(value: str | None, required: bool) -> str | None:
    """A grant's or a revocation's reason, held to the one rule for text from outside (the revoke form is no
    WTForm, so nothing else checks it before it reaches the grant and the audit log)."""
    from ..domain import text

    value = (value or "").strip()
    if not value:
        if required:
            raise InvalidInput({"reason": "required"})
        return None
    try:
        return text.clean(value, max_length=REASON_MAX)
    except text.TextError as exc:
        raise InvalidInput({"reason": exc.code}) from None


def staff_grant(user, company_id: int, email: str, reason: str, now: datetime) -> CompanyGrant:
    """Staff grant an account access to every case of a company, after checking who the person is and that
    they act for the company. The reason is required; the grant is registered in the audit log."""
    require_company_access_granter(user)
    company = db.session.get(Company, company_id) if valid_id(company_id) else None
    if company is None:
        raise NotFound("company")
    errors = {}
    try:
        reason = _reason(reason, required=True)
    except InvalidInput as exc:
        errors.update(exc.fields)
    email = (email or "").strip().lower()
    account = db.session.scalar(sa.select(CompanyAccount).where(CompanyAccount.email == email)) if email else None
    if not email:
        errors["email"] = "required"
    elif account is None or account.verified_at is None or not account.active:
        errors["email"] = "no_verified_account"
    elif _active_grant(account.id, company.id) is not None:
        errors["email"] = "already_has_access"
    if errors:
        raise InvalidInput(errors)
    grant = CompanyGrant(account_id=account.id, company_id=company.id, granted_at=now, granted_by_user_id=user.id,
                         reason=reason)
    db.session.add(grant)
    db.session.flush()
    _audit(user, "grant", grant, now, reason=[None, reason])
    commit()
    return grant


def staff_revoke(user, grant_id: int, reason: str | None, now: datetime) -> CompanyGrant:
    """Staff end a grant at once (the reason is optional: revoking must never wait). The holder's pending
    invitations for that company die with it."""
    require_company_access_granter(user)
    grant = db.session.get(CompanyGrant, grant_id) if valid_id(grant_id) else None
    if grant is None:
        raise NotFound("grant")
    reason = _reason(reason, required=False)
    if grant.revoked_at is None:
        _end(grant, now, by_user=user, reason=reason)
    commit()
    return grant


def _end(grant: CompanyGrant, now: datetime, *, by_user=None, by_account: CompanyAccount | None = None,
         reason: str | None = None) -> None:
    grant.revoked_at = now
    grant.revoked_by_user_id = by_user.id if by_user is not None else None
    grant.revoked_by_account_id = by_account.id if by_account is not None else None
    grant.revoke_reason = reason
    db.session.execute(
        sa.update(CompanyInvitation).where(CompanyInvitation.company_id == grant.company_id,
                                           CompanyInvitation.inviter_account_id == grant.account_id,
                                           CompanyInvitation.accepted_at.is_(None),
                                           CompanyInvitation.revoked_at.is_(None))
        .values(revoked_at=now).execution_options(synchronize_session="fetch"))
    extra = {"reason": [None, reason]}
    if by_account is not None:
        extra["revoked_by"] = [None, by_account.email]
    _audit(by_user, "revoke", grant, now, **extra)


def _audit(user, action: str, grant: CompanyGrant, now: datetime, **extra) -> None:
    """The audit log's entry (who, when, what, why); ``user`` None when a company account acted."""
    account = db.session.get(CompanyAccount, grant.account_id)
    company = db.session.get(Company, grant.company_id)
    changes = {"account": [None, account.email], "company": [None, f"{company.name} ({company.masked_number})"],
               **extra}
    db.session.add(AuditLog(at=now, actor_user_id=user.id if user is not None else None, entity=AUDIT_ENTITY,
                            entity_id=grant.id, action=action, changes=changes))
