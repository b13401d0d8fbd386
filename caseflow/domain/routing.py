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


@dataclass(frozen=True)
class ConditionCheck:
    """One condition a rule sets, checked against a case: which (``kinds``, ``category_ids``, ``org_numbers``,
    ``legal_forms``, ``keywords``), whether it holds, what the rule asks for and what the case has (for
    ``keywords``: the rule's keywords found in the text)."""

    condition: str
    holds: bool
    wanted: tuple
    got: object


def explain(rule: RuleSpec, facts: CaseFacts) -> list[ConditionCheck]:
    """Every condition ``rule`` sets, in the order ``rule_matches`` tries them, each checked against ``facts``:
    why the rule matches (all hold) or not (the first that fails, and any other). ``rule_matches`` is this
    function's verdict, so the admin's rule tester and the routing can never disagree."""
    checks = []
    if rule.kinds:
        checks.append(ConditionCheck("kinds", facts.kind in rule.kinds, tuple(sorted(rule.kinds)), facts.kind))
    if rule.category_ids:
        checks.append(ConditionCheck("category_ids", facts.category_id in rule.category_ids,
                                     tuple(sorted(rule.category_ids)), facts.category_id))
    if rule.org_numbers:
        checks.append(ConditionCheck("org_numbers", facts.org_number in rule.org_numbers,
                                     tuple(sorted(rule.org_numbers)), facts.org_number))
    if rule.legal_forms:
        checks.append(ConditionCheck("legal_forms", facts.legal_form in rule.legal_forms,
                                     tuple(sorted(rule.legal_forms)), facts.legal_form))
    if rule.keywords:
        text = f"{facts.subject}\n{facts.description}".casefold()
        found = tuple(k for k in rule.keywords if k.strip() and k.casefold() in text)
        checks.append(ConditionCheck("keywords", bool(found), tuple(k for k in rule.keywords if k.strip()), found))
    return checks


def rule_matches(rule: RuleSpec, facts: CaseFacts) -> bool:
    """A rule matches when every condition it sets holds (``explain``); a rule that sets none matches anything."""
    return all(check.holds for check in explain(rule, facts))


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
