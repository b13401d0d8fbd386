"""Time left and time late in a clock's own terms (domain.sla.remaining, docs/domain.md "Time left and time
late"): working hours, working days as add_working_days counts them, calendar days to a statutory deadline day."""
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from caseflow.domain.calendar import DEFAULT_CALENDAR as CAL
from caseflow.domain.sla import (
    CALENDAR_WEEKS,
    WORKING_DAYS,
    WORKING_HOURS,
    ClockSpec,
    breach_instant,
    clock_state,
    remaining,
)

STHLM = ZoneInfo("Europe/Stockholm")


def local(y, mo, d, h=0, mi=0):
    return datetime(y, mo, d, h, mi, tzinfo=STHLM)


def left(unit, start, now, target):
    due = clock_state(CAL, ClockSpec(unit, target), start).due
    return remaining(CAL, unit, due, now, breach_instant(CAL, ClockSpec(unit, target), due))


def test_a_two_working_day_clock_counts_down_by_working_days_then_late_by_started_working_days():
    start = local(2026, 11, 20, 10)  # Friday: due Tuesday 24 November 17:00, late from Wednesday 08:00
    days = {d: left(WORKING_DAYS, start, local(2026, 11, d, 12), 2) for d in (20, 21, 23, 24, 25, 27)}
    assert [(r.late, r.days, r.reached) for r in days.values()] == [
        (False, 2, False), (False, 2, False), (False, 1, False), (False, 0, False), (True, 1, False),
        (True, 3, False)]
    evening = left(WORKING_DAYS, start, local(2026, 11, 24, 18), 2)
    assert (evening.late, evening.days, evening.reached) == (False, 0, True)  # no working time since the due


def test_a_statutory_clock_counts_calendar_days_to_its_deadline_day():
    start = local(2026, 11, 24, 9)  # 10 weeks: Tuesday 2 February 2027, 23:59:59
    assert left(CALENDAR_WEEKS, start, start, 10).days == 70
    assert left(CALENDAR_WEEKS, start, local(2027, 2, 2, 23, 59), 10).days == 0
    late = left(CALENDAR_WEEKS, start, local(2027, 2, 3, 0, 1), 10)
    assert (late.late, late.days) == (True, 1)


def test_a_working_hour_clock_counts_working_time():
    start = local(2026, 11, 24, 15)  # 4 working hours: Wednesday 10:00
    assert left(WORKING_HOURS, start, local(2026, 11, 24, 16), 4).working == timedelta(hours=3)
    late = left(WORKING_HOURS, start, local(2026, 11, 25, 13, 30), 4)
    assert late.late and late.working == timedelta(hours=3, minutes=30)


@given(st.dates(date(2025, 1, 1), date(2028, 12, 31)), st.integers(1, 30))
def test_on_the_day_of_receipt_a_working_day_clock_has_its_whole_target_left(day, target):
    start = datetime(day.year, day.month, day.day, 10, tzinfo=STHLM)
    r = left(WORKING_DAYS, start, start, target)
    assert (r.late, r.days, r.reached) == (False, target, False)
