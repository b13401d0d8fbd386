"""The one commit point: a use case stages its changes and outbox rows, then calls ``commit``.

Outbox rows added with ``add_outbox`` are handed to the job runner only *after* the transaction committed,
so a job never reads a row that does not exist yet (the microblog race) and nothing is sent for a change
that rolled back. A row that is committed but never dispatched (Redis down, process died) is picked up by
the periodic ``retry_outbox`` job.
"""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from ..extensions import db
from ..models import Case, CaseEvent, Outbox

_PENDING_KEY = "caseflow_outbox"


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


def commit() -> None:
    """Commit the use case, then dispatch its outbox rows. On failure everything rolls back."""
    pending = db.session.info.pop(_PENDING_KEY, [])
    try:
        db.session.flush()
        ids = [row if isinstance(row, int) else row.id for row in pending]
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    if ids:
        from .. import jobs  # late import: jobs imports services

        jobs.dispatch_outbox(ids)


def rollback() -> None:
    db.session.info.pop(_PENDING_KEY, None)
    db.session.rollback()
