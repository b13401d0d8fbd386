"""Outbox rows staged by a use case, and handed to the job runner once its transaction committed.

A use case adds its side effects (a mail, a report build) as ``Outbox`` rows in its own transaction with
``add_outbox``; ``unit`` takes the staged rows at the commit and passes their ids to ``dispatch``, so a job
never reads a row that does not exist yet and nothing is sent for a change that rolled back. A row that is
committed but never dispatched (Redis down, process died) is picked up by the periodic retry job.

Who delivers is the app's choice, not the services': ``create_app`` registers the job runner
(``jobs.dispatch_outbox``) with ``set_dispatcher``, so services never import job code.
"""
from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import datetime

from flask import Flask, current_app

from ..extensions import db
from ..models import Case, Outbox
from .rows import insert_rows

log = logging.getLogger(__name__)
_STAGED_KEY = "caseflow_outbox"
_DISPATCHER_KEY = "caseflow_dispatcher"
Dispatcher = Callable[[list[int]], None]


def set_dispatcher(app: Flask, dispatcher: Dispatcher | None) -> Dispatcher | None:
    """Register ``app``'s job runner: called with the ids of committed outbox rows after each commit that staged
    some; it must not raise (a row it could not hand over waits for the retry job). Returns the one it replaces."""
    previous = app.extensions.get(_DISPATCHER_KEY)
    app.extensions[_DISPATCHER_KEY] = dispatcher
    return previous


def add_outbox(topic: str, payload: dict, *, case: Case | None = None, at: datetime) -> Outbox:
    """Stage a side effect: an outbox row written in this transaction, dispatched after its commit."""
    row = Outbox(topic=topic, payload=payload, case=case, created_at=at)
    db.session.add(row)
    db.session.info.setdefault(_STAGED_KEY, []).append(row)
    return row


def add_outbox_rows(payloads: list[tuple[str, dict]], *, case_id: int | None, at: datetime) -> None:
    """``add_outbox`` for several rows in one Core statement; dispatched after the commit like the others."""
    rows = [{"topic": topic, "payload": payload, "case_id": case_id, "created_at": at} for topic, payload in payloads]
    db.session.info.setdefault(_STAGED_KEY, []).extend(insert_rows(Outbox, rows))


def dispatch_after_commit(ids: Iterable[int]) -> None:
    """Hand existing outbox rows (put back in line) to the job runner once this transaction commits."""
    db.session.info.setdefault(_STAGED_KEY, []).extend(ids)


def take_staged() -> list[Outbox | int]:
    """The rows staged in this transaction (objects, or ids of rows written by Core), no longer staged."""
    return db.session.info.pop(_STAGED_KEY, [])


def ids_of(staged: list[Outbox | int]) -> list[int]:
    """The ids of staged rows; after a flush, when every row has one."""
    return [row if isinstance(row, int) else row.id for row in staged]


def staged() -> list[Outbox | int]:
    """The rows staged so far in this transaction (a copy), e.g. to see what a step added, or to restore."""
    return list(db.session.info.get(_STAGED_KEY, []))


def restore_staged(rows: list[Outbox | int]) -> None:
    """Put back what ``staged`` returned: the rows staged since were rolled back (a savepoint)."""
    db.session.info[_STAGED_KEY] = list(rows)


def drop_staged() -> None:
    """Forget the staged rows: their transaction rolled back."""
    db.session.info.pop(_STAGED_KEY, None)


def dispatch(ids: list[int]) -> None:
    """Hand committed outbox rows to the app's job runner (see ``set_dispatcher``)."""
    if not ids:
        return
    dispatcher = current_app.extensions.get(_DISPATCHER_KEY)
    if dispatcher is None:  # an app not built by create_app: the rows wait for the retry job
        log.warning("no outbox dispatcher registered: rows %s wait for the retry", ids)
        return
    dispatcher(ids)
