"""The officer's working day: the queue marks what changed since the officer last looked and orders it up,
keeps cases without a running clock by their age, claims in one click; the case page after a reroute."""
import re
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from caseflow.extensions import db
from caseflow.models import Case
from caseflow.services import attachments as attachments_service
from caseflow.services import casework, finding, public
from tests.conftest import PASSWORD, login

NOW = datetime.now(UTC)


def _ids(rows):
    return [r.id for r in rows]


def test_a_company_answer_moves_the_case_up_and_marks_it_and_viewing_clears_the_mark(
        client, make_user, offices, submit):
    officer = make_user("officer", offices["samhallsbyggnad"])
    first, second, third = submit(), submit(), submit()
    for r in (first, second, third):
        casework.assign(officer, r.case_id, None, NOW - timedelta(hours=2))
        casework.record_view(officer, r.case_id, NOW - timedelta(hours=2))
    before = _ids(finding.queue_rows(officer))
    public.answer(third.token, "Här är ritningen ni bad om.", NOW - timedelta(hours=1))
    rows = finding.queue_rows(officer)
    assert rows[0].id == third.case_id and rows[0].answered == 1 and rows[0].changed == 1
    assert {r.id for r in rows[1:]} == set(before) - {third.case_id}
    assert not any(r.answered or r.new_file or r.reassigned for r in rows[1:])

    login(client, officer)
    page = client.get("/staff/").get_data(as_text=True)
    assert "Företaget har svarat" in page
    client.get(f"/staff/cases/{third.case_id}")  # looking at the case clears its mark
    row = {r.id: r for r in finding.queue_rows(officer)}[third.case_id]
    assert (row.answered, row.changed) == (0, 0)
    assert "Företaget har svarat" not in client.get("/staff/").get_data(as_text=True)


def test_a_new_file_from_the_company_and_a_reassignment_are_marked(client, make_user, offices, submit):
    office = offices["samhallsbyggnad"]
    officer, lead = make_user("officer", office), make_user("lead", office)
    filed, given = submit(), submit()
    casework.assign(officer, filed.case_id, None, NOW - timedelta(hours=3))
    casework.record_view(officer, filed.case_id, NOW - timedelta(hours=3))
    public.answer(filed.token, "Bifogar planen.", NOW - timedelta(hours=1),
                  [attachments_service.Upload("plan.pdf", b"%PDF-1.4 plan")])
    casework.assign(lead, given.case_id, officer.id, NOW - timedelta(minutes=30))
    rows = {r.id: r for r in finding.queue_rows(officer)}
    assert rows[filed.case_id].new_file == 1 and rows[filed.case_id].answered == 1
    assert rows[given.case_id].reassigned == 1
    # claiming a case oneself is no news to oneself
    own = submit()
    casework.assign(officer, own.case_id, None, NOW)
    assert {r.id: r for r in finding.queue_rows(officer)}[own.case_id].reassigned == 0
    login(client, officer)
    page = client.get("/staff/?lang=en").get_data(as_text=True)
    assert "New file" in page and "Assigned to you" in page


def test_a_colleagues_case_is_not_marked_for_another_officer(make_user, offices, submit):
    office = offices["samhallsbyggnad"]
    mine, theirs = make_user("officer", office), make_user("officer", office)
    r = submit()
    casework.assign(theirs, r.case_id, None, NOW - timedelta(hours=2))
    public.answer(r.token, "Svar.", NOW - timedelta(hours=1))
    assert {x.id: x for x in finding.queue_rows(mine)}[r.case_id].changed == 0
    assert {x.id: x for x in finding.queue_rows(theirs)}[r.case_id].changed == 1


def test_a_case_without_a_running_clock_is_ordered_by_its_age_not_buried(make_user, offices, submit):
    officer = make_user("officer", offices["samhallsbyggnad"])
    old = submit(when=NOW - timedelta(days=100))
    fresh = [submit() for _ in range(3)]
    # the old case waits on the company: no running clock
    casework.request_completion(officer, old.case_id, "Skicka ritningen.", NOW - timedelta(days=99))
    case = db.session.get(Case, old.case_id)
    assert case.next_due_at is None and all(db.session.get(Case, r.case_id).next_due_at for r in fresh)
    assert _ids(finding.queue_rows(officer))[0] == old.case_id
    # and a limit never cuts it off
    assert _ids(finding.queue_rows(officer, limit=2))[0] == old.case_id


