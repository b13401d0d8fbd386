"""Finding cases: the work queue, search with filters and keyset pagination, and the lead's overview.
All scoped to what the user may see (their office; an admin everything)."""
from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, load_only

from ..domain import workflow
from ..domain.identifiers import InvalidIdentifier, format_reference, parse_company_identifier, parse_reference
from ..extensions import db
from ..models import Case, CaseView, Company, User
from ..models.types import UTCDateTime
from .authorization import (
    case_holders,
    colleagues_scope,
    office_scope,
    require_overseer,
    require_staff,
    sees_every_office,
)
from .errors import valid_id


@dataclass
class QueueFilter:
    mine: bool = False
    unassigned: bool = False
    at_risk: bool = False  # past the warning instant of the nearest clock, not yet breached
    breached: bool = False  # past the nearest clock's breach instant (not merely its due)


# What a queue row shows (the officer's page and the API's queue): the rest of the row stays in the database.
_QUEUE_COLUMNS = (
    load_only(Case.id, Case.reference, Case.kind, Case.priority, Case.status, Case.subject, Case.company_name,
              Case.company_id, Case.category_id, Case.assignee_id, Case.office_id, Case.next_due_at,
              Case.next_warn_at, Case.next_breach_at, Case.next_due_unit, Case.created_at, Case.channel,
              Case.contact_failing_at),
    joinedload(Case.company).load_only(Company.id, Company.org_number, Company.is_personal),
    joinedload(Case.assignee).load_only(User.id, User.name),  # categories: from services.snapshot
)


def queue(user: User, filt: QueueFilter | None = None, limit: int = 100, now: datetime | None = None) -> list[Case]:
    """Open cases of the user's office, nearest due instant first (cases without a running clock last)."""
    return list(db.session.scalars(*_queue_statement("cases", user, filt, limit, now)).unique())


def queue_rows(user: User, filt: QueueFilter | None = None, limit: int = 100,
               now: datetime | None = None) -> list[sa.Row]:
    """The officer's queue page (the busiest page: plain rows, no ORM objects to build), in three parts read by one
    statement:

    1. cases that changed for the user since they last opened them (``CaseView``): the company answered, sent a
       file, or someone else assigned the case to them — first, each with its markers (``answered``,
       ``new_file``, ``reassigned``). Marked are the user's own cases and the unassigned ones (nobody else is
       looking at those), never a colleague's;
    2. the rest by urgency: a running clock by its due instant, a case without one (waiting on the company,
       decided, or a kind without a promise) by the instant it was received — so a case open since August comes
       before this week's deadlines instead of sinking below every clock for ever.

    Each row has the case's columns of ``_QUEUE_COLUMNS`` by name, ``org_number``, ``is_personal``,
    ``assignee_name``, the three markers (0/1) and ``changed``."""
    stmt, params = _queue_statement("rows", user, filt, limit, now)
    return list(db.session.execute(stmt, params))


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _markers():
    """The markers of a queue row: what changed since the user (``user_id``) last opened the case, read off the
    case's own columns (kept by ``events.record``). Never opened: everything after the case was received counts."""
    seen = sa.func.coalesce(CaseView.viewed_at, sa.bindparam("epoch", type_=UTCDateTime))  # joined by _rows_statement
    mine = Case.assignee_id == sa.bindparam("user_id")
    concerned = sa.or_(Case.assignee_id.is_(None), mine)
    answered = sa.and_(concerned, Case.last_company_message_at > seen)
    new_file = sa.and_(concerned, Case.last_company_file_at > seen)
    reassigned = sa.and_(mine, Case.last_assigned_at > seen, sa.or_(
        Case.last_assigned_by_id.is_(None), Case.last_assigned_by_id != sa.bindparam("user_id")))
    flags = {"answered": answered, "new_file": new_file, "reassigned": reassigned}
    return flags, sa.or_(*flags.values())


_QUEUE_SHAPES = {
    "cases": lambda: sa.select(Case).options(*_QUEUE_COLUMNS),
    # the case's own columns: _rows_statement joins the company and the assignee to the page's rows only
    "rows": lambda: sa.select(
        Case.id, Case.reference, Case.kind, Case.priority, Case.status, Case.subject, Case.company_name,
        Case.category_id, Case.next_due_at, Case.next_warn_at, Case.next_breach_at, Case.next_due_unit,
        Case.created_at, Case.company_id, Case.assignee_id, Case.channel, Case.contact_failing_at,
    ),
}
_queue_statements: dict = {}


