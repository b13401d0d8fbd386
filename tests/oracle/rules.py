"""A second, deliberately naive implementation of caseflow's time rules (a test oracle).

Written only from the "Time rules" and "Exact definitions" sections of the domain description and issue 16, and
sharing no code with caseflow. Clarity beats speed: working time is found by walking forward minute by minute
(whole closed nights and days, and a whole untouched working day, are jumped in one step); day clocks count
local dates one by one; week clocks do date arithmetic on the Stockholm wall clock.

Readings chosen where the text leaves room (a Swedish lawyer's / analyst's reading):
- Working hours are the half-open interval [08:00, 17:00): 08:00 is a moment of working time (a day clock due
  Wednesday 17:00 "is breached from Thursday 08:00"), 17:00 is not ("N working hours ... can be 17:00 exactly" and
  "an answer at 18:00 on the due day ... no working time passed after the due").
- A pause that starts at or after the due in force when it starts is ignored altogether, also for the elapsed share
  ("changes nothing: a breach stays a breach"; the week-clock sentence says "as for the other clocks ... at or after").
  Counting such a pause in the share would let a wait that began after the due turn a late answer into an in-time one.
- "Calendar time" in the elapsed share of a week clock is read on the Stockholm wall clock, like every other
  calendar computation for week clocks ("Calendar arithmetic is done in local wall-clock time"; days paused and
  weeks late are explicitly wall-clock): 14 calendar days are 14 x 24 h of wall-clock time, even across a DST change.
- A clock held by an open pause (one that counts, i.e. started before the due in force) has no due; it is "paused".
  An open pause that started at or after the due changes nothing, so that clock keeps its due and is not paused.
- The wall-clock length of an interval is the difference of its two wall-clock readings.
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from fractions import Fraction

from tests.oracle import almanac as A

WORKING_HOURS = "working_hours"
WORKING_DAYS = "working_days"
CALENDAR_WEEKS = "calendar_weeks"

MINUTE = timedelta(minutes=1)
DAY = timedelta(days=1)
WEEK = timedelta(days=7)
WORKING_DAY_LENGTH = timedelta(hours=9)  # 08:00-17:00
MICROSECOND = timedelta(microseconds=1)


@dataclass(frozen=True)
class Pause:
    start: datetime
    end: datetime | None  # None: still waiting on the company

    def holds(self, t: datetime) -> bool:
        return self.start <= t and (self.end is None or t < self.end)


def as_pauses(pauses: Sequence) -> list[Pause]:
    """(start, end_or_None) pairs, taken in the order they start; they must not overlap."""
    out = sorted((p if isinstance(p, Pause) else Pause(p[0], p[1]) for p in pauses), key=lambda p: p.start)
    for earlier, later in zip(out, out[1:], strict=False):
        assert earlier.end is not None and earlier.end <= later.start, "pauses overlap or follow an open one"
    return out


def _us(delta: timedelta) -> int:
    return delta // MICROSECOND


# ---------------------------------------------------------------------------------------------------------------
# Working time
# ---------------------------------------------------------------------------------------------------------------

def is_working_time(t: datetime) -> bool:
    wall = A.local(t)
    return A.is_working_day(wall.date()) and A.OPENS <= wall.time() < A.CLOSES


def _next_opening_after(t: datetime) -> datetime:
    """The first 08:00 on a working day at or after t (t itself lies outside working time)."""
    wall = A.local(t)
    d = wall.date()
    if A.is_working_day(d) and wall.time() < A.OPENS:
        return A.opening(d)
    d = A.next_day(d)
    while not A.is_working_day(d):
        d = A.next_day(d)
    return A.opening(d)


def _stretch(cursor: datetime, pauses: list[Pause]) -> tuple[bool, datetime | None]:
    """The stretch of time beginning at cursor in which nothing changes: (does it count?, where it ends).

    It ends at the end of the pause holding cursor (None for an open pause), at the next opening when cursor is
    outside working time, else at the next whole minute or the next pause start, whichever comes first. A whole
    working day 08:00-17:00 that no pause touches is one stretch (9 h; no DST change happens in working hours).
    """
    for p in pauses:
        if p.holds(cursor):
            return False, p.end
    if not is_working_time(cursor):
        return False, _next_opening_after(cursor)
    next_pause_start = min((p.start for p in pauses if p.start > cursor), default=None)
    wall = A.local(cursor)
    if wall.time() == A.OPENS:
        end = cursor + WORKING_DAY_LENGTH
        if next_pause_start is None or next_pause_start >= end:
            return True, end
    end = cursor.replace(second=0, microsecond=0) + MINUTE  # Stockholm is a whole number of hours from UTC
    if next_pause_start is not None and next_pause_start < end:
        end = next_pause_start
    return True, end


def counted_working_time(a: datetime, b: datetime, pauses: Sequence = ()) -> timedelta:
    """Working time in [a, b) outside the given pauses."""
    ps = as_pauses(pauses)
    total = timedelta(0)
    cursor = a
    while cursor < b:
        counts, end = _stretch(cursor, ps)
        if end is None:  # an open pause runs past b
            break
        end = min(end, b)
        if counts:
            total += end - cursor
        cursor = end
    return total


def working_time_between(a: datetime, b: datetime) -> timedelta:
    return counted_working_time(a, b)


def reach_working_time(start: datetime, target: timedelta, pauses: Sequence = ()) -> datetime | None:
    """The first instant at which `target` working time outside pauses has passed since start (None: an open
    pause holds the clock before it gets there)."""
    ps = as_pauses(pauses)
    if target <= timedelta(0):
        return start
    remaining = target
    cursor = start
    while True:
        counts, end = _stretch(cursor, ps)
        if end is None:
            return None
        if counts:
            if end - cursor >= remaining:
                return cursor + remaining
            remaining -= end - cursor
        cursor = end


def add_working_hours(t: datetime, hours: timedelta) -> datetime:
    """N working hours from t: the first instant at which N hours of working time have passed."""
    return reach_working_time(t, hours)


def add_working_days(t: datetime, n: int) -> datetime:
    """End of working hours on the N-th working day after the local date of t (that date never counts)."""
    d = A.local(t).date()
    counted = 0
    while counted < n:
        d = A.next_day(d)
        if A.is_working_day(d):
            counted += 1
    return A.closing(d)


# ---------------------------------------------------------------------------------------------------------------
# Calendar weeks, lag (1930:173)
# ---------------------------------------------------------------------------------------------------------------

def statutory_deadline(d: date) -> datetime:
    """23:59:59 of d, or of the next working day if d is a day lag (1930:173) moves deadlines off."""
    while A.moves_statutory_deadline(d):
        d = A.next_day(d)
    return A.end_of_day(d)


def add_calendar_weeks(t: datetime, n: int, extra_days: int = 0) -> datetime:
    """Same weekday n weeks after the local date of t (plus extra days), at 23:59:59, then lag (1930:173) once."""
    d = A.local(t).date() + timedelta(days=7 * n + extra_days)
    return statutory_deadline(d)


def wall_clock_length(a: datetime, b: datetime) -> timedelta:
    """How far the Stockholm wall clock moves from a to b."""
    return A.local(b) - A.local(a)


def days_paused(pauses: Sequence) -> int:
    """Total local wall-clock time of the (closed) pauses / 24 h, rounded up."""
    total = sum((wall_clock_length(p.start, p.end) for p in as_pauses(pauses)), timedelta(0))
    return math.ceil(Fraction(_us(total), _us(DAY)))


# ---------------------------------------------------------------------------------------------------------------
# Clocks
# ---------------------------------------------------------------------------------------------------------------

def _due_with(unit: str, target: int, start: datetime, counted: list[Pause]) -> datetime | None:
    if any(p.end is None for p in counted):
        return None
    if unit == WORKING_HOURS:
        return reach_working_time(start, timedelta(hours=target), counted)
    if unit == WORKING_DAYS:
        # The target in working time is what the plain day clock gives; a pause adds its working time on top
        # ("a 3-working-hour pause moves a Wednesday 17:00 deadline to Thursday 11:00").
        plain = add_working_days(start, target)
        return reach_working_time(start, working_time_between(start, plain), counted)
    if unit == CALENDAR_WEEKS:
        return add_calendar_weeks(start, target, extra_days=days_paused(counted))
    raise ValueError(unit)


@dataclass(frozen=True)
class Clock:
    due: datetime | None
    counted: tuple[Pause, ...]  # the pauses that changed something

    @property
    def paused(self) -> bool:
        return self.due is None


def clock(unit: str, target: int, start: datetime, pauses: Sequence = ()) -> Clock:
    """Pauses taken in the order they start; one that starts at or after the due in force changes nothing."""
    counted: list[Pause] = []
    due = _due_with(unit, target, start, counted)
    for p in as_pauses(pauses):
        if due is None:
            break
        if p.start >= due:
            continue
        counted.append(p)
        due = _due_with(unit, target, start, counted)
    return Clock(due, tuple(counted))


def time_passed(unit: str, start: datetime, c: Clock, t: datetime) -> timedelta:
    """Time passed outside the counted pauses from start to t: working time, or wall-clock time for week clocks.

    Pause time after the due is not subtracted. For working clocks that changes nothing (the due comes after every
    counted pause). A week clock's counted pause can run past the due when lag (1930:173) swallowed the days it
    added (the deadline day did not move); the deadline is a day in law and a week clock "is breached right after
    the due instant", so the share must exceed 1 right after the due, pause or not.
    """
    assert c.due is not None
    counted = [Pause(p.start, c.due if p.end is None else min(p.end, c.due)) for p in c.counted]
    if unit in (WORKING_HOURS, WORKING_DAYS):
        return counted_working_time(start, t, counted)
    passed = wall_clock_length(start, t)
    for p in counted:
        a, b = max(p.start, start), min(p.end, t)
        if a < b:
            passed -= wall_clock_length(a, b)
    return passed


def share_of(unit: str, start: datetime, c: Clock, at: datetime) -> Fraction:
    """Elapsed share of an unpaused clock at `at`: time passed to `at` / time passed to the due."""
    whole = time_passed(unit, start, c, c.due)
    return Fraction(_us(time_passed(unit, start, c, at)), _us(whole))


def elapsed_share(unit: str, target: int, start: datetime, pauses: Sequence, at: datetime) -> Fraction | None:
    c = clock(unit, target, start, pauses)
    return None if c.due is None else share_of(unit, start, c, at)


def in_time(unit: str, target: int, start: datetime, pauses: Sequence, stop: datetime) -> bool:
    share = elapsed_share(unit, target, start, pauses, stop)
    assert share is not None, "a clock stops only when it is not paused"
    return share <= 1


def breach_instant(unit: str, due: datetime) -> datetime:
    """Working clocks: the first moment of working time after the due; week clocks: the due itself."""
    if unit == CALENDAR_WEEKS:
        return due
    if is_working_time(due):  # e.g. an hours clock due 11:00 is breached right after 11:00
        return due
    return _next_opening_after(due)  # e.g. due Wednesday 17:00 -> Thursday 08:00


# ---------------------------------------------------------------------------------------------------------------
# PBL
# ---------------------------------------------------------------------------------------------------------------

def completion_request_moves_start(received_at: datetime, requested_at: datetime) -> bool:
    """Completion requested within 3 weeks: its local date <= the receipt's local date + 21 days."""
    return A.local(requested_at).date() <= A.local(received_at).date() + timedelta(days=21)


