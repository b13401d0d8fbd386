"""Core statements on the session's connection, for the busiest write paths (the submission): rows inserted in
the same transaction as the ORM's changes, without its unit of work."""
from __future__ import annotations

import sqlalchemy as sa

from ..extensions import db


def core() -> sa.Connection:
    """The session's connection, for Core statements on the busiest paths: the same transaction, without the
    ORM's execution layer (a sixth of a submission's own work went there). Pending ORM changes are flushed
    first, as the session would before a query."""
    if db.session.autoflush:
        db.session.flush()  # returns at once when nothing is pending
    return db.session.connection()


def columns_of(obj) -> dict:
    """The column values set on a new (transient) model object, as a row for ``insert_rows``."""
    state = sa.inspect(obj)
    return {attr.key: state.dict[attr.key] for attr in state.mapper.column_attrs if attr.key in state.dict}


def insert_row(obj) -> int:
    """Write a new model object as one Core INSERT ... RETURNING id, outside the unit of work, and set its id.
    The object itself stays out of the session (a submission's case: nothing of it is read again)."""
    obj.id = core().execute(_insert(type(obj).__table__, returning_id=True), columns_of(obj)).scalar_one()
    return obj.id


def insert_rows(model, rows: list[dict]) -> list[int]:
    """Write rows of one table in one statement (several VALUES), outside the unit of work; returns their ids.
    Rows may leave out different columns: each gets the column's default there, as the ORM would have given it."""
    if not rows:
        return []
    table = model.__table__
    keys = set().union(*rows)
    if any(len(r) != len(keys) for r in rows):
        rows = [{**{k: _default(table.c[k]) for k in keys - r.keys()}, **r} for r in rows]
    # With RETURNING, SQLAlchemy sends the rows as one INSERT ... VALUES (...), (...) ("insertmanyvalues");
    # without it the driver executes the statement once per row.
    return list(core().execute(_insert(table, returning_id=True), rows).scalars())


_inserts: dict = {}


def _insert(table: sa.Table, returning_id: bool = False) -> sa.Insert:
    """The INSERT statement of a table, built once (SQLAlchemy keeps a statement's cache key on it); the values
    come with each execution."""
    # perf: part of a submission's 14.07 M instructions, 16.00 M without (bench/README.md, issue 22)
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
