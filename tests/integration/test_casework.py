"""Casework services on the real database: transitions, assignment, rerouting, links, bulk, search."""
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from caseflow.extensions import db
from caseflow.models import Case, CaseEvent, RoutingRule
from caseflow.services import casework, finding
from caseflow.services.errors import Conflict, InvalidInput, NotFound

NOW = datetime(2026, 11, 24, 10, tzinfo=UTC)


@pytest.fixture
def sbk(offices, make_user):
    return make_user("officer", offices["samhallsbyggnad"], name="Sara SBK"), \
        make_user("officer", offices["samhallsbyggnad"], name="Olle SBK")


def events(case_id, kind):
    return db.session.scalars(sa.select(CaseEvent).where(CaseEvent.case_id == case_id, CaseEvent.kind == kind)).all()


@pytest.mark.parametrize("status,action,allowed", [
    ("new", "reply", True), ("awaiting_customer", "request_completion", False), ("closed", "decide", False),
    ("decided", "close", True), ("closed", "reopen", True), ("in_progress", "reopen", False),
])
def test_every_transition_is_allowed_or_refused_explicitly(submit, sbk, status, action, allowed):
    r = submit(when=NOW)
    db.session.get(Case, r.case_id).status = status
    db.session.commit()
    calls = {
        "reply": lambda: casework.reply(sbk[0], r.case_id, "Hej", NOW),
        "request_completion": lambda: casework.request_completion(sbk[0], r.case_id, "Mer", NOW),
        "decide": lambda: casework.decide(sbk[0], r.case_id, "granted", "Ja", NOW),
        "close": lambda: casework.close(sbk[0], r.case_id, "answered", NOW),
        "reopen": lambda: casework.reopen(sbk[0], r.case_id, "Fel stängt", NOW),
    }
    if allowed:
        calls[action]()
    else:
        with pytest.raises(Conflict):
            calls[action]()
        assert db.session.get(Case, r.case_id).status == status  # never a silent change


def test_claim_and_reassign_within_the_office_are_registered(submit, sbk):
    sara, olle = sbk
    r = submit(when=NOW)
    casework.assign(sara, r.case_id, None, NOW)
    assert db.session.get(Case, r.case_id).assignee_id == sara.id
    casework.assign(sara, r.case_id, olle.id, NOW + timedelta(minutes=5))
    case = db.session.get(Case, r.case_id)
    assert case.assignee_id == olle.id and case.status == "assigned"
    assert [e.data["how"] for e in events(r.case_id, "assigned")] == ["claim", "assign"]


def test_assigning_to_someone_in_another_office_is_refused(submit, sbk, make_user, offices):
    stranger = make_user("officer", offices["miljo"])
    r = submit(when=NOW)
    with pytest.raises(InvalidInput):
        casework.assign(sbk[0], r.case_id, stranger.id, NOW)


def test_reroute_requires_a_reason_moves_the_case_and_counts_a_miss_for_the_sender(submit, sbk, offices, make_user):
    r = submit(when=NOW)
    with pytest.raises(InvalidInput):
        casework.reroute(sbk[0], r.case_id, offices["miljo"].id, "  ", NOW)
    casework.reroute(sbk[0], r.case_id, offices["miljo"].id, "Gäller buller, inte markupplåtelse", NOW)
    case = db.session.get(Case, r.case_id)
    assert case.office_id == offices["miljo"].id and case.assignee_id is None
    [ev] = events(r.case_id, "rerouted")
    assert ev.office_id == offices["samhallsbyggnad"].id  # the miss belongs to the office that sent it on
    with pytest.raises(NotFound):  # and it left the sender's reach
        casework.get_case(sbk[0], r.case_id)
    miljo = make_user("officer", offices["miljo"])
    assert r.case_id in {c.id for c in finding.queue(miljo)}


def test_marking_a_duplicate_closes_it_and_keeps_both_histories(submit, sbk):
    original, dup = submit(when=NOW), submit(when=NOW + timedelta(hours=1))
    casework.link(sbk[0], dup.case_id, original.reference, "duplicate_of", NOW + timedelta(hours=2))
    d = db.session.get(Case, dup.case_id)
    assert d.status == "closed" and d.outcome == "duplicate"
    assert events(original.case_id, "linked")[0].data["kind"] == "duplicate"
    assert events(dup.case_id, "received")  # history intact
    links = casework.links_of(sbk[0], db.session.get(Case, original.case_id))
    assert [(k, c.reference) for k, c in links] == [("duplicate", dup.reference)]


def test_linking_to_an_unknown_or_same_case_is_refused(submit, sbk):
    r = submit(when=NOW)
    with pytest.raises(InvalidInput):
        casework.link(sbk[0], r.case_id, "CF-2026-99999", "related", NOW)
    with pytest.raises(InvalidInput):
        casework.link(sbk[0], r.case_id, r.reference, "related", NOW)


