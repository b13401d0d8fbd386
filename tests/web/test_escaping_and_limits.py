"""Text a company or an official typed is shown as text everywhere it appears: on every page that shows it, in
e-mails, in the PDF and in spreadsheets (formulas defused). Plus the cookie flags and the body-size limit."""
import csv
import io
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from caseflow import create_app
from caseflow.extensions import db
from caseflow.models import Case, HandslagetMeasure, Office, Outbox
from caseflow.services import casework, mail, outbox, tracking
from tests.conftest import PASSWORD, login

SCRIPT = '<script>alert("x")</script>'
IMG = "<img src=x onerror=alert(1)>"
PAYLOAD = f"{SCRIPT}{IMG}"
FORMULA = '=HYPERLINK("http://evil.invalid","klicka")'


def assert_shown_as_text(html: str, where: str) -> None:
    assert SCRIPT not in html and IMG not in html, f"markup from stored text is live on {where}"
    assert "&lt;script&gt;" in html, f"the stored text is not shown (escaped) on {where}"


@pytest.fixture
def hostile_case(submit, make_user, offices, category):
    """A case with markup in every free-text field, answered by an official whose reply and note carry it too."""
    receipt = submit(company_name=f"{PAYLOAD} AB", contact_name=PAYLOAD, contact_phone="<b>0701</b>",
                     subject=f"Ämne {PAYLOAD}", description=f"Beskrivning {PAYLOAD}", kind="complaint",
                     complaint_ground="treated_badly")
    case = db.session.get(Case, receipt.case_id)
    officer = make_user("officer", office=db.session.get(Office, case.office_id))
    casework.reply(officer, case.id, f"Svar {PAYLOAD}", datetime.now(UTC))
    casework.add_note(officer, case.id, f"Notering {PAYLOAD}", datetime.now(UTC))
    return case, officer, receipt


def test_markup_in_every_field_is_shown_as_text_on_every_page(client, hostile_case):
    case, officer, receipt = hostile_case
    assert_shown_as_text(client.get(f"/track/{receipt.token}").text, "the company's tracking page")
    login(client, officer)
    for path in ("/staff/", f"/staff/cases/{case.id}", "/staff/search?q=alert", f"/staff/search?q={SCRIPT}"):
        resp = client.get(path)
        assert resp.status_code == 200, path
        assert_shown_as_text(resp.text, path)


def test_markup_in_every_field_is_escaped_in_every_mail(app, hostile_case, monkeypatch):
    sent = []
    monkeypatch.setattr(mail, "send", lambda rendered: sent.append(rendered) or "logged")
    rows = db.session.scalars(sa.select(Outbox).where(Outbox.case_id == hostile_case[0].id)).all()
    for row in rows:  # deliver each mail of the case again, capturing what would go out
        row.status = "pending"
    db.session.commit()
    for row in rows:
        outbox.deliver(row.id)
    templates = {r.payload["template"] for r in rows}
    assert {"receipt", "new_case", "reply"} <= templates
    assert len(sent) == len(rows)
    carrying = [r for r in sent if SCRIPT in r.text]  # the plain-text part shows what was typed, as typed
    assert len(carrying) >= 3, [r.subject for r in sent]  # at least the receipt, the office's mail, the reply
    for rendered in sent:
        assert SCRIPT not in rendered.html and IMG not in rendered.html, rendered.subject
    for rendered in carrying:
        assert "&lt;script&gt;" in rendered.html, rendered.subject
    reply = next(r for r in sent if "Svar" in r.text)
    assert PAYLOAD in reply.text and "Notering" not in reply.text + reply.html  # the internal note never leaves


