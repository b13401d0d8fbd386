"""The Swedish business calendar, against the worked examples of docs/domain.md and as properties."""
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from caseflow.domain.calendar import DEFAULT_CALENDAR as CAL
from caseflow.domain.calendar import BusinessCalendar, statutory_day_off

STHLM = ZoneInfo("Europe/Stockholm")


def local(y, mo, d, h=0, mi=0, s=0):
    return datetime(y, mo, d, h, mi, s, tzinfo=STHLM)


def as_local(t):
    return t.astimezone(STHLM).replace(tzinfo=None)


def test_two_working_days_from_monday_morning_is_wednesday_end_of_day():
    assert as_local(CAL.add_working_days(local(2026, 11, 23, 10), 2)) == datetime(2026, 11, 25, 17)


def test_two_working_days_from_saturday_is_tuesday_end_of_day():
    assert as_local(CAL.add_working_days(local(2026, 11, 28, 10), 2)) == datetime(2026, 12, 1, 17)


def test_receipt_day_never_counts_even_after_hours_on_a_working_day():
    assert as_local(CAL.add_working_days(local(2026, 11, 23, 23, 30), 1)) == datetime(2026, 11, 24, 17)


def test_christmas_run_skips_julafton_juldagen_annandag_and_weekend():
    # 2026: Thu 24 julafton, Fri 25, Sat 26, Sun 27 -> Mon 28 is day 1, Tue 29 day 2
    assert as_local(CAL.add_working_days(local(2026, 12, 23, 10), 2)) == datetime(2026, 12, 29, 17)


def test_new_year_skips_nyarsafton_nyarsdagen_and_trettondagen():
    # 2026-12-30 (Wed) + 2: Thu 31 nyårsafton closed, Fri 1 Jan closed, Mon 4 Jan = 1, Tue 5 Jan = 2
    assert as_local(CAL.add_working_days(local(2026, 12, 30, 9), 2)) == datetime(2027, 1, 5, 17)
    # ... and +3 lands on Thu 7 Jan, since Wed 6 Jan is trettondedag jul
    assert as_local(CAL.add_working_days(local(2026, 12, 30, 9), 3)) == datetime(2027, 1, 7, 17)


def test_easter_week_skips_good_friday_and_easter_monday():
    # 2026: Good Friday 3 April, Easter Monday 6 April
    assert as_local(CAL.add_working_days(local(2026, 4, 2, 12), 1)) == datetime(2026, 4, 7, 17)


def test_midsommarafton_is_closed_by_default_and_open_when_configured():
    # Midsommarafton 2026 is Friday 19 June
    assert as_local(CAL.add_working_days(local(2026, 6, 18, 12), 1)) == datetime(2026, 6, 22, 17)
    open_eves = BusinessCalendar(include_de_facto=False)
    assert as_local(open_eves.add_working_days(local(2026, 6, 18, 12), 1)) == datetime(2026, 6, 19, 17)


def test_extra_closed_dates_are_not_working_days():
    cal = BusinessCalendar(extra_closed=frozenset({date(2026, 11, 24)}))
    assert as_local(cal.add_working_days(local(2026, 11, 23, 10), 1)) == datetime(2026, 11, 25, 17)


def test_four_working_hours_from_friday_afternoon_continue_monday_morning():
    assert as_local(CAL.add_working_hours(local(2026, 11, 27, 15), 4)) == datetime(2026, 11, 30, 10)


def test_working_hours_can_end_exactly_at_closing_time():
    assert as_local(CAL.add_working_hours(local(2026, 11, 27, 13), 4)) == datetime(2026, 11, 27, 17)


def test_received_outside_hours_starts_counting_at_next_opening():
    assert as_local(CAL.add_working_hours(local(2026, 11, 27, 20), 1)) == datetime(2026, 11, 30, 9)


def test_zero_working_hours_is_the_instant_itself():
    t = local(2026, 11, 28, 3)
    assert CAL.add_working_hours(t, 0) == t


