"""Case states and the transitions between them. Pure; the services apply the result and record an event.

new -> assigned -> in_progress <-> awaiting_customer -> decided -> closed, with reopen back to in_progress.
An illegal transition raises ``IllegalTransition``: never a silent change.
"""
from __future__ import annotations

from . import enums

NEW = "new"
ASSIGNED = "assigned"
IN_PROGRESS = "in_progress"
AWAITING_CUSTOMER = "awaiting_customer"
DECIDED = "decided"
CLOSED = "closed"

STATUSES = (NEW, ASSIGNED, IN_PROGRESS, AWAITING_CUSTOMER, DECIDED, CLOSED)
OPEN_STATUSES = (NEW, ASSIGNED, IN_PROGRESS, AWAITING_CUSTOMER, DECIDED)

# The enumerations' values; their labels, and the other enumerations, are in domain.enums
KINDS = enums.KIND.values
PRIORITIES = enums.PRIORITY.values
CHANNELS = enums.CHANNEL.values  # how a case came in: the form, a mail, the REST API, Open311

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


# The case page's actions that change no status, and the statuses they need (the services refuse otherwise).
STATUS_KEEPING_ACTIONS: dict[str, tuple[str, ...]] = {
    "claim": tuple(TRANSITIONS["assign"]),  # assign to oneself
    "reroute": OPEN_STATUSES,
    "delay_notice": OPEN_STATUSES,  # FL 11 §
    "fl12": (NEW, ASSIGNED, IN_PROGRESS, AWAITING_CUSTOMER),  # FL 12 §: not once decided
    "extend": OPEN_STATUSES,  # PBL 9:27, once, while the statutory clock runs
    "link": STATUSES,
}
# What the case page shows at once; every other offered action sits in its "more actions" menu.
PRIMARY_ACTIONS = ("reply", "claim", "request_completion", "decide", "close", "note")


def case_actions(status: str, *, assigned_to_me: bool = False, decided: bool = False, fl12_requested: bool = False,
                 statutory_extendable: bool = False) -> frozenset[str]:
    """Every action the case page may offer on a case: the transitions of ``allowed_actions`` and the actions that
    change no status, each where its facts allow it — claiming where the case is not the user's already, a
    request for a decision (FL 12 §) once and never after a decision, the statutory extension (PBL 9:27) while
    ``statutory_extendable`` (a running PBL clock not yet extended)."""
    conditions = {"claim": not assigned_to_me, "fl12": not (decided or fl12_requested),
                  "extend": statutory_extendable}
    extra = {a for a, statuses in STATUS_KEEPING_ACTIONS.items() if status in statuses and conditions.get(a, True)}
    return allowed_actions(status) | extra


def close_asks_outcome(status: str) -> bool:
    """Closing asks for an outcome unless the case was decided: then the decision's outcome is the outcome."""
    return status != DECIDED


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
