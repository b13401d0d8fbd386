from datetime import UTC, datetime

from flask import current_app, g, jsonify, render_template, request, url_for
from flask_login import current_user

from ...domain import workflow
from ...extensions import limiter
from ...services import casework, catalog, finding, integrations
from ...services.errors import Conflict, Forbidden, InvalidInput, NotFound
from ...services.intake import Submission
from ..urls import base_url, external_url
from . import bp
from .errors import error, field_messages
from .openapi import document


def rate_key() -> str:
    """Per token (its last characters are enough to tell tokens apart), else per client address."""
    auth = request.headers.get("Authorization", "")
    key = request.values.get("api_key", "") if not auth else auth
    return "token:" + key[-16:] if key else "ip:" + (request.remote_addr or "-")


limiter.limit(lambda: current_app.config["API_RATE_LIMIT"], key_func=rate_key)(bp)


@bp.before_request
def _authenticate():
    g.api_token = integrations.authenticate(request.headers.get("Authorization"), datetime.now(UTC))


def _staff_user(scope: str = "officer"):
    """The acting staff user: an officer token's user, or (for reads) a logged-in member of staff."""
    token = g.get("api_token")
    if token is not None:
        integrations.require(token, scope)
        return token.user
    if request.method == "GET" and getattr(current_user, "role", None) in ("officer", "lead", "admin"):
        return current_user._get_current_object()
    raise Forbidden("no_token")


def _json() -> dict:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise InvalidInput({"body": "json_object_required"})
    return data


def _text(data: dict, name: str, required: bool = False) -> str:
    """A text field of the JSON body; presence of the case fields is checked by the service, all at once."""
    value = data.get(name, "")
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise InvalidInput({name: "must_be_text"})
    if "\x00" in value:
        raise InvalidInput({name: "invalid_characters"})
    if required and not value.strip():
        raise InvalidInput({name: "required"})
    return value


@bp.errorhandler(InvalidInput)
def _invalid(exc):
    return error(422, "invalid_input", "Some fields are not valid.", field_messages(exc.fields))


@bp.errorhandler(Forbidden)
def _forbidden(exc):
    if str(exc) in ("no_token", "bad_token"):
        return error(401, "unauthorized", "A valid API token is needed: Authorization: Bearer <token>.")
    return error(403, "forbidden", "The token does not have the scope for this.")


@bp.errorhandler(NotFound)
def _not_found(exc):
    return error(404, "not_found", "No such resource (or not one this token may read).")


@bp.errorhandler(Conflict)
def _conflict(exc):
    return error(409, exc.code, "Not possible in the current state.")


@bp.get("/openapi.json")
def openapi():
    return jsonify(document(base_url()))


@bp.get("/docs")
def docs():
    return render_template("api/docs.html", spec=document(base_url()))


@bp.get("/kinds")
def kinds():
    return jsonify({"kinds": list(workflow.KINDS), "complaint_grounds": list(workflow.COMPLAINT_GROUNDS)})


@bp.get("/categories")
def categories():
    return jsonify({"categories": [{"id": c.id, "code": c.code, "name": c.name, "name_en": c.name_en,
                                    "kinds": c.kind_list, "statutory": c.statutory} for c in catalog.categories()]})


@bp.post("/cases")
def submit_case():
    token = integrations.require(g.get("api_token"), "submit")
    data = _json()
    category = data.get("category_id")
    if category is not None and (not isinstance(category, int) or isinstance(category, bool)):
        raise InvalidInput({"category_id": "invalid_choice"})
    sub = Submission(
        kind=_text(data, "kind"), category_id=category, org_number=_text(data, "org_number"),
        company_name=_text(data, "company_name"), contact_name=_text(data, "contact_name"),
        contact_email=_text(data, "contact_email"), subject=_text(data, "subject"),
        description=_text(data, "description"), contact_phone=_text(data, "contact_phone", False),
        complaint_ground=_text(data, "complaint_ground", False) or None,
        priority=_text(data, "priority", False) or "normal",
        language=_text(data, "language", False) or "sv",
        related_reference=_text(data, "related_reference", False),
    )
    if sub.contact_email and "@" not in sub.contact_email:
        raise InvalidInput({"contact_email": "invalid_email"})
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
    rows = finding.queue(user, limit=min(request.args.get("limit", 50, type=int) or 50, 200))
    return jsonify({"cases": [_row(c) for c in rows]})


@bp.get("/cases")
def list_cases():
    user = _staff_user()
    limit = min(max(request.args.get("limit", 50, type=int) or 50, 1), 200)
    status = request.args.get("status", "")
    page = finding.search(user, finding.Search(text=request.args.get("q", ""), status=status),
                          cursor=request.args.get("cursor"), limit=limit)
    return jsonify({"cases": [_row(c) for c in page.cases], "next_cursor": page.next_cursor})


def _row(c) -> dict:
    return {"reference": c.reference, "status": c.status, "kind": c.kind, "subject": c.subject,
            "received_at": c.created_at.isoformat(), "assignee": c.assignee.name if c.assignee else None,
            "next_due_at": c.next_due_at.isoformat() if c.next_due_at else None}


def _act(reference: str, action):
    user = _staff_user()
    case_id = casework.get_case_by_reference(user, reference).id
    action(user, case_id, _json(), datetime.now(UTC))
    return jsonify(integrations.case_view(casework.get_case(user, case_id), staff=True))


@bp.post("/cases/<reference>/reply")
def reply(reference: str):
    return _act(reference, lambda u, cid, d, now: casework.reply(u, cid, _text(d, "body", True), now))


@bp.post("/cases/<reference>/notes")
def note(reference: str):
    return _act(reference, lambda u, cid, d, now: casework.add_note(u, cid, _text(d, "body", True), now))


@bp.post("/cases/<reference>/close")
def close(reference: str):
    return _act(reference, lambda u, cid, d, now: casework.close(u, cid, _text(d, "outcome", True), now,
                                                                  _text(d, "comment", False)))


@bp.post("/cases/<reference>/completion")
def completion(reference: str):
    return _act(reference, lambda u, cid, d, now: casework.request_completion(u, cid, _text(d, "body", True), now))


@bp.post("/cases/<reference>/decision")
def decision(reference: str):
    return _act(reference, lambda u, cid, d, now: casework.decide(u, cid, _text(d, "outcome", True),
                                                                   _text(d, "text", True), now))
