"""No page, mail or translation states a service promise as a fixed number: every promise the company reads is
computed from the configured targets and the case's clocks (caseflow/web/promises.py), since a text saying "two
working days" goes on saying it when an administrator changes the promise to three.

Two rules:
- a number of working days or working hours (the units only the configurable promises use) appears in no template
  and in no entry of the Swedish catalogue, in digits or in words, in Swedish or English;
- the pages and mails the company reads (templates/public/, the mails about its case) and their translations
  state no number of days, weeks or hours at all.
"""
import re
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_file
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "templates"
PO = ROOT / "caseflow" / "translations" / "sv" / "LC_MESSAGES" / "messages.po"

_NUMBER = (r"(?:\d+|en|ett|två|tre|fyra|fem|sex|sju|åtta|nio|tio|elva|tolv|tretton|fjorton|femton|tjugo|"
           r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|twenty)")
WORKING_TIME = re.compile(
    rf"\b{_NUMBER}[\s\u00a0-]+(?:arbetsdag(?:ar|en|s)?|arbetstim(?:me|mar|mars)?|working[\s-]+(?:days?|hours?)|"
    r"business[\s-]+days?|vardag(?:ar)?|weekdays?)\b", re.I)
ANY_TIME = re.compile(
    rf"\b{_NUMBER}[\s\u00a0-]+(?:dag(?:ar)?|dygn|days?|veck(?:a|or)|kalenderveck(?:a|or)|weeks?|tim(?:me|mar)|"
    r"hours?)\b", re.I)


def _company_templates() -> list[Path]:
    """The public pages and the mails about a case to its company (they extend email/_layout.html)."""
    mails = [p for p in (TEMPLATES / "email").iterdir() if not p.name.startswith("_") and p.suffix == ".html"
             and '{% extends "email/_layout.html" %}' in p.read_text(encoding="utf-8")]
    stems = {p.name.removesuffix(".html") for p in mails}
    texts = [p for p in (TEMPLATES / "email").iterdir() if p.name.split(".")[0] in stems]
    partials = [p for p in (TEMPLATES / "email").glob("_outlook.*")]
    return sorted(set(TEMPLATES.glob("public/**/*.html")) | set(texts) | set(partials))


def _catalogue() -> dict[str, str]:
    with open(PO, "rb") as fh:
        return {m.id: m.string for m in read_po(fh) if m.id and isinstance(m.id, str)}


def _msgids_of(path: Path) -> set[str]:
    keywords = dict(DEFAULT_KEYWORDS, _l=None, lazy_gettext=None)
    return {m[1] if isinstance(m[1], str) else m[1][0]
            for m in extract_from_file("jinja2", str(path), keywords=keywords)}


@pytest.mark.parametrize("phrase", ["två arbetsdagar", "2 arbetsdagar", "two working days", "10 arbetsdagar",
                                    "4 arbetstimmar", "3 working-days", "fem arbetsdagar", "Two Working Days"])
def test_the_guard_catches_a_promise_written_as_a_number(phrase):
    assert WORKING_TIME.search(phrase)


@pytest.mark.parametrize("phrase", ["svarar inom två dagar", "within 10 days", "inom 2 veckor", "8 weeks"])
def test_the_guard_catches_any_period_on_the_company_side(phrase):
    assert ANY_TIME.search(phrase)


def test_the_guard_lets_a_computed_duration_through():
    for text in ("%(n)s arbetsdagar", "We answer within %(duration)s.", "Vi svarar senast onsdag 2 december.",
                 "CF-2026-00001", "nine short questions (two minutes)"):
        assert not WORKING_TIME.search(text) and not ANY_TIME.search(text)


def test_no_template_states_a_number_of_working_days_or_hours():
    found = [f"{p.relative_to(ROOT)}: {m.group(0)!r}" for p in TEMPLATES.rglob("*") if p.is_file()
             for m in WORKING_TIME.finditer(p.read_text(encoding="utf-8"))]
    assert found == []


def test_no_translation_states_a_number_of_working_days_or_hours():
    found = [f"{msgid!r} / {msgstr!r}" for msgid, msgstr in _catalogue().items()
             if WORKING_TIME.search(msgid) or WORKING_TIME.search(msgstr or "")]
    assert found == []


def test_the_company_side_states_no_period_as_a_number_in_either_language():
    catalogue = _catalogue()
    found = []
    for path in _company_templates():
        source = path.read_text(encoding="utf-8")
        found += [f"{path.relative_to(ROOT)}: {m.group(0)!r}" for m in ANY_TIME.finditer(source)]
        found += [f"{path.relative_to(ROOT)} (sv): {catalogue[i]!r}" for i in _msgids_of(path)
                  if ANY_TIME.search(catalogue.get(i) or "")]
    assert len(_company_templates()) >= 15
    assert found == []
