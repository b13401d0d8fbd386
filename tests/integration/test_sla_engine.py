"""The SLA engine through the services, on the real database: clocks start, pause, resume, stop, and the
sweep records warnings and breaches exactly once."""
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from caseflow.extensions import db
from caseflow.models import Case, CaseEvent, Outbox, SlaClock
from caseflow.services import casework, finding, public, sla
from caseflow.services.errors import Conflict, InvalidInput

STHLM = ZoneInfo("Europe/Stockholm")


def local(y, mo, d, h=0, mi=0):
    return datetime(y, mo, d, h, mi, tzinfo=STHLM)


def as_local(t):
    return t.astimezone(STHLM).replace(tzinfo=None)


def clocks(case_id):
    db.session.expire_all()
    return {c.name: c for c in db.session.scalars(sa.select(SlaClock).where(SlaClock.case_id == case_id))}


def events(case_id, kind):
    return db.session.scalars(sa.select(CaseEvent).where(CaseEvent.case_id == case_id, CaseEvent.kind == kind)
                              .order_by(CaseEvent.id)).all()


@pytest.fixture
def officer(make_user, offices):
    return lambda code="samhallsbyggnad": make_user("officer", offices[code])


def test_new_complaint_gets_first_response_acknowledgement_and_resolution_clocks(submit, offices):
    r = submit("foretagslots", kind="complaint", complaint_ground="bemotande", when=local(2026, 11, 23, 10))
    c = clocks(r.case_id)
    assert set(c) == {"first_response", "acknowledgement", "resolution"}
    assert as_local(c["first_response"].due_at) == datetime(2026, 11, 25, 17)
    assert as_local(c["acknowledgement"].due_at) == datetime(2026, 11, 25, 17)
    assert as_local(c["resolution"].due_at) == datetime(2026, 12, 7, 17)  # 10 working days
    case = db.session.get(Case, r.case_id)
    assert case.next_due_at == c["first_response"].due_at


def test_urgent_case_first_response_is_four_working_hours(submit):
    r = submit(priority="high", when=local(2026, 11, 27, 15))  # Friday 15:00
    assert as_local(clocks(r.case_id)["first_response"].due_at) == datetime(2026, 11, 30, 10)


def test_reply_stops_response_clocks_in_time_and_queue_moves_to_resolution(submit, officer):
    r = submit("foretagslots", kind="complaint", complaint_ground="bemotande", when=local(2026, 11, 23, 10))
    o = officer("naringsliv")
    casework.reply(o, r.case_id, "Vi har tagit emot ditt klagomål.", local(2026, 11, 25, 18))  # after hours, due day
    c = clocks(r.case_id)
    assert c["first_response"].in_time is True and c["acknowledgement"].in_time is True
    assert c["resolution"].stopped_at is None
    assert db.session.get(Case, r.case_id).next_due_at == c["resolution"].due_at


def test_late_reply_is_recorded_as_breach_once(submit, officer):
    r = submit(when=local(2026, 11, 23, 10))
    casework.reply(officer(), r.case_id, "Förlåt dröjsmålet.", local(2026, 11, 26, 9))
    assert clocks(r.case_id)["first_response"].in_time is False
    assert len(events(r.case_id, "sla_breach")) == 1
    assert sla.sweep(local(2026, 11, 26, 10))["breaches"] == 0  # a stopped clock is not swept again


def test_completion_request_pauses_and_answer_resumes_with_the_pause_added(submit, officer):
    # markupplåtelse: resolution 15 working days, pausable
    r = submit(when=local(2026, 11, 2, 10))
    before = clocks(r.case_id)["resolution"].due_at
    casework.request_completion(officer(), r.case_id, "Skicka en ritning.", local(2026, 11, 3, 10))
    c = clocks(r.case_id)
    assert c["resolution"].paused_since is not None and c["resolution"].due_at is None
    assert db.session.get(Case, r.case_id).status == "awaiting_customer"
    public.answer(r.token, "Här är ritningen.", local(2026, 11, 6, 10))  # Tue 10 -> Fri 10: 27 working hours
    c = clocks(r.case_id)
    assert c["resolution"].paused_since is None and len(c["resolution"].pauses) == 1
    assert sla.calendar().working_time_between(before, c["resolution"].due_at) == timedelta(hours=27)
    assert db.session.get(Case, r.case_id).status == "in_progress"
    kinds = [e.kind for e in db.session.scalars(sa.select(CaseEvent).where(CaseEvent.case_id == r.case_id))]
    assert "clock_paused" in kinds and "clock_resumed" in kinds


