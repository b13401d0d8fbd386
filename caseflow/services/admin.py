"""Administration: configuration as data. Every change is registered in the audit log (who, when, before/after).
Nothing is deleted: rows are deactivated, so history and reports keep their meaning."""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from ..domain import decisions, enums
from ..domain import routing as domain_routing
from ..domain.identifiers import InvalidIdentifier, parse_company_identifier
from ..extensions import db
from ..models import (
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
from .authorization import require_administrator
from .errors import InvalidInput, NotFound, valid_id
from .unit import commit

ENTITIES = {
    "offices": Office, "categories": Category, "rules": RoutingRule, "policies": SlaPolicy,
    "canned": CannedResponse, "users": User, "measures": HandslagetMeasure, "report_settings": ReportSettings,
}
# Fields whose value 0 from a select means "none"
NULLABLE_FKS = {"office_id", "category_id", "default_office_id"}


def listing(user, entity: str) -> list:
    require_administrator(user)
    model = ENTITIES[entity]
    order = {"rules": (RoutingRule.position, RoutingRule.id), "policies": (SlaPolicy.clock, SlaPolicy.id)}
    return list(db.session.scalars(sa.select(model).order_by(*order.get(entity, (model.id,)))))


def get(user, entity: str, obj_id: int):
    require_administrator(user)
    obj = db.session.get(ENTITIES[entity], obj_id)
    if obj is None:
        raise NotFound(entity)
    return obj


def save(user, entity: str, obj_id: int | None, values: dict, now: datetime):
    """Create (obj_id None) or update one configuration row; registers the change. Returns the row."""
    require_administrator(user)
    model = ENTITIES[entity]
    obj = get(user, entity, obj_id) if obj_id else model()
    values = {k: (None if k in NULLABLE_FKS and not v else v) for k, v in values.items()}
    validate(entity, obj, values)
    password = values.pop("password", None)
    changes = _assign(obj, values)
    if password:
        obj.set_password(password)
        changes["password"] = ["***", "***"]  # never the value
    if entity == "users" and obj_id is not None and _ends_sessions(changes):
        accounts.bump_session_version(obj)
    if obj_id is None:
        db.session.add(obj)
    db.session.flush()
    if changes or obj_id is None:
        db.session.add(AuditLog(at=now, actor_user_id=user.id, entity=entity, entity_id=obj.id,
                                action="create" if obj_id is None else "update", changes=changes))
    commit()
    return obj


def _assign(obj, values: dict) -> dict:
    """Set the values that differ on ``obj``; returns them as {field: [before, after]} for the audit log."""
    changes = {}
    for field, value in values.items():
        before = getattr(obj, field, None)
        if before != value:
            changes[field] = [_jsonable(before), _jsonable(value)]
            setattr(obj, field, value)
    return changes


def _ends_sessions(changes: dict) -> bool:
    """A user deactivated or given a new password: every session of theirs ends."""
    return "password" in changes or changes.get("active") == [True, False]


def _jsonable(v):
    return v if v is None or isinstance(v, (str, int, float, bool, list, dict)) else str(v)


# -- validation: the rules every row shares, then one small validator per kind of row ---------------------------------
def validate(entity: str, obj, v: dict) -> None:
    """Business rules of a configuration row (normalises ``v`` in place); InvalidInput on failure."""
    errors = _shared_rules(v)
    errors.update(VALIDATORS[entity](obj, v))
    if errors:
        raise InvalidInput(errors)


# Fields that name another row (a select's "none" is already None), and texts that may not be blank
REFERENCES = {"office_id": Office, "category_id": Category, "default_office_id": Office}
REQUIRED_TEXTS = ("name", "code", "title", "email", "body")


def _shared_rules(v: dict) -> dict[str, str]:
    """Any kind of row: a reference names an existing row; a required text is not blank."""
    errors = {fk: "invalid_choice" for fk, model in REFERENCES.items()
              if v.get(fk) is not None and not _exists(model, v[fk])}
    errors.update({field: "required" for field in REQUIRED_TEXTS if field in v and not (v[field] or "").strip()})
    return errors


def _exists(model, obj_id) -> bool:
    return valid_id(obj_id) and db.session.get(model, obj_id) is not None


def _taken(model, field: str, obj, v: dict) -> dict[str, str]:
    """{field: "taken"} when another row of ``model`` already has this value of ``field``."""
    if not v.get(field):
        return {}
    other = db.session.scalar(sa.select(model.id).where(getattr(model, field) == v[field]))
    return {field: "taken"} if other is not None and other != obj.id else {}


def _comma_list(text) -> list[str]:
    return [part.strip() for part in (text or "").split(",") if part.strip()]


def _enum_rules(v: dict, single: dict, lists: dict) -> dict[str, str]:
    """Fields that hold values of a domain enumeration (domain.enums): a single value (None = not set) or several
    (a list or a comma-separated text, stored comma-separated). A value that is not one of the enumeration's is
    refused ("Klagomål" typed for "complaint" would save a rule that never matches)."""
    errors = {}
    for field, enumeration in single.items():
        if field in v and v[field] not in (None, "") and v[field] not in enumeration:
            errors[field] = "not_an_option"
    for field, enumeration in lists.items():
        if field not in v:
            continue
        values = v[field] if isinstance(v[field], (list, tuple)) else _comma_list(v[field])
        values = [str(x).strip() for x in values if str(x).strip()]
        if enumeration.unknown(values):
            errors[field] = "not_an_option"
        else:
            v[field] = ",".join(dict.fromkeys(values))
    return errors


def _validate_office(obj, v: dict) -> dict[str, str]:
    return _taken(Office, "code", obj, v)


def _validate_category(obj, v: dict) -> dict[str, str]:
    errors = _taken(Category, "code", obj, v)
    errors.update(_enum_rules(v, {"statutory": enums.STATUTORY}, {"kinds": enums.KIND}))
    if "kinds" not in errors and not _comma_list(v.get("kinds")):
        errors["kinds"] = "invalid_choice"  # a category takes at least one kind
    errors.update(_appeal(v))
    return errors


def _appeal(v: dict) -> dict[str, str]:
    """Whether and how the category's decisions can be appealed (domain.decisions); the body and the weeks are
    kept only for an appealable category, so nothing stale is shown if it becomes appealable again."""
    if "appealable" not in v:
        return {}
    if v["appealable"] is not True:
        v["appeal_body"], v["appeal_weeks"] = "", None
        return {}
    v["appeal_body"] = (v.get("appeal_body") or "").strip()
    return decisions.configuration_errors(True, v["appeal_body"], v.get("appeal_weeks"))


def _validate_rule(obj, v: dict) -> dict[str, str]:
    errors = _enum_rules(v, {"assign_strategy": enums.ASSIGN_STRATEGY},
                         {"kinds": enums.KIND, "legal_forms": enums.LEGAL_FORM})
    if not v.get("office_id"):
        errors["office_id"] = "required"
    if not all(_is_company_identifier(org) for org in _comma_list(v.get("org_numbers"))):
        errors["org_numbers"] = "org_checksum"
    return errors


def _is_company_identifier(text: str) -> bool:
    try:
        parse_company_identifier(text)
    except InvalidIdentifier:
        return False
    return True


def _validate_policy(obj, v: dict) -> dict[str, str]:
    errors = _enum_rules(v, {"clock": enums.POLICY_CLOCK, "kind": enums.KIND, "priority": enums.PRIORITY}, {})
    if v.get("unit") not in enums.UNIT:
        errors["unit"] = "not_an_option"
    if not v.get("target") or v["target"] < 1:
        errors["target"] = "invalid_choice"
    if not 1 <= (v.get("warn_percent") or 0) <= 99:
        errors["warn_percent"] = "invalid_choice"
    return errors


def _validate_canned(obj, v: dict) -> dict[str, str]:
    return {}  # a title and a text (the shared rules), for one office or all


def _validate_measure(obj, v: dict) -> dict[str, str]:
    return _taken(HandslagetMeasure, "code", obj, v)


def _validate_report_settings(obj, v: dict) -> dict[str, str]:
    weights = _nki_weights(v.get("nki_weights"))
    if weights is None:
        return {"nki_weights": "three_weights"}
    v["nki_weights"] = weights
    return {}


def _nki_weights(text) -> list[float] | None:
    """Three finite non-negative numbers, not all zero, from "1,1,1" or, with decimal commas, "1; 0,5; 1"; None if
    the text is not that."""
    text = str(text or "")
    parts = [w.replace(",", ".") for w in text.split(";")] if ";" in text else text.split(",")
    try:
        weights = [float(w) for w in parts if w.strip()]
    except ValueError:
        return None
    if len(weights) != 3 or not all(math.isfinite(w) and w >= 0 for w in weights) or not sum(weights):
        return None
    return weights


def _validate_user(obj, v: dict) -> dict[str, str]:
    v["email"] = (v.get("email") or "").strip().lower()
    errors = _taken(User, "email", obj, v)
    if v.get("role") not in enums.ROLE:
        errors["role"] = "not_an_option"
    if v.get("role") in ("officer", "lead") and not v.get("office_id"):
        errors["office_id"] = "required"  # an officer or a lead works at an office
    if obj.id is None and not v.get("password"):
        errors["password"] = "required"
    if v.get("password") and len(v["password"]) < 10:
        errors["password"] = "too_short"
    return errors


VALIDATORS = {
    "offices": _validate_office, "categories": _validate_category, "rules": _validate_rule,
    "policies": _validate_policy, "canned": _validate_canned, "users": _validate_user,
    "measures": _validate_measure, "report_settings": _validate_report_settings,
}


def test_route(user, kind: str, category_id: int | None, subject: str, description: str, org_number: str):
    """Where a sample case would go, and why: for the "test this rule" box."""
    require_administrator(user)
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


@dataclass
class RuleVerdict:
    """One active rule in evaluation order, as the rule tester shows it: its row, whether it matched, whether it
    decided (the first that matched), and each of its conditions checked (``domain.routing.explain``)."""

    rule: RoutingRule
    matched: bool
    decided: bool
    checks: list


def explain_route(user, kind: str, category_id: int | None, subject: str, description: str,
                  org_number: str) -> list[RuleVerdict]:
    """Why each active rule matched the sample case or not, in the order routing tries them."""
    require_administrator(user)
    category = snapshot.current().category(category_id) if valid_id(category_id) else None
    ident = parse_company_identifier(org_number) if org_number.strip() else None  # test_route refused a bad one
    facts = routing.facts_for(kind, category, subject, description, ident)
    specs = snapshot.current().rules
    rows = {r.id: r for r in db.session.scalars(
        sa.select(RoutingRule).where(RoutingRule.id.in_([s.id for s in specs] or [-1])))}
    out, decided = [], False
    for spec in specs:
        checks = domain_routing.explain(spec, facts)
        matched = all(c.holds for c in checks)
        out.append(RuleVerdict(rows[spec.id], matched, matched and not decided, checks))
        decided = decided or matched
    return out


@dataclass
class AuditFilter:
    actor_id: int | None = None
    entity: str = ""  # a kind of change: the entity written (offices, policies, company_access …)
    since: datetime | None = None
    until: datetime | None = None  # exclusive


@dataclass
class AuditPage:
    entries: list[AuditLog]
    page: int
    has_next: bool
    names: dict  # (entity, id) -> the row's name now (an office's, a rule's, a user's …), for the sentences
    actors: list[tuple[int, str]]  # everyone who ever changed something: the "person" filter
    entities: list[str]  # every kind of change in the log: the "kind of change" filter


_NAMED = {"offices": (Office, "name"), "categories": (Category, "name"), "rules": (RoutingRule, "name"),
          "canned": (CannedResponse, "title"), "users": (User, "name"), "measures": (HandslagetMeasure, "title"),
          "policies": (SlaPolicy, None)}


def audit_log(user, filt: AuditFilter | None = None, page: int = 1, per_page: int = 50) -> AuditPage:
    """The audit log, newest first, filtered by person, kind of change and period, a page at a time; with the
    names of the rows it speaks of (one read per kind of row on the page, not per entry)."""
    require_administrator(user)
    page = max(1, min(page, 10_000))
    q = _audit_query(filt or AuditFilter()).order_by(AuditLog.at.desc(), AuditLog.id.desc())
    rows = list(db.session.scalars(q.offset((page - 1) * per_page).limit(per_page + 1)).unique())
    entries = rows[:per_page]
    actors = [tuple(r) for r in db.session.execute(
        sa.select(User.id, User.name).where(User.id.in_(sa.select(AuditLog.actor_user_id).distinct()))
        .order_by(User.name))]
    entities = sorted(db.session.scalars(sa.select(AuditLog.entity).distinct()))
    return AuditPage(entries, page, len(rows) > per_page, _audit_names(entries), actors, entities)


def _audit_query(filt: AuditFilter) -> sa.Select:
    q = sa.select(AuditLog).options(joinedload(AuditLog.actor))
    if filt.actor_id:
        q = q.where(AuditLog.actor_user_id == filt.actor_id if valid_id(filt.actor_id) else sa.false())
    if filt.entity:
        q = q.where(AuditLog.entity == filt.entity)
    if filt.since:
        q = q.where(AuditLog.at >= filt.since)
    if filt.until:
        q = q.where(AuditLog.at < filt.until)
    return q


def _audit_names(entries: list[AuditLog]) -> dict:
    """(entity, id) -> the row's name now; a service promise's whole row (its name is built from its clock)."""
    names = {}
    for entity, (model, column) in _NAMED.items():
        ids = {e.entity_id for e in entries if e.entity == entity and e.entity_id}
        if ids and column is None:
            names.update({(entity, r.id): r for r in db.session.scalars(sa.select(model).where(model.id.in_(ids)))})
        elif ids:
            read = sa.select(model.id, getattr(model, column)).where(model.id.in_(ids))
            names.update({(entity, row_id): name for row_id, name in db.session.execute(read)})
    return names


def create_user(email: str, name: str, password: str, role: str, office_code: str | None) -> User:
    """Create a staff account from the command line (the same rules as the admin page)."""
    office = db.session.scalar(sa.select(Office).where(Office.code == office_code)) if office_code else None
    if office_code and office is None:
        raise InvalidInput({"office": "invalid_choice"})
    user = User()
    values = {"email": email, "name": name, "role": role, "office_id": office.id if office else None,
              "password": password}
    validate("users", user, values)
    for field in ("email", "name", "role", "office_id"):
        setattr(user, field, values[field])
    user.set_password(password)
    db.session.add(user)
    commit()
    return user
