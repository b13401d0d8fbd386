"""The case's event log: every state change appends a ``CaseEvent`` (who, when, what, the office holding the
case, and for a duration the working hours it ends). The timeline, the audit trail and the reports read these
events; nothing edits one."""
from __future__ import annotations

from datetime import datetime

from ..extensions import db
from ..models import Case, CaseEvent


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
    _keep_markers(case, event_kind, at, ev.actor_user_id, data)
    return ev


def _keep_markers(case: Case, event_kind: str, at: datetime, actor_user_id: int | None, data: dict) -> None:
    """The case's columns the queue's markers read (``Case.last_company_message_at`` and the others): what the
    event changes for an officer who has not looked since."""
    if event_kind == "company_message":
        case.last_company_message_at = at
        if data.get("attachments"):
            case.last_company_file_at = at
    elif event_kind == "assigned":
        case.last_assigned_at, case.last_assigned_by_id = at, actor_user_id


def event_row(case: Case, event_kind: str, at: datetime, /, *, actor_kind: str = "system", **data) -> dict:
    """``record`` as a row for ``rows.insert_rows``: an event of a case written without the ORM's unit of work
    (the submission's write path), with the same columns ``record`` fills."""
    return {"case_id": case.id, "kind": event_kind, "at": at, "actor_kind": actor_kind, "actor_user_id": None,
            "office_id": case.office_id, "data": data, "hours": None}