def _queue_statement(shape: str, user: User, filt: QueueFilter | None, limit: int,
                     now: datetime | None) -> tuple[sa.Select, dict]:
    """The queue's statement and its parameters. One statement per shape, scope and filter, built once: the
    user, the instant and the limit are parameters (SQLAlchemy keeps a statement's cache key on it)."""
    require_staff(user)
    filt = filt or QueueFilter()
    everything = sees_every_office(user)
    key = (shape, everything, filt.mine, filt.unassigned, filt.at_risk, filt.breached)
    stmt = _queue_statements.get(key)
    if stmt is None and shape == "rows":
        stmt = _queue_statements[key] = _rows_statement(_scoped(_QUEUE_SHAPES[shape](), everything, filt))
    elif stmt is None:
        q = _scoped(_QUEUE_SHAPES[shape](), everything, filt)
        # NULLS LAST as ix_case_open_due stores it: the first page is an index range scan, whatever the office's
        # size.
        stmt = _queue_statements[key] = q.order_by(Case.next_due_at.asc().nulls_last(), Case.created_at, Case.id) \
            .limit(sa.bindparam("row_limit", type_=sa.Integer))
    params = {"row_limit": limit}
    if not everything:
        params["office_id"] = user.office_id
    if filt.mine or shape == "rows":
        params["user_id"] = user.id
    if shape == "rows":
        params["epoch"] = _EPOCH
    if filt.at_risk or filt.breached:
        params["now"] = now or datetime.now(UTC)
    return stmt, params


def _scoped(q: sa.Select, everything: bool, filt: QueueFilter) -> sa.Select:
    """The queue's WHERE: open cases of the user's office (a parameter) and the filter."""
    q = q.where(Case.status.in_(workflow.OPEN_STATUSES))
    if not everything:  # office_scope as a parameter
        q = q.where(Case.office_id == sa.bindparam("office_id"))
    if filt.mine:
        q = q.where(Case.assignee_id == sa.bindparam("user_id"))
    if filt.unassigned:
        q = q.where(Case.assignee_id.is_(None))
    if filt.at_risk:
        q = q.where(Case.next_warn_at <= sa.bindparam("now"), Case.next_breach_at >= sa.bindparam("now"))
    if filt.breached:
        # perf: the due bound is implied (a breach instant is never before its due) but keeps the first page an
        # index range on ix_case_open_due: 7-14 ms -> 0.16 ms for 2,202 breached cases at a million
        # (bench/README.md)
        q = q.where(Case.next_breach_at < sa.bindparam("now"), Case.next_due_at < sa.bindparam("now"))
    return q


def _rows_statement(q: sa.Select) -> sa.Select:
    """``queue_rows``' statement: four arms, each a range of its own (the changed cases: the user's own, and the
    unassigned ones a company wrote on; the running clocks by due instant, ix_case_open_due; the cases without one
    by receipt, the same index's NULL range), each at most ``row_limit`` rows, then ordered together and cut to
    ``row_limit``. A changed case is the user's or unassigned (``_markers``), and an unassigned one is changed only
    by a company's message or file, so the first two arms hold every changed case."""
    flags, changed = _markers()
    q = q.outerjoin(CaseView, sa.and_(CaseView.case_id == Case.id, CaseView.user_id == sa.bindparam("user_id")))
    q = q.add_columns(*(sa.case((f, 1), else_=0).label(name) for name, f in flags.items()))
    limit = sa.bindparam("row_limit", type_=sa.Integer)
    by_due = (Case.next_due_at.asc().nulls_last(), Case.created_at, Case.id)
    # perf: the markers' OR tested as one value, so PostgreSQL does not try each of its branches against every index
    # of the case table while planning: 6-11 ms of planning -> 2.0-2.6 ms at a million (bench/README.md, "Queue
    # markers on the case")
    changed_test = sa.case((changed, 1), else_=0) == 1
    arms = [
        # perf: the changed cases in two index ranges, the user's own (ix_case_open_assignee) and the unassigned
        # ones a company wrote on (ix_case_open_unassigned_answered), not the office's open cases read until 100
        # have changed: 7.6-13 ms -> 0.07 ms for an officer with no cases, 2.6 ms for one with 429, at a million
        # (bench/README.md, "Queue markers on the case")
        q.where(changed_test, Case.assignee_id == sa.bindparam("user_id")).order_by(*by_due).limit(limit),
        q.where(changed_test, Case.assignee_id.is_(None), Case.last_company_message_at.is_not(None))
        .order_by(*by_due).limit(limit),
        # perf: no "next_due_at IS NOT NULL" (the NULL rows it lets in come last and the UNION drops them as
        # duplicates of the third arm's): with it, PostgreSQL misjudged the office's rows and read and sorted all of
        # them, 28 ms at a million; without, the index range of the old queue, 0.67 ms (bench/README.md, "After
        # the officer's day")
        q.order_by(Case.next_due_at.asc().nulls_last(), Case.created_at, Case.id).limit(limit),
        # perf: ordered as ix_case_open_due stores it (the NULL range by created_at, id), else PostgreSQL walked
        # ix_case_created_at over every case: 849 ms -> 0.06 ms at a million (bench/README.md, "After the officer's
        # day")
        q.where(Case.next_due_at.is_(None)).order_by(Case.next_due_at, Case.created_at, Case.id).limit(limit),
    ]
    both = sa.union(*(sa.select(arm.subquery()) for arm in arms)).subquery("queue")
    changed_first = sa.case((sa.or_(*(both.c[name] == 1 for name in flags)), 0), else_=1)
    page = (sa.select(both, (1 - changed_first).label("changed"))
            .order_by(changed_first, sa.func.coalesce(both.c.next_due_at, both.c.created_at), both.c.id)
            .limit(limit).subquery("page"))
    # perf: the company and the assignee joined once, to the page's 100 rows instead of up to 400 in the arms:
    # planning 9-17 ms -> 6-11 ms at a million (bench/README.md, "Queue markers on the case")
    return (sa.select(page, Company.org_number, Company.is_personal, User.name.label("assignee_name"))
            .outerjoin(Company, Company.id == page.c.company_id).outerjoin(User, User.id == page.c.assignee_id)
            .order_by(page.c.changed.desc(), sa.func.coalesce(page.c.next_due_at, page.c.created_at), page.c.id))


