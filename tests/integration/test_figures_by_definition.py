"""The clock and report facts that the monthly figures are built from, each checked against the sentence of the
definitions (docs/domain.md "Exact definitions", "Report definitions") it implements, through the services on
the real database."""
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from caseflow.extensions import db
from caseflow.models import Case, CaseEvent, Outbox, SlaClock
from caseflow.services import casework, finding, public, sla

STHLM = ZoneInfo("Europe/Stockholm")


def local(y, mo, d, h=0, mi=0):
    return datetime(y, mo, d, h, mi, tzinfo=STHLM)


def clocks(case_id):
    db.session.expire_all()
    return {c.name: c for c in db.session.scalars(sa.select(SlaClock).where(SlaClock.case_id == case_id))}


def events(case_id, kind):
    return db.session.scalars(sa.select(CaseEvent).where(CaseEvent.case_id == case_id, CaseEvent.kind == kind)
                              .order_by(CaseEvent.at, CaseEvent.id)).all()


@pytest.fixture
def officer(make_user, offices):
    return lambda code="samhallsbyggnad": make_user("officer", offices[code])


# -- 3. resolution time: every wait on the company is subtracted ----------------------------------------------------
def test_resolution_time_subtracts_a_wait_on_the_company_that_began_after_the_due(submit, officer):
    """"The waiting time is subtracted on every kind of case ... and also for a wait that began after a clock's due
    instant (which does not move that due)"."""
    o = officer("naringsliv")
    r = submit("foretagslots", kind="question", when=local(2026, 11, 2, 8))  # Mon 08:00; answered due +5 days
    casework.request_completion(o, r.case_id, "Vilket fastighetsnummer gäller det?", local(2026, 11, 10, 8))
    public.answer(r.token, "Norrköping Spinnrocken 3.", local(2026, 11, 11, 8))  # waited 9 working hours
    casework.close(o, r.case_id, "answered", local(2026, 11, 12, 8), comment="Svar skickat.")
    closed = events(r.case_id, "closed")[0]
    # Mon 2 Nov 08:00 -> Thu 12 Nov 08:00 = 8 working days x 9 h = 72 h, minus the 9 h wait = 63 h
    assert closed.hours == pytest.approx(63.0)
    assert clocks(r.case_id)["resolution"].in_time is False  # the wait after the due did not move the due


def test_resolution_time_subtracts_the_wait_on_a_pbl_case_whose_statutory_clock_does_not_pause(submit, officer):
    """"also on PBL cases, whose statutory clock does not pause, but the municipality did not hold the case"."""
    o = officer()
    r = submit("bygglov", when=local(2026, 3, 2, 8))  # Mon 08:00
    casework.request_completion(o, r.case_id, "Komplettera med situationsplan.", local(2026, 3, 3, 8))
    public.answer(r.token, "Situationsplan bifogad.", local(2026, 3, 5, 8))  # Tue 08 -> Thu 08: 18 h waited
    casework.decide(o, r.case_id, "granted", "Bygglov beviljas.", local(2026, 3, 6, 8))  # Fri 08:00
    decided = events(r.case_id, "decided")[0]
    assert decided.hours == pytest.approx(4 * 9 - 18)


# -- 4. reopening sets the answered clock running again -------------------------------------------------------------
def test_reopened_case_closed_again_late_counts_its_answered_clock_as_late(submit, officer):
    """"Reopening a case that was closed without a decision sets its answered/decision clock running again as if
    it had never stopped (same start, same due, the closed interval counts as running time); it stops again at
    the next decision or closure, and its verdict is taken there"."""
    o = officer("naringsliv")
    r = submit("foretagslots", kind="question", when=local(2026, 11, 2, 10))  # answered due Mon 9 Nov 17:00
    due = clocks(r.case_id)["resolution"].due_at
    casework.close(o, r.case_id, "answered", local(2026, 11, 3, 10), comment="Svar skickat.")
    assert clocks(r.case_id)["resolution"].in_time is True
    casework.reopen(o, r.case_id, "Företaget hade en följdfråga.", local(2026, 11, 5, 10))
    c = clocks(r.case_id)["resolution"]
    assert c.stopped_at is None and c.in_time is None and c.due_at == due  # running again, same due
    assert db.session.get(Case, r.case_id).next_due_at == due
    casework.close(o, r.case_id, "answered", local(2026, 11, 12, 10), comment="Följdfrågan besvarad.")
    c = clocks(r.case_id)["resolution"]
    assert c.in_time is False and c.due_at == due
    stops = events(r.case_id, "clock_stopped")
    assert [e.data["in_time"] for e in stops if e.data["clock"] == "resolution"] == [True, False]
    assert [e.data["clock"] for e in events(r.case_id, "clock_restarted")] == ["resolution"]


