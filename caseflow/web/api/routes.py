import hashlib
from datetime import UTC, datetime

from flask import current_app, g, jsonify, render_template, request, url_for
from flask_login import current_user

from ...domain import complaints, workflow
from ...extensions import limiter
from ...services import casework, catalog, finding, integrations
from ...services.errors import Conflict, Forbidden, InvalidInput, NotFound
from ...services.intake import Submission
from ..urls import base_url, external_url
from . import bp
from .errors import error, field_messages
from .fields import read_body, read_query
from .openapi import CLOSING, DECISION, LIMIT, MESSAGE, SUBMISSION, document


def rate_key() -> str:
    """Per token, the same whether it comes as a bearer token (REST) or an api_key (Open311); per client address
    without one. A made-up token gets its own bucket, but it is refused (401) before it does anything."""
    scheme, _, value = request.headers.get("Authorization", "").partition(" ")
    token = value.strip() if scheme.lower() == "bearer" else request.values.get("api_key", "")
    if token:
        return "token:" + hashlib.sha256(token.encode(errors="replace")).hexdigest()[:32]
    return "ip:" + (request.remote_addr or "-")


# One budget per token (API_RATE_LIMIT) for every endpoint of the API and of Open311 together (scope "api").
api_limit = limiter.shared_limit(lambda: current_app.config["API_RATE_LIMIT"], scope="api", key_func=rate_key)
api_limit(bp)


@bp.before_request
def _authenticate():
    g.api_token = integrations.authenticate(request.headers.get("Authorization"), datetime.now(UTC))


def _staff_user(scope: str = "officer"):
    """The acting staff user: an officer token's user, or (for reads) a logged-in member of staff."""
    return integrations.acting_user(g.get("api_token"), current_user._get_current_object(), scope,
                                    reading=request.method == "GET")


def _json() -> dict:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise InvalidInput({"body": "json_object_required"})
    return data


def _body(fields: dict) -> dict:
    """The JSON object of the request, read field by field (see fields.py); every refusal at once."""
    return read_body(_json(), fields)


@bp.errorhandler(InvalidInput)
def _invalid(exc):
    return error(422, "invalid_input", fields=field_messages(exc.fields))


@bp.errorhandler(Forbidden)
def _forbidden(exc):
    if str(exc) in ("no_token", "bad_token"):
        return error(401, "unauthorized")
    return error(403, "forbidden")


@bp.errorhandler(NotFound)
def _not_found(exc):
    return error(404, "not_found")


@bp.errorhandler(Conflict)
def _conflict(exc):
    return error(409, exc.code)


@bp.get("/openapi.json")
def openapi():
    return jsonify(document(base_url()))


@bp.get("/docs")
def docs():
    return render_template("api/docs.html", spec=document(base_url()))


@bp.get("/kinds")
def kinds():
    return jsonify({
        "kinds": list(workflow.KINDS), "complaint_grounds": list(complaints.VALUES),
        # each ground in the company's words, its hint, and the Insikt factor the reports count it under
        "complaint_ground_details": [
            {"value": g.value, "sv": g.sv, "en": g.en, "hint_sv": g.hint_sv, "hint_en": g.hint_en, "factor": g.factor}
            for g in complaints.GROUNDS],
        # grounds accepted from earlier integrations (the factor's name), counted under that factor
        "legacy_complaint_grounds": dict(complaints.LEGACY_GROUNDS),
    })


@bp.get("/categories")
def categories():
    return jsonify({"categories": [{"id": c.id, "code": c.code, "name": c.name, "name_en": c.name_en,
                                    "kinds": c.kind_list, "statutory": c.statutory} for c in catalog.categories()]})


@bp.post("/cases")
def submit_case():
    token = integrations.require(g.get("api_token"), "submit")
    sub = Submission(**_body(SUBMISSION))
    case, tracking_token, created = integrations.submit(token, sub, request.headers.get("Idempotency-Key"),
                                                        datetime.now(UTC))
    body = integrations.case_view(case)
    if tracking_token:
        body["tracking_url"] = external_url("public.track", token=tracking_token)
    resp = jsonify(body)
    resp.status_code = 201 if created else 200
    resp.headers["Location"] = url_for("api.get_case", reference=case.reference)
    return resp


@bp.get("/cases/<reference>")
def get_case(reference: str):
    token = g.get("api_token")
    if token is None:
        reader = _staff_user()
        case = casework.get_case_by_reference(reader, reference)
        body = integrations.case_view(case, staff=True)
    else:
        case = integrations.case_for(token, reference)
        body = integrations.case_view(case, staff=token.has("officer"))
        reader = token.user if token.has("officer") and token.user is not None else None
    if reader is not None:  # a member of staff read the case (by session or officer token): logged
        casework.record_view(reader, case.id, datetime.now(UTC), what="api")
    return jsonify(body)


@bp.get("/queue")
def queue():
    user = _staff_user()
    rows = finding.queue(user, limit=read_query(request.args, "limit", LIMIT))
    return jsonify({"cases": [_row(c) for c in rows]})


@bp.get("/cases")
def list_cases():
    user = _staff_user()
    limit = read_query(request.args, "limit", LIMIT)
    status = request.args.get("status", "")
    page = finding.search(user, finding.Search(text=request.args.get("q", ""), status=status),
                          cursor=request.args.get("cursor"), limit=limit)
    return jsonify({"cases": [_row(c) for c in page.cases], "next_cursor": page.next_cursor})


def _row(c) -> dict:
    return {"reference": c.reference, "status": c.status, "kind": c.kind, "subject": c.subject,
            "received_at": c.created_at.isoformat(), "assignee": c.assignee.name if c.assignee else None,
            "next_due_at": c.next_due_at.isoformat() if c.next_due_at else None}


def _act(reference: str, fields: dict, action):
    """An officer's action on a case: the case first (404 for one the user may not see), then the body."""
    user = _staff_user()
    case_id = casework.get_case_by_reference(user, reference).id
    action(user, case_id, _body(fields), datetime.now(UTC))
    return jsonify(integrations.case_view(casework.get_case(user, case_id), staff=True))


@bp.post("/cases/<reference>/reply")
def reply(reference: str):
    return _act(reference, MESSAGE, lambda u, cid, d, now: casework.reply(u, cid, d["body"], now))


@bp.post("/cases/<reference>/notes")
def note(reference: str):
    return _act(reference, MESSAGE, lambda u, cid, d, now: casework.add_note(u, cid, d["body"], now))


@bp.post("/cases/<reference>/close")
def close(reference: str):
    return _act(reference, CLOSING, lambda u, cid, d, now: casework.close(u, cid, d["outcome"], now, d["comment"]))


@bp.post("/cases/<reference>/completion")
def completion(reference: str):
    return _act(reference, MESSAGE, lambda u, cid, d, now: casework.request_completion(u, cid, d["body"], now))


@bp.post("/cases/<reference>/decision")
def decision(reference: str):
    return _act(reference, DECISION, lambda u, cid, d, now: casework.decide(u, cid, d["outcome"], d["text"], now))
