"""GeoReport v2 endpoints; every resource in JSON and XML (``.json`` / ``.xml``)."""
from datetime import UTC, datetime
from xml.etree import ElementTree as ET  # noqa: N817 - building XML only, never parsing input

from flask import Response, jsonify, request, url_for
from flask_babel import force_locale

from ...services import open311
from ...services.errors import Forbidden, InvalidInput, NotFound
from .. import checks_text
from ..api.errors import HTTP_CODES, field_messages, http_headers, language, message
from ..api.routes import api_limit
from ..i18n import lazy_gettext as _l
from ..urls import base_url
from . import bp

api_limit(bp)  # the REST API's budget: one per token for both
FORMATS = ("json", "xml")
# element names of the XML forms: list root -> item
XML_ITEMS = {"services": "service", "service_requests": "request", "errors": "error"}


def _xml(root: str, data) -> Response:
    def build(parent, value, name):
        if isinstance(value, dict):
            el = ET.SubElement(parent, name)
            for k, v in value.items():
                build(el, v, k)
        elif isinstance(value, list):
            el = ET.SubElement(parent, name)
            item = {"attributes": "attribute", "values": "value", "endpoints": "endpoint",
                    "formats": "format"}.get(name, "item")
            for v in value:
                build(el, v, item)
        else:
            el = ET.SubElement(parent, name)
            el.text = "" if value is None else str(value).lower() if isinstance(value, bool) else str(value)

    if isinstance(data, list):
        top = ET.Element(root)
        for item in data:
            build(top, item, XML_ITEMS.get(root, "item"))
    else:
        top = ET.Element(root)
        for k, v in data.items():
            build(top, v, k)
    body = b'<?xml version="1.0" encoding="utf-8"?>' + ET.tostring(top, encoding="utf-8")
    return Response(body, mimetype="text/xml")


def _out(fmt: str, root: str, data, status: int = 200):
    if fmt not in FORMATS:
        raise NotFound("format")
    resp = _xml(root, data) if fmt == "xml" else jsonify(data)
    resp.status_code = status
    return resp


def _fmt() -> str:
    return request.view_args.get("fmt", "json") if request.view_args else "json"


def _errors(status: int, code: int, description: str, headers: dict | None = None):
    resp = _out(_fmt() if _fmt() in FORMATS else "json", "errors", [{"code": code, "description": description}],
                status)
    resp.headers.extend(headers or {})
    return resp


def http_error(exc, status: int):
    """An HTTP error under /open311/ (no such resource, method not allowed, rate limited …) as the spec's list."""
    return _errors(status, status, message(HTTP_CODES.get(status, "bad_request")), http_headers(exc))


@bp.errorhandler(InvalidInput)
def _invalid(exc):
    """The spec has one description per error: each field named, with its sentence."""
    msgs = field_messages(exc.fields)
    return _errors(400, 400, " ".join(f"{k}: {v}" for k, v in msgs.items()))


NO_KEY = _l("A valid api_key is needed.")


@bp.errorhandler(Forbidden)
def _forbidden(exc):
    with force_locale(language()):
        return _errors(403, 403, str(NO_KEY))


@bp.errorhandler(NotFound)
def _not_found(exc):
    return _errors(404, 404, message("not_found"))


@bp.get("/discovery.<fmt>")
def discovery(fmt: str):
    base = base_url() + "/open311/v2"
    return _out(fmt, "discovery", {
        "changeset": "2026-11-27T00:00:00Z", "contact": "Näringslivsavdelningen, Norrköpings kommun",
        "key_service": "API keys are issued by the municipality's administrators.",
        "endpoints": [{"specification": "http://wiki.open311.org/GeoReport_v2", "url": base,
                       "changeset": "2026-11-27T00:00:00Z", "type": "production",
                       "formats": ["text/xml", "application/json"]}]})


@bp.get("/services.<fmt>")
def services(fmt: str):
    return _out(fmt, "services", open311.services())


@bp.get("/services/<code>.<fmt>")
def service_definition(code: str, fmt: str):
    return _out(fmt, "service_definition", open311.service_definition(code))


@bp.post("/requests.<fmt>")
@checks_text  # open311.submit holds every value of the form to domain.text
def post_request(fmt: str):
    now = datetime.now(UTC)
    token = open311.key_token(request.form.get("api_key"), "submit", now)
    case = open311.submit(token, request.form.to_dict(), now, request.headers.get("Idempotency-Key"))
    body = [{"service_request_id": case.reference, "service_notice": open311.STATUS_NOTES["new"],
             "account_id": ""}]
    resp = _out(fmt, "service_requests", body, 201)
    resp.headers["Location"] = url_for("open311.get_request", request_id=case.reference, fmt=fmt)
    return resp


@bp.get("/requests.<fmt>")
def get_requests(fmt: str):
    now = datetime.now(UTC)
    token = open311.key_token(request.args.get("api_key"), "read-own", now)
    return _out(fmt, "service_requests", open311.requests(token, request.args.to_dict(), now))


@bp.get("/requests/<request_id>.<fmt>")
def get_request(request_id: str, fmt: str):
    now = datetime.now(UTC)
    token = open311.key_token(request.args.get("api_key"), "read-own", now)
    return _out(fmt, "service_requests", [open311.request_by_id(token, request_id)])


@bp.get("/tokens/<token_id>.<fmt>")
def token(token_id: str, fmt: str):
    """Requests are created at once, so a request's token is its own id."""
    now = datetime.now(UTC)
    api_token = open311.key_token(request.args.get("api_key"), "read-own", now)
    found = open311.request_by_id(api_token, token_id)
    return _out(fmt, "service_requests", [{"service_request_id": found["service_request_id"],
                                           "token": found["service_request_id"]}])
