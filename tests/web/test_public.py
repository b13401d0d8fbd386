"""The company's side: submit, receipt, tracking; every validation error keeps what was typed."""
import re

import pytest
import sqlalchemy as sa

from caseflow.extensions import db
from caseflow.models import Case, CaseEvent, Outbox
from tests.conftest import VALID_FORM


def form_data(category, **overrides):
    data = dict(VALID_FORM, category_id=str(category("markupplatelse").id))
    data.update(overrides)
    return data


def test_start_page_is_swedish_by_default_and_links_to_the_form(client, offices):
    html = client.get("/").get_data(as_text=True)
    assert 'lang="sv"' in html
    assert "Starta ett ärende" in html and 'href="/submit"' in html


def test_english_is_one_click_away_and_remembered(client, offices):
    assert "Start a case" in client.get("/?lang=en").get_data(as_text=True)
    assert 'lang="en"' in client.get("/submit").get_data(as_text=True)


def test_submission_gives_reference_and_private_link_then_tracking_shows_the_case(client, category):
    resp = client.post("/submit", data=form_data(category))
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/receipt")
    receipt = client.get("/receipt").get_data(as_text=True)
    ref = re.search(r"CF-\d{4}-\d{5}", receipt).group(0)
    token_url = re.search(r'href="(http://localhost/track/[0-9a-f]{48})"', receipt).group(1)
    case = db.session.scalar(sa.select(Case).where(Case.reference == ref))
    assert case.office.code == "samhallsbyggnad"  # routed by the category's rule
    assert case.status == "new" and case.first_response_due_at is not None
    page = client.get(token_url.replace("http://localhost", ""))
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert ref in html and "Uteservering i sommar" in html and "Samhällsbyggnadskontoret" in html
    assert page.headers["Cache-Control"] == "no-store"


def test_submission_is_registered_with_events_and_a_receipt_mail(client, category):
    client.post("/submit", data=form_data(category))
    case = db.session.scalar(sa.select(Case))
    kinds = db.session.scalars(sa.select(CaseEvent.kind).where(CaseEvent.case_id == case.id)
                               .order_by(CaseEvent.id)).all()
    assert kinds == ["received", "routed", "clock_started", "clock_started"]  # first response + resolution
    mail = db.session.scalar(sa.select(Outbox).where(Outbox.case_id == case.id,
                                                     Outbox.payload["template"].as_string() == "receipt"))
    assert mail.payload["template"] == "receipt" and mail.status == "sent"  # delivered in-process (no Redis)
    assert case.reference in mail.result["subject"]
    assert "/track/" in mail.result["text"]


def test_the_token_is_not_stored_in_clear(client, category):
    client.post("/submit", data=form_data(category))
    token = re.search(r"/track/([0-9a-f]{48})", client.get("/receipt").get_data(as_text=True)).group(1)
    case = db.session.scalar(sa.select(Case))
    assert token not in (case.tracking_token_hash, case.tracking_salt)


@pytest.mark.parametrize("field,value,message", [
    ("org_number", "556036-0794", "Organisationsnumret stämmer inte – kontrollera siffrorna"),
    ("org_number", "12345", "Skriv ett organisationsnummer med 10 siffror, till exempel 556677-8899"),
    ("org_number", "", "Skriv företagets organisationsnummer"),
    ("company_name", "", "Skriv företagets namn"),
    ("contact_name", "", "Skriv ditt namn"),
    ("contact_email", "anna-at-example", "Skriv en e-postadress i rätt format, till exempel namn@foretag.se"),
    ("contact_email", "", "Skriv din e-postadress"),
    ("subject", "", "Skriv en rubrik för ärendet"),
    ("subject", "x" * 201, "Rubriken får vara högst 200 tecken"),
    ("description", "", "Beskriv vad ärendet gäller"),
    ("description", "x" * 10001, "Beskrivningen får vara högst 10\xa0000 tecken"),
    ("category_id", "0", "Välj vilket område ärendet gäller"),
    ("category_id", "abc", "Välj vilket område ärendet gäller"),
    ("kind", "spam", "Välj vad ärendet gäller"),
])
def test_each_invalid_field_gets_a_swedish_message_and_the_typed_values_stay(client, category, field, value, message):
    data = form_data(category, **{field: value})
    resp = client.post("/submit", data=data)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert message in html, html[:3000]
    assert 'class="error-summary"' in html
    # nothing the user typed is lost
    for other in ("company_name", "contact_name", "contact_email", "subject"):
        if other != field:
            assert f'value="{data[other]}"' in html
    if field != "description":
        assert data["description"] in html
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Case)) == 0


def test_complaint_requires_a_ground(client, category):
    resp = client.post("/submit", data=form_data(category, kind="complaint"))
    assert resp.status_code == 422
    assert "Välj vad klagomålet gäller" in resp.get_data(as_text=True)
    ok = client.post("/submit", data=form_data(category, kind="complaint", complaint_ground="treated_badly"))
    assert ok.status_code == 302
    assert db.session.scalar(sa.select(Case.complaint_ground)) == "treated_badly"


def test_category_that_does_not_serve_the_kind_is_refused_with_a_message(client, category):
    cat = category("markupplatelse")
    cat.kinds = "errand"
    db.session.commit()
    resp = client.post("/submit", data=form_data(category, kind="question"))
    assert resp.status_code == 422
    assert "tar inte emot den typen av ärende" in resp.get_data(as_text=True)


def test_errors_are_in_english_when_english_is_chosen(client, category):
    client.get("/?lang=en")
    html = client.post("/submit", data=form_data(category, org_number="556036-0794")).get_data(as_text=True)
    assert "The organisation number is not right – check the digits" in html


@pytest.mark.parametrize("token", ["0" * 48, "abc", "../../etc/passwd", "f" * 64, "A" * 48])
def test_wrong_or_guessed_token_reveals_nothing(client, submit, token):
    submit()
    resp = client.get(f"/track/{token}")
    assert resp.status_code == 404
    assert "CF-" not in resp.get_data(as_text=True)


def test_sole_trader_personnummer_is_masked_outside_the_case_page(client, category, submit, make_user, offices):
    from tests.conftest import login

    submit(org_number="811218-9876")
    officer = make_user("officer", offices["samhallsbyggnad"])
    login(client, officer)
    queue = client.get("/staff/").get_data(as_text=True)
    assert "811218-****" in queue and "9876" not in queue


def test_csrf_token_is_required_when_enabled(app_config, category):
    from caseflow import create_app

    app = create_app(dict(app_config, WTF_CSRF_ENABLED=True))
    with app.app_context():
        resp = app.test_client().post("/submit", data=form_data(category))
        assert resp.status_code == 422
        assert "Formuläret hade gått ut" in resp.get_data(as_text=True)


def test_security_headers_are_set(client, offices):
    resp = client.get("/")
    assert "default-src 'self'" in resp.headers["Content-Security-Policy"]
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert resp.headers["Referrer-Policy"] == "no-referrer"
