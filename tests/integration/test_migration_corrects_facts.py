"""The data migration b16f1a0e0001 corrects the stored facts of existing cases to what the corrected clock engine
stores: each case is built through the current services, turned back into what the old engine had stored, and
the migration's ``correct_stored_facts`` must bring back the engine's facts (and say so in the case's log)."""
import importlib.util
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from caseflow.extensions import db
from caseflow.models import Case, CaseEvent, SlaClock
from caseflow.services import casework, public, sla

STHLM = ZoneInfo("Europe/Stockholm")
REVISION = "b16f1a0e0001"
RUN_AT = datetime(2027, 1, 4, 6, 0, tzinfo=UTC)
_PATH = (Path(__file__).resolve().parents[2] / "migrations" / "versions"
         / f"{REVISION}_figures_corrected_stored_facts.py")


def _load_migration():
    spec = importlib.util.spec_from_file_location(f"migration_{REVISION}", _PATH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


migration = _load_migration()


def local(y, mo, d, h=0, mi=0, s=0):
    return datetime(y, mo, d, h, mi, s, tzinfo=STHLM)


def migrate(now=RUN_AT):
    db.session.commit()
    migration.correct_stored_facts(db.session.connection(), now=now)
    db.session.commit()
    db.session.expire_all()


def clock(case_id, name) -> SlaClock:
    db.session.expire_all()
    return db.session.scalar(sa.select(SlaClock).where(SlaClock.case_id == case_id, SlaClock.name == name))


def events(case_id, kind=None, clock_name=None):
    q = sa.select(CaseEvent).where(CaseEvent.case_id == case_id).order_by(CaseEvent.at, CaseEvent.id)
    if kind is not None:
        q = q.where(CaseEvent.kind == kind)
    found = db.session.scalars(q).all()
    return [e for e in found if clock_name is None or (e.data or {}).get("clock") == clock_name]


def corrections(case_id):
    return events(case_id, "facts_corrected")


def facts_of(case_id) -> list[str]:
    (event,) = corrections(case_id)
    assert event.data["revision"] == REVISION and event.actor_kind == "system" and event.at == RUN_AT
    return [c["fact"] for c in event.data["changes"]]


def set_clock(case_id, name, **values):
    db.session.execute(sa.update(SlaClock).where(SlaClock.case_id == case_id, SlaClock.name == name).values(**values))
    db.session.commit()


def set_data(event, **values):
    event.data = {**event.data, **values}
    db.session.commit()


def old_event(case_id, kind, at, **data):
    """An event as the old engine recorded it."""
    db.session.add(CaseEvent(case_id=case_id, kind=kind, at=at, actor_kind="system",
                             office_id=db.session.get(Case, case_id).office_id, data=data))
    db.session.commit()


def delete_events(ids):
    db.session.execute(sa.delete(CaseEvent).where(CaseEvent.id.in_(ids)))
    db.session.commit()


_CLOCK_COLUMNS = ("started_at", "due_at", "warn_at", "breach_at", "paused_since", "pauses", "stopped_at",
                  "stop_reason", "in_time", "breached_at", "completion_requested_at")


def clock_facts(case_id, name) -> dict:
    """A clock's stored facts; pauses as instants (the engine writes them in the zone they were given in)."""
    c = clock(case_id, name)
    facts = {k: getattr(c, k) for k in _CLOCK_COLUMNS}
    facts["pauses"] = [tuple(datetime.fromisoformat(t) for t in p) for p in c.pauses or []]
    return facts


def without_breach_instants(case_id):
    """The new columns are empty before the migration."""
    db.session.execute(sa.update(SlaClock).where(SlaClock.case_id == case_id).values(breach_at=None))
    db.session.execute(sa.update(Case).where(Case.id == case_id).values(next_breach_at=None))
    db.session.commit()


@pytest.fixture
def officer(make_user, offices):
    return lambda code="samhallsbyggnad": make_user("officer", offices[code])


@pytest.fixture
def officer_of(make_user):
    return lambda case_id: make_user("officer", db.session.get(Case, case_id).office)


# -- the scenarios: each builds a case with the engine, then puts back what the old engine stored ------------------
def breach_instants_missing(submit):
    """A day clock due Wednesday 17:00 is breached from Thursday 08:00; nothing else to correct."""
    r = submit(when=local(2026, 11, 23, 10))  # markupplåtelse: first response due Wed 25 Nov 17:00
    without_breach_instants(r.case_id)
    return r.case_id


def week_clock_paused_over_the_end_of_dst(submit, officer):
    """Livsmedel registration (2 calendar weeks, pauses): due Mon 26 Oct 2026 23:59:59 without pauses. Paused Sat
    24 Oct 10:00 -> Mon 26 Oct 09:30: 47 h 30 min on the wall (48 h 30 min absolute over the end of DST on Sunday
    25 Oct), 2 days paused (the old engine: 3) -> due Wed 28 Oct 23:59:59 (old: Thu 29 Oct). Decided Thu 29 Oct
    10:00: late (the old engine said in time)."""
    o = officer("miljo")
    r = submit("livsmedel", when=local(2026, 10, 12, 10))
    casework.request_completion(o, r.case_id, "Skicka ritningen över lokalen.", local(2026, 10, 24, 10))
    public.answer(r.token, "Ritningen bifogad.", local(2026, 10, 26, 9, 30))
    casework.decide(o, r.case_id, "granted", "Registreringen är klar.", local(2026, 10, 29, 10))
    engine = clock_facts(r.case_id, "resolution")
    assert engine["due_at"] == local(2026, 10, 28, 23, 59, 59) and engine["in_time"] is False
    # the old engine: 3 days paused, in time at the decision, no breach
    delete_events([e.id for e in events(r.case_id, "sla_breach", "resolution")])
    (stop,) = events(r.case_id, "clock_stopped", "resolution")
    set_data(stop, in_time=True, due_at=local(2026, 10, 29, 23, 59, 59).isoformat())
    set_clock(r.case_id, "resolution", due_at=local(2026, 10, 29, 23, 59, 59),
              warn_at=engine["warn_at"] + timedelta(hours=20), in_time=True, breached_at=None)
    without_breach_instants(r.case_id)
    return r.case_id, engine


def wait_after_the_due(submit, officer):
    """The lead's case: Mon 2 Nov 08:00 -> Thu 12 Nov 08:00 = 72 working hours, minus the 9 h wait that began
    after the due = 63 h; the old engine subtracted only pauses of the resolution clock (none here): 72 h."""
    o = officer("naringsliv")
    r = submit("foretagslots", kind="question", when=local(2026, 11, 2, 8))
    casework.request_completion(o, r.case_id, "Vilket fastighetsnummer gäller det?", local(2026, 11, 10, 8))
    public.answer(r.token, "Norrköping Spinnrocken 3.", local(2026, 11, 11, 8))
    casework.close(o, r.case_id, "answered", local(2026, 11, 12, 8), comment="Svar skickat.")
    (closed,) = events(r.case_id, "closed")
    assert closed.hours == pytest.approx(63.0)
    closed.hours = 72.0
    db.session.commit()
    return r.case_id


def early_breach_on_an_urgent_answer_in_time(submit):
    """Urgent, received Wed 25 Nov 13:00: 4 working hours due 17:00, breach instant Thu 08:00. Answered 17:40, in
    time; the old sweep had recorded a breach at 17:30 (due <= now)."""
    r = submit(priority="high", when=local(2026, 11, 25, 13))
    o = officer_in(r.case_id)
    casework.reply(o, r.case_id, "Vi tittar på det i kväll.", local(2026, 11, 25, 17, 40))
    assert clock(r.case_id, "first_response").in_time is True
    set_clock(r.case_id, "first_response", breached_at=local(2026, 11, 25, 17, 30))
    old_event(r.case_id, "sla_breach", local(2026, 11, 25, 17, 30), clock="first_response",
              due_at=local(2026, 11, 25, 17).isoformat())
    without_breach_instants(r.case_id)
    return r.case_id


def officer_in(case_id):
    from caseflow.models import User

    u = User(email=f"o{case_id}@staff.test", name="Officer Test", role="officer",
             office=db.session.get(Case, case_id).office)
    u.set_password("correct horse battery")
    db.session.add(u)
    db.session.commit()
    return u


def reopened_and_closed_again_late(submit, officer):
    """The lead's case: answered due Mon 9 Nov 17:00; closed in time Tue 3 Nov, reopened Thu 5 Nov, closed again
    Thu 12 Nov: late. The old engine kept the verdict of the first closure (in time) and never restarted."""
    o = officer("naringsliv")
    r = submit("foretagslots", kind="question", when=local(2026, 11, 2, 10))
    casework.close(o, r.case_id, "answered", local(2026, 11, 3, 10), comment="Svar skickat.")
    at_first_closure = clock_facts(r.case_id, "resolution")
    casework.reopen(o, r.case_id, "Företaget hade en följdfråga.", local(2026, 11, 5, 10))
    casework.close(o, r.case_id, "answered", local(2026, 11, 12, 10), comment="Följdfrågan besvarad.")
    engine = clock_facts(r.case_id, "resolution")
    engine_events = clock_events(r.case_id, "resolution")
    as_old_engine(r.case_id, "resolution", at_first_closure)
    return r.case_id, engine, engine_events


def clock_events(case_id, name):
    return [(e.kind, e.at, {k: v for k, v in e.data.items() if k != "corrected_by"})
            for e in events(case_id, clock_name=name) if e.kind != "clock_started"]


def as_old_engine(case_id, name, at_first_closure):
    """The clock as it stopped at the first closure, without what the reopening did to it."""
    first_stop = at_first_closure["stopped_at"]
    delete_events([e.id for e in events(case_id, clock_name=name)
                   if e.kind == "clock_restarted" or (e.at > first_stop and e.kind in (
                       "clock_stopped", "clock_paused", "clock_resumed", "sla_breach"))])
    set_clock(case_id, name, **dict(at_first_closure, pauses=[[t.isoformat() for t in p]
                                                          for p in at_first_closure["pauses"]]))
    sla.refresh_case(db.session.get(Case, case_id))
    db.session.commit()
    without_breach_instants(case_id)


def all_facts():
    """Every row the migration may touch, for 'nothing changed'."""
    db.session.expire_all()
    return (
        [tuple(r) for r in db.session.execute(sa.select(*SlaClock.__table__.c).order_by(SlaClock.id))],
        [tuple(r) for r in db.session.execute(sa.select(*Case.__table__.c).order_by(Case.id))],
        [tuple(r) for r in db.session.execute(sa.select(*CaseEvent.__table__.c).order_by(CaseEvent.id))],
    )


# -- a. breach instants ------------------------------------------------------------------------------------------
def test_breach_instants_are_filled_on_every_clock_and_on_the_case_without_a_correction_event(submit):
    case_id = breach_instants_missing(submit)
    stopped = submit(priority="high", when=local(2026, 11, 25, 13))  # due 17:00, answered in time
    casework.reply(officer_in(stopped.case_id), stopped.case_id, "Svar.", local(2026, 11, 25, 16))
    without_breach_instants(stopped.case_id)
    migrate()
    assert clock(case_id, "first_response").breach_at == local(2026, 11, 26, 8)
    resolution = clock(case_id, "resolution")
    assert resolution.breach_at == sla.calendar().instant_at(sla.calendar().position(resolution.due_at) + 1) \
        - timedelta(microseconds=1)
    case = db.session.get(Case, case_id)
    assert case.next_due_at == local(2026, 11, 25, 17) and case.next_breach_at == local(2026, 11, 26, 8)
    assert clock(stopped.case_id, "first_response").breach_at == local(2026, 11, 26, 8)  # stopped clocks too
    assert corrections(case_id) == [] and corrections(stopped.case_id) == []


def test_the_sweep_breaches_a_migrated_clock_only_past_its_breach_instant(submit):
    case_id = breach_instants_missing(submit)
    migrate()
    assert sla.sweep(local(2026, 11, 26, 7, 59))["breaches"] == 0
    assert sla.sweep(local(2026, 11, 26, 8, 1))["breaches"] == 1
    assert clock(case_id, "first_response").breached_at == local(2026, 11, 26, 8, 1)


# -- b. week clocks: days paused on the wall clock -----------------------------------------------------------------
def test_week_clock_paused_over_the_end_of_dst_gets_the_wall_clock_due_and_its_late_verdict(submit, officer):
    """"The days paused are the total local wall-clock time of the clock's pauses divided by 24 hours and rounded
    up"."""
    case_id, engine = week_clock_paused_over_the_end_of_dst(submit, officer)
    migrate()
    assert clock_facts(case_id, "resolution") == engine
    (stop,) = events(case_id, "clock_stopped", "resolution")
    assert stop.data["in_time"] is False and stop.data["corrected_by"] == REVISION
    assert datetime.fromisoformat(stop.data["due_at"]) == local(2026, 10, 28, 23, 59, 59)
    (breach,) = events(case_id, "sla_breach", "resolution")
    assert breach.at == local(2026, 10, 29, 10) and breach.data["at_stop"] is True
    assert db.session.get(Case, case_id).next_due_at is None
    assert facts_of(case_id) == ["due_at", "in_time", "breached_at"]


# -- c. resolution time --------------------------------------------------------------------------------------------
def test_resolution_hours_of_a_closure_lose_the_wait_that_began_after_the_due(submit, officer):
    """"minus the working time the case spent waiting on the company ... also for a wait that began after a
    clock's due instant"."""
    case_id = wait_after_the_due(submit, officer)
    migrate()
    (closed,) = events(case_id, "closed")
    assert closed.hours == pytest.approx(63.0)
    (change,) = corrections(case_id)[0].data["changes"]
    assert change == {"fact": "hours", "event": "closed", "event_id": closed.id, "before": 72.0, "after": 63.0}


def test_resolution_hours_of_a_pbl_decision_lose_the_wait_though_the_statutory_clock_never_paused(submit, officer):
    """"also on PBL cases, whose statutory clock does not pause"."""
    o = officer()
    r = submit("bygglov", when=local(2026, 3, 2, 8))  # Mon 08:00
    casework.request_completion(o, r.case_id, "Komplettera med situationsplan.", local(2026, 3, 3, 8))
    public.answer(r.token, "Situationsplan bifogad.", local(2026, 3, 5, 8))  # Tue 08 -> Thu 08: 18 h waited
    casework.decide(o, r.case_id, "granted", "Bygglov beviljas.", local(2026, 3, 6, 8))
    casework.close(o, r.case_id, "granted", local(2026, 3, 6, 9))
    (decided,) = events(r.case_id, "decided")
    decided.hours = 36.0  # the old engine: Mon 08 -> Fri 08 = 4 x 9 h, nothing subtracted
    db.session.commit()
    migrate()
    assert events(r.case_id, "decided")[0].hours == pytest.approx(4 * 9 - 18)
    assert events(r.case_id, "closed")[0].hours is None  # a closure after the decision has no resolution time
    assert facts_of(r.case_id) == ["hours"]


# -- d. fee reduction on the wall clock ----------------------------------------------------------------------------
def test_fee_reduction_across_the_end_of_dst_counts_one_started_week_not_two(submit, officer):
    """"weeks late = ceil(local wall-clock time past the deadline / 7 days)": due Fri 23 Oct 2026 23:59:59,
    decided Fri 30 Oct 23:29:59, 6 days 23 h 30 min on the wall (7 days 0 h 30 min absolute)."""
    o = officer()
    r = submit("bygglov", when=local(2026, 8, 14, 10))  # Fri: 10 weeks -> Fri 23 Oct
    assert clock(r.case_id, "pbl").due_at == local(2026, 10, 23, 23, 59, 59)
    casework.decide(o, r.case_id, "granted", "Bygglov beviljas.", local(2026, 10, 30, 23, 29, 59))
    (fee,) = events(r.case_id, "pbl_fee_reduction")
    assert fee.data["weeks_late"] == 1
    set_data(fee, weeks_late=2, reduction="2/5")  # the old engine: absolute time, two started weeks
    db.session.get(Case, r.case_id).fee_reduction = 0.4
    db.session.commit()
    migrate()
    (fee,) = events(r.case_id, "pbl_fee_reduction")
    assert (fee.data["weeks_late"], fee.data["reduction"], fee.data.get("withdrawn")) == (1, "1/5", None)
    assert db.session.get(Case, r.case_id).fee_reduction == pytest.approx(0.2)
    assert facts_of(r.case_id) == ["weeks_late", "case_fee_reduction"]


def test_fee_reduction_that_was_not_late_on_the_wall_clock_is_withdrawn_not_deleted(submit, officer):
    """In the hour the clocks go back, 02:15 CET comes 45 minutes after 02:30 CEST but before it on the wall:
    0 weeks late on the wall clock, 1 started week on absolute time (the old engine)."""
    o = officer()
    r = submit("bygglov", when=local(2026, 8, 14, 10))
    casework.decide(o, r.case_id, "granted", "Bygglov beviljas.", local(2026, 9, 1, 10))  # in time
    due, decided = datetime(2026, 10, 25, 0, 30, tzinfo=UTC), datetime(2026, 10, 25, 1, 15, tzinfo=UTC)
    assert (due.astimezone(STHLM).hour, due.astimezone(STHLM).minute) == (2, 30)
    assert (decided.astimezone(STHLM).hour, decided.astimezone(STHLM).minute) == (2, 15)
    set_clock(r.case_id, "pbl", due_at=due)
    old_event(r.case_id, "pbl_fee_reduction", decided, weeks_late=1, reduction="1/5")
    db.session.get(Case, r.case_id).fee_reduction = 0.2
    db.session.commit()
    migrate()
    (fee,) = events(r.case_id, "pbl_fee_reduction")
    assert fee.data["withdrawn"] is True and fee.data["withdrawn_reason"] == "not_late_on_local_wall_clock"
    assert db.session.get(Case, r.case_id).fee_reduction == 0.0
    assert facts_of(r.case_id) == ["fee_reduction_withdrawn", "case_fee_reduction"]


# -- e. breaches recorded before the breach instant ---------------------------------------------------------------
def test_breach_recorded_before_the_breach_instant_on_a_clock_stopped_in_time_is_withdrawn(submit):
    """"Breach events, escalation mails, "overdue" labels and queue colours all use the breach instant, never
    now > due"."""
    case_id = early_breach_on_an_urgent_answer_in_time(submit)
    migrate()
    fr = clock(case_id, "first_response")
    assert fr.breached_at is None and fr.breach_at == local(2026, 11, 26, 8) and fr.in_time is True
    (breach,) = events(case_id, "sla_breach")
    assert breach.data["withdrawn"] is True and breach.data["withdrawn_reason"] == "before_breach_instant"
    (change,) = corrections(case_id)[0].data["changes"]
    assert change["fact"] == "breach_withdrawn" and change["events"] == [breach.id]


def test_early_breach_of_a_running_clock_is_withdrawn_and_the_sweep_records_the_real_one(submit):
    r = submit(when=local(2026, 11, 23, 10))  # first response due Wed 25 Nov 17:00, breached from Thu 08:00
    set_clock(r.case_id, "first_response", breached_at=local(2026, 11, 25, 23))  # the old sweep at 23:00
    old_event(r.case_id, "sla_breach", local(2026, 11, 25, 23), clock="first_response",
              due_at=local(2026, 11, 25, 17).isoformat())
    without_breach_instants(r.case_id)
    migrate()
    assert clock(r.case_id, "first_response").breached_at is None
    assert events(r.case_id, "sla_breach")[0].data["withdrawn"] is True
    assert sla.sweep(local(2026, 11, 26, 8, 1))["breaches"] == 1
    real = [e for e in events(r.case_id, "sla_breach") if not e.data.get("withdrawn")]
    assert [e.at for e in real] == [local(2026, 11, 26, 8, 1)]


def test_breach_recorded_past_the_breach_instant_stays(submit):
    r = submit(when=local(2026, 11, 23, 10))
    assert sla.sweep(local(2026, 11, 26, 9))["breaches"] == 1
    without_breach_instants(r.case_id)
    migrate()
    assert clock(r.case_id, "first_response").breached_at == local(2026, 11, 26, 9)
    assert "withdrawn" not in events(r.case_id, "sla_breach")[0].data
    assert corrections(r.case_id) == []


# -- f. reopening restarts the decision clocks ----------------------------------------------------------------------
def test_reopened_case_closed_again_late_gets_the_restart_and_the_late_verdict_the_engine_records(submit, officer):
    """"Reopening a case that was closed without a decision sets its answered/decision clock running again as if
    it had never stopped ...; it stops again at the next decision or closure, and its verdict is taken there"."""
    case_id, engine, engine_events = reopened_and_closed_again_late(submit, officer)
    assert clock(case_id, "resolution").in_time is True  # what the old engine left
    migrate()
    assert clock_facts(case_id, "resolution") == engine
    assert engine["in_time"] is False and engine["stopped_at"] == local(2026, 11, 12, 10)
    assert clock_events(case_id, "resolution") == engine_events
    (restart,) = events(case_id, "clock_restarted")
    assert restart.at == local(2026, 11, 5, 10) and restart.actor_kind == "system"
    assert restart.data["corrected_by"] == REVISION
    assert restart.office_id == events(case_id, "reopened")[0].office_id
    assert [e.data["in_time"] for e in events(case_id, "clock_stopped", "resolution")] == [True, False]
    assert facts_of(case_id) == ["clock_restarted", "clock_stopped", "breached_at"]


def test_reopened_case_still_open_has_its_answered_clock_running_again(submit, officer):
    o = officer("naringsliv")
    r = submit("foretagslots", kind="question", when=local(2026, 11, 2, 10))
    casework.close(o, r.case_id, "answered", local(2026, 11, 3, 10), comment="Svar skickat.")
    at_first_closure = clock_facts(r.case_id, "resolution")
    casework.reopen(o, r.case_id, "Följdfråga.", local(2026, 11, 5, 10))
    engine = clock_facts(r.case_id, "resolution")
    case = db.session.get(Case, r.case_id)
    engine_case = (case.next_due_at, case.next_warn_at, case.next_breach_at)
    as_old_engine(r.case_id, "resolution", at_first_closure)
    assert db.session.get(Case, r.case_id).next_due_at is None
    migrate()
    assert clock_facts(r.case_id, "resolution") == engine
    assert engine["stopped_at"] is None and engine["in_time"] is None
    case = db.session.get(Case, r.case_id)
    assert (case.next_due_at, case.next_warn_at, case.next_breach_at) == engine_case
    assert case.next_breach_at == local(2026, 11, 10, 8)  # due Mon 9 Nov 17:00


def test_reopened_complaint_that_waited_on_the_company_pauses_as_the_engine_does(submit, officer_of):
    """After the reopening the clock runs, so a completion request pauses it and moves its due."""
    r = submit("foretagslots", kind="complaint", complaint_ground="bemotande", when=local(2026, 11, 2, 10))
    o = officer_of(r.case_id)
    casework.close(o, r.case_id, "answered", local(2026, 11, 3, 10), comment="Svar skickat.")
    at_first_closure = clock_facts(r.case_id, "resolution")
    casework.reopen(o, r.case_id, "Klagomålet gäller mer.", local(2026, 11, 4, 10))
    casework.request_completion(o, r.case_id, "Vilket datum hände det?", local(2026, 11, 5, 10))
    public.answer(r.token, "Den 28 oktober.", local(2026, 11, 9, 10))
    casework.close(o, r.case_id, "answered", local(2026, 11, 20, 10), comment="Svar skickat.")
    engine = clock_facts(r.case_id, "resolution")
    engine_events = clock_events(r.case_id, "resolution")
    assert len(engine["pauses"]) == 1 and engine["due_at"] > at_first_closure["due_at"]
    as_old_engine(r.case_id, "resolution", at_first_closure)
    migrate()
    assert clock_facts(r.case_id, "resolution") == engine
    assert clock_events(r.case_id, "resolution") == engine_events
    assert [e.kind for e in events(r.case_id) if e.data.get("corrected_by")] == [
        "clock_restarted", "clock_paused", "clock_resumed", "clock_stopped", "sla_breach"]


def test_a_reopening_after_a_decision_restarts_nothing(submit, officer):
    o = officer()
    r = submit(when=local(2026, 11, 2, 10))
    casework.decide(o, r.case_id, "granted", "Beviljas.", local(2026, 11, 4, 10))
    casework.close(o, r.case_id, "granted", local(2026, 11, 4, 11))
    casework.reopen(o, r.case_id, "Rättelse.", local(2026, 11, 5, 10))
    without_breach_instants(r.case_id)
    migrate()
    assert clock(r.case_id, "resolution").stopped_at == local(2026, 11, 4, 10)
    assert events(r.case_id, "clock_restarted") == [] and corrections(r.case_id) == []


# -- g. one correction event per case, and a second run changes nothing ---------------------------------------------
def test_every_corrected_case_gets_one_event_and_running_it_again_changes_nothing(submit, officer):
    untouched = breach_instants_missing(submit)
    week, _ = week_clock_paused_over_the_end_of_dst(submit, officer)
    hours = wait_after_the_due(submit, officer)
    early = early_breach_on_an_urgent_answer_in_time(submit)
    reopened, _, _ = reopened_and_closed_again_late(submit, officer)
    migrate()
    for case_id in (week, hours, early, reopened):
        assert len(corrections(case_id)) == 1, case_id
    assert corrections(untouched) == []
    after_first = all_facts()
    migrate(now=RUN_AT + timedelta(days=1))
    assert all_facts() == after_first
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CaseEvent)
                             .where(CaseEvent.kind == "facts_corrected")) == 4
