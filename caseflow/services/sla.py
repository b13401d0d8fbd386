"""SLA bookkeeping on cases: compute and store the due instants the queue sorts by.

The rules themselves live in ``domain.calendar`` (pure). This module picks the calendar and the targets.
"""
from __future__ import annotations

from datetime import datetime

from ..domain.calendar import DEFAULT_CALENDAR, BusinessCalendar
from ..models import Case

FIRST_RESPONSE_WORKING_DAYS = 2
FIRST_RESPONSE_URGENT_WORKING_HOURS = 4


def calendar() -> BusinessCalendar:
    return DEFAULT_CALENDAR


def first_response_due(received_at: datetime, priority: str) -> datetime:
    """Service promise: first response within 2 working days, or 4 working hours when urgent."""
    cal = calendar()
    if priority == "high":
        return cal.add_working_hours(received_at, FIRST_RESPONSE_URGENT_WORKING_HOURS)
    return cal.add_working_days(received_at, FIRST_RESPONSE_WORKING_DAYS)


def refresh_due(case: Case) -> None:
    """Recompute the denormalised due instants after a state change."""
    if case.first_response_due_at is None:
        case.first_response_due_at = first_response_due(case.created_at, case.priority)
    running = []
    if case.first_response_at is None and case.is_open:
        running.append(case.first_response_due_at)
    case.next_due_at = min(running) if running else None
