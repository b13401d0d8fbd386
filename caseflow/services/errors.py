"""Errors a use case can end with. The web layer maps them to pages and status codes."""
from __future__ import annotations


class ServiceError(Exception):
    pass


class NotFound(ServiceError):
    """The thing does not exist - or the caller may not know that it exists (same answer on purpose)."""


class Forbidden(ServiceError):
    """The caller is known but may not do this."""


class InvalidInput(ServiceError):
    """Input failed a business rule. ``fields`` maps field names to message codes for the form."""

    def __init__(self, fields: dict[str, str]):
        super().__init__(", ".join(f"{k}: {v}" for k, v in fields.items()))
        self.fields = fields


class Conflict(ServiceError):
    """The action is not allowed in the case's current state (e.g. an illegal transition)."""

    def __init__(self, code: str, detail: str = ""):
        super().__init__(detail or code)
        self.code = code


def valid_id(value) -> bool:
    """A database id from outside: a positive 32-bit integer (PostgreSQL's integer), anything else is no id."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value < 2**31
