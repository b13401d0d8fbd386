"""The monthly report against a hand-computed month (October 2026, Europe/Stockholm).

A  markupplåtelse errand at SBK, received Mon 5 Oct 10:00; reply Tue 6 Oct 10:00 (first response 7+2 = 9 h);
   completion requested Wed 7 Oct 09:00, answered Fri 9 Oct 09:00 (paused 8+9+1 = 18 h); decided Tue 13 Oct
   12:00 (7+9+9+9+9+9+4 = 56 h - 18 h = 38 h); closed Tue 13 Oct 13:00.
B  livsmedel errand at Miljö, received Thu 1 Oct 16:00; reply Tue 6 Oct 09:00, after its due Mon 5 Oct 17:00
   (1+9+9+1 = 20 h, late: a breach at stop); closed Wed 14 Oct 10:00 without a decision (1 + 8x9 + 2 = 75 h).
C  complaint (bemötande) received Mon 12 Oct 09:00 at Näringsliv, rerouted to SBK 10:00 (a routing miss for
   Näringsliv); delay notice Thu 15 Oct 10:00, its first public message (8+9+9+2 = 28 h, late for the
   first-response and acknowledgement clocks due Wed 14 Oct 17:00: two breaches at stop, at SBK); the sweep
   on Fri 30 Oct records its resolution breach (due Mon 26 Oct 17:00); open at the month's end.
D  question at SBK received Mon 28 Sep, answered 29 Sep; closed Fri 2 Oct 10:00; reopened Tue 20 Oct and
   open at the month's end: closed and reopened in October, backlog, and no resolution time in October; its
   resolution clock runs again from the reopening, so it did not stop in October either.
E  errand at SBK received Sat 31 Oct 23:30 local (22:30 UTC): October's, and backlog.
"""
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from caseflow.extensions import db
from caseflow.models import ReportSettings
from caseflow.services import casework, public, reports, sla, surveys

Z = ZoneInfo("Europe/Stockholm")
OCT = datetime(2026, 10, 1).date()


def t(m, d, h, mi=0):
    return datetime(2026, m, d, h, mi, tzinfo=Z)


@pytest.fixture
def october(offices, make_user, submit):
    sbk = make_user("officer", offices["samhallsbyggnad"])
    nl = make_user("officer", offices["naringsliv"])
    miljo = make_user("officer", offices["miljo"])
    a = submit("markupplatelse", when=t(10, 5, 10))
    casework.reply(sbk, a.case_id, "Hej", t(10, 6, 10))
    casework.request_completion(sbk, a.case_id, "Ritning?", t(10, 7, 9))
    public.answer(a.token, "Här", t(10, 9, 9))
    casework.decide(sbk, a.case_id, "granted", "Ja", t(10, 13, 12))
    casework.close(sbk, a.case_id, "granted", t(10, 13, 13))

    b = submit("livsmedel", when=t(10, 1, 16), org_number="212000-0142")
    casework.reply(miljo, b.case_id, "Hej", t(10, 6, 9))
    casework.close(miljo, b.case_id, "answered", t(10, 14, 10))

    c = submit("foretagslots", when=t(10, 12, 9), kind="complaint", complaint_ground="bemotande")
    casework.reroute(nl, c.case_id, offices["samhallsbyggnad"].id, "Gäller bygglov", t(10, 12, 10))
    casework.send_delay_notice(sbk, c.case_id, "Vi väntar på underlag", t(10, 15, 10))
    sla.sweep(t(10, 30, 12))

    d = submit("markupplatelse", when=t(9, 28, 10), kind="question")
    casework.reply(sbk, d.case_id, "Svar", t(9, 29, 10))
    casework.close(sbk, d.case_id, "answered", t(10, 2, 10))
    casework.reopen(sbk, d.case_id, "Ny fråga", t(10, 20, 10))

    submit("markupplatelse", when=t(10, 31, 23, 30))  # E

    for case_id, scores in ((a.case_id, (6, 6, 6)), (b.case_id, (4, 5, 6))):
        s = db.session.query(surveys.Survey).filter_by(case_id=case_id).one()
        answers = dict(zip(("q_overall", "q_expectations", "q_ideal"), scores, strict=True))
        answers.update({f"f_{f}": 5 for f in surveys.FACTORS})
        surveys.answer(surveys.token_for(s.salt), answers, "", t(10, 20, 12))
    return {o: str(offices[o].id) for o in ("samhallsbyggnad", "naringsliv", "miljo")}


