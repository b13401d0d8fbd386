"""How a report's numbers are written: by unit, in a language's number format (Babel's CLDR data). Pure.

One home for the precision a figure is published with (``DECIMALS``, ``rounded``) and for writing it: a page
(through ``web/figures.py``, which adds the page's language), the CSV and the spreadsheet all take it from here,
so the figures of an export equal the page's. Swedish: decimal comma, a non-breaking space before "%" and as
the thousands separator ("79,2 %", "5,2 h", "1 234"); English: "79.2%", "5.2 h", "1,234".

A share is a fraction (0.792) in the computed figures and is always written as a percent; nothing shows the
fraction itself.
"""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from babel import Locale
from babel.numbers import format_decimal, format_percent, get_decimal_symbol, get_group_symbol

from . import figures as registry

LOCALES = {"sv": "sv_SE", "en": "en_GB"}
NBSP = "\xa0"
DASH = "–"  # no figure (an empty set, too few answers)

# Decimals a figure is published with, by unit; a share's are those of its percent (79.2 %).
DECIMALS = {registry.COUNT: 0, registry.SHARE: 1, registry.HOURS: 1, registry.DAYS: 1, registry.INDEX: 0,
            registry.PER_100: 1}
# The unit written after a value (hours and days), per language.
SUFFIX = {registry.HOURS: ("h", "h"), registry.DAYS: ("dagar", "days")}


def _locale(language: str) -> str:
    return LOCALES.get(language, LOCALES["sv"])


def rounded(unit: str, v):
    """The value as it is published: a share as a fraction rounded to its percent's decimals (0.7925 ->
    0.793), a count as an integer, the rest to their decimals; half away from zero, as taught (2.15 -> 2.2, where
    the float's own rounding gives 2.1). None stays None. Every page and export writes this value."""
    if v is None:
        return None
    if unit == registry.COUNT:
        return int(v)
    places = DECIMALS.get(unit, 1) + (2 if unit == registry.SHARE else 0)
    return float(Decimal(repr(float(v))).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def decimal(v, decimals: int, language: str, grouping: bool = True) -> str:
    """A number with exactly ``decimals`` decimals: "5,2" / "5.2"; grouped thousands unless ``grouping`` is
    off (a CSV cell: "1234,5")."""
    if v is None:
        return DASH
    pattern = ("#,##0" if grouping else "0") + ("." + "0" * decimals if decimals else "")
    return format_decimal(v, format=pattern, locale=_locale(language), decimal_quantization=True,
                          group_separator=grouping)


def percent(fraction, language: str, decimals: int = 1) -> str:
    """A fraction as a percent in the language's own pattern: 0.7923 -> "79,2 %" (sv), "79.2%" (en)."""
    if fraction is None:
        return DASH
    pattern = Locale.parse(_locale(language)).percent_formats[None].pattern
    if decimals:
        pattern = pattern.replace("0", "0." + "0" * decimals, 1)
    return format_percent(fraction, format=pattern, locale=_locale(language))


def by_unit(unit: str, v, language: str) -> str:
    """A value of ``unit`` as a reader sees it: "12", "79,2 %", "5,2 h", "3,5 dagar", "78", "21,4"."""
    if v is None:
        return DASH
    v = rounded(unit, v)
    if unit == registry.SHARE:
        return percent(v, language, DECIMALS[unit])
    text = decimal(v, DECIMALS.get(unit, 1), language)
    if unit in SUFFIX:
        return f"{text}{NBSP}{SUFFIX[unit][1 if language == 'en' else 0]}"
    return text


def value(key: str, v, language: str) -> str:
    """A value of figure ``key`` (an unknown key raises)."""
    return by_unit(registry.figure(key).unit, v, language)


# perf: with the queue's link prefix and local_dt's strftime, a queue page takes 48.47 M instructions, 64.25 M
# without them (bench/README.md, issue 22)
@lru_cache(maxsize=8)
def _number_symbols(language: str) -> tuple[str, str]:
    return get_decimal_symbol(language), get_group_symbol(language)


def tenths(value: float, language: str) -> str:
    """A non-negative number rounded to one decimal, written as Babel's ``format_decimal`` writes it in the
    language ("1 234,5", "2,5", "12" in Swedish), from the locale's symbols: a queue page writes a hundred (its
    time left, ``web.helpers.due_state``)."""
    decimal, group = _number_symbols(language)
    whole, tenth = divmod(round(round(value, 1) * 10), 10)
    return f"{whole:,}".replace(",", group) + (f"{decimal}{tenth}" if tenth else "")


def csv_value(unit: str, v, language: str) -> str:
    """A CSV cell as the page shows the figure, rounded the same, as a bare number a spreadsheet reads: no
    thousands separator, decimal comma in Swedish, a share as its percent number (79,2) under a "(%)" heading."""
    if v is None:
        return ""
    if unit == registry.SHARE:
        return decimal(round(rounded(unit, v) * 100, DECIMALS[unit]), DECIMALS[unit], language, grouping=False)
    return decimal(rounded(unit, v), DECIMALS.get(unit, 1), language, grouping=False)


def file_size(n_bytes: int, language: str) -> str:
    """A file size limit as the language writes it, in the largest binary unit it reaches (a setting in bytes):
    10485760 -> "10 MB", 2621440 -> "2,5 MB" (sv) / "2.5 MB" (en), 512000 -> "500 kB", 100 -> "100 byte"."""
    for size, unit in ((1024 ** 3, "GB"), (1024 ** 2, "MB"), (1024, "kB")):
        if n_bytes >= size:
            figure = format_decimal(n_bytes / size, format="#,##0.#", locale=_locale(language))
            return f"{figure}{NBSP}{unit}"
    figure = format_decimal(n_bytes, format="#,##0", locale=_locale(language))
    return f"{figure}{NBSP}{'bytes' if language == 'en' else 'byte'}"