def test_first_response_clock_does_not_pause(submit, officer):
    r = submit(when=local(2026, 11, 2, 10))
    casework.request_completion(officer(), r.case_id, "Skicka en ritning.", local(2026, 11, 2, 11))
    fr = clocks(r.case_id)["first_response"]
    assert fr.stopped_at is not None and fr.in_time and fr.pauses == []  # the request is the first response


def test_bygglov_completion_within_three_weeks_restarts_statutory_clock_at_completion(submit, officer):
    r = submit("bygglov", when=local(2026, 3, 2, 10))
    assert as_local(clocks(r.case_id)["pbl"].due_at) == datetime(2026, 5, 11, 23, 59, 59)
    casework.request_completion(officer(), r.case_id, "Komplettera med situationsplan.", local(2026, 3, 14, 9))
    assert clocks(r.case_id)["pbl"].due_at is None  # waits for the completion
    public.answer(r.token, "Situationsplan bifogad.", local(2026, 3, 30, 14))
    assert as_local(clocks(r.case_id)["pbl"].due_at) == datetime(2026, 6, 8, 23, 59, 59)


def test_bygglov_completion_after_three_weeks_does_not_pause_statutory_clock(submit, officer):
    r = submit("bygglov", when=local(2026, 3, 2, 10))
    casework.request_completion(officer(), r.case_id, "Komplettera.", local(2026, 3, 27, 9))  # day 25
    public.answer(r.token, "Klart.", local(2026, 4, 10, 9))
    assert as_local(clocks(r.case_id)["pbl"].due_at) == datetime(2026, 5, 11, 23, 59, 59)


def test_late_bygglov_decision_reduces_the_fee_by_a_fifth_per_started_week(submit, officer):
    r = submit("bygglov", when=local(2026, 3, 2, 10))  # due Mon 11 May 23:59:59
    casework.decide(officer(), r.case_id, "granted", "Bygglov beviljas.", local(2026, 5, 19, 9))  # 8 days late
    case = db.session.get(Case, r.case_id)
    assert case.fee_reduction == pytest.approx(0.4)  # 2 started weeks
    assert events(r.case_id, "pbl_fee_reduction")[0].data["weeks_late"] == 2
    assert clocks(r.case_id)["pbl"].in_time is False


def test_pbl_extension_once_moves_the_deadline_and_is_registered(submit, officer):
    o = officer()
    r = submit("bygglov", when=local(2026, 4, 16, 9))
    casework.extend_statutory_deadline(o, r.case_id, 10, "Komplicerat ärende, grannehöring krävs.",
                                       local(2026, 5, 1, 9))
    assert as_local(clocks(r.case_id)["pbl"].due_at) == datetime(2026, 9, 3, 23, 59, 59)
    assert events(r.case_id, "pbl_extended")[0].data["reason"].startswith("Komplicerat")
    with pytest.raises(Conflict):
        casework.extend_statutory_deadline(o, r.case_id, 2, "igen", local(2026, 5, 2, 9))


def test_pbl_extension_longer_than_the_period_is_refused(submit, officer):
    r = submit("anmalan", when=local(2026, 4, 16, 9))  # 4 weeks
    with pytest.raises(InvalidInput):
        casework.extend_statutory_deadline(officer(), r.case_id, 5, "för lång", local(2026, 4, 20, 9))


def test_delay_notice_is_registered_public_and_mailed(submit, officer):
    r = submit(when=local(2026, 11, 2, 10))
    casework.send_delay_notice(officer(), r.case_id, "Vi väntar på yttrande från Trafikverket.", local(2026, 11, 4, 9))
    assert len(events(r.case_id, "delay_notice")) == 1
    mail = db.session.scalar(sa.select(Outbox).where(Outbox.payload["template"].as_string() == "delay_notice"))
    assert mail.status == "sent" and "Trafikverket" in mail.result["text"]