@dataclass
class Search:
    text: str = ""  # a reference, an org-nr, or words in company, contact, subject, description
    status: str = ""  # a status, "open", or "" for any
    kind: str = ""
    category_id: int | None = None
    assignee_id: int | None = None
    older_than_days: int | None = None


@dataclass
class Page:
    cases: list[Case]
    next_cursor: str | None


def _encode(case: Case) -> str:
    return base64.urlsafe_b64encode(f"{case.created_at.isoformat()}|{case.id}".encode()).decode()


def _decode(cursor: str) -> tuple[datetime, int] | None:
    try:
        at, cid = base64.urlsafe_b64decode(cursor.encode()).decode().split("|")
        return datetime.fromisoformat(at), int(cid)
    except (ValueError, UnicodeDecodeError):
        return None


def search(user: User, s: Search, cursor: str | None = None, limit: int = 50,
           now: datetime | None = None) -> Page:
    """Newest first. Keyset pagination on (created_at, id): page N costs the same as page 1."""
    require_staff(user)
    now = now or datetime.now(UTC)
    q = sa.select(Case).options(joinedload(Case.company), joinedload(Case.assignee), joinedload(Case.category)) \
        .where(office_scope(user))
    text = (s.text or "").strip()
    if text:
        ref = parse_reference(text)
        try:
            ident = parse_company_identifier(text)
        except InvalidIdentifier:
            ident = None
        if ref:
            q = q.where(Case.reference == format_reference(*ref))
        elif ident:
            q = q.join(Company, Case.company_id == Company.id).where(Company.org_number == ident.number)
        else:
            like = f"%{text.lower()}%"
            q = q.where(sa.or_(
                sa.func.lower(Case.company_name).like(like), sa.func.lower(Case.contact_name).like(like),
                sa.func.lower(Case.contact_email).like(like), sa.func.lower(Case.subject).like(like),
                sa.func.lower(Case.description).like(like),
            ))
    if s.status == "open":
        q = q.where(Case.status.in_(workflow.OPEN_STATUSES))
    elif s.status in workflow.STATUSES:
        q = q.where(Case.status == s.status)
    if s.kind in workflow.KINDS:
        q = q.where(Case.kind == s.kind)
    if s.category_id:
        q = q.where(Case.category_id == s.category_id if valid_id(s.category_id) else sa.false())
    if s.assignee_id:
        q = q.where(Case.assignee_id == s.assignee_id if valid_id(s.assignee_id) else sa.false())
    if s.older_than_days:
        q = q.where(Case.created_at <= now - timedelta(days=s.older_than_days))
    after = _decode(cursor) if cursor else None
    if after:
        q = q.where(sa.tuple_(Case.created_at, Case.id) < sa.tuple_(*after))
    rows = list(db.session.scalars(q.order_by(Case.created_at.desc(), Case.id.desc()).limit(limit + 1)).unique())
    more = len(rows) > limit
    rows = rows[:limit]
    return Page(rows, _encode(rows[-1]) if more and rows else None)


@dataclass
class OfficerLoad:
    user: User
    open: int
    breached: int


@dataclass
class Overview:
    load: list[OfficerLoad]
    unassigned: int
    breached: int
    oldest: list[Case]


def lead_overview(user: User, now: datetime | None = None) -> Overview:
    """The office at a glance for its lead: open and breached cases per officer, unassigned, oldest open."""
    require_overseer(user)
    now = now or datetime.now(UTC)
    open_in_scope = sa.and_(office_scope(user), Case.status.in_(workflow.OPEN_STATUSES))
    rows = db.session.execute(
        sa.select(Case.assignee_id, sa.func.count(),
                  sa.func.sum(sa.case((Case.next_breach_at < now, 1), else_=0)))
        .where(open_in_scope).group_by(Case.assignee_id)
    ).all()
    per = {aid: (n, int(b or 0)) for aid, n, b in rows}
    staff_q = sa.select(User).where(User.active.is_(True), case_holders(), colleagues_scope(user))
    staff = db.session.scalars(staff_q.order_by(User.name)).all()
    load = [OfficerLoad(u, *per.get(u.id, (0, 0))) for u in staff]
    oldest = list(db.session.scalars(sa.select(Case).options(joinedload(Case.assignee))
                                     .where(open_in_scope).order_by(Case.created_at, Case.id).limit(10)))
    return Overview(load, per.get(None, (0, 0))[0], sum(b for _, b in per.values()), oldest)