def test_month_totals_match_the_hand_calculation(october):
    r = reports.compute(OCT)["total"]
    assert (r["received"], r["closed"], r["reopened"], r["backlog"]) == (4, 3, 1, 2 + 0 + 1)
    assert r["reopen_rate"] == pytest.approx(1 / 3)
    assert r["first_response_n"] == 3
    assert r["first_response_median_h"] == 20 and r["first_response_p90_h"] == pytest.approx(26.4)
    assert r["resolution_n"] == 2
    assert r["resolution_median_h"] == pytest.approx(56.5) and r["resolution_p90_h"] == pytest.approx(71.3)
    # Stopped in October: first response A (in time), B, C; acknowledgement C; resolution A, B (in time). D's
    # resolution clock stopped in time on 2 Oct but its reopening on 20 Oct set it running "as if it had never
    # stopped": running at the month's end, it did not stop in October. 3 of 6 in time.
    assert (r["clocks_in_time"], r["clocks_stopped"]) == (3, 6) and r["within_target"] == pytest.approx(3 / 6)
    assert r["within_target_by_clock"] == {"first_response": pytest.approx(1 / 3), "acknowledgement": 0,
                                           "resolution": 1, "pbl": None, "fl12": None}
    assert r["clock_counts"]["first_response"] == {"in_time": 1, "stopped": 3}
    assert r["clock_counts"]["resolution"] == {"in_time": 2, "stopped": 2}
    assert r["breaches"] == 4 and r["reroutes"] == 1 and r["delay_notices"] == 1
    assert r["complaints"] == 1 and r["complaints_per_100"] == 25 and r["complaints_by_ground"] == {"bemotande": 1}
    assert (r["surveys_sent"], r["surveys_answered"]) == (3, 2)
    assert r["response_rate"] == pytest.approx(2 / 3)
    assert r["too_few_answers"] and r["nki"] is None  # 2 respondents < 7


def test_figures_belong_to_the_office_at_the_event(october):
    o = reports.compute(OCT)["offices"]
    sbk, nl, miljo = o[october["samhallsbyggnad"]], o[october["naringsliv"]], o[october["miljo"]]
    assert (sbk["received"], nl["received"], miljo["received"]) == (2, 1, 1)  # C counts where it arrived
    assert nl["complaints"] == 1 and sbk["complaints"] == 0
    assert nl["reroutes"] == 1 and nl["routing_miss_rate"] == 1.0 and sbk["reroutes"] == 0
    assert (sbk["closed"], sbk["reopened"], sbk["reopen_rate"]) == (2, 1, 0.5)
    assert sbk["backlog"] == 3 and nl["backlog"] == 0  # C (rerouted), D (reopened), E
    assert sbk["first_response_median_h"] == 18.5 and miljo["first_response_median_h"] == 20
    assert sbk["resolution_median_h"] == 38 and miljo["resolution_median_h"] == 75
    assert sbk["breaches"] == 3 and miljo["breaches"] == 1


def test_nki_is_computed_once_there_are_enough_respondents(october):
    db.session.merge(ReportSettings(id=1, survey_scale=6, nki_weights=[1, 1, 1], min_answers=2,
                                    min_answers_compare=10, recipients=""))
    db.session.commit()
    r = reports.compute(OCT)["total"]
    # overall mean 5 -> 80; expectations 5.5 -> 90; ideal 6 -> 100; NKI = 90 ("very high")
    assert r["nki"] == pytest.approx(90) and r["nki_grade"] == "very_high"
    assert r["factor_indices"]["bemotande"] == pytest.approx(80)


def test_freezing_twice_gives_the_same_snapshot_and_a_correction_a_new_revision(october, submit):
    first, created = reports.freeze(OCT, datetime.now(UTC))
    again, created_again = reports.freeze(OCT, datetime.now(UTC))
    assert created and not created_again and again.id == first.id
    submit("markupplatelse", when=t(10, 30, 9))  # a late-registered October case
    second, created = reports.freeze(OCT, datetime.now(UTC), label="Rättelse: sent registrerat ärende")
    assert created and second.revision == 2 and second.data["total"]["received"] == 5
    db.session.refresh(first)
    assert first.data["total"]["received"] == 4  # the published revision is never overwritten


