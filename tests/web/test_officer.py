"""The officer's side: login, queue isolation, reply, internal note, close."""
import re

import sqlalchemy as sa

from caseflow.extensions import db
from caseflow.models import Case, CaseEvent, Message, Outbox
from tests.conftest import login


def _track_path(client_or_html):
    return re.search(r"/track/[0-9a-f]{48}", client_or_html).group(0)


def test_login_with_wrong_password_shows_a_message_and_keeps_email(client, make_user, offices):
    officer = make_user("officer", offices["miljo"])
    resp = login(client, officer, password="wrong")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422 and "Fel e-post eller lösenord" in html
    assert officer.email in html


def test_queue_requires_login(client, offices):
    resp = client.get("/staff/")
    assert resp.status_code == 302 and "/staff/login" in resp.headers["Location"]


def test_login_next_parameter_cannot_redirect_off_site(client, make_user, offices):
    officer = make_user("officer", offices["miljo"])
    resp = client.post("/staff/login?next=//evil.example/x",
                       data={"email": officer.email, "password": "correct horse battery"})
    assert resp.headers["Location"] == "/staff/"


def test_queue_shows_only_the_officers_own_office(client, make_user, offices, submit):
    mine = submit("markupplatelse", subject="Ärende för samhällsbyggnad")
    other = submit("livsmedel", subject="Ärende för miljö")
    login(client, make_user("officer", offices["samhallsbyggnad"]))
    html = client.get("/staff/").get_data(as_text=True)
    assert mine.reference in html and other.reference not in html


def test_a_queue_row_shows_office_case_company_area_and_assignee(client, make_user, offices, submit):
    from datetime import UTC, datetime

    from caseflow.services import casework

    claimed, waiting = submit(company_name="Kaffe & Co AB"), submit()
    officer = make_user("officer", offices["samhallsbyggnad"], name="Sara <Handläggare>")
    casework.assign(officer, claimed.case_id, officer.id, datetime.now(UTC))
    login(client, officer)
    html = client.get("/staff/").get_data(as_text=True)
    row = html[html.index(f'id="ref-{claimed.case_id}"'):]
    row = row[:row.index("</tr>")]
    assert "Samhällsbyggnadskontoret" in html  # the officer's office in the heading
    assert "Kaffe &amp; Co AB" in row and "556036-0793" in row and "Sara &lt;Handläggare&gt;" in row
    assert "Markupplåtelse" in row
    other = html[html.index(f'id="ref-{waiting.case_id}"'):]
    assert "Ingen" in other[:other.index("</tr>")]  # nobody assigned


def test_another_offices_case_is_404_by_url_for_reading_and_acting(client, make_user, offices, submit):
    other = submit("livsmedel")
    login(client, make_user("officer", offices["samhallsbyggnad"]))
    assert client.get(f"/staff/cases/{other.case_id}").status_code == 404
    assert client.post(f"/staff/cases/{other.case_id}/reply", data={"reply-body": "hej"}).status_code == 404
    assert client.post(f"/staff/cases/{other.case_id}/note", data={"note-body": "hej"}).status_code == 404
    assert client.post(f"/staff/cases/{other.case_id}/close", data={"close-outcome": "answered"}).status_code == 404
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Message)) == 0
    assert db.session.get(Case, other.case_id).status == "new"


def test_queue_is_sorted_by_nearest_due_instant(client, make_user, offices, submit):
    from datetime import UTC, datetime

    later = submit(when=datetime(2026, 11, 26, 9, tzinfo=UTC))
    sooner = submit(when=datetime(2026, 11, 23, 9, tzinfo=UTC))
    urgent = submit(when=datetime(2026, 11, 26, 9, tzinfo=UTC), priority="high")
    login(client, make_user("officer", offices["samhallsbyggnad"]))
    html = client.get("/staff/").get_data(as_text=True)
    order = [html.index(r.reference) for r in (sooner, urgent, later)]
    assert order == sorted(order)


