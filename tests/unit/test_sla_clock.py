"""SLA clocks against docs/domain.md's worked examples, plus properties of pauses and shares."""
from datetime import UTC, datetime, timedelta
from fractions import Fraction
from zoneinfo import ZoneInfo

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from caseflow.domain.calendar import DEFAULT_CALENDAR as CAL
from caseflow.domain.sla import (
    CALENDAR_WEEKS,
    WORKING_DAYS,
    WORKING_HOURS,
    ClockSpec,
    breach_instant,
    clock_state,
    completion_request_moves_start,
    days_paused,
    elapsed_share,
    fl12_flag_date,
    pbl_due,
    pbl_fee_reduction,
)

STHLM = ZoneInfo("Europe/Stockholm")


def local(y, mo, d, h=0, mi=0, s=0):
    return datetime(y, mo, d, h, mi, s, tzinfo=STHLM)


def as_local(t):
    return t.astimezone(STHLM).replace(tzinfo=None)


TWO_DAYS = ClockSpec(WORKING_DAYS, 2)


def test_three_working_hour_pause_moves_wednesday_deadline_to_thursday_eleven():
    st_ = clock_state(CAL, TWO_DAYS, local(2026, 11, 23, 10), [(local(2026, 11, 24, 9), local(2026, 11, 24, 12))])
    assert as_local(st_.due) == datetime(2026, 11, 26, 11)


def test_pause_that_starts_after_the_due_instant_changes_nothing():
    st_ = clock_state(CAL, TWO_DAYS, local(2026, 11, 23, 10), [(local(2026, 11, 26, 9), local(2026, 11, 27, 9))])
    assert as_local(st_.due) == datetime(2026, 11, 25, 17)
    assert st_.effective_pauses == ()


def test_complaint_answer_clock_paused_for_three_days_moves_three_working_days():
    spec = ClockSpec(WORKING_DAYS, 10)
    start = local(2026, 11, 2, 10)  # Monday
    unpaused = clock_state(CAL, spec, start).due
    paused = clock_state(CAL, spec, start, [(local(2026, 11, 3, 10), local(2026, 11, 6, 10))]).due  # Tue -> Fri
    assert as_local(unpaused) == datetime(2026, 11, 16, 17)
    # 27 working hours paused (Tue 10-17, Wed, Thu, Fri 8-10) = 3 working days
    assert CAL.working_time_between(unpaused, paused) == timedelta(hours=27)
    assert as_local(paused) == datetime(2026, 11, 19, 17)


def test_open_pause_means_no_due_instant_until_resumed():
    st_ = clock_state(CAL, TWO_DAYS, local(2026, 11, 23, 10), [(local(2026, 11, 24, 9), None)])
    assert st_.paused and st_.due is None


def test_warning_instant_is_at_eighty_percent_of_working_time():
    st_ = clock_state(CAL, TWO_DAYS, local(2026, 11, 23, 10))
    # target = 7 + 9 + 9 = 25 working hours; 80 % = 20 h -> Wednesday 12:00
    assert as_local(st_.warn_at) == datetime(2026, 11, 25, 12)


def test_answer_after_hours_on_the_due_day_is_still_in_time():
    start = local(2026, 11, 23, 10)
    due = clock_state(CAL, TWO_DAYS, start).due
    assert elapsed_share(CAL, TWO_DAYS, start, [], due, local(2026, 11, 25, 18)) == 1
    assert elapsed_share(CAL, TWO_DAYS, start, [], due, local(2026, 11, 26, 8, 1)) > 1


def test_week_clock_pause_counts_whole_days_rounded_up():
    assert days_paused(CAL, [(local(2026, 1, 5, 10), local(2026, 1, 8, 10))]) == 3
    assert days_paused(CAL, [(local(2026, 1, 5, 17), local(2026, 1, 6, 10))]) == 1  # 17 h overnight
    assert days_paused(CAL, [(local(2026, 1, 5, 9), local(2026, 1, 5, 12)),
                             (local(2026, 1, 7, 9), local(2026, 1, 7, 12))]) == 1  # two 3-hour pauses


def test_week_clock_with_pause_applies_1930_173_once_to_the_result():
    spec = ClockSpec(CALENDAR_WEEKS, 2)
    start = local(2026, 12, 3, 10)  # Thursday; + 2 weeks = Thu 17 Dec
    assert as_local(clock_state(CAL, spec, start).due) == datetime(2026, 12, 17, 23, 59, 59)
    # 7 days paused -> Thu 24 Dec (julafton) -> Mon 28 Dec
    st_ = clock_state(CAL, spec, start, [(local(2026, 12, 4, 10), local(2026, 12, 11, 10))])
    assert as_local(st_.due) == datetime(2026, 12, 28, 23, 59, 59)


def test_dst_weekend_does_not_shift_a_working_hours_clock():
    # DST ends Sunday 25 October 2026: Friday 15:00 + 4 working hours = Monday 10:00 local
    st_ = clock_state(CAL, ClockSpec(WORKING_HOURS, 4), local(2026, 10, 23, 15))
    assert as_local(st_.due) == datetime(2026, 10, 26, 10)