def pbl_start(received_at: datetime, requested_at: datetime | None, completed_at: datetime | None) -> datetime:
    if requested_at is not None and completion_request_moves_start(received_at, requested_at):
        assert completed_at is not None
        return completed_at
    return received_at  # a later completion request does not pause the statutory clock


def pbl_due(start: datetime, weeks: int, extension_weeks: int = 0) -> datetime:
    """start + (weeks + extension) weeks, lag (1930:173) applied once to that result."""
    return add_calendar_weeks(start, weeks + extension_weeks)


def pbl_fee_reduction(due: datetime, decided_at: datetime) -> tuple[int, Fraction]:
    """Weeks late = ceil(local wall-clock time past the deadline / 7 days); reduction = min(weeks, 5) / 5."""
    if decided_at <= due:
        return 0, Fraction(0)
    late = wall_clock_length(due, decided_at)
    weeks = math.ceil(Fraction(_us(late), _us(WEEK)))
    return weeks, Fraction(min(weeks, 5), 5)


def wall(y: int, mo: int, d: int, h: int = 0, mi: int = 0, s: int = 0, fold: int = 0) -> datetime:
    """Shorthand for tests: the instant of a Stockholm wall-clock reading."""
    return A.instant(datetime(y, mo, d, h, mi, s), fold=fold)