def test_markup_and_formulas_in_names_are_text_in_pdf_csv_and_xlsx(client, hostile_case, make_user, offices):
    pytest.importorskip("weasyprint")
    office = db.session.get(Office, hostile_case[0].office_id)
    office.name = f"{FORMULA} {SCRIPT}"
    db.session.add(HandslagetMeasure(handslag=1, code="=1+1", title=FORMULA, kpi="share_within_target",
                                     target=0.9))
    db.session.commit()
    month = datetime.now(UTC).strftime("%Y-%m")
    login(client, make_user("analyst"))

    rows = list(csv.reader(io.StringIO(client.get(f"/reports/export.csv?month={month}").text), delimiter=";"))
    cells = [c for r in rows for c in r]
    assert any(c.startswith("'=HYPERLINK") for c in cells) and not any(c.startswith("=") for c in cells)
    hs = list(csv.reader(io.StringIO(client.get(f"/reports/handslaget.csv?month={month}").text), delimiter=";"))
    assert not any(c.startswith("=") for r in hs for c in r) and any(c == "'=1+1" for r in hs for c in r)

    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(client.get(f"/reports/export.xlsx?month={month}").data))
    values = [str(c.value) for ws in wb for row in ws.iter_rows() for c in row if c.value is not None]
    assert any(v.startswith("'=HYPERLINK") for v in values) and not any(v.startswith("=") for v in values)

    resp = client.get(f"/reports/export.pdf?month={month}")
    if resp.mimetype != "application/pdf":
        pytest.skip("WeasyPrint cannot render here (no Pango)")
    from pypdf import PdfReader

    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(resp.data)).pages)
    assert "<script>" in text  # printed as text; had it been markup, WeasyPrint would have dropped it


def test_session_cookies_are_secure_httponly_and_samesite_in_production(app_config, make_user, offices):
    prod = create_app(dict(app_config, CASEFLOW_ENV="production", TESTING=False, SECRET_KEY="x" * 32,
                           SESSION_COOKIE_SECURE=True, REMEMBER_COOKIE_SECURE=True, RATELIMIT_ENABLED=False))
    user = make_user("officer")
    with prod.app_context():
        client = prod.test_client()
        resp = client.post("/staff/login", data={"email": user.email, "password": PASSWORD, "remember": "y"},
                           base_url="https://localhost")
        assert resp.status_code == 302
        cookies = resp.headers.getlist("Set-Cookie")
        session_cookie = next(c for c in cookies if c.startswith("session="))
        for flag in ("Secure", "HttpOnly", "SameSite=Lax"):
            assert flag in session_cookie, (flag, session_cookie)
        for c in cookies:
            assert "Secure" in c and "HttpOnly" in c, c
        db.session.remove()


def test_production_defaults_to_secure_cookies():
    from caseflow.config import from_env

    cfg = from_env("/tmp/caseflow-test-instance", {"CASEFLOW_ENV": "production", "SECRET_KEY": "k",
                                                         "BASE_URL": "https://foretag.example.se"})
    assert cfg["SESSION_COOKIE_SECURE"] and cfg["SESSION_COOKIE_HTTPONLY"] and cfg["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert cfg["REMEMBER_COOKIE_SECURE"] and cfg["REMEMBER_COOKIE_HTTPONLY"]


def test_an_oversized_body_is_refused_early_with_a_clear_page_and_nothing_is_written(app, client, category):
    app.config["MAX_CONTENT_LENGTH"] = 20_000
    before = db.session.scalar(sa.select(sa.func.count()).select_from(Case))
    resp = client.post("/submit", data={"kind": "errand", "category_id": str(category("markupplatelse").id),
                                        "description": "x" * 50_000})
    assert resp.status_code == 413
    assert "Filen eller texten är för stor" in resp.text
    assert "Gå tillbaka och skicka en mindre fil eller en kortare text." in resp.text
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Case)) == before
    api = client.post("/api/v1/cases", data="x" * 50_000, content_type="application/json")
    assert api.status_code == 413 and api.get_json()["error"]["code"] == "too_large"


def test_tracking_tokens_are_long_random_and_stored_only_as_hashes(submit):
    tokens = {submit().token for _ in range(3)}
    assert len(tokens) == 3 and all(len(t) >= 32 for t in tokens)
    stored = db.session.scalars(sa.select(Case.tracking_token_hash)).all()
    assert not tokens & set(stored)
    assert all(tracking.token_hash(t) in stored for t in tokens)
