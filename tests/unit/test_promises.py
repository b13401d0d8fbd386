"""Which of a case's clocks are promises to the company, in which state, and what happens next (domain/promises.py).
Pure: clocks with fixed instants, no app."""
from datetime import UTC, datetime, timedelta

import pytest

from caseflow.domain import promises as p
from caseflow.domain.calendar import BusinessCalendar
from caseflow.domain.sla import WORKING_DAYS, ClockSpec, base_due, breach_instant

CAL = BusinessCalendar()
RECEIVED = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)  # Monday 10:00 in Stockholm


def running(name, target=2, unit=WORKING_DAYS, **kw):
    spec = ClockSpec(unit, target)
    due = base_due(CAL, spec, RECEIVED)
    fields = dict(name=name, unit=unit, target=target, due=due, breach=breach_instant(CAL, spec, due),
                  stopped=False, paused=False)
    fields.update(kw)
    return p.ClockFact(**fields)


def test_a_complaint_is_promised_its_acknowledgement_and_its_answer_not_a_separate_first_response():
    clocks = [running("first_response"), running("acknowledgement"), running("resolution", 10)]
    promised = p.case_promises("complaint", clocks, RECEIVED)
    assert [x.what for x in promised] == [p.ACKNOWLEDGE, p.ANSWER_COMPLAINT]
    assert promised[0].due == clocks[1].due and promised[1].due == clocks[2].due


def test_the_earlier_of_two_response_clocks_is_the_promise_since_one_message_stops_both():
    clocks = [running("first_response", 1), running("acknowledgement", 2)]
    assert p.case_promises("complaint", clocks, RECEIVED)[0].due == clocks[0].due


def test_a_stopped_clock_is_no_longer_a_promise():
    clocks = [running("first_response", stopped=True), running("resolution", 15)]
    assert [x.what for x in p.case_promises("errand", clocks, RECEIVED)] == [p.DECIDE]
    assert p.case_promises("errand", [running("first_response", stopped=True)], RECEIVED) == []


@pytest.mark.parametrize("kind,what", [("question", p.ANSWER_QUESTION), ("feedback", p.ANSWER_FEEDBACK),
                                       ("complaint", p.ANSWER_COMPLAINT), ("errand", p.DECIDE)])
def test_the_resolution_clock_is_an_answer_or_a_decision_by_kind(kind, what):
    assert p.case_promises(kind, [running("resolution", 5)], RECEIVED)[0].what == what


def test_a_promise_is_late_only_past_its_breach_instant_not_past_its_due():
    clock = running("first_response")  # due Wednesday 17:00, breached from Thursday 08:00
    at_due_evening = clock.due + timedelta(hours=2)
    assert p.case_promises("errand", [clock], at_due_evening)[0].state == p.DUE
    after_breach = clock.breach + timedelta(minutes=1)
    assert p.case_promises("errand", [clock], after_breach)[0].state == p.LATE


def test_paused_and_awaiting_completion_clocks_have_no_date_and_say_why():
    paused = running("resolution", 15, due=None, breach=None, paused=True)
    waiting = running("pbl", 10, due=None, breach=None, started=False)
    states = [(x.what, x.state, x.due) for x in p.case_promises("errand", [paused, waiting], RECEIVED)]
    assert states == [(p.DECIDE, p.PAUSED, None), (p.STATUTORY, p.AWAITING_COMPLETION, None)]


def test_an_extended_statutory_clock_keeps_its_period_and_its_extension_apart():
    promised = p.case_promises("errand", [running("pbl", 10, extension_weeks=5)], RECEIVED)[0]
    assert (promised.target, promised.extension_weeks) == (10, 5)


def test_a_wait_on_the_company_pauses_a_promise_only_where_a_running_clock_pauses():
    statutory = [running("first_response"), running("pbl", 10)]
    assert not p.waiting_pauses(statutory)
    assert p.waiting_pauses([*statutory, running("resolution", 15, pausable=True)])
    assert not p.waiting_pauses([running("resolution", 15, pausable=True, stopped=True)])


@pytest.mark.parametrize("status,moment,step", [
    ("new", p.RECEIVED, p.RECEIVED), ("new", None, p.WITH_US), ("assigned", None, p.WITH_US),
    ("in_progress", p.REPLIED, p.REPLIED), ("awaiting_customer", p.REPLIED, p.WITH_YOU),
    ("awaiting_customer", None, p.WITH_YOU), ("decided", None, p.DECIDED), ("closed", p.RECEIVED, p.CLOSED),
])
def test_what_happens_next_follows_the_status_and_the_moment_only_while_the_case_is_with_us(status, moment, step):
    assert p.next_step(status, moment) == step


def test_the_general_promise_is_the_unconditioned_first_response_and_priority_rows_are_not_published():
    general = p.PolicyFact("first_response", None, None, None, WORKING_DAYS, 2)
    urgent = p.PolicyFact("first_response", None, None, "high", "working_hours", 4)
    complaint = p.PolicyFact("resolution", "complaint", None, None, WORKING_DAYS, 10)
    ack = p.PolicyFact("acknowledgement", "complaint", None, None, WORKING_DAYS, 2)
    category = p.PolicyFact("resolution", "errand", 7, None, WORKING_DAYS, 15)
    assert p.general_promise([urgent, complaint, general]) == general
    assert p.general_promise([urgent]) is None
    assert p.published_promises([category, complaint, urgent, ack, general]) == [general, ack, complaint, category]
