"""The Swedish business calendar that every SLA clock runs on.

All rules read instants in local time (Europe/Stockholm by default) but all arithmetic on durations is done on
UTC instants, so a DST change never adds or loses an hour of working time. Working days are weekdays with
working hours that are neither Swedish public holidays (the ``holidays`` package, PUBLIC category, without
Sundays: weekends are a calendar rule) nor de-facto closed days (julafton, midsommarafton, nyårsafton: the
DE_FACTO category), nor extra closed dates configured by the municipality.

Definitions follow docs/domain.md "Exact definitions" to the letter; the docstrings quote the rule they implement.
"""
from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
from holidays.constants import DE_FACTO, PUBLIC

DEFAULT_HOURS = {wd: (time(8, 0), time(17, 0)) for wd in range(5)}  # Mon..Fri
END_OF_DAY = time(23, 59, 59)
ZERO = timedelta(0)


@lru_cache(maxsize=256)  # perf: 100,000 clocks' due instants 2.09 s of CPU, 14.98 s without it (bench/README.md)
def _swedish_days_off(year: int, include_de_facto: bool) -> frozenset[date]:
    categories = (PUBLIC, DE_FACTO) if include_de_facto else (PUBLIC,)
    return frozenset(holidays.country_holidays("SE", years=year, categories=categories, include_sundays=False))


def statutory_day_off(d: date) -> bool:
    """Lag (1930:173): Saturday, Sunday, a public holiday, midsommarafton, julafton or nyårsafton."""
    return d.weekday() >= 5 or d in _swedish_days_off(d.year, True)


def _as_utc(t: datetime) -> datetime:
    if t.tzinfo is None:
        raise ValueError("naive datetime: caseflow only computes with timezone-aware instants")
    return t.astimezone(UTC)


