"""The rule tester's explanation is the matcher's own reasoning: every condition a rule sets, checked."""
from hypothesis import given
from hypothesis import strategies as st

from caseflow.domain.routing import CaseFacts, RuleSpec, explain, rule_matches

FACTS = CaseFacts(kind="question", category_id=3, subject="Servering i parken", description="Alkohol?",
                  org_number="556036-0793", legal_form="aktiebolag")


def test_explain_names_each_condition_the_rule_sets_and_which_one_fails():
    rule = RuleSpec(id=1, office_id=2, kinds=frozenset({"complaint"}), keywords=("servering", "buller"))
    checks = {c.condition: c for c in explain(rule, FACTS)}
    assert set(checks) == {"kinds", "keywords"}
    assert not checks["kinds"].holds and checks["kinds"].wanted == ("complaint",) and checks["kinds"].got == "question"
    assert checks["keywords"].holds and checks["keywords"].got == ("servering",)
    assert not rule_matches(rule, FACTS)


def test_a_rule_without_conditions_explains_nothing_and_matches():
    assert explain(RuleSpec(id=1, office_id=2), FACTS) == [] and rule_matches(RuleSpec(id=1, office_id=2), FACTS)


@given(kinds=st.sets(st.sampled_from(["errand", "question", "complaint"])),
       cats=st.sets(st.integers(1, 5)), words=st.lists(st.sampled_from(["servering", "bygglov", "alkohol", " "])),
       forms=st.sets(st.sampled_from(["aktiebolag", "handelsbolag_kommanditbolag"])))
def test_a_rule_matches_exactly_when_every_explained_condition_holds(kinds, cats, words, forms):
    rule = RuleSpec(id=1, office_id=2, kinds=frozenset(kinds), category_ids=frozenset(cats), keywords=tuple(words),
                    legal_forms=frozenset(forms))
    checks = explain(rule, FACTS)
    naive = ((not kinds or FACTS.kind in kinds) and (not cats or FACTS.category_id in cats)
             and (not forms or FACTS.legal_form in forms)
             and (not words or any(w.strip() and w in "servering i parken\nalkohol?" for w in words)))
    assert rule_matches(rule, FACTS) == naive == all(c.holds for c in checks)
