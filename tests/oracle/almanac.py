"""A hand-written almanac of the days Swedish municipal offices are closed, 2025-2028.

Written out by hand for the test oracle: deliberately NOT derived from the ``holidays`` package or from any
formula the product uses. Each date was worked out on paper and is checked against its weekday rule in
tests/unit/test_oracle_self.py (Easter Sunday, midsommarafton = the Friday between 19 and 25 June,
alla helgons dag = the Saturday between 31 October and 6 November, ...).

Easter Sundays: 2025-04-20, 2026-04-05, 2027-03-28, 2028-04-16. From Easter: långfredagen = Easter - 2 days,
annandag påsk = Easter + 1, Kristi himmelfärdsdag = Easter + 39 (a Thursday), pingstdagen = Easter + 49 (a Sunday).

Only zoneinfo is used, and only to convert between Stockholm wall-clock time and absolute instants.
"""
from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

STOCKHOLM = ZoneInfo("Europe/Stockholm")

FIRST_YEAR = 2025
LAST_YEAR = 2028

OPENS = time(8, 0)
CLOSES = time(17, 0)

# Public holidays (allmänna helgdagar) by name; Sundays among them are listed because the law lists them.
PUBLIC_HOLIDAYS: dict[date, str] = {
    # 2025 (1 January is a Wednesday)
    date(2025, 1, 1): "nyårsdagen",
    date(2025, 1, 6): "trettondedag jul",
    date(2025, 4, 18): "långfredagen",
    date(2025, 4, 20): "påskdagen",
    date(2025, 4, 21): "annandag påsk",
    date(2025, 5, 1): "första maj",
    date(2025, 5, 29): "Kristi himmelfärdsdag",
    date(2025, 6, 6): "nationaldagen",
    date(2025, 6, 8): "pingstdagen",
    date(2025, 6, 21): "midsommardagen",
    date(2025, 11, 1): "alla helgons dag",
    date(2025, 12, 25): "juldagen",
    date(2025, 12, 26): "annandag jul",
    # 2026 (1 January is a Thursday)
    date(2026, 1, 1): "nyårsdagen",
    date(2026, 1, 6): "trettondedag jul",
    date(2026, 4, 3): "långfredagen",
    date(2026, 4, 5): "påskdagen",
    date(2026, 4, 6): "annandag påsk",
    date(2026, 5, 1): "första maj",
    date(2026, 5, 14): "Kristi himmelfärdsdag",
    date(2026, 5, 24): "pingstdagen",
    date(2026, 6, 6): "nationaldagen",
    date(2026, 6, 20): "midsommardagen",
    date(2026, 10, 31): "alla helgons dag",
    date(2026, 12, 25): "juldagen",
    date(2026, 12, 26): "annandag jul",
    # 2027 (1 January is a Friday)
    date(2027, 1, 1): "nyårsdagen",
    date(2027, 1, 6): "trettondedag jul",
    date(2027, 3, 26): "långfredagen",
    date(2027, 3, 28): "påskdagen",
    date(2027, 3, 29): "annandag påsk",
    date(2027, 5, 1): "första maj",
    date(2027, 5, 6): "Kristi himmelfärdsdag",
    date(2027, 5, 16): "pingstdagen",
    date(2027, 6, 6): "nationaldagen",
    date(2027, 6, 26): "midsommardagen",
    date(2027, 11, 6): "alla helgons dag",
    date(2027, 12, 25): "juldagen",
    date(2027, 12, 26): "annandag jul",
    # 2028 (1 January is a Saturday)
    date(2028, 1, 1): "nyårsdagen",
    date(2028, 1, 6): "trettondedag jul",
    date(2028, 4, 14): "långfredagen",
    date(2028, 4, 16): "påskdagen",
    date(2028, 4, 17): "annandag påsk",
    date(2028, 5, 1): "första maj",
    date(2028, 5, 25): "Kristi himmelfärdsdag",
    date(2028, 6, 4): "pingstdagen",
    date(2028, 6, 6): "nationaldagen",
    date(2028, 6, 24): "midsommardagen",
    date(2028, 11, 4): "alla helgons dag",
    date(2028, 12, 25): "juldagen",
    date(2028, 12, 26): "annandag jul",
}

# Not public holidays, but offices are closed, and lag (1930:173) names them next to Saturday and Sunday.
MIDSOMMARAFTON = {date(2025, 6, 20), date(2026, 6, 19), date(2027, 6, 25), date(2028, 6, 23)}
JULAFTON = {date(2025, 12, 24), date(2026, 12, 24), date(2027, 12, 24), date(2028, 12, 24)}
NYARSAFTON = {date(2025, 12, 31), date(2026, 12, 31), date(2027, 12, 31), date(2028, 12, 31)}
DE_FACTO_CLOSED: dict[date, str] = (
    {d: "midsommarafton" for d in MIDSOMMARAFTON}
    | {d: "julafton" for d in JULAFTON}
    | {d: "nyårsafton" for d in NYARSAFTON}
)

# The two DST changes of each year: the last Sunday of March (02:00 -> 03:00) and of October (03:00 -> 02:00).
DST_STARTS = (date(2025, 3, 30), date(2026, 3, 29), date(2027, 3, 28), date(2028, 3, 26))
DST_ENDS = (date(2025, 10, 26), date(2026, 10, 25), date(2027, 10, 31), date(2028, 10, 29))

EASTER_SUNDAYS = (date(2025, 4, 20), date(2026, 4, 5), date(2027, 3, 28), date(2028, 4, 16))


def _covered(d: date) -> None:
    if not FIRST_YEAR <= d.year <= LAST_YEAR:
        raise ValueError(f"the oracle's almanac covers {FIRST_YEAR}-{LAST_YEAR} only, not {d}")


def is_working_day(d: date) -> bool:
    """Monday to Friday, not a public holiday, not midsommarafton, julafton or nyårsafton."""
    _covered(d)
    return d.weekday() < 5 and d not in PUBLIC_HOLIDAYS and d not in DE_FACTO_CLOSED


def moves_statutory_deadline(d: date) -> bool:
    """Lag (1930:173): a deadline on a Saturday, Sunday, public holiday, midsommarafton, julafton or nyårsafton
    moves to the next working day. (Written from the law's list, not as 'not a working day'.)"""
    _covered(d)
    saturday_or_sunday = d.weekday() in (5, 6)
    return saturday_or_sunday or d in PUBLIC_HOLIDAYS or d in MIDSOMMARAFTON or d in JULAFTON or d in NYARSAFTON


def local(instant: datetime) -> datetime:
    """The Stockholm wall-clock reading of an instant, as a naive datetime."""
    if instant.tzinfo is None:
        raise ValueError("the oracle takes aware instants only")
    return instant.astimezone(STOCKHOLM).replace(tzinfo=None)


def instant(wall: datetime, fold: int = 0) -> datetime:
    """The absolute instant (UTC) of a Stockholm wall-clock reading."""
    return wall.replace(tzinfo=STOCKHOLM, fold=fold).astimezone(UTC)


def opening(d: date) -> datetime:
    return instant(datetime.combine(d, OPENS))


def closing(d: date) -> datetime:
    return instant(datetime.combine(d, CLOSES))


def end_of_day(d: date) -> datetime:
    return instant(datetime.combine(d, time(23, 59, 59)))


def next_day(d: date) -> date:
    return d + timedelta(days=1)
