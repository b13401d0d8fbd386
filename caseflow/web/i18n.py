"""The language of a request, and translations looked up once per language.

Flask-Babel resolves the locale and its catalogue on every lookup (several context-local reads each, and the
locale written out as a string), and a case page makes a few hundred lookups: its labels, its form fields, its
template texts. The catalogues do not change while a process runs, so a text is translated once per (language,
text) and kept. The language itself is asked of Flask-Babel on every lookup, so ``force_locale`` (a mail in its
recipient's language, sent during someone else's request) is honoured.
"""
from __future__ import annotations

from flask_babel import get_locale, get_translations
from flask_babel.speaklater import LazyString

# perf: a case page takes 38.04 M instructions with them, 43.07 M without; a queue page 48.47 M and 54.44 M
# (bench/README.md, issue 22)
_translated: dict[tuple[str, str], str] = {}
_lazy_translated: dict[tuple[str, int], str] = {}


def lang() -> str:
    """"sv" or "en": the language of the current request (or of a ``force_locale`` block); "sv" outside one."""
    locale = get_locale()
    return locale.language if locale is not None else "sv"


def gettext(msgid: str, **variables) -> str:
    """``gettext`` with each text translated once per language."""
    locale = get_locale()
    if locale is None:  # no app context: Flask-Babel answers the untranslated text; do not keep it as Swedish
        text = get_translations().ugettext(msgid)
    else:
        key = (locale.language, msgid)
        text = _translated.get(key)
        if text is None:
            text = _translated[key] = get_translations().ugettext(msgid)
    return text % variables if variables else text


def lazy_gettext(msgid: str, **variables) -> LazyString:
    """Flask-Babel's lazy text (the same class: WTForms and Jinja treat it as a string), translated by
    ``gettext`` above when it is used."""
    return LazyString(gettext, msgid, **variables)


# perf: a queue page takes 48.47 M instructions with it, 54.34 M with ``str(lazy)`` instead (bench/README.md,
# issue 22)
def once(lazy: LazyString, language: str | None = None) -> str:
    """A module-level lazy text (a constant: it lives as long as the process) in ``language``, the current one.
    For loops that already know the language: a hundred queue rows then do not ask for it three hundred times."""
    key = (language or lang(), id(lazy))
    text = _lazy_translated.get(key)
    if text is None:
        text = _lazy_translated[key] = str(lazy)
    return text


def _enum_label(enumeration, value: str) -> str:
    return enumeration.label(value, lang())


def enum_labels(enumeration) -> dict:
    """{value: lazy label} of a ``domain.enums`` enumeration, in the language of the request where it is used:
    the one source of the labels every page, form and export shows (their Swedish and English are there, not in
    the catalogue)."""
    return {m.value: LazyString(_enum_label, enumeration, m.value) for m in enumeration}


def enum_choices(enumeration, first=None) -> list:
    """A select's (value, lazy label) pairs of an enumeration, after ``first`` (e.g. ("", "Any")) if given."""
    return ([first] if first else []) + list(enum_labels(enumeration).items())
