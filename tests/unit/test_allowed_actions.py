"""The workflow answers which actions a status allows; the case page asks it instead of restating the rules."""
import pytest

from caseflow.domain import workflow


@pytest.mark.parametrize("status", workflow.STATUSES)
def test_allowed_actions_are_exactly_those_with_a_transition_from_the_status(status):
    allowed = workflow.allowed_actions(status)
    for action in workflow.TRANSITIONS:
        if action in allowed:
            workflow.next_status(status, action)
        else:
            with pytest.raises(workflow.IllegalTransition):
                workflow.next_status(status, action)


def test_a_closed_case_allows_only_a_note_and_reopening():
    assert workflow.allowed_actions(workflow.CLOSED) == {"note", "reopen"}


def test_a_decided_case_may_be_reopened_but_not_decided_again():
    allowed = workflow.allowed_actions(workflow.DECIDED)
    assert "reopen" in allowed and "decide" not in allowed and "request_completion" not in allowed