def test_exports_escape_spreadsheet_formulas(october):
    rep = reports.compute(OCT)
    rep["office_names"][next(iter(rep["office_names"]))] = "=HYPERLINK(\"http://evil\")"
    assert "'=HYPERLINK" in reports.to_csv(rep)
    from io import BytesIO

    from openpyxl import load_workbook

    ws = load_workbook(BytesIO(reports.to_xlsx(rep))).active
    assert any(str(c.value).startswith("'=HYPERLINK") for c in ws["A"])


def test_handslaget_status_per_measure(october):
    assert reports.status_of(0.95, 0.9, True, 0.1) == "on_track"
    assert reports.status_of(0.85, 0.9, True, 0.1) == "at_risk"
    assert reports.status_of(0.5, 0.9, True, 0.1) == "off_track"
    assert reports.status_of(6.0, 5.0, False, 0.1) == "off_track" and reports.status_of(None, 1, True, 0.1) == \
        "no_data"


def test_filters_by_kind_split_the_month_without_losing_or_adding_anything(october):
    """Each counted figure of the month is the sum of the same figure filtered by each kind of case."""
    whole = reports.compute(OCT)["total"]
    parts = [reports.compute(OCT, kind=k)["total"] for k in ("errand", "question", "complaint", "feedback")]
    for key in ("received", "closed", "backlog", "first_response_n", "resolution_n", "clocks_stopped", "breaches",
                "reroutes", "complaints", "delay_notices"):
        assert sum(p[key] for p in parts) == whole[key], key
    assert whole["clocks_stopped"] > 0 and parts[2]["complaints"] == whole["complaints"]
    within = [p["within_target"] * p["clocks_stopped"] for p in parts if p["clocks_stopped"]]
    assert abs(sum(within) - whole["within_target"] * whole["clocks_stopped"]) < 1e-9


def test_a_decision_ends_the_resolution_time_and_a_later_closure_does_not_count_it_again(make_user, offices, submit):
    """Decided Fri 30 Oct 10:00 (received Mon 26 Oct 10:00: 7+9+9+9+2 = 36 h), closed Mon 2 Nov: the resolution
    time is October's; November has the closure but no second resolution time."""
    sbk = make_user("officer", offices["samhallsbyggnad"])
    r = submit("markupplatelse", when=t(10, 26, 10))
    casework.decide(sbk, r.case_id, "granted", "Ja", t(10, 30, 10))
    casework.close(sbk, r.case_id, "granted", t(11, 2, 10))
    october, november = reports.compute(OCT)["total"], reports.compute(datetime(2026, 11, 1).date())["total"]
    assert october["resolution_n"] == 1 and october["resolution_median_h"] == 36
    assert november["closed"] == 1 and november["resolution_n"] == 0


def test_past_durations_stay_as_they_were_when_the_calendar_changes_later(october):
    """Durations are facts kept at the event: closing a day afterwards does not rewrite October's figures."""
    from caseflow.models import CalendarSettings

    before = reports.compute(OCT)["total"]
    settings = db.session.get(CalendarSettings, 1)
    settings.extra_closed = ["2026-10-06", "2026-10-07"]
    db.session.commit()
    after = reports.compute(OCT)["total"]
    for key in ("first_response_median_h", "first_response_p90_h", "resolution_median_h", "resolution_p90_h"):
        assert after[key] == before[key], key


def test_the_migration_backfill_gives_the_hours_the_live_path_records(october):
    """Events written before ``case_event.hours`` existed get the same values from the migration's backfill."""
    import sqlalchemy as sa

    from bench.generate_cases import migration as migration_named
    from caseflow.models import CaseEvent

    live = dict(db.session.execute(sa.select(CaseEvent.id, CaseEvent.hours)).all())
    assert sum(v is not None for v in live.values()) >= 6  # responses, a decision, a closure without one
    migration = migration_named("*_case_event_hours_*.py")
    db.session.execute(sa.update(CaseEvent).values(hours=None))
    migration.backfill(db.session.connection())
    db.session.commit()
    backfilled = dict(db.session.execute(sa.select(CaseEvent.id, CaseEvent.hours)).all())
    assert backfilled.keys() == live.keys()
    for event_id, hours in live.items():
        assert backfilled[event_id] == pytest.approx(hours) if hours is not None else backfilled[event_id] is None


