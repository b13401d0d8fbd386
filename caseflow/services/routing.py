"""Routing in the database's terms: load the rules, ask the pure domain where a case goes, and apply the
rule's assignment strategy. Used by intake and by the admin's "test this rule" box."""
from __future__ import annotations

import sqlalchemy as sa

from ..domain import routing, workflow
from ..domain.identifiers import CompanyIdentifier
from ..extensions import db
from ..models import Case, Office, User
from . import snapshot
from .authorization import case_holders, first_to_route_to


def entry_office_id() -> int:
    """The single entry point ("en väg in"): the first active entry office, else the first office."""
    entry = snapshot.current().entry_office_id
    if entry is None:
        raise RuntimeError("no office configured: run `caseflow seed-demo` or create one")
    return entry


def facts_for(kind: str, category: snapshot.CategoryInfo | None, subject: str, description: str,
              ident: CompanyIdentifier | None) -> routing.CaseFacts:
    """The facts of a case the routing rules read."""
    return routing.CaseFacts(
        kind=kind, category_id=category.id if category else None, subject=subject, description=description,
        org_number=ident.number if ident else None, legal_form=ident.legal_form if ident else None,
    )


def decide(kind: str, category: snapshot.CategoryInfo | None, subject: str, description: str,
           ident: CompanyIdentifier | None) -> routing.RouteDecision:
    """Where a case with these facts goes, and by which rule (or fallback)."""
    facts = facts_for(kind, category, subject, description, ident)
    return routing.route(facts, snapshot.current().rules, entry_office_id(),
                         category.default_office_id if category else None)


# Who works an office's cases: its active officers and leads.
# perf: built once, as the case page's statements in casework (bench/README.md, issue 22: 38.04 M, 41.02 M)
_OF_OFFICE = (User.office_id == sa.bindparam("office_id"), case_holders(), User.active.is_(True))
_OFFICERS = sa.select(User).where(*_OF_OFFICE).order_by(User.id)
_OFFICER_NAMES = sa.select(User.id, User.name).where(*_OF_OFFICE).order_by(User.id)


def officers_of(office_id: int) -> list[User]:
    return list(db.session.scalars(_OFFICERS, {"office_id": office_id}))


def officer_names(office_id: int) -> list[tuple[int, str]]:
    """(id, name) of the office's active officers and leads, for a choice list."""
    return [tuple(r) for r in db.session.execute(_OFFICER_NAMES, {"office_id": office_id})]


def pick_assignee(office_id: int, strategy: str) -> User | None:
    """Assignment strategy of a routing rule: none, round_robin (next officer after the last one), or
    least_open (the officer with the fewest open cases; ties to the lowest id)."""
    if strategy not in ("round_robin", "least_open"):
        return None
    officers = [u for u in officers_of(office_id) if first_to_route_to(u)] or officers_of(office_id)
    if not officers:
        return None
    if strategy == "round_robin":
        office = db.session.get(Office, office_id, with_for_update=True)
        last = office.round_robin_last_user_id or 0
        chosen = next((u for u in officers if u.id > last), officers[0])
        office.round_robin_last_user_id = chosen.id
        return chosen
    counts = dict(db.session.execute(
        sa.select(Case.assignee_id, sa.func.count()).where(
            Case.assignee_id.in_([u.id for u in officers]), Case.status.in_(workflow.OPEN_STATUSES))
        .group_by(Case.assignee_id)).all())
    return min(officers, key=lambda u: (counts.get(u.id, 0), u.id))
