"""Authorization: the one home of who may see which case, act on it, configure the system and read reports.

Every service asks these rules; no view does (a view calls a service, and the service refuses). A refusal is
``Forbidden`` (403), except where even the existence of the thing must not leak: a case of another office is
``NotFound`` (404), which the services that load cases decide (``may_see_case`` / ``office_scope``).

=========================================  =======  =====  =====  =======  ===============
Who may …                                  officer  lead   admin  analyst  company account
=========================================  =======  =====  =====  =======  ===============
see and act on a case (``require_staff``)  own      own    every  –        –
                                           office   office office
be assigned cases (``holds_cases``)        yes      yes    –      –        –
see the office overview                    –        own    every  –        –
                                                    office office
read reports (``require_report_reader``)   –        yes    yes    yes      –
read a case behind a figure, read-only,    –        every  every  every    –
personal data masked                                office office office
(``require_masked_case_reader``)
publish a month (``may_publish_reports``)  –        –      yes    yes      –
grant company access                       –        yes    yes    –        –
configure, users, tokens, personal data,   –        –      yes    –        –
operations (``require_administrator``)
=========================================  =======  =====  =====  =======  ===============

The views never ask these rules themselves: a menu, a form shown or hidden, the first page after signing in
read ``permissions(user)`` (through ``accounts.permissions``), the same rules as booleans.

A company account sees its own cases and its companies' cases only (``company_access`` holds those rules);
it is never staff. An officer's API token acts with its user's rights. Adding a role, or giving a role a new
permission, is a change to the role sets below.
"""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from ..models import Case, User
from .errors import Forbidden

# The role sets: each permission names who holds it.
STAFF = ("officer", "lead", "admin")  # work cases
CASE_HOLDERS = ("officer", "lead")  # belong to an office and may be assigned its cases
EVERY_OFFICE = ("admin",)  # see and act on every office's cases (others: their own office's)
OVERSEERS = ("lead", "admin")  # the office overview
REPORT_READERS = ("analyst", "lead", "admin")
REPORT_PUBLISHERS = ("analyst", "admin")
COMPANY_ACCESS_GRANTERS = ("admin", "lead")
ADMINISTRATORS = ("admin",)
COMPANY_ACCOUNT = "company"  # the role a company account carries (never a staff role)


