"""One error body for the whole API: {"error": {"code", "message", "fields"}}.

``code`` is for programs; ``message`` and each of ``fields`` are sentences for people, in English unless the
client asks for Swedish (``Accept-Language: sv``). Open311 writes its error list from the same messages.
"""
from __future__ import annotations

from flask import jsonify, request
from flask_babel import force_locale

from ..i18n import lazy_gettext as _l
from ..messages import FIELD_ERRORS

MESSAGES = {
    "invalid_input": _l("Some fields are not valid: the fields list says which and why."),
    "unauthorized": _l("A valid API token is needed: Authorization: Bearer <token>."),
    "forbidden": _l("The token does not have the scope for this."),
    "not_found": _l("No such resource (or not one this token may read)."),
    "idempotency_key_reused": _l("This Idempotency-Key was already used with a different request."),
    "conflict": _l("That is not possible in the case's current status."),
    "bad_request": _l("The request could not be read."),
    "method_not_allowed": _l("This address does not take that method: the Allow header lists the ones it takes."),
    "too_large": _l("The request is too large."),
    "rate_limited": _l("Too many requests: please wait a minute and try again."),
    "server_error": _l("Something went wrong on our side. Nothing was half-saved; please try again later."),
}
# the code of an HTTP error status, as the API names it
HTTP_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
              405: "method_not_allowed", 409: "conflict", 413: "too_large", 429: "rate_limited", 500: "server_error"}


def language() -> str:
    """The language of the API's messages: what the client prefers of English and Swedish, English by default."""
    return request.accept_languages.best_match(("en", "sv"), default="en")


def message(code: str) -> str:
    with force_locale(language()):
        return str(MESSAGES.get(code, MESSAGES["conflict"]))  # a state conflict the service named


def error(status: int, code: str, message_text: str | None = None, fields: dict | None = None, headers=None):
    resp = jsonify({"error": {"code": code, "message": message_text or message(code), "fields": fields or {}}})
    resp.status_code = status
    for name, value in (headers or {}).items():
        resp.headers[name] = value
    return resp


def field_messages(fields: dict[str, str]) -> dict[str, str]:
    """The sentence for each field's error code (an unknown code still gets a sentence, never the code)."""
    with force_locale(language()):
        return {k: str(FIELD_ERRORS.get(v, FIELD_ERRORS["invalid"])) for k, v in fields.items()}


def http_headers(exc) -> dict:
    """The headers an HTTP error carries besides its body: ``Allow`` of a 405, ``Retry-After``…"""
    get = getattr(exc, "get_headers", None)
    return {k: v for k, v in (get() if get else []) if k.lower() != "content-type"}


def http_error(exc, status: int):
    """An HTTP error (no such route, method not allowed, rate limited …) under /api/ as the API's error body."""
    code = HTTP_CODES.get(status, "bad_request")
    return error(status, code, headers=http_headers(exc))
