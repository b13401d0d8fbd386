"""The company's side: accounts, "resend my links", complaints about an earlier case."""
import re

import sqlalchemy as sa

from caseflow.extensions import db
from caseflow.models import CaseLink, CompanyAccount, Outbox
from tests.conftest import VALID_FORM


def last_mail(template):
    db.session.expire_all()
    row = db.session.scalars(sa.select(Outbox).where(Outbox.payload["template"].as_string() == template)
                             .order_by(Outbox.id.desc())).first()
    return row


LONG_PASSWORD = "ett långt lösenord"


def register(client, email="anna@kanalkafeet.se"):
    return client.post("/account/register", data={"name": "Anna", "email": email, "password": LONG_PASSWORD,
                                                   "confirm": LONG_PASSWORD})


def confirm(client, password=LONG_PASSWORD):
    """Follow the newest confirmation link and give the account's password there (the link alone confirms
    nothing: tests/web/test_account_verification.py)."""
    link = re.search(r"/account/verify/\S+", last_mail("verify_account").result["text"]).group(0)
    assert client.get(link).status_code == 200
    return client.post(link, data={"password": password})


def test_register_verify_and_see_the_companys_earlier_cases(client, submit):
    earlier = submit()  # contact anna@kanalkafeet.se
    resp = register(client)
    assert resp.status_code == 200 and "Kontrollera din e-post" in resp.get_data(as_text=True)
    assert client.post("/account/login", data={"email": "anna@kanalkafeet.se", "password": "ett långt lösenord"}) \
        .status_code == 422  # not verified yet
    assert confirm(client).status_code == 302
    home = client.get("/account/").get_data(as_text=True)
    assert earlier.reference in home and "Kanalkaféet AB" in home


def test_case_filed_while_logged_in_is_linked_and_listed(client, category, submit):
    register(client, "ny@foretaget.se")
    assert confirm(client).status_code == 302
    data = dict(VALID_FORM, contact_email="ny@foretaget.se", org_number="212000-0142", company_name="Regionbolaget",
                category_id=str(category("livsmedel").id))
    assert client.post("/submit", data=data).status_code == 302
    ref = re.search(r"CF-\d{4}-\d{5}", client.get("/receipt").get_data(as_text=True)).group(0)
    assert ref in client.get("/account/").get_data(as_text=True)


def test_account_never_sees_another_companys_cases(client, submit):
    other = submit(org_number="212000-0142", contact_email="someone@else.se")
    register(client)
    assert confirm(client).status_code == 302
    assert other.reference not in client.get("/account/").get_data(as_text=True)
    client.post("/account/companies", data={"org_number": "212000-0142"})  # naming a number proves nothing
    assert other.reference not in client.get("/account/").get_data(as_text=True)


def test_registering_an_existing_address_reveals_nothing(client):
    register(client)
    confirm(client)
    resp = register(client)
    assert "Kontrollera din e-post" in resp.get_data(as_text=True)
    assert last_mail("account_exists") is not None
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CompanyAccount)) == 1


def test_password_reset_link_works_once(client):
    register(client)
    assert confirm(client).status_code == 302
    client.post("/account/logout")
    client.post("/account/reset", data={"email": "anna@kanalkafeet.se"})
    link = re.search(r"/account/reset/\S+", last_mail("reset_password").result["text"]).group(0)
    assert client.post(link, data={"password": "ett nytt långt lösenord", "confirm": "ett nytt långt lösenord"}) \
        .status_code == 302
    again = client.post(link, data={"password": "ett tredje lösenord!", "confirm": "ett tredje lösenord!"})
    assert again.status_code == 400 and "Länken fungerar inte" in again.get_data(as_text=True)


def test_mismatched_passwords_keep_the_form(client):
    resp = client.post("/account/register", data={"name": "Anna", "email": "a@b.se", "password": "ett långt lösenord",
                                                   "confirm": "något annat"})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422 and 'value="a@b.se"' in html
    assert "Lösenorden är inte likadana – skriv samma lösenord två gånger" in html


def test_resend_links_mails_the_links_for_that_address_only(client, submit):
    mine, theirs = submit(), submit(contact_email="annan@foretag.se")
    resp = client.post("/links", data={"email": "ANNA@kanalkafeet.se"})
    assert resp.status_code == 302
    text = last_mail("your_links").result["text"]
    assert f"/track/{mine.token}" in text and theirs.token not in text


def test_resend_links_for_unknown_address_answers_the_same_and_sends_nothing(client, submit):
    submit()
    resp = client.post("/links", data={"email": "okand@example.se"}, follow_redirects=True)
    assert "Om vi har ärenden" in resp.get_data(as_text=True)
    assert last_mail("your_links") is None


def test_complaint_can_point_to_an_earlier_case_of_the_same_company(client, submit, category):
    earlier = submit()
    data = dict(VALID_FORM, category_id=str(category("foretagslots").id), kind="complaint",
                complaint_ground="treated_badly", related_reference=earlier.reference.lower())
    assert client.post("/submit", data=data).status_code == 302
    link = db.session.scalar(sa.select(CaseLink))
    assert link.other_case_id == earlier.case_id and link.kind == "related"


def test_complaint_reference_to_another_companys_case_is_not_revealed(client, submit, category):
    other = submit(org_number="212000-0142")
    data = dict(VALID_FORM, category_id=str(category("foretagslots").id), kind="complaint",
                complaint_ground="treated_badly")
    for ref in (other.reference, "CF-2026-99999"):
        resp = client.post("/submit", data=dict(data, related_reference=ref))
        html = resp.get_data(as_text=True)
        assert resp.status_code == 422
        assert "Vi hittar inget ärende med det numret för det här organisationsnumret" in html


def test_privacy_notice_is_linked_from_every_page(client, offices):
    html = client.get("/").get_data(as_text=True)
    assert 'href="/privacy"' in html
    assert "personuppgifter" in client.get("/privacy").get_data(as_text=True)