def test_computing_a_month_leaves_the_garbage_collector_as_it_found_it(october, monkeypatch):
    """The month is computed with cyclic collection paused (its rows form no cycles); afterwards, and after a
    failure, collection is back on — or still off, where the caller had turned it off."""
    import gc

    assert gc.isenabled()
    seen = []
    from caseflow.services.reports import computation

    original = computation._rows
    monkeypatch.setattr(computation, "_rows", lambda stmt: seen.append(gc.isenabled()) or original(stmt))
    assert reports.compute(OCT)["total"]["received"] == 4
    assert seen and not any(seen) and gc.isenabled()

    def failing(stmt):
        raise RuntimeError("database gone")

    monkeypatch.setattr(computation, "_rows", failing)
    with pytest.raises(RuntimeError):
        reports.compute(OCT)
    assert gc.isenabled()
    gc.disable()
    try:
        monkeypatch.setattr(computation, "_rows", original)
        reports.compute(OCT)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_the_reports_planner_settings_end_with_its_transaction(october, is_postgres):
    """On PostgreSQL a month is computed with JIT off and a plan per month's bounds; a pooled connection must not
    carry those settings into the next request's transaction."""
    if not is_postgres:
        pytest.skip("needs PostgreSQL (set TEST_DATABASE_URL)")
    import sqlalchemy as sa

    def settings():
        return tuple(db.session.execute(sa.text("SELECT current_setting('jit'), current_setting('plan_cache_mode')"))
                     .one())

    before = settings()
    db.session.rollback()
    reports.compute(OCT)
    assert settings() == ("off", "force_custom_plan")
    db.session.rollback()
    assert settings() == before


# -- publishable figures: every share with its counts, the NKI with its question indices ------------------------
def test_every_share_and_rate_is_published_with_its_numerator_and_denominator(october):
    """"Every share and rate is published with its numerator and denominator ... so a reader can check the
    arithmetic": each quotient figure of the registry equals its parts, in total and per office."""
    from caseflow.domain import figures as registry

    rep = reports.compute(OCT)
    quotients = [f for f in registry.FIGURES if f.numerator]
    assert {"within_target", "reopen_rate", "routing_miss_rate", "response_rate", "complaints_per_100"} <= \
        {f.key for f in quotients}
    for figs in [rep["total"], *rep["offices"].values()]:
        for f in quotients:
            num, den = registry.parts(figs, f.key)
            value = registry.value(figs, f.key)
            if not den:
                assert value is None, f.key
            else:
                scale = 100 if f.unit == registry.PER_100 else 1
                assert value == pytest.approx(scale * num / den), f.key


def test_nki_is_published_with_its_three_question_indices_and_respondents(october):
    db.session.merge(ReportSettings(id=1, survey_scale=6, nki_weights=[1, 1, 1], min_answers=2,
                                    min_answers_compare=10, recipients=""))
    db.session.commit()
    r = reports.compute(OCT)["total"]
    # A answered 6/6/6, B 4/5/6: means 5, 5.5, 6 -> indices 80, 90, 100
    assert r["nki_question_indices"] == {"q_overall": pytest.approx(80), "q_expectations": pytest.approx(90),
                                         "q_ideal": pytest.approx(100)}
    assert r["respondents"] == 2 and r["factor_ratings"]["bemotande"] == 2


