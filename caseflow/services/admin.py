"""Administration: configuration as data. Every change is registered in the audit log (who, when, before/after).
Nothing is deleted: rows are deactivated, so history and reports keep their meaning."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from ..domain.identifiers import InvalidIdentifier, parse_company_identifier
from ..domain.sla import UNITS
from ..extensions import db
from ..models import (
    ROLES,
    AuditLog,
    CannedResponse,
    Category,
    HandslagetMeasure,
    Office,
    ReportSettings,
    RoutingRule,
    SlaPolicy,
    User,
)
from . import accounts, routing, snapshot
from .errors import Forbidden, InvalidInput, NotFound, valid_id
from .unit import commit

ENTITIES = {
    "offices": Office, "categories": Category, "rules": RoutingRule, "policies": SlaPolicy,
    "canned": CannedResponse, "users": User, "measures": HandslagetMeasure, "report_settings": ReportSettings,
}
# Fields whose value 0 from a select means "none"
NULLABLE_FKS = {"office_id", "category_id", "default_office_id"}
SECRET_FIELDS = {"password"}


def require_admin(user) -> None:
    if user is None or not getattr(user, "is_authenticated", False) or user.role != "admin":
        raise Forbidden("admin only")


def listing(user, entity: str) -> list:
    require_admin(user)
    model = ENTITIES[entity]
    order = {"rules": (RoutingRule.position, RoutingRule.id), "policies": (SlaPolicy.clock, SlaPolicy.id)}
    return list(db.session.scalars(sa.select(model).order_by(*order.get(entity, (model.id,)))))


def get(user, entity: str, obj_id: int):
    require_admin(user)
    obj = db.session.get(ENTITIES[entity], obj_id)
    if obj is None:
        raise NotFound(entity)
    return obj


def save(user, entity: str, obj_id: int | None, values: dict, now: datetime):
    """Create (obj_id None) or update one configuration row; registers the change. Returns the row."""
    require_admin(user)
    model = ENTITIES[entity]
    obj = get(user, entity, obj_id) if obj_id else model()
    values = {k: (None if k in NULLABLE_FKS and not v else v) for k, v in values.items()}
    validate(entity, obj, values)
    password = values.pop("password", None)
    changes = {}
    for field, value in values.items():
        before = getattr(obj, field, None)
        if before != value:
            changes[field] = [_jsonable(before), _jsonable(value)]
            setattr(obj, field, value)
    if password:
        obj.set_password(password)
        changes["password"] = ["***", "***"]  # never the value
    if entity == "users" and obj_id is not None and (password or changes.get("active") == [True, False]):
        accounts.bump_session_version(obj)  # deactivated or given a new password: every session of theirs ends
    if obj_id is None:
        db.session.add(obj)
    db.session.flush()
    if changes or obj_id is None:
        db.session.add(AuditLog(at=now, actor_user_id=user.id, entity=entity, entity_id=obj.id,
                                action="create" if obj_id is None else "update", changes=changes))
    commit()
    return obj


def _jsonable(v):
    return v if v is None or isinstance(v, (str, int, float, bool, list, dict)) else str(v)


def validate(entity: str, obj, v: dict) -> None:
    """Business rules of a configuration row (normalises ``v`` in place); InvalidInput on failure."""
    errors: dict[str, str] = {}
    for fk, model in (("office_id", Office), ("category_id", Category), ("default_office_id", Office)):
        if v.get(fk) is not None and (not valid_id(v[fk]) or db.session.get(model, v[fk]) is None):
            errors[fk] = "invalid_choice"

    def unique(field, model):
        if field in v and v[field]:
            other = db.session.scalar(sa.select(model.id).where(getattr(model, field) == v[field]))
            if other is not None and other != obj.id:
                errors[field] = "taken"

    for field in ("name", "code", "title", "email", "body"):
        if field in v and not (v[field] or "").strip():
            errors[field] = "required"
    if entity == "offices":
        unique("code", Office)
    elif entity == "categories":
        unique("code", Category)
        kinds = [k.strip() for k in (v.get("kinds") or "").split(",") if k.strip()]
        if not kinds or any(k not in ("errand", "question", "complaint", "feedback") for k in kinds):
            errors["kinds"] = "invalid_choice"
    elif entity == "rules":
        if not v.get("office_id"):
            errors["office_id"] = "required"
        for org in [o.strip() for o in (v.get("org_numbers") or "").split(",") if o.strip()]:
            try:
                parse_company_identifier(org)
            except InvalidIdentifier:
                errors["org_numbers"] = "org_checksum"
    elif entity == "policies":
        if v.get("unit") not in UNITS:
            errors["unit"] = "invalid_choice"
        if not v.get("target") or v["target"] < 1:
            errors["target"] = "invalid_choice"
        if not 1 <= (v.get("warn_percent") or 0) <= 99:
            errors["warn_percent"] = "invalid_choice"
    elif entity == "report_settings":
        try:
            weights = [float(w) for w in str(v.get("nki_weights") or "").split(",") if w.strip()]
        except ValueError:
            weights = []
        if len(weights) != 3 or any(w < 0 for w in weights) or not sum(weights):
            errors["nki_weights"] = "three_weights"
        else:
            v["nki_weights"] = weights
    elif entity == "measures":
        unique("code", HandslagetMeasure)
    elif entity == "users":
        v["email"] = (v.get("email") or "").strip().lower()
        unique("email", User)
        if v.get("role") not in ROLES:
            errors["role"] = "invalid_choice"
        if v.get("role") in ("officer", "lead") and not v.get("office_id"):
            errors["office_id"] = "required"
        if obj.id is None and not v.get("password"):
            errors["password"] = "required"
        if v.get("password") and len(v["password"]) < 10:
            errors["password"] = "too_short"
    if errors:
        raise InvalidInput(errors)


def test_route(user, kind: str, category_id: int | None, subject: str, description: str, org_number: str):
    """Where a sample case would go, and why: for the "test this rule" box."""
    require_admin(user)
    category = snapshot.current().category(category_id) if valid_id(category_id) else None
    ident = None
    if org_number.strip():
        try:
            ident = parse_company_identifier(org_number)
        except InvalidIdentifier as exc:
            raise InvalidInput({"org_number": f"org_{exc.code}"}) from None
    decision = routing.decide(kind, category, subject, description, ident)
    return decision, db.session.get(Office, decision.office_id), \
        db.session.get(RoutingRule, decision.rule_id) if decision.rule_id else None


def audit_log(user, limit: int = 200) -> list[AuditLog]:
    require_admin(user)
    return list(db.session.scalars(sa.select(AuditLog).order_by(AuditLog.at.desc(), AuditLog.id.desc()).limit(limit)))