@dataclass(frozen=True)
class BusinessCalendar:
    """Working days and hours of the municipality. Immutable and hashable, so results can be cached."""

    tz_name: str = "Europe/Stockholm"
    # weekday (0=Monday) -> (start, end); a weekday not present has no working hours.
    hours: tuple[tuple[int, time, time], ...] = tuple((wd, s, e) for wd, (s, e) in DEFAULT_HOURS.items())
    include_de_facto: bool = True  # julafton, midsommarafton, nyårsafton closed
    extra_closed: frozenset[date] = field(default_factory=frozenset)
    # Caches (not part of the value): day intervals, and cumulative working time per day for O(1) spans.
    _days: dict = field(default_factory=dict, init=False, repr=False, compare=False, hash=False)
    _cum: list = field(default_factory=list, init=False, repr=False, compare=False, hash=False)
    _cnt: list = field(default_factory=list, init=False, repr=False, compare=False, hash=False)
    _cum_base: list = field(default_factory=lambda: [0], init=False, repr=False, compare=False, hash=False)

    @classmethod
    def from_settings(cls, hours: Iterable, include_de_facto: bool, extra_closed: Iterable[str]) -> BusinessCalendar:
        """A calendar from its stored settings: [[weekday, "08:00", "17:00"], ...] and ISO dates."""
        return cls(hours=tuple((int(wd), time.fromisoformat(s), time.fromisoformat(e)) for wd, s, e in hours),
                   include_de_facto=include_de_facto,
                   extra_closed=frozenset(date.fromisoformat(d) for d in extra_closed))

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.tz_name)

    # -- days ---------------------------------------------------------------------------------------------
    def local_date(self, t: datetime) -> date:
        if t.tzinfo is None:
            raise ValueError("naive datetime: caseflow only computes with timezone-aware instants")
        return t.astimezone(ZoneInfo(self.tz_name)).date()

    def is_working_day(self, d: date) -> bool:
        return self._interval(d) is not None

    def _interval(self, d: date) -> tuple[datetime, datetime] | None:
        """UTC [start, end) of working hours on local date ``d``, or None if it is not a working day."""
        try:
            return self._days[d]
        except KeyError:
            iv = self._days[d] = _day_interval(self, d)
            return iv

    # -- cumulative tables: working microseconds and working days before each local date -----------------------
    def _ensure(self, lo: int, hi: int) -> None:
        """Make the tables cover ordinals lo..hi. ``_cum[i]``/``_cnt[i]``: working time / working days of the
        days from the base up to (not including) base + i."""
        base = self._cum_base
        if not self._cum or lo < base[0]:
            old_end = base[0] + len(self._cum) - 1 if self._cum else hi
            base[0] = lo - 366
            self._cum[:], self._cnt[:] = [0], [0]
            hi = max(hi, old_end)
        cum, cnt, b = self._cum, self._cnt, base[0]
        while b + len(cum) - 1 <= hi:
            iv = self._interval(date.fromordinal(b + len(cum) - 1))
            cum.append(cum[-1] + (_us(iv[1] - iv[0]) if iv else 0))
            cnt.append(cnt[-1] + (1 if iv else 0))

    def position(self, u: datetime) -> int:
        """Working-time coordinate of instant u: working microseconds since an arbitrary fixed origin.
        Differences of positions are working time; ``instant_at`` inverts it."""
        d = u.astimezone(ZoneInfo(self.tz_name)).date()
        i = d.toordinal() - self._cum_base[0]
        if i < 0 or i + 1 >= len(self._cum):
            self._ensure(d.toordinal(), d.toordinal() + 1)
            i = d.toordinal() - self._cum_base[0]
        before = self._cum[i]
        iv = self._interval(d)
        if iv is None or u <= iv[0]:
            return before
        return before + _us(min(u, iv[1]) - iv[0])

    def instant_at(self, pos: int) -> datetime:
        """First instant at which the working time from the base reaches ``pos``."""
        cum = self._cum
        while cum[-1] < pos:
            self._ensure(self._cum_base[0], self._cum_base[0] + len(cum) + 366)
            cum = self._cum
        j = bisect_left(cum, pos)  # the day base+j-1 is where the running total reaches pos
        day = date.fromordinal(self._cum_base[0] + j - 1)
        iv = self._interval(day)
        return iv[0] + timedelta(microseconds=pos - cum[j - 1])

    # -- instants ---------------------------------------------------------------------------------------------
    def is_working_time(self, t: datetime) -> bool:
        """True inside working hours ([start, end)) on a working day."""
        u = _as_utc(t)
        iv = self._interval(self.local_date(u))
        return iv is not None and iv[0] <= u < iv[1]

    def add_working_hours(self, t: datetime, amount: timedelta | float) -> datetime:
        """N working hours from t: the first instant at which N hours of working time have passed since t.

        It can be the end of working hours exactly (17:00). Outside working hours counting starts at the next
        start of working hours. Zero hours from t is t.
        """
        remaining = amount if isinstance(amount, timedelta) else timedelta(hours=amount)
        u = _as_utc(t)
        if remaining <= ZERO:
            if remaining < ZERO:
                raise ValueError("negative duration")
            return u
        return self.instant_at(self.position(u) + _us(remaining))

    def add_working_days(self, t: datetime, n: int) -> datetime:
        """N working days from t: the end of working hours on the N-th working day after t's local date.

        The day of receipt never counts, whether or not it is a working day (Monday 10:00 + 2 -> Wednesday
        17:00; Saturday + 2 -> Tuesday 17:00). Zero days from t is t.
        """
        if n < 0:
            raise ValueError("negative duration")
        if n == 0:
            return _as_utc(t)
        o = self.local_date(t).toordinal() + 1  # the day of receipt never counts
        self._ensure(o, o + n * 2 + 30)
        target = self._cnt[o - self._cum_base[0]] + n
        while self._cnt[-1] < target:
            self._ensure(self._cum_base[0], self._cum_base[0] + len(self._cnt) + 366)
        j = bisect_left(self._cnt, target)
        return self._interval(date.fromordinal(self._cum_base[0] + j - 1))[1]

    def working_days_after(self, a: date, b: date) -> int:
        """The working days d with a < d <= b (0 when b <= a): what ``add_working_days`` counts from a's day,
        so the working days from a day of receipt to the due day of an N-working-day clock are N."""
        if b <= a:
            return 0
        lo, hi = a.toordinal() + 1, b.toordinal()
        self._ensure(lo, hi + 1)
        base = self._cum_base[0]
        return self._cnt[hi + 1 - base] - self._cnt[lo - base]

    def end_of_local_day(self, d: date) -> datetime:
        return datetime.combine(d, END_OF_DAY, tzinfo=self.tz).astimezone(UTC)

    def statutory_deadline(self, d: date) -> datetime:
        """End (23:59:59 local) of ``d``, moved to the next day that is not a statutory day off (1930:173)."""
        while statutory_day_off(d):
            d += timedelta(days=1)
        return self.end_of_local_day(d)

    def add_calendar_weeks(self, t: datetime, n: int, extra_days: int = 0) -> datetime:
        """N calendar weeks from t: end of the same weekday N weeks after t's local date, 1930:173 applied.

        ``extra_days`` (days paused) moves the deadline day later before the rule is applied, once, to the
        result. Arithmetic is on local dates, so a DST change does not shift a deadline by an hour.
        """
        return self.statutory_deadline(self.local_date(t) + timedelta(weeks=n, days=extra_days))

    def working_time_between(self, a: datetime, b: datetime) -> timedelta:
        """Working time inside [a, b]; zero when b <= a."""
        ua, ub = _as_utc(a), _as_utc(b)
        if ub <= ua:
            return ZERO
        return timedelta(microseconds=self.position(ub) - self.position(ua))

    def working_time_outside(
        self, a: datetime, b: datetime, pauses: Iterable[tuple[datetime, datetime | None]]
    ) -> timedelta:
        """Working time in [a, b] minus the working time of the pauses inside it (open pauses run to b)."""
        total = self.working_time_between(a, b)
        for ps, pe in pauses:
            lo, hi = max(_as_utc(ps), _as_utc(a)), min(_as_utc(pe) if pe else _as_utc(b), _as_utc(b))
            total -= self.working_time_between(lo, hi)
        return max(total, ZERO)


def _us(td: timedelta) -> int:
    return (td.days * 86400 + td.seconds) * 1_000_000 + td.microseconds


def _day_interval(cal: BusinessCalendar, d: date) -> tuple[datetime, datetime] | None:
    if d in cal.extra_closed or d in _swedish_days_off(d.year, cal.include_de_facto):
        return None
    for wd, start, end in cal.hours:
        if wd == d.weekday():
            tz = cal.tz
            return (
                datetime.combine(d, start, tzinfo=tz).astimezone(UTC),
                datetime.combine(d, end, tzinfo=tz).astimezone(UTC),
            )
    return None


DEFAULT_CALENDAR = BusinessCalendar()
