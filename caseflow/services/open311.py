"""Open311 GeoReport v2 in caseflow's terms: categories are services, cases are service requests.

Requests may hold personal data, so reading them needs an api_key with the read-own scope, and an integration
reads only the requests it submitted. Dates are W3C datetimes (ISO 8601 with a zone).
"""
from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa

from ..domain import complaints, text, workflow
from ..extensions import db
from ..models import ApiToken, Case, Category, Office, SlaClock
from . import catalog, integrations, sla
from .errors import Forbidden, InvalidInput, NotFound
from .intake import LIMITS, Submission

DESCRIPTION_LIMIT = 4000
STATUS_NOTES = {"new": "Mottaget", "assigned": "Tilldelat handläggare", "in_progress": "Under handläggning",
                "awaiting_customer": "Väntar på komplettering från er", "decided": "Beslut fattat",
                "closed": "Avslutat"}
ATTRIBUTES = [
    {"variable": True, "code": "org_number", "datatype": "string", "required": True, "order": 1,
     "datatype_description": "Organisationsnummer NNNNNN-NNNN (a sole trader: personnummer)",
     "description": "Organisationsnummer"},
    {"variable": True, "code": "company_name", "datatype": "string", "required": True, "order": 2,
     "datatype_description": "", "description": "Företagets namn"},
    {"variable": True, "code": "kind", "datatype": "singlevaluelist", "required": True, "order": 3,
     "datatype_description": "", "description": "Typ av ärende",
     "values": [{"key": "errand", "name": "Ärende"}, {"key": "question", "name": "Fråga"},
                {"key": "complaint", "name": "Klagomål"}, {"key": "feedback", "name": "Synpunkt"}]},
    {"variable": True, "code": "complaint_ground", "datatype": "singlevaluelist", "required": False, "order": 4,
     "datatype_description": "Bara för klagomål (kind=complaint); utan värde: Annat",
     "description": "Vad gäller klagomålet?",
     "values": [{"key": g.value, "name": g.sv} for g in complaints.GROUNDS]},
]


def key_token(api_key: str | None, scope: str, now: datetime) -> ApiToken:
    try:
        token = integrations.authenticate(f"Bearer {api_key}" if api_key else None, now)
    except Forbidden:
        token = None
    if token is None or not token.has(scope):
        raise Forbidden("api_key")
    return token


def services() -> list[dict]:
    offices = {o.id: o.name for o in db.session.scalars(sa.select(Office))}
    return [{"service_code": c.code, "service_name": c.name, "description": c.name_en or c.name, "metadata": True,
             "type": "realtime", "keywords": ",".join(c.kind_list), "group": offices.get(c.default_office_id, "")}
            for c in catalog.categories()]


def service_definition(code: str) -> dict:
    category = _category(code)
    attrs = []
    for a in ATTRIBUTES:
        a = dict(a)
        if a["code"] == "kind":
            a["values"] = [v for v in a["values"] if v["key"] in category.kind_list]
        if a["code"] == "complaint_ground" and "complaint" not in category.kind_list:
            continue
        attrs.append(a)
    return {"service_code": category.code, "attributes": attrs}


def _category(code: str) -> Category:
    category = db.session.scalar(sa.select(Category).where(Category.code == code, Category.active.is_(True)))
    if category is None:
        raise NotFound("service_code")
    return category


# Multi-line values of the spec's form; every other value is one line (tabs and line breaks become a space).
MULTI_LINE = {"description"}


def _clean_form(form: dict) -> dict:
    """Every value of the form held to the rule for text from outside (domain.text), all refusals at once;
    the e-mail address checked and normalised (``email-validator``)."""
    values, errors = {}, {}
    for name, value in form.items():
        try:
            values[name] = text.clean(value, one_line=name not in MULTI_LINE)
        except text.TextError as exc:
            errors[name] = exc.code
    if values.get("email") and "email" not in errors:
        try:
            values["email"] = text.email_address(values["email"])
        except text.TextError as exc:
            errors["email"] = exc.code
    if errors:
        raise InvalidInput(errors)
    return values


