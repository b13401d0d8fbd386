"""Every number a report page shows, written here: the registry's label in the page's language and the value by
its unit in that language's number format (``domain/numbers.py``, Babel: "79,2 %", "5,2 h", "1 234" in Swedish;
"79.2%", "5.2 h", "1,234" in English), a share with the counts it divides. Templates, charts and report views
take numbers from here only (``fig_*`` in the report templates), so no page mixes formats."""
from __future__ import annotations

from datetime import date

from babel.dates import format_date

from ..domain import figures as registry
from ..domain import numbers
from .i18n import lang as page_language


def _language(language: str | None) -> str:
    return language or page_language()


def label(key: str, language: str | None = None) -> str:
    return registry.figure(key).label(_language(language))


def heading(key: str, language: str | None = None) -> str:
    return registry.figure(key).heading(_language(language))


def number(v, decimals: int = 1, language: str | None = None) -> str:
    """A number with ``decimals`` decimals: "5,2" (sv), "5.2" (en), "–" for none."""
    return numbers.decimal(v, decimals, _language(language))


def count(v, language: str | None = None) -> str:
    """A whole number with the language's thousands separator: "1 234" / "1,234"."""
    return numbers.decimal(v, 0, _language(language))


def percent(v, language: str | None = None, decimals: int = 1) -> str:
    """A fraction as a percent: 0.792 -> "79,2 %" (sv), "79.2%" (en); an axis tick with no decimals: "25 %"."""
    return numbers.percent(numbers.rounded(registry.SHARE, v), _language(language), decimals)


def by_unit(unit: str, v, language: str | None = None) -> str:
    return numbers.by_unit(unit, v, _language(language))


def format_value(key: str, v, language: str | None = None) -> str:
    """A value of figure ``key`` as text by its unit: "79,2 %", "5,2 h", "12", "–"."""
    return numbers.value(key, v, _language(language))


def show(figures: dict, key: str, language: str | None = None) -> str:
    """The figure ``key`` of one office's (or the total's) figures as text, a share with the counts it divides:
    "79,2 % (19 av 24)"."""
    language = _language(language)
    text = format_value(key, registry.value(figures, key), language)
    counts = registry.parts(figures, key)
    if counts is not None and registry.figure(key).unit == registry.SHARE and counts[1]:
        return (f"{text} ({numbers.decimal(counts[0], 0, language)} {'av' if language == 'sv' else 'of'} "
                f"{numbers.decimal(counts[1], 0, language)})")
    return text



def month_short(month: str, language: str | None = None) -> str:
    """"2026-10" as a chart's axis writes it: "okt. 26" (sv), "Oct 26" (en)."""
    year, mon = (int(p) for p in month.split("-"))
    return format_date(date(year, mon, 1), "LLL yy", locale=numbers.LOCALES.get(_language(language), "sv_SE"))