def test_fl12_request_starts_a_four_week_clock_stopped_by_the_decision(submit, officer):
    o = officer()
    r = submit(when=local(2026, 1, 5, 10))
    casework.register_decision_request(o, r.case_id, local(2026, 7, 8, 12), local(2026, 7, 8, 13))
    c = clocks(r.case_id)["fl12"]
    assert as_local(c.due_at) == datetime(2026, 8, 5, 23, 59, 59)
    casework.decide(o, r.case_id, "rejected", "Avslag.", local(2026, 7, 20, 10))
    assert clocks(r.case_id)["fl12"].in_time is True


def test_sweep_records_each_warning_and_breach_exactly_once_and_notifies(submit, officer, make_user, offices):
    make_user("lead", offices["samhallsbyggnad"], email="chef@sbk.test")
    r = submit(when=local(2026, 11, 23, 10))  # first response due Wed 25 Nov 17:00, warn Wed 12:00
    assert sla.sweep(local(2026, 11, 25, 11)) == {"warnings": 0, "breaches": 0}
    assert sla.sweep(local(2026, 11, 25, 12, 30)) == {"warnings": 1, "breaches": 0}
    assert sla.sweep(local(2026, 11, 25, 13)) == {"warnings": 0, "breaches": 0}
    assert sla.sweep(local(2026, 11, 26, 9)) == {"warnings": 0, "breaches": 1}
    assert sla.sweep(local(2026, 11, 26, 10)) == {"warnings": 0, "breaches": 0}
    assert len(events(r.case_id, "sla_warning")) == 1 and len(events(r.case_id, "sla_breach")) == 1
    breach_mail = db.session.scalar(sa.select(Outbox).where(Outbox.payload["template"].as_string() == "sla_breach"))
    assert breach_mail.result["to"] == "chef@sbk.test"
    assert r.reference in breach_mail.result["subject"]


def test_sweep_skips_paused_clocks(submit, officer):
    r = submit(when=local(2026, 11, 2, 10))
    casework.request_completion(officer(), r.case_id, "Skicka ritning.", local(2026, 11, 2, 11))
    counts = sla.sweep(local(2026, 12, 30, 12))  # long after every original deadline
    assert counts == {"warnings": 0, "breaches": 0}


def test_queue_filters_at_risk_and_breached(submit, officer):
    o = officer()
    ok = submit(when=local(2026, 11, 25, 10))
    risky = submit(when=local(2026, 11, 23, 10))
    late = submit(when=local(2026, 11, 19, 10))
    now = local(2026, 11, 25, 13)
    ids = lambda **f: {c.id for c in finding.queue(o, finding.QueueFilter(**f), now=now)}  # noqa: E731
    assert ids(at_risk=True) == {risky.case_id}
    assert ids(breached=True) == {late.case_id}
    assert ok.case_id in ids()


def test_two_concurrent_sweeps_record_each_breach_once(app, submit, is_postgres):
    import threading

    if not is_postgres:
        pytest.skip("needs PostgreSQL (set TEST_DATABASE_URL)")
    receipts = [submit(when=local(2026, 11, 2, 10)) for _ in range(30)]
    results, barrier = [], threading.Barrier(2)

    def run():
        with app.app_context():
            barrier.wait()
            results.append(sla.sweep(local(2026, 12, 28, 12), batch=7))
            db.session.remove()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(r["breaches"] for r in results) == 60  # 30 cases x (first response + resolution)
    for r in receipts:
        assert len(events(r.case_id, "sla_breach")) == 2


def test_configured_closed_day_moves_deadlines(submit):
    from caseflow.models import CalendarSettings

    settings = db.session.get(CalendarSettings, 1)
    settings.extra_closed = ["2026-11-24"]  # a klämdag the municipality closes
    db.session.commit()
    r = submit(when=local(2026, 11, 23, 10))
    assert as_local(clocks(r.case_id)["first_response"].due_at) == datetime(2026, 11, 26, 17)
