"""The audit log in sentences: "Anna Berg ändrade servicelöftet 'Första svar': 2 → 3 arbetsdagar". Built from the
stored entries (who, what, which row, {field: [before, after]}) and the labels every page uses: no code, no
"#None", no "update policies #1" reaches the page."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from babel.numbers import format_decimal

from ...domain import enums, numbers
from ...services import catalog
from ..helpers import (
    CLOCK_LABELS,
    KIND_LABELS,
    LEGAL_FORM_LABELS,
    PRIORITY_LABELS,
    ROLE_LABELS,
    SCOPE_LABELS,
    UNIT_LABELS,
)
from ..i18n import enum_labels
from ..i18n import gettext as _
from ..i18n import lazy_gettext as _l
from .forms import HANDSLAG_LABELS, KPI_LABELS

# the kinds of change (an entry's entity, domain.enums.AUDIT_ENTITY): the filter's choices; each as the noun of a
# sentence (AUDIT_NOUN, definite form), and what was done (AUDIT_ACTION, the verb)
ENTITY_KINDS = enum_labels(enums.AUDIT_ENTITY)
_NOUNS = enum_labels(enums.AUDIT_NOUN)
_VERBS = enum_labels(enums.AUDIT_ACTION)
_FIELD_NAMES = {  # a field's name in a sentence, where the admin form's label is a whole instruction
    "kinds": _l("Kinds"), "category_id": _l("Area"), "keywords": _l("Keywords"),
    "org_numbers": _l("Organisation numbers"), "legal_forms": _l("Legal forms"), "position": _l("Order"),
    "office_id": _l("Office"), "kind": _l("Kind"),
    "priority": _l("Priority"), "default_office_id": _l("Default office"), "warn_percent": _l("Warn at (percent)"),
    "pauses": _l("Pauses while waiting for the company"), "active": _l("Active"), "password": _l("Password"),
    "target": _l("Target"), "unit": _l("Unit"), "clock": _l("Clock"), "name": _l("Name"), "title": _l("Title"),
    "email": _l("E-mail"), "role": _l("Role"), "code": _l("Code"), "is_entry": _l("Entry office"),
    "statutory": _l("Statutory (PBL)"), "assign_strategy": _l("Assignment"), "scopes": _l("Scopes"),
    "account": _l("Account"), "company": _l("Company"), "reason": _l("Reason"), "invited_by": _l("Invited by"),
    "cases": _l("Cases"), "body": _l("Text"), "label": _l("Description"),
    "name_en": _l("Name (English)"), "appealable": _l("Appealable"), "appeal_body": _l("Appealed to"),
    "appeal_weeks": _l("Weeks to appeal"), "handslag": _l("Handslag"),
    "kpi": _l("Measure"), "higher_is_better": _l("Higher is better"), "at_risk_margin": _l("At risk within"),
    "survey_scale": _l("Survey answer scale"), "nki_weights": _l("NKI weights"),
    "min_answers": _l("Fewest answers to show a figure"), "min_answers_compare": _l("Fewest answers to compare"),
    "recipients": _l("Recipients of the monthly report"), "group": _l("Group"), "provider": _l("Identity provider"),
    "revoked_by": _l("Revoked by"), "totp": _l("One-time code"), "title_en": _l("Action point (English)"),
}


@dataclass
class AuditLine:
    at: datetime
    sentence: str


def policy_name(policy) -> str:
    """A service promise's name: its clock, and the kind or area it is for, if any."""
    name = str(CLOCK_LABELS.get(policy.clock, policy.clock))
    if policy.kind:
        name += f" ({KIND_LABELS.get(policy.kind, policy.kind)})"
    return name


def promise_description(clock: str, target: int, unit: str) -> str:
    """A service promise described from its target, never typed: "Första svar inom 3 arbetsdagar"."""
    return _("%(clock)s within %(target)s %(unit)s", clock=CLOCK_LABELS.get(clock, clock), target=target,
             unit=UNIT_LABELS.get(unit, unit))


