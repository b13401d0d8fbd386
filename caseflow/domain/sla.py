"""SLA clocks: due instants, pauses, elapsed share, and the statutory PBL / FL rules. Pure.

Every rule here is docs/domain.md "Exact definitions" put into code; the docstrings quote them. Instants are
timezone-aware; a pause is ``(start, end)`` with ``end`` None while it is still running.
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from fractions import Fraction

from .calendar import BusinessCalendar

WORKING_HOURS = "working_hours"
WORKING_DAYS = "working_days"
CALENDAR_WEEKS = "calendar_weeks"
UNITS = (WORKING_HOURS, WORKING_DAYS, CALENDAR_WEEKS)

Pause = tuple[datetime, datetime | None]
DAY = timedelta(days=1)
MICROSECOND = timedelta(microseconds=1)


@dataclass(frozen=True)
class ClockSpec:
    unit: str
    target: int
    warn_share: Fraction = Fraction(4, 5)  # at risk from 80 % of the target


@dataclass(frozen=True)
class ClockState:
    """What a clock looks like at a moment: due (None while paused), when it turns at risk, and which pauses
    counted (a pause that starts at or after the due instant in force changes nothing)."""

    due: datetime | None
    warn_at: datetime | None
    effective_pauses: tuple[Pause, ...] = field(default_factory=tuple)
    paused: bool = False


def base_due(cal: BusinessCalendar, spec: ClockSpec, start: datetime) -> datetime:
    """Due instant without pauses."""
    if spec.unit == WORKING_HOURS:
        return cal.add_working_hours(start, spec.target)
    if spec.unit == WORKING_DAYS:
        return cal.add_working_days(start, spec.target)
    if spec.unit == CALENDAR_WEEKS:
        return cal.add_calendar_weeks(start, spec.target)
    raise ValueError(f"unknown clock unit {spec.unit!r}")


def wall_clock(cal: BusinessCalendar, a: datetime, b: datetime) -> timedelta:
    """Local wall-clock time from a to b: what a clock on the office wall shows passing (across the end of DST
    the night has 25 hours of absolute time but 24 on the wall)."""
    tz = cal.tz
    return b.astimezone(tz).replace(tzinfo=None) - a.astimezone(tz).replace(tzinfo=None)


def days_paused(cal: BusinessCalendar, pauses: Sequence[Pause]) -> int:
    """Calendar-week clocks: "the total local wall-clock time of the clock's pauses divided by 24 hours and
    rounded up" (two 3-hour pauses = 1 day; 47 h 30 min on the wall over the end of DST = 2 days)."""
    total = sum((wall_clock(cal, ps, pe) for ps, pe in pauses if pe is not None), timedelta(0))
    return math.ceil(total / DAY) if total > timedelta(0) else 0


def clock_state(cal: BusinessCalendar, spec: ClockSpec, start: datetime, pauses: Sequence[Pause] = ()) -> ClockState:
    """Due and warning instants of a clock with pauses.

    Working-hour and working-day clocks: the due instant is the first instant at which the working time passed
    outside pauses reaches the target. Calendar-week clocks: the deadline day moves later by the days paused,
    stays at 23:59:59, and the 1930:173 rule is applied once, to the result. Pauses are taken in the order
    they start; one that starts at or after the due instant in force when it starts changes nothing.
    While a counted pause is still open the clock has no due instant (``paused``).
    """
    ordered = sorted(pauses, key=lambda p: p[0])
    if spec.unit == CALENDAR_WEEKS:
        return _week_state(cal, spec, start, ordered)
    # Worked in working-time coordinates (calendar.position): differences are working time.
    due = base_due(cal, spec, start)
    p_start = cal.position(start)
    target = cal.position(due) - p_start  # the target in working time (working days -> their hours)
    def extend(due, ps, pe, _counted):  # the pause's working time, added to the due
        return cal.instant_at(cal.position(due) + cal.position(pe) - cal.position(max(ps, start)))

    due, counted, paused = _apply_pauses(due, ordered, extend)
    if paused:
        return ClockState(None, None, tuple(counted), paused=True)
    # at risk: the first instant at which the working time outside pauses reaches share x target
    p_warn = p_start + int(target * spec.warn_share)
    for ps, pe in counted:
        p_ps = cal.position(max(ps, start))
        if p_ps < p_warn:
            p_warn += cal.position(pe) - p_ps
    return ClockState(due, cal.instant_at(p_warn), tuple(counted))