def submit(token: ApiToken, form: dict, now: datetime, idempotency_key: str | None = None) -> Case:
    """POST requests: the spec's form fields, with attribute[org_number], attribute[company_name], attribute[kind].
    An Idempotency-Key header (not in the spec, but honoured) makes a retried POST return the same request.

    first_name and last_name are optional (GeoReport v2): without them the contact is known by the e-mail
    address, which is what the case shows as the contact's name."""
    form = _clean_form(form)
    if not form.get("service_code"):
        raise InvalidInput({"service_code": "required"})
    category = _category(form["service_code"])
    description = (form.get("description") or "").strip()
    if len(description) > DESCRIPTION_LIMIT:
        raise InvalidInput({"description": "too_long"})
    if not form.get("email"):
        raise InvalidInput({"email": "required"})
    name = " ".join(p.strip() for p in (form.get("first_name", ""), form.get("last_name", "")) if p.strip())
    first_line = description.splitlines()[0] if description else category.name
    sub = Submission(
        kind=form.get("attribute[kind]", "") or "errand", category_id=category.id,
        org_number=form.get("attribute[org_number]", ""), company_name=form.get("attribute[company_name]", ""),
        contact_name=name or form["email"][:LIMITS["contact_name"]], contact_email=form["email"],
        contact_phone=form.get("phone", ""),
        subject=first_line[:200], description=description,
        complaint_ground=(form.get("attribute[complaint_ground]") or complaints.OTHER)
        if form.get("attribute[kind]") == "complaint" else None, channel="open311",
    )
    case, _tracking, _created = integrations.submit(token, sub, idempotency_key, now)
    return case


def _w3c(text: str) -> datetime:
    value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if value.tzinfo is None:
        raise ValueError("no time zone")
    return value


def requests(token: ApiToken, args: dict, now: datetime) -> list[dict]:
    """GET requests with the spec's filters; the date range is at most 90 days (default: the last 90)."""
    q = sa.select(Case).where(Case.api_token_id == token.id)
    ids = [i.strip() for i in (args.get("service_request_id") or "").split(",") if i.strip()]
    if ids:
        q = q.where(Case.reference.in_([i.upper() for i in ids]))
    else:
        try:
            end = _w3c(args["end_date"]) if args.get("end_date") else now
            start = _w3c(args["start_date"]) if args.get("start_date") else end - timedelta(days=90)
        except ValueError:
            raise InvalidInput({"start_date": "w3c_datetime"}) from None
        if end < start or end - start > timedelta(days=90):
            raise InvalidInput({"end_date": "range_90_days"})
        q = q.where(Case.created_at >= start, Case.created_at <= end)
        if args.get("service_code"):
            q = q.join(Category, Category.id == Case.category_id).where(Category.code == args["service_code"])
        status = args.get("status")
        if status == "closed":
            q = q.where(Case.status == workflow.CLOSED)
        elif status == "open":
            q = q.where(Case.status != workflow.CLOSED)
        elif status:
            raise InvalidInput({"status": "open_or_closed"})
    return _views(list(db.session.scalars(q.order_by(Case.created_at.desc()).limit(1000))))


def request_by_id(token: ApiToken, request_id: str) -> dict:
    case = db.session.scalar(sa.select(Case).where(Case.reference == request_id.upper(),
                                                   Case.api_token_id == token.id))
    if case is None:
        raise NotFound("request")
    return _views([case])[0]


def _views(cases: list[Case]) -> list[dict]:
    """Service requests as the spec names their fields (no contact data); clocks, categories and offices are
    loaded once for all of them, not per request."""
    ids = [c.id for c in cases]
    due = {}
    for case_id, name, due_at in db.session.execute(sa.select(SlaClock.case_id, SlaClock.name, SlaClock.due_at)
                                                    .where(SlaClock.case_id.in_(ids or [-1]),
                                                           SlaClock.name.in_((sla.RESOLUTION, sla.PBL)))):
        if due_at is not None and (case_id not in due or name == sla.PBL):  # the statutory deadline wins
            due[case_id] = due_at
    categories = {c.id: c for c in db.session.scalars(sa.select(Category))}
    offices = {o.id: o.name for o in db.session.scalars(sa.select(Office))}
    return [view(c, categories.get(c.category_id), offices.get(c.office_id, ""), due.get(c.id)) for c in cases]


def view(case: Case, category: Category | None, office: str, expected: datetime | None) -> dict:
    """A service request as the spec names its fields. No contact data."""
    return {
        "service_request_id": case.reference, "status": "closed" if case.status == workflow.CLOSED else "open",
        "status_notes": STATUS_NOTES.get(case.status, case.status),
        "service_name": category.name if category else "", "service_code": category.code if category else "",
        "description": case.description, "agency_responsible": office, "service_notice": "",
        "requested_datetime": case.created_at.isoformat(),
        "updated_datetime": (case.closed_at or case.first_response_at or case.created_at).isoformat(),
        "expected_datetime": expected.isoformat() if expected else None,
        "address": "", "address_id": "", "zipcode": "", "lat": None, "long": None, "media_url": "",
    }