def test_bulk_close_skips_cases_not_allowed_and_does_the_rest(submit, sbk):
    a, b = submit(when=NOW), submit(when=NOW)
    other = submit("livsmedel", when=NOW)  # another office
    casework.close(sbk[0], b.case_id, "answered", NOW)
    res = casework.bulk(sbk[0], [a.case_id, b.case_id, other.case_id], "close", NOW, outcome="no_action")
    assert res.done == [a.reference] and b.reference in res.skipped and len(res.skipped) == 2
    assert db.session.get(Case, other.case_id).status == "new"


def test_search_by_reference_org_number_and_text(submit, sbk):
    a = submit(when=NOW, subject="Uteservering vid Strömparken")
    b = submit(when=NOW, org_number="212000-0142", company_name="Regionen")
    officer = sbk[0]
    assert [c.id for c in finding.search(officer, finding.Search(text=a.reference.lower())).cases] == [a.case_id]
    assert [c.id for c in finding.search(officer, finding.Search(text="2120000142")).cases] == [b.case_id]
    assert [c.id for c in finding.search(officer, finding.Search(text="strömparken")).cases] == [a.case_id]


def test_keyset_pagination_visits_every_case_once_in_order(submit, sbk):
    refs = [submit(when=NOW - timedelta(hours=i)).reference for i in range(13)]
    seen, cursor = [], None
    while True:
        page = finding.search(sbk[0], finding.Search(), cursor=cursor, limit=5)
        seen += [c.reference for c in page.cases]
        cursor = page.next_cursor
        if cursor is None:
            break
    assert seen == refs  # newest first, no duplicates, none missing


def test_search_filters_by_age_status_and_assignee(submit, sbk):
    old = submit(when=NOW - timedelta(days=40))
    new = submit(when=NOW)
    casework.assign(sbk[0], new.case_id, None, NOW)
    ids = lambda **kw: {c.id for c in finding.search(sbk[0], finding.Search(**kw), now=NOW).cases}  # noqa: E731
    assert ids(older_than_days=30) == {old.case_id}
    assert ids(assignee_id=sbk[0].id) == {new.case_id}
    assert ids(status="assigned") == {new.case_id}


def test_officers_never_find_other_offices_cases(submit, sbk):
    submit("livsmedel", when=NOW, subject="Hemligt för SBK")
    assert finding.search(sbk[0], finding.Search(text="Hemligt")).cases == []


def test_lead_overview_counts_per_officer(submit, sbk, make_user, offices):
    lead = make_user("lead", offices["samhallsbyggnad"])
    a, b, _unassigned = submit(when=NOW - timedelta(days=30)), submit(when=NOW), submit(when=NOW)
    casework.assign(sbk[0], a.case_id, None, NOW)
    casework.assign(sbk[0], b.case_id, None, NOW)
    ov = finding.lead_overview(lead, now=NOW)
    load = {x.user.id: (x.open, x.breached) for x in ov.load}
    assert load[sbk[0].id] == (2, 1) and load[sbk[1].id] == (0, 0)
    assert ov.unassigned == 1 and ov.oldest[0].id == a.case_id


def test_round_robin_and_least_open_assignment_at_intake(submit, sbk, category):
    rule = db.session.scalar(sa.select(RoutingRule).where(RoutingRule.category_id == category("markupplatelse").id))
    rule.assign_strategy = "round_robin"
    db.session.commit()
    got = [db.session.get(Case, submit(when=NOW).case_id).assignee_id for _ in range(4)]
    assert got == [sbk[0].id, sbk[1].id, sbk[0].id, sbk[1].id]
    rule.assign_strategy = "least_open"
    db.session.commit()
    casework.close(sbk[0], db.session.scalars(sa.select(Case.id).where(Case.assignee_id == sbk[0].id)).first(),
                   "answered", NOW)
    assert db.session.get(Case, submit(when=NOW).case_id).assignee_id == sbk[0].id  # 1 open vs 2


def test_keyword_rule_routes_before_category_rules(submit, offices, category):
    db.session.add(RoutingRule(position=1, name="Buller", office_id=offices["miljo"].id, keywords="buller,oljud"))
    db.session.commit()
    r = submit(when=NOW, description="Det är mycket BULLER från bygget")
    case = db.session.get(Case, r.case_id)
    assert case.office.code == "miljo" and case.route_reason == "rule"


def test_unrouted_case_goes_to_the_entry_office(submit, offices, category):
    db.session.execute(sa.update(RoutingRule).values(active=False))
    cat = category("markupplatelse")
    cat.default_office_id = None
    db.session.commit()
    case = db.session.get(Case, submit(when=NOW).case_id)
    assert case.office.code == "naringsliv" and case.route_reason == "fallback"
