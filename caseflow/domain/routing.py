"""Routing: which office gets a new case. Pure: rules and facts in, a decision out.

Rules are tried in order; the first that matches wins. A rule matches when every condition it sets holds
(an unset condition matches anything). With no matching rule the category's default office takes the case,
and failing that the entry office (Näringslivsavdelningen, "en väg in") - so every case lands somewhere.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class RuleSpec:
    id: int
    office_id: int
    kinds: frozenset[str] = frozenset()
    category_ids: frozenset[int] = frozenset()
    keywords: tuple[str, ...] = ()  # any keyword, case-insensitive, in subject or description
    org_numbers: frozenset[str] = frozenset()  # canonical NNNNNN-NNNN
    legal_forms: frozenset[str] = frozenset()
    assign_strategy: str = "none"


@dataclass(frozen=True)
class CaseFacts:
    kind: str
    category_id: int | None
    subject: str
    description: str
    org_number: str | None = None
    legal_form: str | None = None


@dataclass(frozen=True)
class RouteDecision:
    office_id: int
    rule_id: int | None
    reason: str  # "rule", "category_default" or "fallback"
    assign_strategy: str = "none"


def rule_matches(rule: RuleSpec, facts: CaseFacts) -> bool:
    if rule.kinds and facts.kind not in rule.kinds:
        return False
    if rule.category_ids and facts.category_id not in rule.category_ids:
        return False
    if rule.org_numbers and facts.org_number not in rule.org_numbers:
        return False
    if rule.legal_forms and facts.legal_form not in rule.legal_forms:
        return False
    if rule.keywords:
        text = f"{facts.subject}\n{facts.description}".casefold()
        if not any(k.casefold() in text for k in rule.keywords if k.strip()):
            return False
    return True


def route(
    facts: CaseFacts,
    rules: Sequence[RuleSpec],
    entry_office_id: int,
    category_default_office_id: int | None = None,
) -> RouteDecision:
    """Office for a new case: first matching rule, else the category's default office, else the entry office."""
    for rule in rules:
        if rule_matches(rule, facts):
            return RouteDecision(rule.office_id, rule.id, "rule", rule.assign_strategy)
    if category_default_office_id is not None:
        return RouteDecision(category_default_office_id, None, "category_default")
    return RouteDecision(entry_office_id, None, "fallback")
