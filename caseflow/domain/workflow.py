"""Case states and the transitions between them. Pure; the services apply the result and record an event.

new -> assigned -> in_progress <-> awaiting_customer -> decided -> closed, with reopen back to in_progress.
An illegal transition raises ``IllegalTransition``: never a silent change.
"""
from __future__ import annotations

NEW = "new"
ASSIGNED = "assigned"
IN_PROGRESS = "in_progress"
AWAITING_CUSTOMER = "awaiting_customer"
DECIDED = "decided"
CLOSED = "closed"

STATUSES = (NEW, ASSIGNED, IN_PROGRESS, AWAITING_CUSTOMER, DECIDED, CLOSED)
OPEN_STATUSES = (NEW, ASSIGNED, IN_PROGRESS, AWAITING_CUSTOMER, DECIDED)

KINDS = ("errand", "question", "complaint", "feedback")
COMPLAINT_GROUNDS = (
    "information", "tillganglighet", "bemotande", "kompetens", "rattssakerhet", "effektivitet", "other",
)
PRIORITIES = ("normal", "high")
CHANNELS = ("web", "email", "api", "open311")  # how a case came in: the form, a mail, the REST API, Open311

# action -> {from_status: to_status}
TRANSITIONS: dict[str, dict[str, str]] = {
    "assign": {NEW: ASSIGNED, ASSIGNED: ASSIGNED, IN_PROGRESS: IN_PROGRESS, AWAITING_CUSTOMER: AWAITING_CUSTOMER,
               DECIDED: DECIDED},
    "reply": {NEW: IN_PROGRESS, ASSIGNED: IN_PROGRESS, IN_PROGRESS: IN_PROGRESS,
              AWAITING_CUSTOMER: AWAITING_CUSTOMER, DECIDED: DECIDED},
    "note": {s: s for s in STATUSES},
    "request_completion": {NEW: AWAITING_CUSTOMER, ASSIGNED: AWAITING_CUSTOMER, IN_PROGRESS: AWAITING_CUSTOMER},
    "customer_message": {NEW: NEW, ASSIGNED: ASSIGNED, IN_PROGRESS: IN_PROGRESS, AWAITING_CUSTOMER: IN_PROGRESS,
                         DECIDED: DECIDED},
    "decide": {NEW: DECIDED, ASSIGNED: DECIDED, IN_PROGRESS: DECIDED, AWAITING_CUSTOMER: DECIDED},
    "close": {NEW: CLOSED, ASSIGNED: CLOSED, IN_PROGRESS: CLOSED, AWAITING_CUSTOMER: CLOSED, DECIDED: CLOSED},
    "reopen": {CLOSED: IN_PROGRESS, DECIDED: IN_PROGRESS},
}


class IllegalTransition(ValueError):
    def __init__(self, action: str, status: str):
        super().__init__(f"cannot {action} a case in status {status}")
        self.action = action
        self.status = status


def next_status(status: str, action: str) -> str:
    """The status after ``action``; raises IllegalTransition if the action is not allowed from ``status``."""
    try:
        return TRANSITIONS[action][status]
    except KeyError:
        raise IllegalTransition(action, status) from None


def allowed_actions(status: str) -> frozenset[str]:
    """The actions of ``TRANSITIONS`` allowed on a case in ``status``: what the case page offers."""
    return frozenset(action for action, moves in TRANSITIONS.items() if status in moves)


def waiting_intervals(transitions) -> list[tuple]:
    """The intervals in which the case waited on the company (status ``awaiting_customer``), from its status
    changes ``(at, status_after)`` in time order. A wait still going at the end is ``(start, None)``."""
    out, since = [], None
    for at, status in transitions:
        if status == AWAITING_CUSTOMER and since is None:
            since = at
        elif status != AWAITING_CUSTOMER and since is not None:
            out.append((since, at))
            since = None
    if since is not None:
        out.append((since, None))
    return out


def is_open(status: str) -> bool:
    return status in OPEN_STATUSES
