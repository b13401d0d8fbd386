"""Bulk actions show what will happen to which cases, and what the companies will receive, before anything
happens; the confirmation acts on the previewed cases only."""
import re

import sqlalchemy as sa

from caseflow.extensions import db
from caseflow.models import Case, CaseEvent, Outbox
from tests.conftest import login


def _signed(html: str) -> str:
    return re.search(r'name="token" type="hidden" value="([^"]+)"', html).group(1)


def _counts():
    db.session.expire_all()
    return (db.session.scalar(sa.select(sa.func.count()).select_from(CaseEvent)),
            db.session.scalar(sa.select(sa.func.count()).select_from(Outbox)))


def test_a_bulk_close_shows_the_cases_and_the_mail_and_changes_nothing_until_confirmed(
        client, make_user, offices, submit):
    officer = make_user("officer", offices["samhallsbyggnad"])
    a = submit(company_name="Kanalkaféet AB")
    b = submit(company_name="Bryggeriet AB", contact_email="info@bryggeriet.se")
    login(client, officer)
    before = _counts()
    resp = client.post("/staff/bulk", data={"ids": [str(a.case_id), str(b.case_id)], "action": "close_answered"})
    page = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert _counts() == before  # nothing changed, nothing staged for sending
    assert "Kontrollera innan något händer" in page and "Inget har ändrats ännu" in page
    assert a.reference in page and b.reference in page and "Bryggeriet AB" in page
    # the mail each company would receive, rendered from the very change
    assert "till info@bryggeriet.se" in page
    assert f"Ditt ärende {b.reference} är nu avslutat." in page
    assert "/track/…" in page  # the company's private link is not shown to staff
    assert db.session.get(Case, a.case_id).status == "new"

    resp = client.post("/staff/bulk/confirm", data={"token": _signed(page)})
    assert resp.status_code == 302
    db.session.expire_all()
    assert {db.session.get(Case, i).status for i in (a.case_id, b.case_id)} == {"closed"}
    assert db.session.get(Case, a.case_id).outcome == "answered"


def test_a_changed_selection_between_preview_and_confirm_does_not_act_on_unpreviewed_cases(
        client, make_user, offices, submit):
    officer = make_user("officer", offices["samhallsbyggnad"])
    previewed, sneaked = submit(), submit()
    login(client, officer)
    page = client.post("/staff/bulk", data={"ids": str(previewed.case_id), "action": "close_no_action"}).text
    # the confirmation is posted with another selection (and another action) than the preview's
    resp = client.post("/staff/bulk/confirm", data={"token": _signed(page), "ids": [str(sneaked.case_id)],
                                                    "action": "claim"})
    assert resp.status_code == 302
    db.session.expire_all()
    assert db.session.get(Case, previewed.case_id).outcome == "no_action"
    untouched = db.session.get(Case, sneaked.case_id)
    assert untouched.status == "new" and untouched.assignee_id is None


def test_a_forged_or_foreign_preview_token_acts_on_nothing(client, make_user, offices, submit):
    office = offices["samhallsbyggnad"]
    officer, colleague = make_user("officer", office), make_user("officer", office)
    r = submit()
    login(client, colleague)
    page = client.post("/staff/bulk", data={"ids": str(r.case_id), "action": "close_answered"}).text
    token = _signed(page)
    client.post("/staff/logout")
    login(client, officer)
    assert client.post("/staff/bulk/confirm", data={"token": token}).status_code == 400  # another person's preview
    assert client.post("/staff/bulk/confirm", data={"token": token[:-2] + "xx"}).status_code == 400
    db.session.expire_all()
    assert db.session.get(Case, r.case_id).status == "new"


def test_a_bulk_claim_preview_says_no_mail_goes_out_and_skips_what_is_not_possible(client, make_user, offices, submit):
    officer = make_user("officer", offices["samhallsbyggnad"])
    open_, closed = submit(), submit()
    from datetime import UTC, datetime

    from caseflow.services import casework
    casework.close(officer, closed.case_id, "answered", datetime.now(UTC))
    login(client, officer)
    page = client.post("/staff/bulk?lang=en", data={"ids": [str(open_.case_id), str(closed.case_id)],
                                                    "action": "claim"}).text
    assert "no mail to the company" in page
    assert "Skipped: not possible in the case's current status" in page
    assert "1 of the 2 chosen cases" in page
