import pytest

from caseflow.domain import workflow
from caseflow.domain.routing import CaseFacts, RuleSpec, route

FACTS = CaseFacts(kind="errand", category_id=3, subject="Uteservering", description="Vi vill ha bord ute",
                  org_number="556036-0793", legal_form="aktiebolag")


def test_first_matching_rule_wins():
    rules = [RuleSpec(id=1, office_id=10, category_ids=frozenset({3})), RuleSpec(id=2, office_id=20)]
    d = route(FACTS, rules, entry_office_id=99)
    assert (d.office_id, d.rule_id, d.reason) == (10, 1, "rule")


def test_every_set_condition_must_hold():
    rules = [RuleSpec(id=1, office_id=10, category_ids=frozenset({3}), kinds=frozenset({"complaint"}))]
    assert route(FACTS, rules, entry_office_id=99).office_id == 99


def test_keywords_match_case_insensitively_in_subject_or_description():
    rules = [RuleSpec(id=1, office_id=10, keywords=("BORD",))]
    assert route(FACTS, rules, entry_office_id=99).rule_id == 1


def test_org_number_and_legal_form_conditions():
    by_org = [RuleSpec(id=1, office_id=10, org_numbers=frozenset({"212000-0142"}))]
    assert route(FACTS, by_org, entry_office_id=99).reason == "fallback"
    by_form = [RuleSpec(id=2, office_id=11, legal_forms=frozenset({"aktiebolag"}))]
    assert route(FACTS, by_form, entry_office_id=99).office_id == 11


def test_no_rule_falls_back_to_category_default_then_entry_office():
    assert route(FACTS, [], entry_office_id=99, category_default_office_id=5).reason == "category_default"
    d = route(FACTS, [], entry_office_id=99)
    assert (d.office_id, d.reason) == (99, "fallback")


def test_reply_moves_new_case_in_progress_and_close_closes_it():
    assert workflow.next_status("new", "reply") == "in_progress"
    assert workflow.next_status("in_progress", "close") == "closed"


@pytest.mark.parametrize("status,action", [("closed", "reply"), ("closed", "close"), ("new", "reopen"),
                                           ("decided", "request_completion")])
def test_illegal_transitions_raise(status, action):
    with pytest.raises(workflow.IllegalTransition):
        workflow.next_status(status, action)


def test_customer_answer_resumes_a_case_awaiting_the_customer():
    assert workflow.next_status("awaiting_customer", "customer_message") == "in_progress"


# The whole state machine, written out as a second source of truth: (status, action) -> new status or None.
EXPECTED = {
    "new": {"assign": "assigned", "reply": "in_progress", "note": "new", "request_completion": "awaiting_customer",
            "customer_message": "new", "decide": "decided", "close": "closed", "reopen": None},
    "assigned": {"assign": "assigned", "reply": "in_progress", "note": "assigned",
                 "request_completion": "awaiting_customer", "customer_message": "assigned", "decide": "decided",
                 "close": "closed", "reopen": None},
    "in_progress": {"assign": "in_progress", "reply": "in_progress", "note": "in_progress",
                    "request_completion": "awaiting_customer", "customer_message": "in_progress",
                    "decide": "decided", "close": "closed", "reopen": None},
    "awaiting_customer": {"assign": "awaiting_customer", "reply": "awaiting_customer", "note": "awaiting_customer",
                          "request_completion": None, "customer_message": "in_progress", "decide": "decided",
                          "close": "closed", "reopen": None},
    "decided": {"assign": "decided", "reply": "decided", "note": "decided", "request_completion": None,
                "customer_message": "decided", "decide": None, "close": "closed", "reopen": "in_progress"},
    "closed": {"assign": None, "reply": None, "note": "closed", "request_completion": None, "customer_message": None,
               "decide": None, "close": None, "reopen": "in_progress"},
}


@pytest.mark.parametrize("status", workflow.STATUSES)
@pytest.mark.parametrize("action", list(workflow.TRANSITIONS))
def test_every_status_and_action_pair(status, action):
    expected = EXPECTED[status][action]
    if expected is None:
        with pytest.raises(workflow.IllegalTransition):
            workflow.next_status(status, action)
    else:
        assert workflow.next_status(status, action) == expected