def _apply_pauses(due: datetime, ordered: Sequence[Pause], extend) -> tuple[datetime, list[Pause], bool]:
    """The pause rule shared by every clock: pauses are taken in the order they start; one that starts at or
    after the due instant in force changes nothing; an open one leaves the clock without a due (paused).
    ``extend(due, start, end, counted)`` gives the due instant after a closed pause."""
    counted: list[Pause] = []
    for ps, pe in ordered:
        if ps >= due:
            continue
        counted.append((ps, pe))
        if pe is None:
            return due, counted, True
        due = extend(due, ps, pe, counted)
    return due, counted, False


def _week_state(cal: BusinessCalendar, spec: ClockSpec, start: datetime, ordered: Sequence[Pause]) -> ClockState:
    due, counted, paused = _apply_pauses(
        cal.add_calendar_weeks(start, spec.target), ordered,
        lambda _due, _ps, _pe, counted: cal.add_calendar_weeks(start, spec.target,
                                                               extra_days=days_paused(cal, counted)))
    if paused:
        return ClockState(None, None, tuple(counted), paused=True)
    # at risk: the first instant at which the wall-clock time outside pauses reaches share x the whole
    whole = _wall_outside(cal, start, due, [(ps, min(pe, due)) for ps, pe in counted])
    left = timedelta(microseconds=(whole // MICROSECOND) * spec.warn_share.numerator // spec.warn_share.denominator)
    tz = cal.tz
    t = start.astimezone(tz).replace(tzinfo=None) + left
    for ps, pe in counted:  # in the order they start
        if ps.astimezone(tz).replace(tzinfo=None) < t:
            t += wall_clock(cal, max(ps, start), pe)
    return ClockState(due, t.replace(tzinfo=tz).astimezone(due.tzinfo), tuple(counted))


def elapsed_share(cal: BusinessCalendar, spec: ClockSpec, start: datetime, pauses: Sequence[Pause],
                  due: datetime, at: datetime) -> Fraction:
    """(time passed outside pauses from start to ``at``) / (time passed outside pauses from start to due).

    Working time for working-hour/day clocks, local wall-clock time for week clocks (like all their calendar
    arithmetic). Exactly 1 at the due instant; at risk when >= the warning share, breached when > 1. An answer at
    18:00 on the due day of a working-day clock is still in time: no working time passed after the due instant.
    Only the pauses that count are subtracted (one that starts at or after the due in force changes nothing),
    and only up to the due: a week clock's pause can outlast its deadline day when lag (1930:173) absorbed the
    days it added, and the deadline stays a day in law, so the share exceeds 1 right after the due.
    """
    counted = [(ps, due if pe is None else min(pe, due))
               for ps, pe in clock_state(cal, spec, start, pauses).effective_pauses]
    if spec.unit == CALENDAR_WEEKS:
        num = _wall_outside(cal, start, at, counted)
        den = _wall_outside(cal, start, due, counted)
    else:
        num = cal.working_time_outside(start, at, counted) if at > start else timedelta(0)
        den = cal.working_time_outside(start, due, counted)
    if den <= timedelta(0):
        return Fraction(0) if num <= timedelta(0) else Fraction(10**9)
    return Fraction((num // MICROSECOND), (den // MICROSECOND))


def _wall_outside(cal: BusinessCalendar, a: datetime, b: datetime, pauses: Sequence[Pause]) -> timedelta:
    """Local wall-clock time from a to b outside the (closed) pauses; zero when b <= a."""
    if b <= a:
        return timedelta(0)
    total = wall_clock(cal, a, b)
    for ps, pe in pauses:
        lo, hi = max(ps, a), min(pe, b)
        if hi > lo:
            total -= wall_clock(cal, lo, hi)
    return total


def is_in_time(share: Fraction) -> bool:
    return share <= 1


def breach_instant(cal: BusinessCalendar, spec: ClockSpec, due: datetime) -> datetime:
    """"The first instant at which the share exceeds 1": a clock is breached when ``now > breach_instant``.

    Working-hour and working-day clocks: the first moment of working time at or after the due (a day clock due
    Wednesday 17:00 is breached from Thursday 08:00, not at 17:00:01; an hour clock due at 11:00 on a working
    day from 11:00). Week clocks: the due instant itself (calendar time passes every instant)."""
    if spec.unit == CALENDAR_WEEKS:
        return due
    return cal.instant_at(cal.position(due) + 1) - timedelta(microseconds=1)


@dataclass(frozen=True)
class Remaining:
    """How far a running clock is from its due instant, counted in the clock's own unit (docs/domain.md "Time left
    and time late"). ``late``: past the breach instant. ``working``: a working-hour clock's working time left (or
    late). ``days``: a working-day clock's working days, a week clock's calendar days, left to the due day (0: the
    due day is today) or, late, started since the breach. ``reached``: at or past the due instant but not yet
    breached (a working-time clock due at 17:00, in the evening or over the weekend)."""

    unit: str
    late: bool
    working: timedelta = timedelta(0)
    days: int = 0
    reached: bool = False


def remaining(cal: BusinessCalendar, unit: str, due: datetime, now: datetime,
              breach: datetime | None = None) -> Remaining:
    """Time left to ``due``, or late past the breach instant, as the clock counts it:

    - working hours: the working time between now and the due (late: between the due and now);
    - working days: the working days after today up to the due's day, as ``add_working_days`` counts them (2 on
      the day of receipt of a 2-working-day clock, 0 on its due day); late: the working days started since the
      breach instant (1 on the first working morning after a due at 17:00);
    - calendar weeks: the calendar days from today to the deadline day (70 on the day a 10-week clock starts);
      late: the days since the deadline day (1 on the day after it).
    Days are local (Stockholm) dates. ``breach`` None: computed from the due (``breach_instant``)."""
    breach = breach or breach_instant(cal, ClockSpec(unit, 0), due)
    late = now > breach
    if unit == CALENDAR_WEEKS or unit == WORKING_DAYS:
        today = cal.local_date(now)
        if unit == CALENDAR_WEEKS:
            days = (today - cal.local_date(due)).days if late else (cal.local_date(due) - today).days
        elif late:
            days = cal.working_days_after(cal.local_date(breach) - DAY, today)
        else:
            days = cal.working_days_after(today, cal.local_date(due))
        return Remaining(unit, late, days=max(days, 1) if late else days, reached=not late and now >= due)
    working = cal.working_time_between(due, now) if late else cal.working_time_between(now, due)
    return Remaining(unit, late, working=working, reached=not late and now >= due)


# -- PBL (plan- och bygglagen) -------------------------------------------------------------------------------
COMPLETION_WINDOW_DAYS = 21  # PBL 9:27: a completion requested within 3 weeks moves the start


def completion_request_moves_start(cal: BusinessCalendar, received_at: datetime, requested_at: datetime) -> bool:
    """A completion request moves the start of the statutory clock if its local date <= receipt + 21 days."""
    return cal.local_date(requested_at) <= cal.local_date(received_at) + timedelta(days=COMPLETION_WINDOW_DAYS)


def pbl_due(cal: BusinessCalendar, start: datetime, weeks: int, extension_weeks: int = 0) -> datetime:
    """start + (weeks + extension) calendar weeks, with the 1930:173 rule applied once to the result."""
    if not 0 <= extension_weeks <= weeks:
        raise ValueError("the extension is at most as long as the original period")
    return cal.add_calendar_weeks(start, weeks + extension_weeks)


def pbl_fee_reduction(cal: BusinessCalendar, due: datetime, decided_at: datetime) -> tuple[int, Fraction]:
    """PBL 12:8a: (weeks late, reduction as a share of the fee). "Weeks late = ceil(local wall-clock time past
    the deadline / 7 days); reduction = min(weeks late, 5) / 5 of the fee" (6 days 23 h 30 min on the wall
    across the end of DST is one started week, though it is 7 days of absolute time)."""
    late = wall_clock(cal, due, decided_at)
    if late <= timedelta(0):
        return 0, Fraction(0)
    weeks = math.ceil(late / timedelta(days=7))
    return weeks, Fraction(min(weeks, 5), 5)


# -- FL (förvaltningslagen) -------------------------------------------------------------------------------------
def fl12_flag_date(received_at_local: date, months: int = 6) -> date:
    """The date a case turns ``months`` old (FL 12 §: the party may then request a decision)."""
    y, m = received_at_local.year, received_at_local.month + months
    y, m = y + (m - 1) // 12, (m - 1) % 12 + 1
    day = min(received_at_local.day, [31, 29 if y % 4 == 0 and (y % 100 != 0 or y % 400 == 0) else 28, 31, 30,
                                      31, 30, 31, 31, 30, 31, 30, 31][m - 1])
    return date(y, m, day)
