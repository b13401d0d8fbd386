"""Personal data masked for readers who need the facts of a case but not who it concerns (analysts). Pure.

What is masked: the contact's name, e-mail and phone (never shown at all, ``MASK`` instead), a sole trader's
personnummer and company name (the firm's name is usually the owner's), and in free text such as a subject every
e-mail address, phone number and personal identity number. An organisation's name and organisationsnummer are
public and stay. A name typed into free text cannot be recognised by a pattern: that is why a masked view shows
a case's subject only, never its description or messages.
"""
from __future__ import annotations

import re

MASK = "•••"

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# A personnummer or samordningsnummer, with or without century and separator: 19850102-1234, 850102+1234,
# 8501021234. Before phone numbers, which would otherwise take its digits.
_PERSONAL_NUMBER = re.compile(r"(?<!\d)(?:\d{2})?\d{6}[-+\s]?\d{4}(?!\d)")
# A phone number: starts with 0 or +, at least seven digits, perhaps with spaces, dashes or a slash between
# groups (a date such as 2026-10-05 or a case reference is not one).
_PHONE = re.compile(r"(?<![\w-])(?:\+|0)[\d\s\-/()]{5,}\d(?!\d)")


def mask_text(text: str | None) -> str:
    """``text`` with every e-mail address, personal identity number and phone number replaced by ``MASK``."""
    if not text:
        return ""
    text = _EMAIL.sub(MASK, text)
    text = _PERSONAL_NUMBER.sub(MASK, text)
    return _PHONE.sub(lambda m: MASK if sum(c.isdigit() for c in m.group(0)) >= 7 else m.group(0), text)