# -- PBL worked examples ------------------------------------------------------------------------------------
RECEIVED = local(2026, 3, 2, 10)  # Monday


def test_bygglov_completion_requested_on_day_12_restarts_the_clock_at_completion():
    assert completion_request_moves_start(CAL, RECEIVED, local(2026, 3, 14, 9))  # day 12
    completed = local(2026, 3, 30, 14)  # completion arrives
    assert as_local(pbl_due(CAL, completed, 10)) == datetime(2026, 6, 8, 23, 59, 59)


def test_bygglov_completion_requested_on_day_25_does_not_move_the_start():
    assert not completion_request_moves_start(CAL, RECEIVED, local(2026, 3, 27, 9))  # day 25
    # runs from receipt: 2 March + 10 weeks = 11 May 2026
    assert as_local(pbl_due(CAL, RECEIVED, 10)) == datetime(2026, 5, 11, 23, 59, 59)


def test_completion_window_is_inclusive_of_day_21():
    assert completion_request_moves_start(CAL, RECEIVED, local(2026, 3, 23, 23, 59))
    assert not completion_request_moves_start(CAL, RECEIVED, local(2026, 3, 24, 0, 1))


def test_pbl_extension_applies_1930_173_once_to_the_extended_deadline():
    # 10 weeks from Thu 16 Apr 2026 = Thu 25 Jun; + 10 more = Thu 3 Sep 2026 (a working day)
    start = local(2026, 4, 16, 9)
    assert as_local(pbl_due(CAL, start, 10)) == datetime(2026, 6, 25, 23, 59, 59)
    assert as_local(pbl_due(CAL, start, 10, extension_weeks=10)) == datetime(2026, 9, 3, 23, 59, 59)
    # a deadline on midsommarafton moves; the extended one is computed from the start, not from the moved one
    start2 = local(2026, 4, 10, 9)  # + 10 weeks = Fri 19 June = midsommarafton -> Mon 22 June
    assert as_local(pbl_due(CAL, start2, 10)) == datetime(2026, 6, 22, 23, 59, 59)
    assert as_local(pbl_due(CAL, start2, 10, extension_weeks=1)) == datetime(2026, 6, 26, 23, 59, 59)


def test_pbl_extension_is_at_most_the_original_period():
    with pytest.raises(ValueError):
        pbl_due(CAL, RECEIVED, 10, extension_weeks=11)


@pytest.mark.parametrize("late,weeks,share", [
    (timedelta(0), 0, Fraction(0)), (timedelta(seconds=1), 1, Fraction(1, 5)), (timedelta(days=7), 1, Fraction(1, 5)),
    (timedelta(days=7, seconds=1), 2, Fraction(2, 5)), (timedelta(days=34), 5, Fraction(1)),
    (timedelta(days=70), 10, Fraction(1)),
])
def test_pbl_fee_reduction_is_one_fifth_per_started_week(late, weeks, share):
    due = local(2026, 5, 11, 23, 59, 59)
    assert pbl_fee_reduction(CAL, due, due + late) == (weeks, share)


def test_fl12_six_month_date_handles_month_ends():
    from datetime import date

    assert fl12_flag_date(date(2026, 8, 31)) == date(2027, 2, 28)
    assert fl12_flag_date(date(2026, 5, 15)) == date(2026, 11, 15)


# -- properties ----------------------------------------------------------------------------------------------
instants = st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2027, 12, 31), timezones=st.just(UTC))
specs = st.one_of(
    st.builds(ClockSpec, st.just(WORKING_HOURS), st.integers(1, 40)),
    st.builds(ClockSpec, st.just(WORKING_DAYS), st.integers(1, 20)),
    st.builds(ClockSpec, st.just(CALENDAR_WEEKS), st.integers(1, 12)),
)
pause_lists = st.lists(st.tuples(st.integers(0, 60 * 24 * 30), st.integers(1, 60 * 24 * 10)), max_size=3)


def _pauses(start, raw):
    out, t = [], start
    for gap, length in raw:
        ps = t + timedelta(minutes=gap)
        out.append((ps, ps + timedelta(minutes=length)))
        t = ps + timedelta(minutes=length)
    return out


@settings(max_examples=200, deadline=None)
@given(specs, instants, pause_lists)
def test_pausing_never_shortens_a_due_instant(spec, start, raw):
    pauses = _pauses(start, raw)
    assert clock_state(CAL, spec, start, pauses).due >= clock_state(CAL, spec, start).due
    for k in range(len(pauses)):  # adding one more pause never makes it earlier either
        assert clock_state(CAL, spec, start, pauses[: k + 1]).due >= clock_state(CAL, spec, start, pauses[:k]).due


