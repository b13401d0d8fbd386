"""The one commit point: a use case stages its changes and outbox rows, then calls ``commit``.

Outbox rows added with ``add_outbox`` are handed to the job runner only *after* the transaction committed,
so a job never reads a row that does not exist yet (the microblog race) and nothing is sent for a change
that rolled back. A row that is committed but never dispatched (Redis down, process died) is picked up by
the periodic ``retry_outbox`` job.
"""
from __future__ import annotations

from datetime import datetime

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
        ids = [row.id for row in pending]
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
