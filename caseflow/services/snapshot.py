"""The configuration every request reads (categories, offices, routing rules, service promises, the business
calendar, canned responses), kept in memory per app as one immutable snapshot.

A submission used to read six configuration tables and the case page three; now a request reads one row, the
configuration's generation, and rebuilds the snapshot only when it changed. Every change of a configuration row
through the ORM bumps the generation in its own transaction (``_bump_on_change``), so all processes see a change
at their next request, exactly as they would by reading the tables. The snapshot holds plain frozen values, never
ORM objects, so nothing of it can be attached to a session or written by accident.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import Session

from ..domain.routing import RuleSpec
from ..extensions import db
from ..models import CalendarSettings, CannedResponse, Category, ConfigGeneration, Office, RoutingRule, SlaPolicy
from ..models.types import AcceptsKinds, Named
from .rows import core

# Attributes whose change is not a change of configuration (round-robin bookkeeping on every assignment).
VOLATILE = {Office: {"round_robin_last_user_id"}}
CONFIG_MODELS = (Category, Office, RoutingRule, SlaPolicy, CalendarSettings, CannedResponse)
_SESSION_KEY = "config_generation"
_CHANGED_KEY = "config_changed"


@dataclass(frozen=True)
class CategoryInfo(Named, AcceptsKinds):
    id: int
    code: str
    name: str
    name_en: str
    kinds: str
    default_office_id: int | None
    statutory: str | None
    position: int
    active: bool
    appealable: bool | None = None  # None: not configured
    appeal_body: str = ""
    appeal_weeks: int | None = None


@dataclass(frozen=True)
class OfficeInfo(Named):
    id: int
    code: str
    name: str
    name_en: str
    email: str | None
    is_entry: bool
    active: bool


@dataclass(frozen=True)
class PolicyInfo:
    id: int
    clock: str
    category_id: int | None
    kind: str | None
    priority: str | None
    unit: str
    target: int
    warn_percent: int
    pauses: bool


@dataclass(frozen=True)
class CannedInfo:
    id: int
    office_id: int | None  # None: every office
    title: str
    body: str


@dataclass(frozen=True)
class Snapshot:
    generation: int | None
    categories: tuple[CategoryInfo, ...]  # all, in display order (active ones: ``active_categories``)
    offices: tuple[OfficeInfo, ...]  # all, by name
    rules: tuple[RuleSpec, ...]  # active, in evaluation order
    entry_office_id: int | None
    policies: tuple[PolicyInfo, ...]  # active
    # The business calendar's settings (hours, include_de_facto, extra_closed), None for the defaults. Not the
    # calendar itself: its lazily grown tables are kept per thread (services.sla.calendar).
    calendar_settings: tuple | None
    canned: tuple[CannedInfo, ...] = ()  # active, by title

    def category(self, category_id) -> CategoryInfo | None:
        return self._categories_by_id.get(category_id)

    def office(self, office_id) -> OfficeInfo | None:
        return self._offices_by_id.get(office_id)

    @cached_property
    def _categories_by_id(self) -> dict[int, CategoryInfo]:
        return {c.id: c for c in self.categories}

    @cached_property
    def _offices_by_id(self) -> dict[int, OfficeInfo]:
        return {o.id: o for o in self.offices}

    @property
    def active_categories(self) -> list[CategoryInfo]:
        return [c for c in self.categories if c.active]

    @property
    def active_offices(self) -> list[OfficeInfo]:
        return [o for o in self.offices if o.active]


def _split(text: str) -> list[str]:
    return [p.strip() for p in (text or "").split(",") if p.strip()]


def _load(generation: int | None) -> Snapshot:
    categories = tuple(CategoryInfo(c.id, c.code, c.name, c.name_en or "", c.kinds or "", c.default_office_id,
                                    c.statutory, c.position or 0, bool(c.active), c.appealable,
                                    c.appeal_body or "", c.appeal_weeks)
                       for c in db.session.scalars(sa.select(Category).order_by(Category.position, Category.name)))
    offices = tuple(OfficeInfo(o.id, o.code, o.name, o.name_en or "", o.email, bool(o.is_entry), bool(o.active))
                    for o in db.session.scalars(sa.select(Office).order_by(Office.name, Office.id)))
    rules = tuple(
        RuleSpec(id=r.id, office_id=r.office_id, kinds=frozenset(_split(r.kinds)),
                 category_ids=frozenset([r.category_id]) if r.category_id else frozenset(),
                 keywords=tuple(_split(r.keywords)), org_numbers=frozenset(_split(r.org_numbers)),
                 legal_forms=frozenset(_split(r.legal_forms)), assign_strategy=r.assign_strategy)
        for r in db.session.scalars(sa.select(RoutingRule).where(RoutingRule.active.is_(True))
                                    .order_by(RoutingRule.position, RoutingRule.id)))
    by_id = sorted(offices, key=lambda o: o.id)
    entry = next((o.id for o in by_id if o.is_entry and o.active), by_id[0].id if by_id else None)
    policies = tuple(PolicyInfo(p.id, p.clock, p.category_id, p.kind, p.priority, p.unit, p.target,
                                p.warn_percent if p.warn_percent is not None else 80, bool(p.pauses))
                     for p in db.session.scalars(sa.select(SlaPolicy).where(SlaPolicy.active.is_(True))
                                                 .order_by(SlaPolicy.id)))
    row = db.session.get(CalendarSettings, 1)
    cal = None if row is None else (tuple(tuple(h) for h in row.hours), bool(row.include_de_facto),
                                    tuple(sorted(row.extra_closed)))
    canned = tuple(CannedInfo(c.id, c.office_id, c.title, c.body) for c in db.session.scalars(
        sa.select(CannedResponse).where(CannedResponse.active.is_(True)).order_by(CannedResponse.title,
                                                                                 CannedResponse.id)))
    return Snapshot(generation, categories, offices, rules, entry, policies, cal, canned)


# perf: every request: built once, as in casework and intake (bench/README.md, issue 22: 41.02 M, 16.00 M)
_GENERATION = sa.select(ConfigGeneration.value).where(ConfigGeneration.id == 1)


def current() -> Snapshot:
    """The configuration as of this transaction: one primary-key read, and a reload only after a change."""
    generation = db.session.info.get(_SESSION_KEY, ...)
    if generation is ...:
        generation = core().execute(_GENERATION).scalar()  # flushes first: a pending change bumps it
        db.session.info[_SESSION_KEY] = generation
    if db.session.info.get(_CHANGED_KEY):
        # This transaction changed the configuration and has not committed: it sees its own change, and nothing
        # it reads is kept (a rollback would leave a snapshot under a generation number that is then reused).
        return _load(None)
    cached = current_app.extensions.get("caseflow_config")
    if generation is not None and cached is not None and cached.generation == generation:
        return cached
    snap = _load(generation)
    if generation is not None:  # no generation row (a schema made without migrations): never cached
        current_app.extensions["caseflow_config"] = snap  # one assignment: threads see the old or the new
    return snap


def _changes_configuration(obj) -> bool:
    if not isinstance(obj, CONFIG_MODELS):
        return False
    volatile = VOLATILE.get(type(obj), set())
    state = sa.inspect(obj)
    return any(attr.key not in volatile and attr.history.has_changes() for attr in state.attrs)


@sa.event.listens_for(Session, "after_flush")
def _bump_on_change(session, _context) -> None:
    """A flush that adds, changes or removes configuration bumps the generation in the same transaction."""
    if not any(isinstance(o, CONFIG_MODELS) for o in session.new) and \
            not any(isinstance(o, CONFIG_MODELS) for o in session.deleted) and \
            not any(_changes_configuration(o) for o in session.dirty):
        return
    conn = session.connection()
    table = ConfigGeneration.__table__
    if conn.execute(table.update().where(table.c.id == 1).values(value=table.c.value + 1)).rowcount == 0:
        conn.execute(table.insert().values(id=1, value=1))
    session.info.pop(_SESSION_KEY, None)
    session.info[_CHANGED_KEY] = True  # until the transaction ends


@sa.event.listens_for(Session, "after_commit")
@sa.event.listens_for(Session, "after_rollback")
def _forget_generation(session) -> None:
    """The next transaction reads the generation again (another process may have changed the configuration)."""
    session.info.pop(_SESSION_KEY, None)
    session.info.pop(_CHANGED_KEY, None)
