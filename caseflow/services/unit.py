"""The one commit point: a nestable unit of work. Use cases stage their changes and outbox rows; exactly one
caller commits.

    with unit.transaction():      # the outermost block commits on exit, then dispatches its outbox rows
        intake.submit_case(...)   # a use case inside it only stages: its own transaction() / commit() nests

A use case either runs inside ``with transaction():`` (or is decorated with ``@transaction()``), or ends with
``commit()``, which commits when no transaction is open and only stages inside one. An exception leaving any
block rolls back the whole transaction; an inner failure that an outer block swallows still rolls everything
back at the outermost exit (``TransactionAborted``), so a use case is never committed half done.

Outbox rows staged with ``dispatch.add_outbox`` are handed to the job runner only *after* the transaction
committed, so a job never reads a row that does not exist yet (the microblog race) and nothing is sent for a
change that rolled back. A row that is committed but never dispatched (Redis down, process died) is picked up
by the periodic ``retry_outbox`` job. The case's event log is ``events``; Core inserts are ``rows``.

This module is the only one that calls ``session.commit()``.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from ..extensions import db
from . import dispatch

_DEPTH_KEY = "caseflow_unit_depth"  # open transaction() blocks of this session
_DOOMED_KEY = "caseflow_unit_doomed"  # an inner block failed: the outermost one must roll back


class TransactionAborted(RuntimeError):
    """An inner block of a unit of work failed and an outer one went on as if it had not: nothing was committed."""


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
    staged = dispatch.take_staged()
    try:
        db.session.flush()
        ids = dispatch.ids_of(staged)  # known after the flush
        db.session.commit()
    except Exception:
        _rollback()
        raise
    dispatch.dispatch(ids)


def _rollback() -> None:
    dispatch.drop_staged()
    db.session.info.pop(_DOOMED_KEY, None)
    db.session.rollback()