def test_reopening_after_a_decision_does_not_restart_the_decision_clock(submit, officer):
    o = officer()
    r = submit(when=local(2026, 11, 2, 10))
    casework.decide(o, r.case_id, "granted", "Beviljas.", local(2026, 11, 4, 10))
    casework.close(o, r.case_id, "granted", local(2026, 11, 4, 11))
    casework.reopen(o, r.case_id, "Rättelse.", local(2026, 11, 5, 10))
    assert clocks(r.case_id)["resolution"].stopped_at is not None
    assert events(r.case_id, "clock_restarted") == []


# -- 5. the breach instant ------------------------------------------------------------------------------------------
def test_urgent_case_answered_at_17_40_after_a_17_00_due_is_in_time_with_no_breach_or_mail(submit, officer,
                                                                                            make_user, offices):
    """"Breach events, escalation mails, "overdue" labels and queue colours all use the breach instant, never
    now > due": a 4-working-hour clock due at 17:00 is breached from 08:00 the next working day."""
    make_user("lead", offices["samhallsbyggnad"], email="chef@sbk.test")
    o = officer()
    r = submit(priority="high", when=local(2026, 11, 25, 13))  # Wed 13:00 -> due Wed 17:00
    fr = clocks(r.case_id)["first_response"]
    assert fr.due_at == local(2026, 11, 25, 17)
    assert fr.breach_at == local(2026, 11, 26, 8)
    at_1740 = local(2026, 11, 25, 17, 40)
    assert sla.sweep(at_1740)["breaches"] == 0
    assert finding.queue(o, finding.QueueFilter(breached=True), now=at_1740) == []
    casework.reply(o, r.case_id, "Vi tittar på det i kväll.", at_1740)
    assert clocks(r.case_id)["first_response"].in_time is True
    assert events(r.case_id, "sla_breach") == []
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Outbox).where(
        Outbox.payload["template"].as_string() == "sla_breach")) == 0


def test_day_clock_due_at_17_is_breached_by_the_sweep_only_after_08_next_working_day(submit, officer):
    o = officer()
    r = submit(when=local(2026, 11, 23, 10))  # first response due Wed 25 Nov 17:00
    assert sla.sweep(local(2026, 11, 25, 23, 59))["breaches"] == 0
    assert sla.sweep(local(2026, 11, 26, 8, 0))["breaches"] == 0  # the breach instant itself: share exactly 1
    assert finding.queue(o, finding.QueueFilter(breached=True), now=local(2026, 11, 26, 7, 59)) == []
    assert sla.sweep(local(2026, 11, 26, 8, 1))["breaches"] == 1
    assert [c.id for c in finding.queue(o, finding.QueueFilter(breached=True), now=local(2026, 11, 26, 8, 1))] \
        == [r.case_id]


def test_overdue_label_waits_for_the_breach_instant_not_the_due(app, submit):
    from caseflow.web.helpers import due_state

    r = submit(when=local(2026, 11, 23, 10))  # first response due Wed 25 Nov 17:00, breached from Thu 08:00
    case = db.session.get(Case, r.case_id)
    with app.test_request_context():
        evening = due_state(case.next_due_at, local(2026, 11, 25, 20), case.next_warn_at,
                            breach_at=case.next_breach_at)
        morning = due_state(case.next_due_at, local(2026, 11, 26, 9), case.next_warn_at,
                            breach_at=case.next_breach_at)
    assert evening["state"] != "breached"
    assert morning["state"] == "breached"


def test_lead_overview_and_at_risk_filter_count_a_clock_as_breached_only_past_its_breach_instant(submit, officer,
                                                                                               make_user, offices):
    o = officer()
    lead = make_user("lead", offices["samhallsbyggnad"])
    r = submit(when=local(2026, 11, 23, 10))  # first response due Wed 25 Nov 17:00, breached from Thu 08:00
    evening, morning = local(2026, 11, 25, 20), local(2026, 11, 26, 9)
    assert finding.lead_overview(lead, now=evening).breached == 0
    assert finding.lead_overview(lead, now=morning).breached == 1
    at_risk = lambda now: [c.id for c in finding.queue(o, finding.QueueFilter(at_risk=True), now=now)]  # noqa: E731
    assert at_risk(evening) == [r.case_id]  # due, not yet breached: still "at risk"
    assert at_risk(morning) == []


# -- 6. survey figures: "vet ej" is no rating; the three NKI questions make a respondent -------------------------------
def _closed_with_surveys(submit, officer, n_sbk: int, n_nl: int) -> list:
    """Cases closed in November 2026 at two offices, each with its survey sent."""
    from caseflow.models import Survey

    sbk, nl = officer(), officer("naringsliv")
    out = []
    for i in range(n_sbk + n_nl):
        at_sbk = i < n_sbk
        r = submit("markupplatelse" if at_sbk else "foretagslots", kind="errand" if at_sbk else "question",
                   when=local(2026, 11, 2, 9))
        casework.close(sbk if at_sbk else nl, r.case_id, "answered", local(2026, 11, 3, 9 + i % 8))
        out.append(db.session.scalar(sa.select(Survey).where(Survey.case_id == r.case_id)))
    return out


