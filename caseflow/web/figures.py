"""Report figures as a page shows them: the registry's label in the page's language and the value formatted by
its unit, in that language's number format (decimal comma in Swedish), a share with the counts it divides."""
from __future__ import annotations

from babel.numbers import format_decimal, format_percent

from ..domain import figures as registry
from .i18n import lang as page_language

_LOCALES = {"sv": "sv_SE", "en": "en_GB"}


def label(key: str, language: str | None = None) -> str:
    return registry.figure(key).label(language or page_language())


def heading(key: str, language: str | None = None) -> str:
    return registry.figure(key).heading(language or page_language())


def number(v, decimals: int = 2, language: str | None = None) -> str:
    if v is None:
        return "–"
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(v, format=pattern, locale=_LOCALES.get(language or page_language(), "sv_SE"))


def percent(v, language: str | None = None) -> str:
    if v is None:
        return "–"
    return format_percent(v, format="#,##0.0 %", locale=_LOCALES.get(language or page_language(), "sv_SE"))


def format_value(key: str, v, language: str | None = None) -> str:
    """A value of figure ``key`` as text by its unit: "79,2 %", "5,18", "12", "–"."""
    language = language or page_language()
    unit = registry.figure(key).unit
    if v is None:
        return "–"
    if unit == registry.SHARE:
        return percent(v, language)
    if unit == registry.COUNT:
        return str(v)
    return number(v, {registry.INDEX: 0, registry.DAYS: 1}.get(unit, 2), language)


def show(figures: dict, key: str, language: str | None = None) -> str:
    """The figure ``key`` of one office's (or the total's) figures as text, a share with the counts it divides:
    "79,2 % (19 av 24)"."""
    language = language or page_language()
    text = format_value(key, registry.value(figures, key), language)
    counts = registry.parts(figures, key)
    if counts is not None and registry.figure(key).unit == registry.SHARE and counts[1]:
        return f"{text} ({counts[0]} {'av' if language == 'sv' else 'of'} {counts[1]})"
    return text
