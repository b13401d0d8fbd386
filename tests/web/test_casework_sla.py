"""The officer's SLA-related actions and the company's answer, through the pages."""
import re

import sqlalchemy as sa

from caseflow.extensions import db
from caseflow.models import Case, SlaClock
from tests.conftest import login


def test_case_page_shows_every_clock_with_time_left(client, make_user, offices, submit):
    r = submit("bygglov")
    login(client, make_user("officer", offices["samhallsbyggnad"]))
    html = client.get(f"/staff/cases/{r.case_id}").get_data(as_text=True)
    assert "Första svar" in html and "Lagstadgad tidsfrist (PBL 9:27)" in html
    # each clock in its own terms: the first response in working days, the statutory 10 weeks in calendar days
    assert "2 arbetsdagar kvar" in html and int(re.search(r">(\d+) dagar kvar<", html).group(1)) >= 70
    assert "Förläng handläggningstiden (PBL 9:27)" in html


def test_completion_request_then_company_answer_resumes_the_case(client, make_user, offices, submit):
    r = submit()
    login(client, make_user("officer", offices["samhallsbyggnad"]))
    resp = client.post(f"/staff/cases/{r.case_id}/completion", data={"completion-body": "Skicka en skiss."})
    assert resp.status_code == 302
    page = client.get(f"/track/{r.token}").get_data(as_text=True)
    assert "Vi väntar på ditt svar" in page and "Skicka en skiss." in page
    resp = client.post(f"/track/{r.token}", data={"body": "Skiss bifogad i texten."})
    assert resp.status_code == 302
    case = db.session.get(Case, r.case_id)
    assert case.status == "in_progress"
    res = db.session.scalar(sa.select(SlaClock).where(SlaClock.case_id == r.case_id, SlaClock.name == "resolution"))
    assert res.paused_since is None and len(res.pauses) == 1


def test_empty_company_answer_keeps_the_page_with_a_message(client, submit):
    r = submit()
    resp = client.post(f"/track/{r.token}", data={"body": ""})
    assert resp.status_code == 422 and "Skriv ditt svar" in resp.get_data(as_text=True)


def test_company_cannot_answer_with_a_wrong_token(client, submit):
    submit()
    assert client.post("/track/" + "0" * 48, data={"body": "hej"}).status_code == 404


def test_decision_then_reopen_through_the_case_page(client, make_user, offices, submit):
    r = submit()
    login(client, make_user("officer", offices["samhallsbyggnad"]))
    resp = client.post(f"/staff/cases/{r.case_id}/decide",
                       data={"decide-outcome": "granted", "decide-text": "Markupplåtelse beviljas maj–augusti."})
    assert resp.status_code == 302
    case = db.session.get(Case, r.case_id)
    assert case.status == "decided" and case.decided_at is not None
    assert "beviljas maj–augusti" in client.get(f"/track/{r.token}").get_data(as_text=True)
    client.post(f"/staff/cases/{r.case_id}/close", data={"close-outcome": "granted"})
    resp = client.post(f"/staff/cases/{r.case_id}/reopen", data={"reopen-reason": "Företaget vill ändra datum."})
    assert resp.status_code == 302
    db.session.expire_all()
    assert db.session.get(Case, r.case_id).status == "in_progress"


def test_decide_without_text_keeps_the_chosen_outcome(client, make_user, offices, submit):
    r = submit()
    login(client, make_user("officer", offices["samhallsbyggnad"]))
    resp = client.post(f"/staff/cases/{r.case_id}/decide", data={"decide-outcome": "rejected", "decide-text": ""})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert re.search(r'<option selected value="rejected">', html)


def test_delay_notice_and_fl12_request_from_the_case_page(client, make_user, offices, submit):
    r = submit()
    login(client, make_user("officer", offices["samhallsbyggnad"]))
    assert client.post(f"/staff/cases/{r.case_id}/delay",
                       data={"delay-reason": "Vi väntar på remissvar."}).status_code == 302
    assert client.post(f"/staff/cases/{r.case_id}/fl12", data={"fl12-requested_on": "2026-11-20"}).status_code == 302
    html = client.get(f"/staff/cases/{r.case_id}").get_data(as_text=True)
    assert "Förseningsbesked skickat (FL 11 §)" in html and "Avgör efter begäran (FL 12 §)" in html


def test_bad_extension_weeks_get_a_message(client, make_user, offices, submit):
    r = submit("bygglov")
    login(client, make_user("officer", offices["samhallsbyggnad"]))
    resp = client.post(f"/staff/cases/{r.case_id}/extend", data={"extend-weeks": "12", "extend-reason": "x"})
    assert resp.status_code == 422 and "Mellan 1 och 10 veckor" in resp.get_data(as_text=True)


def test_queue_breached_filter_page(client, make_user, offices, submit):
    from datetime import UTC, datetime, timedelta

    late = submit(when=datetime.now(UTC) - timedelta(days=20))
    fresh = submit()
    login(client, make_user("officer", offices["samhallsbyggnad"]))
    html = client.get("/staff/?f=breached").get_data(as_text=True)
    assert late.reference in html and fresh.reference not in html and "Försenat" in html


def test_after_rerouting_the_officer_lands_on_the_queue_not_a_dead_end(client, make_user, offices, submit):
    r = submit()
    login(client, make_user("officer", offices["samhallsbyggnad"]))
    resp = client.post(f"/staff/cases/{r.case_id}/reroute",
                       data={"reroute-office_id": str(offices["miljo"].id), "reroute-reason": "Gäller buller"})
    assert resp.status_code == 302 and resp.headers["Location"] == "/staff/"
    queue = client.get("/staff/").get_data(as_text=True)
    assert f"{r.reference} skickades till {offices['miljo'].name}" in queue