@settings(max_examples=200, deadline=None)
@given(specs, instants, pause_lists)
def test_elapsed_share_is_exactly_one_at_the_due_instant(spec, start, raw):
    pauses = _pauses(start, raw)
    state = clock_state(CAL, spec, start, pauses)
    assume(state.due > start)
    assert elapsed_share(CAL, spec, start, state.effective_pauses, state.due, state.due) == 1
    assert elapsed_share(CAL, spec, start, state.effective_pauses, state.due, state.warn_at) <= Fraction(4, 5) + \
        Fraction(1, 10**6)


@settings(max_examples=200, deadline=None)
@given(specs, instants, pause_lists)
def test_working_clock_due_instants_fall_in_working_time(spec, start, raw):
    assume(spec.unit != CALENDAR_WEEKS)
    due = clock_state(CAL, spec, start, _pauses(start, raw)).due
    assert CAL.is_working_time(due) or CAL.is_working_time(due - timedelta(microseconds=1))


# -- DST: wall-clock arithmetic (docs/domain.md "Exact definitions") ---------------------------------------------------
def test_fee_reduction_counts_weeks_late_on_the_wall_clock_across_the_end_of_dst():
    """"weeks late = ceil(local wall-clock time past the deadline / 7 days)": 6 days 23 h 30 min on the wall across
    the last Sunday of October (25 Oct 2026) is 7 days of absolute time, yet one started week, 1/5."""
    # As stored: UTC instants (with the zone's own tzinfo Python would subtract wall-clock times and hide the rule)
    due = local(2026, 10, 20, 23, 59, 59).astimezone(UTC)
    decided = local(2026, 10, 27, 23, 29, 59).astimezone(UTC)  # 6 d 23 h 30 min on the wall; 7 d 0 h 30 min absolute
    assert decided - due == timedelta(days=7, minutes=30)
    assert pbl_fee_reduction(CAL, due, decided) == (1, Fraction(1, 5))


def test_fee_reduction_counts_a_full_wall_week_across_the_start_of_dst_as_one():
    """Across the last Sunday of March the wall week has 167 absolute hours: 7 wall days late is still 1 week."""
    due = local(2027, 3, 23, 23, 59, 59).astimezone(UTC)
    assert pbl_fee_reduction(CAL, due, local(2027, 3, 30, 23, 59, 59).astimezone(UTC)) == (1, Fraction(1, 5))
    assert pbl_fee_reduction(CAL, due, local(2027, 3, 31, 0, 0, 0).astimezone(UTC)) == (2, Fraction(2, 5))


def test_week_clock_pause_days_are_wall_clock_time_across_the_end_of_dst():
    """"The days paused are the total local wall-clock time of the clock's pauses divided by 24 hours and rounded
    up": 47 h 30 min on the wall over the end of DST (48 h 30 min absolute) is 2 days, not 3."""
    pause = (local(2026, 10, 24, 8, 0).astimezone(UTC), local(2026, 10, 26, 7, 30).astimezone(UTC))
    assert pause[1] - pause[0] == timedelta(hours=48, minutes=30)
    assert days_paused(CAL, [pause]) == 2


# -- the breach instant ----------------------------------------------------------------------------------------------
def test_day_clock_due_wednesday_17_is_breached_from_thursday_08_not_17_00_01():
    """"for working-hour and working-day clocks the first moment of working time after the due (a day clock due
    Wednesday 17:00 is breached from Thursday 08:00, not at 17:00:01)"."""
    due = local(2026, 11, 25, 17)
    assert breach_instant(CAL, TWO_DAYS, due) == local(2026, 11, 26, 8)


def test_hour_clock_due_inside_working_hours_is_breached_right_after_its_due():
    due = local(2026, 11, 25, 11)
    assert breach_instant(CAL, ClockSpec(WORKING_HOURS, 4), due) == due


def test_urgent_clock_due_friday_17_is_breached_from_monday_08_over_a_weekend():
    due = local(2026, 11, 27, 17)
    assert breach_instant(CAL, ClockSpec(WORKING_HOURS, 4), due) == local(2026, 11, 30, 8)


def test_week_clock_is_breached_right_after_its_due_instant():
    """"for week clocks the due instant itself"."""
    due = local(2026, 12, 17, 23, 59, 59)
    assert breach_instant(CAL, ClockSpec(CALENDAR_WEEKS, 2), due) == due


def test_share_is_one_until_the_breach_instant_and_above_one_right_after():
    """An urgent case answered at 17:40 whose 4-working-hour clock was due at 17:00 is in time."""
    spec = ClockSpec(WORKING_HOURS, 4)
    start = local(2026, 11, 25, 13)
    due = clock_state(CAL, spec, start).due
    assert due == local(2026, 11, 25, 17)
    assert elapsed_share(CAL, spec, start, [], due, local(2026, 11, 25, 17, 40)) == 1
    breach = breach_instant(CAL, spec, due)
    assert elapsed_share(CAL, spec, start, [], due, breach) == 1
    assert elapsed_share(CAL, spec, start, [], due, breach + timedelta(seconds=1)) > 1