def test_a_survey_answered_vet_ej_keeps_no_rating_and_still_counts_its_respondent(submit, officer):
    """"each service-factor question also offers 'vet ej / ej aktuellt'. A factor's index is computed over those
    who rated that factor"; "a respondent is someone who answered all three NKI questions"."""
    from datetime import date

    from caseflow.models import ReportSettings
    from caseflow.services import reports, surveys
    from caseflow.services.errors import InvalidInput

    db.session.merge(ReportSettings(id=1, survey_scale=6, nki_weights=[1, 1, 1], min_answers=1,
                                    min_answers_compare=1, recipients=""))
    db.session.commit()
    first, second = _closed_with_surveys(submit, officer, 2, 0)
    answers = {q: 5 for q in surveys.QUESTIONS}
    with pytest.raises(InvalidInput) as refused:  # an NKI question may not be left out ...
        surveys.answer(surveys.token_for(first.salt), dict(answers, q_ideal=None), "", local(2026, 11, 4, 12))
    assert refused.value.fields == {"q_ideal": "required"}
    surveys.answer(surveys.token_for(first.salt), dict(answers, f_information=None, f_kompetens=None), "",
                   local(2026, 11, 4, 12))  # ... a factor may: "vet ej"
    surveys.answer(surveys.token_for(second.salt), dict(answers, f_information=3), "", local(2026, 11, 4, 13))
    db.session.expire_all()
    assert (first.f_information, first.f_kompetens, first.f_bemotande) == (None, None, 5)
    total = reports.compute(date(2026, 11, 1))["total"]
    assert total["respondents"] == 2 and total["nki"] == pytest.approx(80)
    assert total["factor_ratings"]["information"] == 1 and total["factor_indices"]["information"] == 40
    assert total["factor_ratings"]["kompetens"] == 1 and total["factor_indices"]["kompetens"] == 80
    assert total["factor_ratings"]["bemotande"] == 2


def test_the_months_survey_figures_match_the_naive_oracle(submit, officer, offices):
    """The month's computation (per office, whose figures are a comparison, and in total) against
    tests/oracle/survey.py, on random answers with "vet ej" among the factors, unanswered surveys and thresholds."""
    import os
    from datetime import date

    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from caseflow.models import ReportSettings
    from caseflow.services import reports
    from tests.oracle import survey as oracle

    sent = _closed_with_surveys(submit, officer, 5, 3)
    rating = st.integers(1, 6)
    answer = st.one_of(st.none(), st.tuples(rating, rating, rating, *[st.one_of(st.none(), rating)] * 6))

    @settings(max_examples=int(os.environ.get("SURVEY_ORACLE_EXAMPLES", "25")), deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(st.lists(answer, min_size=len(sent), max_size=len(sent)), st.integers(1, 6), st.integers(1, 6),
           st.lists(st.integers(0, 3), min_size=3, max_size=3).filter(lambda w: sum(w) > 0))
    def check(given_answers, min_answers, min_compare, weights):
        db.session.merge(ReportSettings(id=1, survey_scale=6, nki_weights=weights, min_answers=min_answers,
                                        min_answers_compare=min_compare, recipients=""))
        for i, (s, a) in enumerate(zip(sent, given_answers, strict=True)):  # the rows the survey service writes
            s.answered_at = None if a is None else local(2026, 11, 10, 8) + i * (local(2026, 11, 10, 9) -
                                                                                 local(2026, 11, 10, 8))
            for q, v in zip(oracle.NKI + tuple(f"f_{f}" for f in oracle.FACTORS), a or (None,) * 9, strict=True):
                setattr(s, q, v)
        db.session.commit()
        rep = reports.compute(date(2026, 11, 1))
        groups = {"total": (sent, min_answers)}
        for office in ("samhallsbyggnad", "naringsliv"):
            groups[office] = ([s for s in sent if s.office_id == offices[office].id], max(min_answers, min_compare))
        for key, (rows, least) in groups.items():
            got = rep["total"] if key == "total" else rep["offices"][str(offices[key].id)]
            answered = [a for s, a in zip(sent, given_answers, strict=True) if a is not None and s in rows]
            want = oracle.figures(answered, 6, weights, least)
            assert got["surveys_sent"] == len(rows) and got["surveys_answered"] == len(answered), key
            assert got["respondents"] == want["respondents"] and got["too_few_answers"] == want["too_few_answers"]
            assert (got["nki"] is None) == (want["nki"] is None), key
            if want["nki"] is not None:
                assert got["nki"] == pytest.approx(float(want["nki"]))
            for q in oracle.NKI:
                w = want["nki_question_indices"][q]
                assert got["nki_question_indices"][q] == (None if w is None else pytest.approx(float(w))), (key, q)
            assert got["factor_ratings"] == want["factor_ratings"], key
            for f in oracle.FACTORS:
                w = want["factor_indices"][f]
                assert got["factor_indices"][f] == (None if w is None else pytest.approx(float(w))), (key, f)

    check()