def test_reply_records_first_response_and_the_company_sees_it(client, make_user, offices, submit):
    receipt = submit()
    officer = make_user("officer", offices["samhallsbyggnad"], name="Sara Handläggare")
    login(client, officer)
    resp = client.post(f"/staff/cases/{receipt.case_id}/reply", data={"reply-body": "Välkommen, vi tittar på det."})
    assert resp.status_code == 302
    case = db.session.get(Case, receipt.case_id)
    assert case.first_response_at is not None and case.status == "in_progress"
    assert case.assignee_id == officer.id  # replying claims an unassigned case
    kinds = db.session.scalars(sa.select(CaseEvent.kind).where(CaseEvent.case_id == case.id,
                                                               CaseEvent.kind.not_like("clock%"))
                               .order_by(CaseEvent.id)).all()
    assert kinds == ["received", "routed", "public_reply", "first_response", "assigned"]
    stopped = db.session.scalars(sa.select(CaseEvent).where(CaseEvent.kind == "clock_stopped")).all()
    assert [(e.data["clock"], e.data["in_time"]) for e in stopped] == [("first_response", True)]
    mail = db.session.scalar(sa.select(Outbox).where(Outbox.payload["template"].as_string() == "reply"))
    assert mail is not None and "Välkommen, vi tittar på det." in mail.result["text"]
    page = client.get(f"/track/{receipt.token}").get_data(as_text=True)
    assert "Välkommen, vi tittar på det." in page


def test_second_reply_does_not_move_the_first_response(client, make_user, offices, submit):
    receipt = submit()
    login(client, make_user("officer", offices["samhallsbyggnad"]))
    client.post(f"/staff/cases/{receipt.case_id}/reply", data={"reply-body": "ett"})
    first = db.session.get(Case, receipt.case_id).first_response_at
    client.post(f"/staff/cases/{receipt.case_id}/reply", data={"reply-body": "två"})
    db.session.expire_all()
    assert db.session.get(Case, receipt.case_id).first_response_at == first


def test_internal_note_is_on_the_timeline_but_never_shown_to_the_company(client, make_user, offices, submit):
    receipt = submit()
    login(client, make_user("officer", offices["samhallsbyggnad"]))
    client.post(f"/staff/cases/{receipt.case_id}/note", data={"note-body": "Hemligt: ring chefen först"})
    assert "Hemligt: ring chefen först" in client.get(f"/staff/cases/{receipt.case_id}").get_data(as_text=True)
    assert "Hemligt" not in client.get(f"/track/{receipt.token}").get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Outbox)
                             .where(Outbox.payload["template"].as_string().not_in(["receipt", "new_case"]))) == 0
    assert db.session.get(Case, receipt.case_id).first_response_at is None  # a note is not a response


def test_empty_reply_is_refused_with_a_message(client, make_user, offices, submit):
    receipt = submit()
    login(client, make_user("officer", offices["samhallsbyggnad"]))
    resp = client.post(f"/staff/cases/{receipt.case_id}/reply", data={"reply-body": "  "})
    assert resp.status_code == 422 and "Skriv något först" in resp.get_data(as_text=True)


def test_close_with_outcome_tells_the_company_and_leaves_the_queue(client, make_user, offices, submit):
    receipt = submit()
    login(client, make_user("officer", offices["samhallsbyggnad"]))
    resp = client.post(f"/staff/cases/{receipt.case_id}/close",
                       data={"close-outcome": "granted", "close-comment": "Tillstånd beviljat."})
    assert resp.status_code == 302
    case = db.session.get(Case, receipt.case_id)
    assert case.status == "closed" and case.outcome == "granted" and case.closed_at is not None
    assert case.next_due_at is None
    assert receipt.reference not in client.get("/staff/").get_data(as_text=True)
    page = client.get(f"/track/{receipt.token}").get_data(as_text=True)
    assert "Avslutat" in page and "Beviljat" in page and "Tillstånd beviljat." in page
    closed_mail = db.session.scalar(sa.select(Outbox).where(Outbox.payload["template"].as_string() == "closed"))
    assert closed_mail.status == "sent"


def test_closing_twice_is_refused_without_change(client, make_user, offices, submit):
    receipt = submit()
    login(client, make_user("officer", offices["samhallsbyggnad"]))
    client.post(f"/staff/cases/{receipt.case_id}/close", data={"close-outcome": "answered"})
    resp = client.post(f"/staff/cases/{receipt.case_id}/close", data={"close-outcome": "rejected"})
    assert resp.status_code == 422
    assert db.session.get(Case, receipt.case_id).outcome == "answered"


def test_close_without_outcome_is_refused(client, make_user, offices, submit):
    receipt = submit()
    login(client, make_user("officer", offices["samhallsbyggnad"]))
    resp = client.post(f"/staff/cases/{receipt.case_id}/close", data={"close-outcome": ""})
    assert resp.status_code == 422 and "Välj ett utfall" in resp.get_data(as_text=True)


def test_logout_requires_post_and_ends_the_session(client, make_user, offices):
    login(client, make_user("officer", offices["miljo"]))
    assert client.get("/staff/logout").status_code == 405
    client.post("/staff/logout")
    assert client.get("/staff/").status_code == 302
