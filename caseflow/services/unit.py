"""The one commit point: a nestable unit of work. Use cases stage their changes and outbox rows; exactly one
caller commits.

    with unit.transaction():      # the outermost block commits on exit, then dispatches its outbox rows
        intake.submit_case(...)   # a use case inside it only stages: its own transaction() / commit() nests

A use case either runs inside ``with transaction():`` (or is decorated with ``@transaction()``), or ends with
``commit()``, which commits when no transaction is open and only stages inside one. An exception leaving any
block rolls back the whole transaction; an inner failure that an outer block swallows still rolls everything
back at the outermost exit (``TransactionAborted``), so a use case is never committed half done.

Outbox rows added with ``add_outbox`` are handed to the job runner only *after* the transaction committed,
so a job never reads a row that does not exist yet (the microblog race) and nothing is sent for a change
that rolled back. A row that is committed but never dispatched (Redis down, process died) is picked up by
the periodic ``retry_outbox`` job.

This module is the only one that calls ``session.commit()``.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime

import sqlalchemy as sa

from ..extensions import db
from ..models import Case, CaseEvent, Outbox

_PENDING_KEY = "caseflow_outbox"
_DEPTH_KEY = "caseflow_unit_depth"  # open transaction() blocks of this session
_DOOMED_KEY = "caseflow_unit_doomed"  # an inner block failed: the outermost one must roll back


class TransactionAborted(RuntimeError):
    """An inner block of a unit of work failed and an outer one went on as if it had not: nothing was committed."""


def record(case: Case, event_kind: str, at: datetime, /, *, actor=None, actor_kind: str | None = None,
           hours: float | None = None, **data) -> CaseEvent:
    """Append an event to the case's log. ``actor`` is a staff User or None (system/company); ``hours`` is the
    working time the event ends, for the reports (``CaseEvent.hours``)."""
    ev = CaseEvent(
        case=case, kind=event_kind, at=at,
        actor_kind=actor_kind or ("staff" if actor is not None else "system"),
        actor_user_id=actor.id if actor is not None else None,
        office_id=case.office_id,
        data=data, hours=hours,
    )
    db.session.add(ev)
    return ev


def core() -> sa.Connection:
    """The session's connection, for Core statements on the busiest paths: the same transaction, without the
    ORM's execution layer (a sixth of a submission's own work went there). Pending ORM changes are flushed
    first, as the session would before a query."""
    if db.session.autoflush:
        db.session.flush()  # returns at once when nothing is pending
    return db.session.connection()


def event_row(case: Case, event_kind: str, at: datetime, /, *, actor_kind: str = "system", **data) -> dict:
    """``record`` as a row for ``insert_rows``: an event of a case written without the unit of work (the
    submission's write path), with the same columns ``record`` fills."""
    return {"case_id": case.id, "kind": event_kind, "at": at, "actor_kind": actor_kind, "actor_user_id": None,
            "office_id": case.office_id, "data": data, "hours": None}


def columns_of(obj) -> dict:
    """The column values set on a new (transient) model object, as a row for ``insert_rows``."""
    state = sa.inspect(obj)
    return {attr.key: state.dict[attr.key] for attr in state.mapper.column_attrs if attr.key in state.dict}


def insert_row(obj) -> int:
    """Write a new model object as one Core INSERT ... RETURNING id, outside the unit of work, and set its id.
    The object itself stays out of the session (a submission's case: nothing of it is read again)."""
    obj.id = core().execute(_insert(type(obj).__table__, returning_id=True), columns_of(obj)).scalar_one()
    return obj.id


def insert_rows(model, rows: list[dict]) -> None:
    """Write rows of one table in one statement (several VALUES), outside the unit of work. Rows may
    leave out different columns: each gets the column's default there, as the ORM would have given it."""
    if not rows:
        return
    table = model.__table__
    keys = set().union(*rows)
    if any(len(r) != len(keys) for r in rows):
        rows = [{**{k: _default(table.c[k]) for k in keys - r.keys()}, **r} for r in rows]
    # With RETURNING, SQLAlchemy sends the rows as one INSERT ... VALUES (...), (...) ("insertmanyvalues");
    # without it the driver executes the statement once per row.
    core().execute(_insert(table, returning_id=True), rows).all()


_inserts: dict = {}


def _insert(table: sa.Table, returning_id: bool = False) -> sa.Insert:
    """The INSERT statement of a table, built once (SQLAlchemy keeps a statement's cache key on it); the values
    come with each execution."""
    stmt = _inserts.get((table, returning_id))
    if stmt is None:
        stmt = sa.insert(table).returning(table.c.id) if returning_id else sa.insert(table)
        _inserts[(table, returning_id)] = stmt
    return stmt


def _default(column):
    default = column.default
    if default is None:
        return None
    return default.arg(None) if default.is_callable else default.arg


def add_outbox_rows(payloads: list[tuple[str, dict]], *, case_id: int | None, at: datetime) -> None:
    """``add_outbox`` for several rows in one Core statement; dispatched after the commit like the others."""
    rows = [{"topic": topic, "payload": payload, "case_id": case_id, "created_at": at} for topic, payload in payloads]
    ids = core().execute(_insert(Outbox.__table__, returning_id=True), rows).scalars()
    db.session.info.setdefault(_PENDING_KEY, []).extend(ids)


def add_outbox(topic: str, payload: dict, *, case: Case | None = None, at: datetime) -> Outbox:
    row = Outbox(topic=topic, payload=payload, case=case, created_at=at)
    db.session.add(row)
    db.session.info.setdefault(_PENDING_KEY, []).append(row)
    return row


def dispatch_after_commit(ids: Iterable[int]) -> None:
    """Hand existing outbox rows (put back in line) to the job runner once this transaction commits."""
    db.session.info.setdefault(_PENDING_KEY, []).extend(ids)


def in_transaction() -> bool:
    """Whether a ``transaction()`` block is open: a ``commit()`` now only stages."""
    return db.session.info.get(_DEPTH_KEY, 0) > 0


@contextmanager
def transaction() -> Iterator[None]:
    """One use case's transaction. Nests: only the outermost block commits (and then dispatches the outbox rows
    staged inside it); inner blocks stage. Any exception rolls back the whole. Usable as a decorator too."""
    info = db.session.info
    depth = info.get(_DEPTH_KEY, 0)
    info[_DEPTH_KEY] = depth + 1
    try:
        yield
    except BaseException:
        if depth:
            info[_DOOMED_KEY] = True
        else:
            _rollback()
        raise
    finally:
        info[_DEPTH_KEY] = depth
    if depth:
        _stage()
    elif info.pop(_DOOMED_KEY, False):
        _rollback()
        raise TransactionAborted("an inner step of this use case failed; everything was rolled back")
    else:
        _commit()


def commit() -> None:
    """End of a use case: commit it and dispatch its outbox rows, or, inside a ``transaction()`` block, stage
    only (the outermost block commits). On failure everything rolls back."""
    if in_transaction():
        _stage()
    else:
        _commit()


def rollback() -> None:
    """Drop the transaction's changes. Inside a ``transaction()`` block the outermost block then refuses to
    commit, since what the blocks around staged is gone too."""
    inside = in_transaction()
    _rollback()
    if inside:
        db.session.info[_DOOMED_KEY] = True


def _stage() -> None:
    try:
        db.session.flush()  # constraint failures surface in the use case that caused them
    except Exception:
        db.session.info[_DOOMED_KEY] = True
        raise


def _commit() -> None:
    pending = db.session.info.pop(_PENDING_KEY, [])
    try:
        db.session.flush()
        ids = [row if isinstance(row, int) else row.id for row in pending]
        db.session.commit()
    except Exception:
        _rollback()
        raise
    if ids:
        from .. import jobs  # late import: jobs imports services

        jobs.dispatch_outbox(ids)


def _rollback() -> None:
    db.session.info.pop(_PENDING_KEY, None)
    db.session.info.pop(_DOOMED_KEY, None)
    db.session.rollback()
