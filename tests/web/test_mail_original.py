"""Incoming mail on the staff pages: the registered original (.eml) downloads for staff who may see the case and
for nobody else; a case by e-mail shows its company as unknown until an officer sets it; a bouncing contact
address shows on the case and in the queue."""
from datetime import UTC, datetime
from email import policy

import pytest
import sqlalchemy as sa

from caseflow.extensions import db
from caseflow.models import Case, CaseEvent, CompanyAccount, InboundMail
from caseflow.services import inbound
from tests.conftest import PASSWORD, login
from tests.integration import mailcorpus as corpus

SERVICE = "foretag@foretag.example.se"


@pytest.fixture
def app_config(app_config):
    return {**app_config, "MAIL_REPLY_DOMAIN": "svar.foretag.example.se", "MAIL_INBOUND_ADDRESS": SERVICE}


@pytest.fixture
def mailed_case(app, offices, make_user):
    """A case that came by e-mail to the service's address (routed to the entry office), and who is who."""
    raw = corpus.latin1_new_mail("Örjan Åström <orjan@strompark.se>", SERVICE, "Fråga om etablering",
                                 "Hej! Vi vill etablera oss i Norrköping. Vem kontaktar vi?").as_bytes(
        policy=policy.SMTP)
    result = inbound.receive(raw, "orjan@strompark.se", SERVICE, datetime.now(UTC))
    assert result.outcome == "new_case"
    case = db.session.get(Case, result.case_id)
    people = {"officer": make_user("officer", offices["naringsliv"]),
              "other_officer": make_user("officer", offices["miljo"])}
    account = CompanyAccount(email="orjan@strompark.se", name="Örjan", verified_at=datetime.now(UTC))
    account.set_password(PASSWORD)
    db.session.add(account)
    db.session.commit()
    return case, result.inbound_id, raw, people, account


def test_staff_of_the_office_download_the_complete_original(app, mailed_case):
    case, mail_id, raw, people, _account = mailed_case
    client = app.test_client()
    login(client, people["officer"])
    page = client.get(f"/staff/cases/{case.id}").get_data(as_text=True)
    url = f"/staff/cases/{case.id}/mail/{mail_id}.eml"
    assert url in page
    resp = client.get(url)
    assert resp.status_code == 200 and resp.data == raw
    assert resp.headers["Content-Type"].startswith("message/rfc822")
    assert resp.headers["Content-Disposition"].startswith("attachment")


def test_another_office_a_company_and_a_stranger_cannot_download_the_original(app, mailed_case):
    case, mail_id, _raw, people, account = mailed_case
    url = f"/staff/cases/{case.id}/mail/{mail_id}.eml"
    other = app.test_client()
    login(other, people["other_officer"])
    assert other.get(url).status_code == 404  # another office's case: not even its existence
    company = app.test_client()
    assert company.post("/account/login", data={"email": account.email, "password": PASSWORD}).status_code == 302
    assert company.get(url).status_code == 403  # the sender's own account is no member of staff
    assert app.test_client().get(url).status_code == 302  # anonymous: to the staff login
    # a mail id of another case through this case's URL: nothing
    officer = app.test_client()
    login(officer, people["officer"])
    assert officer.get(f"/staff/cases/{case.id}/mail/{mail_id + 1}.eml").status_code == 404


def test_the_company_is_unknown_until_the_officer_sets_it(app, mailed_case):
    case, _mail_id, _raw, people, _account = mailed_case
    client = app.test_client()
    login(client, people["officer"])
    queue = client.get("/staff/").get_data(as_text=True)
    assert 'class="company-unknown"' in queue
    assert 'id="company-unknown"' in client.get(f"/staff/cases/{case.id}").get_data(as_text=True)
    bad = client.post(f"/staff/cases/{case.id}/company", data={"company-org_number": "556036-0794",
                                                               "company-company_name": "Strömparken AB"})
    assert bad.status_code == 422
    ok = client.post(f"/staff/cases/{case.id}/company", data={"company-org_number": "556036-0793",
                                                              "company-company_name": "Strömparkens Restaurang AB"})
    assert ok.status_code == 302
    db.session.expire_all()
    case = db.session.get(Case, case.id)
    assert case.company_id is not None and case.company_name == "Strömparkens Restaurang AB"
    assert db.session.scalars(sa.select(CaseEvent).where(CaseEvent.case_id == case.id,
                                                         CaseEvent.kind == "company_set")).one()
    assert 'class="company-unknown"' not in client.get("/staff/").get_data(as_text=True)
    # set once: a second time would move the case to another company's view
    again = client.post(f"/staff/cases/{case.id}/company", data={"company-org_number": "556036-0793",
                                                                 "company-company_name": "Annat AB"})
    assert again.status_code == 422


def test_a_bouncing_contact_shows_on_the_case_and_in_the_queue(app, mailed_case):
    case, _mail_id, _raw, people, _account = mailed_case
    raw = corpus.dsn_bounce(inbound.reply_address(case), "orjan@strompark.se").as_bytes(policy=policy.SMTP)
    assert inbound.receive(raw, "", inbound.reply_address(case), datetime.now(UTC)).outcome == "bounce"
    client = app.test_client()
    login(client, people["officer"])
    assert 'id="contact-failing"' in client.get(f"/staff/cases/{case.id}").get_data(as_text=True)
    assert "5.1.1" in client.get(f"/staff/cases/{case.id}").get_data(as_text=True)
    assert db.session.scalars(sa.select(InboundMail).where(InboundMail.outcome == "bounce")).one().case_id == case.id