# fields whose values are of a domain enumeration (domain.enums), by their labels
FIELD_LABELS = {"kind": KIND_LABELS, "kinds": KIND_LABELS, "clock": CLOCK_LABELS, "unit": UNIT_LABELS,
                "legal_forms": LEGAL_FORM_LABELS, "role": ROLE_LABELS, "priority": PRIORITY_LABELS,
                "scopes": SCOPE_LABELS, "assign_strategy": enum_labels(enums.ASSIGN_STRATEGY),
                "statutory": enum_labels(enums.STATUTORY), "kpi": KPI_LABELS, "handslag": HANDSLAG_LABELS}


def _value(field: str, value, lang: str) -> str:
    if value is None or value == "" or value == []:
        return "–"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):  # numbers apart by semicolons: "1; 0,5; 1", where a comma is the decimal sign
        numeric = any(isinstance(v, int | float) for v in value)
        return ("; " if numeric else ", ").join(_value(field, v, lang) for v in value)
    labels = FIELD_LABELS.get(field)
    if labels is not None and isinstance(value, str) and "," in value:
        return ", ".join(_value(field, v.strip(), lang) for v in value.split(","))
    if labels is not None:
        return str(labels.get(value, value))
    if field in ("office_id", "default_office_id"):
        office = catalog.office(value) if isinstance(value, int) else None
        return office.display_name(lang) if office else "–"
    if field == "category_id":
        category = catalog.category(value) if isinstance(value, int) else None
        return category.display_name(lang) if category else "–"
    if isinstance(value, int | float):  # as the page's language writes it: "0,95", "1" (not "1.0")
        return format_decimal(value, locale=numbers.LOCALES.get(lang, numbers.LOCALES["sv"]))
    return str(value)


def _change(entry, field: str, before, after, row, lang: str) -> str:
    if field == "password":
        return _("new password")
    if field == "target" and entry.entity == "policies" and row is not None:
        return f"{_value(field, before, lang)} → {_value(field, after, lang)} {UNIT_LABELS.get(row.unit, row.unit)}"
    name = _FIELD_NAMES.get(field, field.replace("_", " "))
    if entry.action == "update":
        return f"{name}: {_value(field, before, lang)} → {_value(field, after, lang)}"
    return f"{name}: {_value(field, after, lang)}"


def sentence(entry, names: dict, lang: str) -> str:
    """One entry as a sentence in the page's language: who, the verb of its action, the noun of its kind of
    change and the row's name, then each change."""
    if entry.actor:
        who = entry.actor.name
    elif entry.entity == "company_access":
        who = _("A company account")
    elif entry.action.startswith("sso_"):
        who = _("The identity provider")
    else:
        who = _("Someone no longer registered")
    row = names.get((entry.entity, entry.entity_id)) if entry.entity_id else None
    changes = dict(entry.changes or {})
    if entry.entity == "policies":
        title = policy_name(row) if row is not None else ""
    elif entry.entity == "api_tokens":
        title = row or (changes.get("name") or [None, ""])[1] or ""
    elif entry.entity == "company_access":
        title = (changes.get("company") or [None, ""])[1] or ""
        changes.pop("company", None)
    elif entry.entity == "personal_data_export":
        title = ""
    else:
        title = row or ""
    noun = _NOUNS.get(entry.entity)
    noun = str(noun) if noun is not None else str(_("a setting"))
    what = f"{noun} '{title}'" if title else noun
    verb = _VERBS.get(entry.action)
    text = f"{who} {verb if verb is not None else _('changed')} {what}"
    if entry.entity == "personal_data_export":
        cases = (changes.get("cases") or [None, None])[1]
        return text + (" " + _("(%(n)s cases)", n=cases) if cases is not None else "")
    details = [_change(entry, f, *(v if isinstance(v, list) and len(v) == 2 else (None, v)), row, lang)
               for f, v in changes.items() if not (entry.entity == "api_tokens" and f == "name" and title)
               and f != "totp"]
    return text + (": " + "; ".join(details) if details else "")


def lines(page, lang: str) -> list[AuditLine]:
    return [AuditLine(e.at, sentence(e, page.names, lang)) for e in page.entries]
