"""One error body for the whole API: {"error": {"code", "message", "fields"}}."""
from __future__ import annotations

from flask import jsonify
from flask_babel import force_locale

from ..messages import FIELD_ERRORS


def error(status: int, code: str, message: str, fields: dict | None = None):
    resp = jsonify({"error": {"code": code, "message": message, "fields": fields or {}}})
    resp.status_code = status
    return resp


def field_messages(fields: dict[str, str]) -> dict[str, str]:
    with force_locale("en"):
        return {k: str(FIELD_ERRORS.get(v, v)) for k, v in fields.items()}