def test_working_hours_across_spring_dst_change_are_real_hours():
    # DST starts Sunday 29 March 2026; Friday 16:00 + 2h -> Monday 09:00 local, 9h of working day intact
    assert as_local(CAL.add_working_hours(local(2026, 3, 27, 16), 2)) == datetime(2026, 3, 30, 9)
    day = CAL.working_time_between(local(2026, 3, 30, 0), local(2026, 3, 31, 0))
    assert day == timedelta(hours=9)


def test_calendar_weeks_keep_local_end_of_day_across_dst():
    # 2026-03-20 + 2 weeks = Friday 3 April = Good Friday -> Tuesday 7 April (Easter Monday is closed too)
    due = CAL.add_calendar_weeks(local(2026, 3, 20, 10), 2)
    assert as_local(due) == datetime(2026, 4, 7, 23, 59, 59)
    # autumn: 2026-10-20 + 1 week = Tue 27 Oct, end of day local despite DST ending on 25 Oct
    assert as_local(CAL.add_calendar_weeks(local(2026, 10, 20, 10), 1)) == datetime(2026, 10, 27, 23, 59, 59)


def test_calendar_week_deadline_on_julafton_moves_to_next_working_day():
    assert as_local(CAL.add_calendar_weeks(local(2026, 12, 17, 10), 1)) == datetime(2026, 12, 28, 23, 59, 59)


def test_statutory_days_off_follow_lag_1930_173():
    assert statutory_day_off(date(2026, 6, 19))  # midsommarafton
    assert statutory_day_off(date(2026, 12, 24))  # julafton
    assert statutory_day_off(date(2026, 12, 31))  # nyårsafton
    assert statutory_day_off(date(2026, 11, 28))  # Saturday
    assert not statutory_day_off(date(2026, 11, 27))


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError):
        CAL.add_working_days(datetime(2026, 11, 27, 10), 1)


# -- properties ------------------------------------------------------------------------------------------------
instants = st.datetimes(
    min_value=datetime(2024, 1, 1), max_value=datetime(2028, 12, 31), timezones=st.just(UTC),
)


@settings(max_examples=300, deadline=None)
@given(instants, st.integers(min_value=0, max_value=60 * 200))
def test_adding_working_minutes_then_measuring_returns_the_amount(t, minutes):
    amount = timedelta(minutes=minutes)
    due = CAL.add_working_hours(t, amount)
    assert CAL.working_time_between(t, due) == amount


@settings(max_examples=300, deadline=None)
@given(instants, st.integers(min_value=1, max_value=60 * 200))
def test_working_hour_due_instants_never_fall_outside_working_time(t, minutes):
    due = CAL.add_working_hours(t, timedelta(minutes=minutes))
    # the due instant is inside working hours, or exactly at a closing time
    assert CAL.is_working_time(due) or CAL.is_working_time(due - timedelta(microseconds=1))


@settings(max_examples=200, deadline=None)
@given(instants, st.integers(min_value=1, max_value=30))
def test_working_day_due_is_closing_time_of_a_working_day_after_receipt(t, n):
    due = CAL.add_working_days(t, n)
    local_due = due.astimezone(STHLM)
    assert local_due.hour == 17 and local_due.minute == 0
    assert CAL.is_working_day(local_due.date())
    assert local_due.date() > CAL.local_date(t)
    # exactly n working days lie in (receipt date, due date]
    d, count = CAL.local_date(t), 0
    while d < local_due.date():
        d += timedelta(days=1)
        count += CAL.is_working_day(d)
    assert count == n


@settings(max_examples=200, deadline=None)
@given(instants, st.integers(min_value=0, max_value=20))
def test_calendar_week_deadlines_are_end_of_a_statutory_working_day(t, n):
    due = CAL.add_calendar_weeks(t, n).astimezone(STHLM)
    assert (due.hour, due.minute, due.second) == (23, 59, 59)
    assert not statutory_day_off(due.date())
    assert due.date() >= CAL.local_date(t) + timedelta(weeks=n)
