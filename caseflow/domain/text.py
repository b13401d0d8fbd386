"""What text from outside may hold before it is stored: the one rule for forms, the API and Open311. Pure.

Refused, with the code ``invalid_characters``:
- control characters other than tab, line feed and carriage return: C0, DEL and C1. PostgreSQL cannot store NUL
  at all, and the others garble or hide text on screens, in exports and in mail;
- lone UTF-16 surrogates (U+D800-U+DFFF). JSON can carry them (``"\\ud800"``), but they are not characters and
  no database driver can encode them.

A one-line field (a name, a subject, an address) folds tabs and line breaks into one space: a browser never sends
them from a one-line input, and a client that does means a space. Longer texts keep them.

The OpenAPI document says the same with :data:`PATTERN` and :data:`PATTERN_REQUIRED` (JSON Schema regular
expressions that Python, ECMAScript and Rust read alike; a surrogate cannot be written in all three, so the
document's description names it instead).

E-mail addresses are checked by :func:`email_address` with the ``email-validator`` package, never by hand.
"""
from __future__ import annotations

import re

import email_validator

# Control characters that text may not hold, as regular-expression escapes (\t, \n and \r are allowed).
_CONTROLS = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
# White space, written out: "\s" differs between Python and ECMAScript (U+FEFF is space only in the latter).
_SPACE = r"\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
_REFUSED = re.compile(f"[{_CONTROLS}\\ud800-\\udfff]")
_LINE_BREAKS = re.compile(r"[\t\r\n\u2028\u2029]+")
_VISIBLE = re.compile(f"[^{_CONTROLS}{_SPACE}]")

PATTERN = f"^[^{_CONTROLS}]*$"
"""JSON Schema ``pattern`` of a text field: no refused control character."""
PATTERN_REQUIRED = f"^[^{_CONTROLS}]*[^{_CONTROLS}{_SPACE}][^{_CONTROLS}]*$"
"""JSON Schema ``pattern`` of a required text field: no refused control character, and something visible."""

INVALID_CHARACTERS, REQUIRED, TOO_LONG, INVALID_EMAIL = "invalid_characters", "required", "too_long", "invalid_email"


class TextError(ValueError):
    """Text refused at the edge; ``code`` is one of ``invalid_characters``, ``required``, ``too_long`` or
    ``invalid_email`` (the web layer has a translated message for each)."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def has_refused_characters(value: str) -> bool:
    return _REFUSED.search(value) is not None


def clean(value: str, *, one_line: bool = False, required: bool = False, max_length: int | None = None) -> str:
    """``value`` as it may be stored: refused when it holds a control character or a lone surrogate, when it is
    ``required`` and shows nothing but white space, or when it is longer than ``max_length`` characters (as it
    came: the document's maxLength counts so)."""
    if has_refused_characters(value):
        raise TextError(INVALID_CHARACTERS)
    if required and not _VISIBLE.search(value):
        raise TextError(REQUIRED)
    if max_length is not None and len(value) > max_length:
        raise TextError(TOO_LONG)
    return fold_lines(value) if one_line else value


def fold_lines(value: str) -> str:
    """A one-line field's value: each run of tabs and line breaks becomes one space."""
    return _LINE_BREAKS.sub(" ", value)


def email_address(value: str, *, internal_hosts: bool = False) -> str:
    """The address, normalised (surrounding space removed, the domain in lower case); ``TextError
    ('invalid_email')`` for anything that is not one plain address: no display name, no second address, no line
    break (``a@example.se\\r\\nBcc: …``), no quoted or IP-literal parts. Deliverability is not looked up.

    Addresses from outside must have a domain that can receive mail from the internet: not a special-use name
    (``.test``, ``.invalid``, ``.local`` …) nor a name of one label. ``internal_hosts=True`` accepts any valid
    host name there, for what an operator configured (an internal relay may serve ``kommun.local``; demo
    installations use ``.invalid``) and for the mail sender's last check, which guards the syntax only."""
    address = (value or "").strip()
    if has_refused_characters(address) or len(address) > 254:
        raise TextError(INVALID_EMAIL)
    try:
        return email_validator.validate_email(address, check_deliverability=False).normalized
    except email_validator.EmailNotValidError:
        if not internal_hosts:
            raise TextError(INVALID_EMAIL) from None
    local, at, domain = address.rpartition("@")
    try:  # the same check of the whole syntax, the host name placed under an ordinary public domain
        checked = email_validator.validate_email(f"{local}{at}{domain}.example.org", check_deliverability=False)
    except email_validator.EmailNotValidError:
        raise TextError(INVALID_EMAIL) from None
    return f"{checked.local_part}@{domain.lower()}"
