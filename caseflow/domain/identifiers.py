"""Swedish identifiers: organisationsnummer, personnummer (sole traders) and case references.

An organisationsnummer is ten digits ``NNNNNN-NNNC`` with a Luhn check digit and a third digit >= 2 (which
tells it apart from a personnummer). A sole trader (enskild firma) uses the owner's personnummer, which is
personal data: callers must mask it (``masked``) anywhere but the case page, and never log it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

LEGAL_FORMS = {
    "1": "estate",  # dödsbo
    "2": "public_sector",
    "3": "foreign_company",
    "5": "aktiebolag",
    "6": "enkelt_bolag",
    "7": "ekonomisk_forening",
    "8": "ideell_forening_stiftelse",
    "9": "handelsbolag_kommanditbolag",
}


class InvalidIdentifier(ValueError):
    """The text is not a valid organisationsnummer or personnummer.

    ``code`` names the reason so the web layer can show a translated message:
    ``format``, ``checksum``, ``date``.
    """

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class CompanyIdentifier:
    """A validated identifier in canonical ten-digit form ``NNNNNN-NNNN``."""

    number: str
    is_personal: bool  # True for a sole trader's personnummer / samordningsnummer

    @property
    def digits(self) -> str:
        return self.number.replace("-", "")

    @property
    def legal_form(self) -> str:
        """Legal-form group of an organisationsnummer (first digit); ``sole_trader`` for a personnummer."""
        if self.is_personal:
            return "sole_trader"
        return LEGAL_FORMS.get(self.number[0], "other")

    @property
    def masked(self) -> str:
        """Safe for lists and logs: a personnummer keeps only its birth date, an org-nr is public."""
        if self.is_personal:
            return self.number[:6] + "-****"
        return self.number


def luhn_valid(digits: str) -> bool:
    """Luhn (mod 10) check over a string of digits, as used by Swedish identity numbers."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = int(ch)
        if i % 2 == 1:
            n *= 2
            if n > 9:
                n -= 9
        total += n
    return total % 10 == 0


def luhn_check_digit(digits9: str) -> str:
    """The check digit that makes ``digits9 + digit`` Luhn-valid."""
    for d in "0123456789":
        if luhn_valid(digits9 + d):
            return d
    raise AssertionError("unreachable")  # pragma: no cover


_SHAPE = re.compile(r"^(\d{2})?(\d{6})[-+]?(\d{4})$")


def parse_company_identifier(text: str) -> CompanyIdentifier:
    """Validate and normalise an organisationsnummer or a sole trader's personnummer.

    Accepts ``5560360793``, ``556036-0793``, ``16556036-0793`` and a 12-digit personnummer
    ``19800101-1234``; spaces are ignored. Raises ``InvalidIdentifier`` with the reason.
    """
    compact = re.sub(r"\s", "", text or "")
    m = _SHAPE.match(compact)
    if not m:
        raise InvalidIdentifier("format")
    prefix, first6, last4 = m.group(1), m.group(2), m.group(3)
    digits = first6 + last4
    if not luhn_valid(digits):
        raise InvalidIdentifier("checksum")
    third = int(digits[2])
    if third >= 2:
        # Organisationsnummer: a 12-digit form may only carry the "16" prefix.
        if prefix not in (None, "16"):
            raise InvalidIdentifier("format")
        return CompanyIdentifier(f"{first6}-{last4}", is_personal=False)
    # Personnummer or samordningsnummer (day + 60): the date part must be a real date.
    year2, month, day = int(first6[:2]), int(first6[2:4]), int(first6[4:6])
    if day > 60:
        day -= 60
    century = int(prefix) if prefix else 19  # only the date's validity matters here; Feb 29 checked below
    if prefix is None:
        # Without a century, accept the date if it exists in either century (leap years differ).
        valid = _is_date(1900 + year2, month, day) or _is_date(2000 + year2, month, day)
    else:
        if century not in (18, 19, 20):
            raise InvalidIdentifier("format")
        valid = _is_date(century * 100 + year2, month, day)
    if not valid:
        raise InvalidIdentifier("date")
    return CompanyIdentifier(f"{first6}-{last4}", is_personal=True)


def _is_date(y: int, m: int, d: int) -> bool:
    try:
        date(y, m, d)
    except ValueError:
        return False
    return True


REFERENCE_PREFIX = "CF"
_REFERENCE = re.compile(r"^CF-(\d{4})-(\d{5,})$")


def format_reference(year: int, number: int) -> str:
    """Case number (diarienummer) ``CF-YYYY-NNNNN``; numbers beyond 99999 simply grow wider."""
    if number < 1:
        raise ValueError("case numbers start at 1")
    return f"{REFERENCE_PREFIX}-{year:04d}-{number:05d}"


def parse_reference(text: str) -> tuple[int, int] | None:
    """(year, number) of a case reference, or None if the text is not one. Case and spaces are forgiven."""
    m = _REFERENCE.match((text or "").strip().upper())
    if not m or int(m.group(2)) < 1:  # numbers start at 1: CF-2026-00000 is no case
        return None
    return int(m.group(1)), int(m.group(2))
