"""The test oracle (tests/oracle) checked against the worked examples of the domain's time rules.

Each test quotes the sentence it checks. The oracle must be right on its own before it may judge the engine.
"""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from fractions import Fraction

import pytest

from tests.oracle import almanac as A
from tests.oracle import rules as O
from tests.oracle.rules import wall

H = timedelta(hours=1)


# --- the almanac ------------------------------------------------------------------------------------------------

def _easter_by_computus(year: int) -> date:
    """Anonymous Gregorian computus (Meeus/Jones/Butcher), only to double-check the hand-written Easter dates."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month = (h + ell - 7 * m + 114) // 31
    day = (h + ell - 7 * m + 114) % 31 + 1
    return date(year, month, day)


def _named(name: str, year: int) -> list[date]:
    return [d for d, n in (A.PUBLIC_HOLIDAYS | A.DE_FACTO_CLOSED).items() if n == name and d.year == year]


@pytest.mark.parametrize("year", [2025, 2026, 2027, 2028])
def test_almanac_has_the_thirteen_public_holidays_and_three_de_facto_closed_days_each_year(year):
    # "Swedish public holidays ... plus de-facto closed days julafton, midsommarafton, nyårsafton."
    assert len([d for d in A.PUBLIC_HOLIDAYS if d.year == year]) == 13
    assert len([d for d in A.DE_FACTO_CLOSED if d.year == year]) == 3


@pytest.mark.parametrize("year", [2025, 2026, 2027, 2028])
def test_almanac_easter_based_days_follow_easter_sunday(year):
    easter = _easter_by_computus(year)
    assert easter in A.EASTER_SUNDAYS and easter.weekday() == 6
    assert _named("påskdagen", year) == [easter]
    assert _named("långfredagen", year) == [easter - timedelta(days=2)]
    assert _named("annandag påsk", year) == [easter + timedelta(days=1)]
    assert _named("Kristi himmelfärdsdag", year) == [easter + timedelta(days=39)]
    assert _named("Kristi himmelfärdsdag", year)[0].weekday() == 3
    assert _named("pingstdagen", year) == [easter + timedelta(days=49)]
    assert _named("pingstdagen", year)[0].weekday() == 6


@pytest.mark.parametrize("year", [2025, 2026, 2027, 2028])
def test_almanac_fixed_and_weekday_rule_days(year):
    for month, day, name in [(1, 1, "nyårsdagen"), (1, 6, "trettondedag jul"), (5, 1, "första maj"),
                             (6, 6, "nationaldagen"), (12, 24, "julafton"), (12, 25, "juldagen"),
                             (12, 26, "annandag jul"), (12, 31, "nyårsafton")]:
        assert _named(name, year) == [date(year, month, day)]
    (eve,) = _named("midsommarafton", year)
    assert eve.weekday() == 4 and date(year, 6, 19) <= eve <= date(year, 6, 25)
    assert _named("midsommardagen", year) == [eve + timedelta(days=1)]
    (all_saints,) = _named("alla helgons dag", year)
    assert all_saints.weekday() == 5 and date(year, 10, 31) <= all_saints <= date(year, 11, 6)


@pytest.mark.parametrize("day", A.DST_STARTS + A.DST_ENDS)
def test_almanac_dst_days_are_last_sundays_where_stockholm_changes_offset(day):
    assert day.weekday() == 6 and day.month in (3, 10) and (day + timedelta(days=7)).month != day.month
    before = datetime(day.year, day.month, day.day, 0, 30, tzinfo=A.STOCKHOLM).utcoffset()
    after = datetime(day.year, day.month, day.day, 4, 0, tzinfo=A.STOCKHOLM).utcoffset()
    assert after - before == (H if day.month == 3 else -H)


def test_almanac_refuses_dates_it_does_not_cover():
    with pytest.raises(ValueError):
        A.is_working_day(date(2029, 1, 2))


# --- working time -----------------------------------------------------------------------------------------------

def test_working_time_is_inside_hours_on_working_days_only():
    # "Working time is time inside working hours on a working day (not a weekend, not a public holiday, not a
    # configured closed day)." / "de-facto closed days julafton, midsommarafton, nyårsafton"
    assert O.is_working_time(wall(2025, 3, 5, 10))             # a Wednesday
    assert O.is_working_time(wall(2025, 3, 5, 8))              # opening minute counts
    assert not O.is_working_time(wall(2025, 3, 5, 17))         # closing time does not
    assert not O.is_working_time(wall(2025, 3, 8, 10))         # Saturday
    assert not O.is_working_time(wall(2025, 4, 18, 10))        # långfredagen
    assert not O.is_working_time(wall(2025, 6, 20, 10))        # midsommarafton
    assert not O.is_working_time(wall(2025, 12, 24, 10))       # julafton
    assert not O.is_working_time(wall(2025, 12, 31, 10))       # nyårsafton
    assert O.is_working_time(wall(2025, 5, 30, 10))            # the Friday after Kristi himmelfärd is open
    assert O.working_time_between(wall(2025, 3, 7, 16), wall(2025, 3, 10, 9)) == 2 * H


def test_working_hours_from_receipt_outside_hours_start_at_next_opening():
    # "A case received outside working hours starts counting at the next start of working hours."
    assert O.add_working_hours(wall(2025, 3, 7, 18), 4 * H) == wall(2025, 3, 10, 12)
    # Thursday evening before Easter: långfredagen, the weekend and annandag påsk are closed.
    assert O.add_working_hours(wall(2025, 4, 17, 18), 4 * H) == wall(2025, 4, 22, 12)


def test_working_hours_can_end_at_seventeen_exactly_and_zero_hours_is_t():
    # "N working hours from instant t: the first instant at which N hours of working time have passed since t
    # (so it can be 17:00 exactly)." / "0 hours from t is t."
    assert O.add_working_hours(wall(2025, 3, 5, 13), 4 * H) == wall(2025, 3, 5, 17)
    assert O.add_working_hours(wall(2025, 3, 8, 3, 17), timedelta(0)) == wall(2025, 3, 8, 3, 17)
    assert O.add_working_hours(wall(2025, 3, 5, 16, 30), 4 * H) == wall(2025, 3, 6, 11, 30)


def test_working_days_count_from_the_day_after_receipt():
    # "Received Monday 10:00, 2 working days → Wednesday 17:00; received Saturday → Tuesday 17:00."
    assert O.add_working_days(wall(2025, 3, 3, 10), 2) == wall(2025, 3, 5, 17)
    assert O.add_working_days(wall(2025, 3, 8, 10), 2) == wall(2025, 3, 11, 17)
    # "(the day of receipt does not count, whether or not it is a working day)"
    assert O.add_working_days(wall(2025, 3, 3, 16, 59), 1) == wall(2025, 3, 4, 17)
    assert O.add_working_days(wall(2025, 6, 19, 20), 1) == wall(2025, 6, 23, 17)  # over midsommar


# --- calendar weeks and lag (1930:173) ---------------------------------------------------------------------------

def test_calendar_weeks_end_at_23_59_59_of_the_same_weekday():
    # "N calendar weeks from instant t: the end (23:59:59 local) of the same weekday N weeks after the local date of t."
    assert O.add_calendar_weeks(wall(2025, 3, 5, 14), 2) == wall(2025, 3, 19, 23, 59, 59)
    # local date, not UTC date: 00:30 on 5 March is still 4 March in UTC
    assert O.add_calendar_weeks(wall(2025, 3, 5, 0, 30), 2) == wall(2025, 3, 19, 23, 59, 59)


@pytest.mark.parametrize(("start", "due"), [
    ((2025, 3, 8), (2025, 3, 24)),      # lands on a Saturday -> Monday
    ((2025, 5, 15), (2025, 5, 30)),     # Kristi himmelfärdsdag -> Friday
    ((2025, 6, 6), (2025, 6, 23)),      # midsommarafton, midsommardagen, Sunday -> Monday
    ((2025, 12, 10), (2025, 12, 29)),   # julafton, juldagen, annandag jul, weekend -> Monday
    ((2025, 12, 17), (2026, 1, 2)),     # nyårsafton, nyårsdagen -> Friday 2 January
])
def test_calendar_weeks_move_off_closed_days_by_lag_1930_173(start, due):
    # "If that day is a Saturday, Sunday, public holiday, midsommarafton, julafton or nyårsafton, the deadline
    # moves to the end (23:59:59) of the next working day (lag (1930:173) om beräkning av lagstadgad tid)."
    assert O.add_calendar_weeks(wall(*start, 11), 2) == wall(*due, 23, 59, 59)


def test_calendar_weeks_across_dst_keep_the_wall_clock_deadline():
    # "Calendar arithmetic is done in local wall-clock time (a DST change does not shift a deadline by an hour)."
    due = O.add_calendar_weeks(wall(2025, 10, 20, 10), 2)
    assert A.local(due) == datetime(2025, 11, 3, 23, 59, 59)
    assert due == datetime(2025, 11, 3, 22, 59, 59, tzinfo=UTC)
    due = O.add_calendar_weeks(wall(2025, 3, 24, 10), 1)
    assert due == datetime(2025, 3, 31, 21, 59, 59, tzinfo=UTC)


# --- pauses -----------------------------------------------------------------------------------------------------

def test_three_working_hour_pause_moves_wednesday_17_to_thursday_11():
    # "a 3-working-hour pause moves a Wednesday 17:00 deadline to Thursday 11:00"
    c = O.clock(O.WORKING_DAYS, 2, wall(2025, 3, 3, 10), [(wall(2025, 3, 4, 9), wall(2025, 3, 4, 12))])
    assert c.due == wall(2025, 3, 6, 11)
    # the same pause over a night, measured in working time (16:00-17:00 and 08:00-10:00)
    c = O.clock(O.WORKING_DAYS, 2, wall(2025, 3, 3, 10), [(wall(2025, 3, 3, 16), wall(2025, 3, 4, 10))])
    assert c.due == wall(2025, 3, 6, 11)


def test_pause_starting_after_the_due_changes_nothing_and_a_breach_stays_a_breach():
    # "a pause that starts after the due instant changes nothing: a breach stays a breach"
    start, pauses = wall(2025, 3, 3, 10), [(wall(2025, 3, 6, 9), wall(2025, 3, 7, 12))]
    assert O.clock(O.WORKING_DAYS, 2, start, pauses).due == wall(2025, 3, 5, 17)
    assert not O.in_time(O.WORKING_DAYS, 2, start, pauses, wall(2025, 3, 7, 13))
    # ... also while that wait is still open (it does not hold the clock)
    c = O.clock(O.WORKING_DAYS, 2, start, [(wall(2025, 3, 6, 9), None)])
    assert c.due == wall(2025, 3, 5, 17) and not c.paused


def test_an_open_pause_holds_the_clock_without_a_due():
    # "a clock pauses while the case waits on the company (status awaiting_customer ...) and resumes when the
    # company answers"
    c = O.clock(O.WORKING_HOURS, 4, wall(2025, 3, 3, 10), [(wall(2025, 3, 3, 11), None)])
    assert c.due is None and c.paused
    c = O.clock(O.CALENDAR_WEEKS, 2, wall(2025, 3, 3, 10), [(wall(2025, 3, 4, 11), None)])
    assert c.due is None and c.paused


@pytest.mark.parametrize(("pauses", "days"), [
    ([((2025, 3, 3, 10), (2025, 3, 6, 10))], 3),                                     # Monday 10 to Thursday 10
    ([((2025, 3, 3, 17), (2025, 3, 4, 10))], 1),                                     # 17 hours overnight
    ([((2025, 3, 3, 9), (2025, 3, 3, 12)), ((2025, 3, 5, 9), (2025, 3, 5, 12))], 1),  # two 3-hour pauses
    ([((2025, 10, 24, 10), (2025, 10, 26, 9, 30))], 2),                              # 47 h 30 min wall clock, DST end
    ([((2025, 3, 28, 10), (2025, 3, 30, 11))], 3),                                   # 49 h wall clock (48 h real)
])
def test_days_paused_are_wall_clock_time_over_24_hours_rounded_up(pauses, days):
    # "The days paused are the total local wall-clock time of the clock's pauses divided by 24 hours and rounded up
    # (Monday 10:00 to Thursday 10:00 is 3 days; 17 hours overnight is 1 day; two 3-hour pauses together are 1 day)."
    # Issue 16: "A pause of 47 h 30 min on the wall clock over the end of DST is 2 days, not 3."
    assert O.days_paused([(wall(*a), wall(*b)) for a, b in pauses]) == days


def test_week_clock_pause_moves_the_day_then_lag_1930_173_once():
    # "Calendar-week clocks: the deadline day moves later by the number of days paused, stays at 23:59:59, and the
    # 1930:173 rule is applied once, to the result."
    start = wall(2025, 3, 3, 10)  # Monday; 2 weeks -> Monday 17 March
    c = O.clock(O.CALENDAR_WEEKS, 2, start, [(wall(2025, 3, 10, 10), wall(2025, 3, 13, 10))])
    assert c.due == wall(2025, 3, 20, 23, 59, 59)
    # Saturday start: 2 weeks is Saturday 15 March; 1 day paused -> Sunday 16 -> Monday 17 (not Tuesday 18,
    # which moving the original deadline to Monday first would give).
    c = O.clock(O.CALENDAR_WEEKS, 2, wall(2025, 3, 1, 10), [(wall(2025, 3, 4, 9), wall(2025, 3, 4, 14))])
    assert c.due == wall(2025, 3, 17, 23, 59, 59)


def test_week_clock_pauses_taken_in_order_against_the_due_in_force():
    # "As for the other clocks, a pause that starts at or after the due instant in force when it starts changes
    # nothing (pauses are taken in the order they start)."
    start = wall(2025, 3, 3, 10)  # due Monday 17 March 23:59:59
    first = (wall(2025, 3, 10, 10), wall(2025, 3, 12, 10))   # 2 days -> due Wednesday 19 March
    second = (wall(2025, 3, 18, 9), wall(2025, 3, 18, 15))   # after the first due, before the one in force: counts
    c = O.clock(O.CALENDAR_WEEKS, 2, start, [second, first])
    assert c.due == wall(2025, 3, 20, 23, 59, 59)             # 2 d 6 h -> 3 days
    at_due = (wall(2025, 3, 20, 23, 59, 59), wall(2025, 3, 25, 10))
    later = (wall(2025, 3, 21, 0, 0), None)
    assert O.clock(O.CALENDAR_WEEKS, 2, start, [first, second, at_due]).due == c.due
    assert O.clock(O.CALENDAR_WEEKS, 2, start, [first, second, later]).due == c.due


# --- elapsed share, in time, breach instant ------------------------------------------------------------------------

def test_share_is_one_exactly_at_the_due_and_an_answer_at_18_on_the_due_day_is_in_time():
    # "It is 1 exactly at the due instant." / "an answer at 18:00 on the due day of a working-day clock is in time
    # (no working time passed after the due)."
    start = wall(2025, 3, 3, 10)
    assert O.elapsed_share(O.WORKING_DAYS, 2, start, [], wall(2025, 3, 5, 17)) == 1
    assert O.elapsed_share(O.WORKING_DAYS, 2, start, [], wall(2025, 3, 4, 10)) == Fraction(7 + 2, 25)
    assert O.in_time(O.WORKING_DAYS, 2, start, [], wall(2025, 3, 5, 18))
    assert O.elapsed_share(O.CALENDAR_WEEKS, 2, start, [], wall(2025, 3, 17, 23, 59, 59)) == 1


def test_urgent_clock_due_17_answered_17_40_is_in_time_with_share_one():
    # Issue 16: "An urgent case answered at 17:40 whose 4-working-hour clock was due at 17:00 is in time (share
    # exactly 1)"
    start = wall(2025, 3, 5, 13)
    assert O.elapsed_share(O.WORKING_HOURS, 4, start, [], wall(2025, 3, 5, 17, 40)) == 1
    assert O.in_time(O.WORKING_HOURS, 4, start, [], wall(2025, 3, 5, 17, 40))


def test_breach_instant_of_a_day_clock_due_17_is_next_morning_08():
    # "for working-hour and working-day clocks the first moment of working time after the due (a day clock due
    # Wednesday 17:00 is breached from Thursday 08:00, not at 17:00:01)"
    start, due = wall(2025, 3, 3, 10), wall(2025, 3, 5, 17)
    assert O.breach_instant(O.WORKING_DAYS, due) == wall(2025, 3, 6, 8)
    assert O.elapsed_share(O.WORKING_DAYS, 2, start, [], due + timedelta(seconds=1)) == 1
    assert O.elapsed_share(O.WORKING_DAYS, 2, start, [], wall(2025, 3, 6, 8)) == 1
    assert O.elapsed_share(O.WORKING_DAYS, 2, start, [], wall(2025, 3, 6, 8, 0, 1)) > 1
    # due on the Friday before Easter week-end: breached from Tuesday after annandag påsk
    assert O.breach_instant(O.WORKING_DAYS, wall(2025, 4, 17, 17)) == wall(2025, 4, 22, 8)


def test_breach_instant_of_an_hours_clock_due_inside_working_hours_is_the_due():
    # Brief of issue 16: "an hours clock due at 11:00 breaches right after 11:00 → breach instant 11:00"
    start = wall(2025, 3, 5, 16)  # 1 h on Wednesday, 3 h on Thursday
    due = O.clock(O.WORKING_HOURS, 4, start).due
    assert due == wall(2025, 3, 6, 11)
    assert O.breach_instant(O.WORKING_HOURS, due) == due
    assert O.elapsed_share(O.WORKING_HOURS, 4, start, [], due + timedelta(seconds=1)) > 1


def test_breach_instant_of_a_week_clock_is_the_due_itself():
    # "for week clocks the due instant itself"
    due = O.clock(O.CALENDAR_WEEKS, 2, wall(2025, 3, 3, 10)).due
    assert O.breach_instant(O.CALENDAR_WEEKS, due) == due
    assert O.elapsed_share(O.CALENDAR_WEEKS, 2, wall(2025, 3, 3, 10), [], due + timedelta(seconds=1)) > 1


# --- PBL --------------------------------------------------------------------------------------------------------

def test_pbl_completion_request_within_three_weeks_by_local_date():
    # "if a completion is requested within 3 weeks (its local date ≤ the receipt's local date + 21 days), the
    # 10-week clock starts at the instant the completion arrives; otherwise it runs from receipt"
    received = wall(2025, 3, 3, 0, 30)  # 2 March in UTC
    assert O.completion_request_moves_start(received, wall(2025, 3, 24, 12))          # day 21
    assert O.completion_request_moves_start(received, wall(2025, 3, 24, 23, 59))
    assert not O.completion_request_moves_start(received, wall(2025, 3, 25, 0, 1))    # day 22
    completed = wall(2025, 4, 7, 15)
    start = O.pbl_start(received, wall(2025, 3, 24, 12), completed)
    assert start == completed and O.pbl_due(start, 10) == wall(2025, 6, 16, 23, 59, 59)


def test_pbl_late_completion_request_does_not_pause():
    # "a later completion request does not pause it (the law gives no pause; only the one recorded extension)"
    received = wall(2025, 3, 3, 9)
    start = O.pbl_start(received, wall(2025, 3, 25, 9), wall(2025, 4, 20, 9))
    assert start == received and O.pbl_due(start, 10) == wall(2025, 5, 12, 23, 59, 59)


def test_pbl_extension_applies_lag_1930_173_once_to_the_extended_date():
    # "the extended deadline is the start + (10 + extension) weeks, with the 1930:173 rule applied once to that
    # result (not to the original deadline first)."
    start = wall(2025, 10, 15, 10)                       # + 10 weeks = julafton 2025
    assert O.pbl_due(start, 10) == wall(2025, 12, 29, 23, 59, 59)
    assert O.pbl_due(start, 10, 1) == wall(2026, 1, 2, 23, 59, 59)   # nyårsafton -> nyårsdagen -> Friday 2 Jan
    assert O.pbl_due(start, 10, 10) == wall(2026, 3, 4, 23, 59, 59)


@pytest.mark.parametrize(("decided", "weeks", "reduction"), [
    ((2025, 10, 20, 23, 59, 59), 0, Fraction(0)),
    ((2025, 10, 21, 0, 0, 0), 1, Fraction(1, 5)),
    ((2025, 10, 27, 23, 29, 59), 1, Fraction(1, 5)),   # 6 d 23 h 30 min wall clock, 7 d 0 h 30 min real
    ((2025, 10, 27, 23, 59, 59), 1, Fraction(1, 5)),   # exactly one week on the wall clock
    ((2025, 10, 28, 0, 0, 0), 2, Fraction(2, 5)),
    ((2025, 11, 24, 23, 59, 59), 5, Fraction(1)),
    ((2025, 11, 25, 8, 0, 0), 6, Fraction(1)),
])
def test_pbl_fee_reduction_counts_started_wall_clock_weeks(decided, weeks, reduction):
    # "PBL fee reduction: weeks late = ceil(local wall-clock time past the deadline / 7 days); reduction =
    # min(weeks late, 5) / 5 of the fee."  Issue 16: "6 days 23 h 30 min of wall-clock lateness across the last
    # Sunday of October is one started week (1/5), not two."
    due = O.statutory_deadline(date(2025, 10, 20))
    assert O.pbl_fee_reduction(due, wall(*decided)) == (weeks, reduction)


def test_week_clock_share_reads_calendar_time_on_the_wall_clock():
    # "where "time" is working time for working-hour and working-day clocks and calendar time for week clocks" and
    # "Calendar arithmetic is done in local wall-clock time": the oracle's reading is that a week clock's calendar
    # time is wall-clock time: after 7 wall-clock days (167 real hours across the start of DST) the share is
    # 7 d / (14 d 23:59:59).
    start = wall(2025, 3, 24, 0, 0)  # Monday; + 2 weeks = Monday 7 April 23:59:59
    due = O.clock(O.CALENDAR_WEEKS, 2, start).due
    assert O.share_of(O.CALENDAR_WEEKS, start, O.clock(O.CALENDAR_WEEKS, 2, start), wall(2025, 3, 31, 0, 0)) == (
        Fraction(7 * 86400, 14 * 86400 + 86399))
    assert due - start == timedelta(days=14, seconds=86399) - H


def test_week_clock_is_breached_right_after_its_due_even_inside_a_counted_pause():
    # "for week clocks the due instant itself". A pause counted before the due whose day lag (1930:173) swallowed
    # (Kristi himmelfärdsdag 14 May 2026 already moved the deadline to Friday 15 May) can run past the due; its time
    # after the due is not subtracted, so the share exceeds 1 right after the due.
    start = wall(2026, 4, 30, 0, 0)
    pauses = [(wall(2026, 4, 30, 0, 0), wall(2026, 4, 30, 0, 1)),
              (wall(2026, 5, 15, 23, 58, 59), wall(2026, 5, 16, 0, 0, 59))]
    c = O.clock(O.CALENDAR_WEEKS, 2, start, pauses)
    assert c.due == wall(2026, 5, 15, 23, 59, 59) and len(c.counted) == 2
    assert O.in_time(O.CALENDAR_WEEKS, 2, start, pauses, wall(2026, 5, 15, 23, 59, 59))
    assert not O.in_time(O.CALENDAR_WEEKS, 2, start, pauses, wall(2026, 5, 16, 0, 0, 0))