def _role(user) -> str | None:
    """The role of a signed-in user; None for nobody, an anonymous visitor or a signed-out session."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return getattr(user, "role", None)


# -- staff and cases ------------------------------------------------------------------------------------------
def is_staff(user) -> bool:
    """Officers, leads and administrators: those who work cases."""
    return _role(user) in STAFF


def require_staff(user) -> None:
    if not is_staff(user):
        raise Forbidden("staff only")


def sees_every_office(user) -> bool:
    """The rule of who sees what: an admin every office's cases, other staff their own office's."""
    return getattr(user, "role", None) in EVERY_OFFICE


def office_scope(user):
    """SQL condition limiting cases to what ``user`` may see (``may_see_case`` is the same rule on a loaded
    case). Callers check ``require_staff`` first."""
    if sees_every_office(user):
        return sa.true()
    return Case.office_id == user.office_id


def may_see_case(user, case: Case) -> bool:
    """Staff of the case's office, or staff who see every office. Asked of a signed-in user after
    ``require_staff``, and of an officer token's user (who acts with that user's rights)."""
    return getattr(user, "role", None) in STAFF and (sees_every_office(user) or case.office_id == user.office_id)


def may_learn_where_it_went(user, sent_from_office_ids) -> bool:
    """A case sent on from the user's office (``sent_from_office_ids``: the offices it was rerouted from) may be
    named to them with the office it went to, nothing more: the officer who had it open is told where it is
    now. An office that never held it learns nothing (404)."""
    return is_staff(user) and getattr(user, "office_id", None) in set(sent_from_office_ids)


def may_link_to(user, case: Case, other: Case) -> bool:
    """A case may be linked to one of the user's office or of the case's own office (any, for an admin)."""
    return sees_every_office(user) or other.office_id in (user.office_id, case.office_id)


def holds_cases(user) -> bool:
    """Officers and leads are assigned cases (a reply from one of them claims an unassigned case);
    an administrator acts on cases without taking them."""
    return getattr(user, "role", None) in CASE_HOLDERS


def case_holders():
    """SQL condition: the users who may be assigned cases (officers and leads)."""
    return User.role.in_(CASE_HOLDERS)


def office_leads():
    """SQL condition: the leads (told when an office's case breaches a promise)."""
    return User.role == "lead"


def first_to_route_to(user) -> bool:
    """Automatic assignment picks an office's officers before its leads."""
    return getattr(user, "role", None) == "officer"


def colleagues_scope(user):
    """SQL condition on ``User``: the staff ``user`` may filter and assign by (their office; all for an admin)."""
    if sees_every_office(user):
        return sa.true()
    return User.office_id == user.office_id


def may_oversee(user) -> bool:
    """The office overview (load per officer, breaches, oldest): leads of their office, admins of all."""
    return _role(user) in OVERSEERS


def require_overseer(user) -> None:
    require_staff(user)
    if not may_oversee(user):
        raise Forbidden("leads only")


# -- configuration and operations -----------------------------------------------------------------------------
def may_administer(user) -> bool:
    """Configuration, users and roles, API tokens, personal data, operations: administrators only."""
    return _role(user) in ADMINISTRATORS


def require_administrator(user) -> None:
    if not may_administer(user):
        raise Forbidden("admin only")


# -- reports --------------------------------------------------------------------------------------------------
def may_read_reports(user) -> bool:
    return _role(user) in REPORT_READERS


def require_report_reader(user) -> None:
    if not may_read_reports(user):
        raise Forbidden("reports")


MASKED_CASE_READERS = REPORT_READERS  # the cases behind a report's figures, read-only, personal data masked


def may_read_masked_cases(user) -> bool:
    """Report readers open the cases behind a figure, of every office (the figures cover every office): a
    read-only view with the personal data masked. It gives no right to act on a case or to see it unmasked:
    that stays ``require_staff`` and ``may_see_case``."""
    return _role(user) in MASKED_CASE_READERS


def require_masked_case_reader(user) -> None:
    if not may_read_masked_cases(user):
        raise Forbidden("reports")


def may_publish_reports(user) -> bool:
    """Freezing a month as a published snapshot: analysts and administrators (a lead reads, not publishes)."""
    return _role(user) in REPORT_PUBLISHERS


def require_report_publisher(user) -> None:
    if not may_publish_reports(user):
        raise Forbidden("publish")


def lands_on_reports(user) -> bool:
    """Whose first page after signing in is the reports (they work no cases): the analysts."""
    return may_read_reports(user) and not is_staff(user)


# -- company access -------------------------------------------------------------------------------------------
def may_grant_company_access(user) -> bool:
    """Staff who may grant and revoke company access: an administrator or a lead. Never a company account."""
    return _role(user) in COMPANY_ACCESS_GRANTERS


def require_company_access_granter(user) -> None:
    if not may_grant_company_access(user):
        raise Forbidden("admin or lead only")


def is_company_account(user) -> bool:
    """A company account (not staff): it has pages of its own and never staff's."""
    return getattr(user, "role", None) == COMPANY_ACCOUNT


def require_company_account(user) -> None:
    """The company pages' use cases take a company account, never a member of staff (whose id would name
    another account's rows)."""
    if not is_company_account(user):
        raise Forbidden("company accounts only")


def may_give_officer_token(user) -> bool:
    """An API token with the ``officer`` scope acts as its user, who must be staff."""
    return getattr(user, "role", None) in STAFF


# -- roles given by the organisation's identity provider (services.sso) ------------------------------------------
# A person whose groups map to several roles gets the one with the most rights; from least to most:
ROLE_RANK = ("analyst", "officer", "lead", "admin")


def strongest_role(roles) -> str | None:
    """The role with the most rights among ``roles`` (None when none is a staff role)."""
    ranked = [ROLE_RANK.index(r) for r in roles if r in ROLE_RANK]
    return ROLE_RANK[max(ranked)] if ranked else None


def strongest_grant(grants):
    """Of (role, office id) pairs, the first whose role has the most rights (None when none is a staff role)."""
    role = strongest_role([r for r, _ in grants])
    return next(((r, office) for r, office in grants if r == role), None) if role else None


def role_needs_office(role: str) -> bool:
    """Officers and leads belong to an office: a mapping that makes someone one must name it."""
    return role in CASE_HOLDERS


# -- for the views: what to show ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Permissions:
    """The rules above for one user, as the pages need them to choose links, forms and the first page. Showing
    is all they decide: every use case still asks its rule."""
    staff_side: bool  # signed in with a staff login (officer, lead, admin, analyst), not a company account
    company_account: bool
    works_cases: bool
    oversees: bool
    reads_reports: bool
    publishes_reports: bool
    grants_company_access: bool
    administers: bool
    lands_on_reports: bool


def permissions(user) -> Permissions:
    company = is_company_account(user)
    return Permissions(
        staff_side=_role(user) is not None and not company, company_account=company, works_cases=is_staff(user),
        oversees=may_oversee(user), reads_reports=may_read_reports(user), publishes_reports=may_publish_reports(user),
        grants_company_access=may_grant_company_access(user), administers=may_administer(user),
        lands_on_reports=lands_on_reports(user))