def test_an_office_figure_is_a_comparison_and_needs_more_respondents_than_the_total(october):
    # One respondent at SBK (A), one at Miljö (B): the total shows from 2, an office only from the comparison's 2.
    db.session.merge(ReportSettings(id=1, survey_scale=6, nki_weights=[1, 1, 1], min_answers=2,
                                    min_answers_compare=2, recipients=""))
    db.session.commit()
    rep = reports.compute(OCT)
    sbk = rep["offices"][october["samhallsbyggnad"]]
    assert rep["total"]["nki"] == pytest.approx(90) and not rep["total"]["too_few_answers"]
    assert sbk["respondents"] == 1 and sbk["too_few_answers"] and sbk["nki"] is None
    assert set(sbk["nki_question_indices"].values()) == {None} and set(sbk["factor_indices"].values()) == {None}
    db.session.merge(ReportSettings(id=1, survey_scale=6, nki_weights=[1, 1, 1], min_answers=1,
                                    min_answers_compare=1, recipients=""))
    db.session.commit()
    sbk = reports.compute(OCT)["offices"][october["samhallsbyggnad"]]
    assert sbk["nki"] == pytest.approx(100) and sbk["factor_indices"]["bemotande"] == pytest.approx(80)


def test_a_comparison_never_needs_fewer_respondents_than_a_figure_shown_alone(october):
    db.session.merge(ReportSettings(id=1, survey_scale=6, nki_weights=[1, 1, 1], min_answers=2,
                                    min_answers_compare=1, recipients=""))
    db.session.commit()
    rep = reports.compute(OCT)
    assert rep["total"]["nki"] == pytest.approx(90)
    assert rep["offices"][october["samhallsbyggnad"]]["nki"] is None  # 1 respondent < min_answers 2


def test_question_indices_are_withheld_below_the_threshold_like_the_nki(october):
    r = reports.compute(OCT)["total"]  # 2 respondents, threshold 7
    assert r["nki"] is None and set(r["nki_question_indices"].values()) == {None}
    assert r["factor_indices"]["bemotande"] is None and r["factor_ratings"]["bemotande"] == 2


def test_an_unknown_figure_key_is_an_error_not_a_dash(october):
    from caseflow.domain import figures as registry

    total = reports.compute(OCT)["total"]
    with pytest.raises(registry.UnknownFigure):
        registry.value(total, "breachez")
    with pytest.raises(registry.UnknownFigure):
        registry.value({"received": 1}, "closed")  # defined, but missing from the figures


def test_every_registered_figure_is_computed_for_every_office_and_the_total(october):
    from caseflow.domain import figures as registry

    rep = reports.compute(OCT)
    for figs in [rep["total"], *rep["offices"].values()]:
        for f in registry.FIGURES:
            registry.value(figs, f.key)  # raises if a figure is missing


def test_a_correction_shows_which_published_month_would_change_and_republishing_lists_it(october, submit,
                                                                                          make_user):
    analyst = make_user("analyst")
    first, _ = reports.freeze(OCT, datetime.now(UTC))
    assert reports.stale_months(analyst, reports.snapshots(analyst)) == {}
    submit("markupplatelse", when=t(10, 30, 9))  # registered late, in October
    stale = reports.stale_months(analyst, reports.snapshots(analyst))
    assert set(stale) == {"2026-10"}
    assert {"scope": "total", "office": None, "figure": "received", "before": 4, "after": 5} in stale["2026-10"]
    second, created = reports.freeze(OCT, datetime.now(UTC), label="Rättelse")
    assert created and second.data["changes"]["from_revision"] == 1
    assert {"scope": "total", "office": None, "figure": "received", "before": 4, "after": 5} in \
        second.data["changes"]["figures"]
    db.session.refresh(first)
    assert "changes" not in first.data and first.data["total"]["received"] == 4  # never rewritten
    assert reports.stale_months(analyst, reports.snapshots(analyst)) == {}


def test_the_snapshots_page_compares_only_the_most_recent_published_months(october, make_user, monkeypatch):
    """Each month compared is one month's computation: the page checks a bounded number of them."""
    import importlib

    snapshot_module = importlib.import_module("caseflow.services.reports.snapshots")

    analyst = make_user("analyst")
    reports.freeze(OCT, datetime.now(UTC))
    reports.freeze(datetime(2026, 9, 1).date(), datetime.now(UTC))
    computed = []
    original = snapshot_module.compute
    monkeypatch.setattr(snapshot_module, "compute", lambda m, *a: computed.append(m) or original(m, *a))
    monkeypatch.setattr(snapshot_module, "STALE_CHECK_MONTHS", 1)
    assert reports.stale_months(analyst, reports.snapshots(analyst)) == {}
    assert computed == [OCT]  # the newest published month only