def test_claim_in_one_click_from_the_queue_and_from_the_case_page(client, make_user, offices, submit):
    officer = make_user("officer", offices["samhallsbyggnad"], name="Anna Berg")
    a, b = submit(), submit()
    login(client, officer)
    page = client.get("/staff/").get_data(as_text=True)
    assert "Anna Berg" in page  # who is logged in, in the header
    assert f'formaction="/staff/cases/{a.case_id}/claim?back=queue"' in page
    resp = client.post(f"/staff/cases/{a.case_id}/claim?back=queue")
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/staff/")
    assert db.session.get(Case, a.case_id).assignee_id == officer.id
    case_page = client.get(f"/staff/cases/{b.case_id}").get_data(as_text=True)
    assert f'action="/staff/cases/{b.case_id}/claim"' in case_page
    resp = client.post(f"/staff/cases/{b.case_id}/claim")
    assert resp.headers["Location"].endswith(f"/staff/cases/{b.case_id}")
    db.session.expire_all()
    assert db.session.get(Case, b.case_id).assignee_id == officer.id
    # a claimed case offers no claim any more
    assert f'action="/staff/cases/{b.case_id}/claim"' not in client.get(f"/staff/cases/{b.case_id}").text


def csrf_client(app_config, user):
    """A client of an app that checks CSRF tokens, logged in as ``user``; and the session's token."""
    from caseflow import create_app

    app = create_app(dict(app_config, WTF_CSRF_ENABLED=True))
    client = app.test_client()
    with app.app_context():
        page = client.get("/staff/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
        assert client.post("/staff/login", data={"email": user.email, "password": PASSWORD,
                                                 "csrf_token": token}).status_code == 302
        page = client.get("/staff/").get_data(as_text=True)  # the signed-in session's token
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    return app, client, token


def test_claim_without_a_csrf_token_changes_nothing(app_config, make_user, offices, submit):
    officer = make_user("officer", offices["samhallsbyggnad"])
    r = submit()
    app, client, token = csrf_client(app_config, officer)
    with app.app_context():
        assert client.post(f"/staff/cases/{r.case_id}/claim").status_code == 400
    db.session.expire_all()
    assert db.session.get(Case, r.case_id).assignee_id is None
    with app.app_context():
        assert client.post(f"/staff/cases/{r.case_id}/claim", data={"csrf_token": token}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Case, r.case_id).assignee_id == officer.id


def test_after_a_reroute_the_officer_lands_on_the_queue_told_where_the_case_went(client, make_user, offices, submit):
    officer = make_user("officer", offices["samhallsbyggnad"])
    r = submit()
    login(client, officer)
    resp = client.post(f"/staff/cases/{r.case_id}/reroute",
                       data={"reroute-office_id": str(offices["miljo"].id), "reroute-reason": "Gäller livsmedel"},
                       follow_redirects=True)
    page = resp.get_data(as_text=True)
    assert resp.request.path == "/staff/"
    assert f"{r.reference} skickades till Miljö- och hälsoskydd" in page
    # the old address explains where the case went: the reference and the office, nothing of the case itself
    old = client.get(f"/staff/cases/{r.case_id}")
    text = old.get_data(as_text=True)
    assert old.status_code == 410
    assert r.reference in text and "Miljö- och hälsoskydd" in text
    case = db.session.get(Case, r.case_id)
    for secret in (case.subject, case.description, case.company_name, case.contact_name, case.contact_email,
                   "Gäller livsmedel", "Kvittomejlet"):
        assert secret not in text
    assert "kvittomejlet" not in text.lower()


def test_an_office_that_never_held_the_case_learns_nothing_from_its_address(client, make_user, offices, submit):
    holder, stranger = make_user("officer", offices["samhallsbyggnad"]), make_user("officer", offices["naringsliv"])
    r = submit()
    casework.reroute(holder, r.case_id, offices["miljo"].id, "Gäller livsmedel", NOW)
    login(client, stranger)
    resp = client.get(f"/staff/cases/{r.case_id}")
    text = resp.get_data(as_text=True)
    assert resp.status_code == 404
    assert r.reference not in text and "Miljö" not in text


def test_the_timeline_filter_shows_messages_only_without_javascript(client, make_user, offices, submit):
    officer = make_user("officer", offices["samhallsbyggnad"])
    r = submit()
    casework.assign(officer, r.case_id, None, NOW)
    casework.reply(officer, r.case_id, "Vi tittar på det.", NOW)
    casework.add_note(officer, r.case_id, "Ring kontoret först.", NOW)
    login(client, officer)
    everything = client.get(f"/staff/cases/{r.case_id}").get_data(as_text=True)
    messages = client.get(f"/staff/cases/{r.case_id}?tl=messages").get_data(as_text=True)
    assert 'class="tl tl-assigned' in everything and 'class="tl tl-assigned' not in messages
    assert "Vi tittar på det." in messages and "Ring kontoret först." in messages
    assert "Intern anteckning – syns inte för företaget" in messages


def test_the_internal_note_reply_and_system_event_look_different(client, make_user, offices, submit):
    officer = make_user("officer", offices["samhallsbyggnad"])
    r = submit()
    casework.reply(officer, r.case_id, "Publikt svar.", NOW)
    casework.add_note(officer, r.case_id, "Hemlig notering.", NOW)
    login(client, officer)
    html = client.get(f"/staff/cases/{r.case_id}?lang=en").get_data(as_text=True)
    note = re.search(r'<li class="tl tl-internal_note[^"]*"', html).group(0)
    reply = re.search(r'<li class="tl tl-public_reply[^"]*"', html).group(0)
    received = re.search(r'<li class="tl tl-received[^"]*"', html).group(0)
    assert "tl-internal" in note and "tl-public" in reply and "tl-system" in received
    assert "Internal note – not visible to the company" in html


def test_closing_after_a_decision_does_not_ask_for_the_outcome_again(client, make_user, offices, submit):
    officer = make_user("officer", offices["samhallsbyggnad"])
    r = submit()
    casework.decide(officer, r.case_id, "granted", "Beviljas.", NOW)
    login(client, officer)
    page = client.get(f"/staff/cases/{r.case_id}").get_data(as_text=True)
    close_form = re.search(r'id="act-close".*?</form>', page, flags=re.S).group(0)
    assert "close-outcome" not in close_form
    resp = client.post(f"/staff/cases/{r.case_id}/close", data={"close-comment": ""})
    assert resp.status_code == 302
    case = db.session.get(Case, r.case_id)
    db.session.refresh(case)
    assert case.status == "closed" and case.outcome == "granted"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Case).where(Case.status == "closed")) == 1


def test_a_changed_case_comes_first_even_when_its_deadline_is_beyond_the_first_page(make_user, offices, submit):
    """The changed cases are read on their own (the user's cases; the unassigned ones a company wrote on), not only
    among the first page by due instant: a page of two still shows the case changed last, whose clock is due last."""
    officer = make_user("officer", offices["samhallsbyggnad"])
    for _ in range(3):
        submit(when=NOW - timedelta(hours=5))  # due earlier, never changed
    unassigned, mine = submit(when=NOW - timedelta(hours=1)), submit(when=NOW - timedelta(hours=1))
    casework.assign(officer, mine.case_id, None, NOW - timedelta(minutes=50))
    casework.record_view(officer, mine.case_id, NOW - timedelta(minutes=50))
    public.answer(unassigned.token, "Här är ritningen.", NOW - timedelta(minutes=20))
    public.answer(mine.token, "Och här är planen.", NOW - timedelta(minutes=10))
    rows = finding.queue_rows(officer, limit=2)
    assert {r.id for r in rows} == {unassigned.case_id, mine.case_id}
    assert all(r.answered == 1 and r.changed == 1 for r in rows)
