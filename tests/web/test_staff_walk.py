"""Found trying the staff side as a new admin would (issue 18): no English number and no field code on a Swedish
admin page — a measure's target is shown and typed with a decimal comma, the audit log names every field and
writes its numbers as the page's language does."""
import re
from datetime import UTC, datetime

import sqlalchemy as sa

from caseflow.extensions import db
from caseflow.models import ReportSettings
from caseflow.services import admin
from caseflow.web.admin import audit
from caseflow.web.admin.routes import RESOURCES
from caseflow.web.admin.sso import SsoGroupForm
from tests.conftest import login

NOW = datetime.now(UTC)


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("&#39;", "'")


def _measure(boss):
    return admin.save(boss, "measures", None, {
        "handslag": 1, "code": "9.1", "title": "Servicegaranti", "kpi": "within_target", "target": 0.9,
        "higher_is_better": True, "at_risk_margin": 0.1, "active": True}, NOW)


def _fields(form_cls) -> list[str]:
    return [n for n in dir(form_cls) if hasattr(getattr(form_cls, n), "field_class") and n != "csrf_token"]


def test_every_field_an_admin_can_change_has_a_name_in_the_audit_log():
    for entity, (form_cls, _title, _columns) in RESOURCES.items():
        missing = [f for f in _fields(form_cls) if f not in audit._FIELD_NAMES]
        assert not missing, (entity, missing)
    assert not [f for f in _fields(SsoGroupForm) if f not in audit._FIELD_NAMES]


def test_the_audit_log_writes_numbers_and_measures_as_the_page_language_does(client, offices, make_user):
    boss = make_user("admin", name="Anna Berg")
    settings = db.session.scalar(sa.select(ReportSettings))
    admin.save(boss, "report_settings", settings.id, {"nki_weights": "1, 0.5, 1"}, NOW)
    measure = _measure(boss)
    admin.save(boss, "measures", measure.id, {"kpi": "response_rate", "target": 0.95}, NOW)
    login(client, boss)
    page = _text(client.get("/admin/audit").get_data(as_text=True))
    assert "NKI-vikter: 1; 1; 1 → 1; 0,5; 1" in page
    assert "Mått: Andel inom utlovad tid → Svarsfrekvens (enkät)" in page
    assert "Mål: 0,9 → 0,95" in page
    for code in ("nki weights", "nki_weights", "0.5", "1.0", "within_target", "response_rate"):
        assert code not in page, code
    english = _text(client.get("/admin/audit?lang=en").get_data(as_text=True))
    assert "NKI weights: 1; 1; 1 → 1; 0.5; 1" in english and "Target: 0.9 → 0.95" in english


def test_a_measure_target_is_shown_and_typed_with_a_decimal_comma_on_a_swedish_page(client, offices, make_user):
    boss = make_user("admin")
    measure = _measure(boss)
    login(client, boss)
    form = client.get(f"/admin/measures/{measure.id}").get_data(as_text=True)
    assert re.search(r'name="target"[^>]*value="0,9"', form), re.findall(r'<input[^>]*name="target"[^>]*>', form)
    assert re.search(r'name="at_risk_margin"[^>]*value="0,1"', form)
    assert "t.ex. 0,1" in _text(form)
    data = {"handslag": str(measure.handslag), "code": measure.code, "title": measure.title, "kpi": measure.kpi,
            "target": "0,95", "higher_is_better": "y", "at_risk_margin": "0,05", "active": "y"}
    assert client.post(f"/admin/measures/{measure.id}", data=data).status_code == 302
    db.session.expire_all()
    assert (measure.target, measure.at_risk_margin) == (0.95, 0.05)
    # the English page shows and takes a decimal point
    english = client.get(f"/admin/measures/{measure.id}?lang=en").get_data(as_text=True)
    assert re.search(r'name="target"[^>]*value="0.95"', english)
    assert client.post(f"/admin/measures/{measure.id}?lang=en", data={**data, "target": "0.9"}).status_code == 302
    db.session.expire_all()
    assert measure.target == 0.9
    # something that is not a number is refused on the field, in the page's language
    refused = client.post(f"/admin/measures/{measure.id}?lang=sv", data={**data, "target": "nittio"})
    assert refused.status_code == 422 and "Skriv ett tal" in _text(refused.get_data(as_text=True))


def test_nki_weights_are_shown_and_typed_with_decimal_commas_on_a_swedish_page(client, offices, make_user):
    boss = make_user("admin")
    settings = db.session.scalar(sa.select(ReportSettings))
    login(client, boss)
    data = {"survey_scale": "6", "nki_weights": "1; 0,5; 1", "min_answers": "7", "min_answers_compare": "10"}
    assert client.post(f"/admin/report_settings/{settings.id}", data=data).status_code == 302
    db.session.expire_all()
    assert settings.nki_weights == [1.0, 0.5, 1.0]
    form = client.get(f"/admin/report_settings/{settings.id}").get_data(as_text=True)
    assert 'value="1; 0,5; 1"' in form and "åtskilda med semikolon" in _text(form)
    assert "1; 0,5; 1" in _text(client.get("/admin/report_settings/").get_data(as_text=True))
    assert 'value="1, 0.5, 1"' in client.get(f"/admin/report_settings/{settings.id}?lang=en").get_data(as_text=True)
    # and what the English page shows, or the old "1,1,1", is taken back
    for typed, weights in (("1, 0.5, 1", [1.0, 0.5, 1.0]), ("2,1,1", [2.0, 1.0, 1.0])):
        assert client.post(f"/admin/report_settings/{settings.id}?lang=sv",
                           data={**data, "nki_weights": typed}).status_code == 302
        db.session.expire_all()
        assert settings.nki_weights == weights


def test_a_bulk_close_of_a_decided_case_keeps_its_decision_and_says_so(client, make_user, offices, submit):
    """Found in the officer's day: a refused case closed in bulk "as answered" told the company "Utfall: Besvarat",
    contradicting the decision it had received. A decided case closes with its decision's outcome, as the case
    page's close does, and the preview says so."""
    from caseflow.models import Case
    from caseflow.services import casework
    from tests.web.test_bulk_preview import _signed

    officer = make_user("officer", offices["samhallsbyggnad"])
    refused, plain = submit(company_name="Avslaget AB"), submit()
    casework.decide(officer, refused.case_id, "rejected", "Detaljplanen tillåter inte tillbyggnaden.", NOW)
    login(client, officer)
    page = client.post("/staff/bulk", data={"ids": [str(refused.case_id), str(plain.case_id)],
                                            "action": "close_answered"}).get_data(as_text=True)
    row = _text(re.search(rf"<tr[^>]*>\s*<td>{refused.reference}</td>.*?</tr>", page, re.S).group(0))
    assert "Avsluta med beslutets utfall (Avslag)" in row, row
    assert "Utfall: Besvarat" not in re.search(rf"{refused.reference}: till.*?</details>", page, re.S).group(0)
    assert client.post("/staff/bulk/confirm", data={"token": _signed(page)}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Case, refused.case_id).outcome == "rejected"
    assert (db.session.get(Case, plain.case_id).status, db.session.get(Case, plain.case_id).outcome) == \
        ("closed", "answered")


def test_the_token_page_names_no_scope_by_its_code_in_swedish(client, offices, make_user):
    login(client, make_user("admin"))
    page = _text(client.get("/admin/tokens").get_data(as_text=True))
    assert "en nyckel som får handlägga ärenden agerar som den användaren" in page
    assert "officer" not in page


def test_measure_targets_in_the_admin_list_read_as_on_the_handslaget_page(client, offices, make_user):
    """The list showed the share measures' targets as fractions ("0,9", "0,95") beside the Handslaget page's
    "≥ 90,0 %"; the form says how a share is typed."""
    boss = make_user("admin")
    measure = _measure(boss)
    login(client, boss)
    row = re.search(r"<tr[^>]*>(?:(?!</tr>).)*Servicegaranti(?:(?!</tr>).)*</tr>",
                    client.get("/admin/measures/").get_data(as_text=True), re.S).group(0)
    assert "90,0\xa0%" in row and "0,9<" not in row, _text(row)
    assert "90.0%" in client.get("/admin/measures/?lang=en").get_data(as_text=True)
    form = _text(client.get(f"/admin/measures/{measure.id}?lang=sv").get_data(as_text=True))
    assert "En andel skrivs som decimaltal: 0,9 är 90 %." in form


def test_the_link_form_s_button_is_a_verb(client, offices, make_user, submit):
    """'Koppling' was both the link form's field and its button; the button says what it does."""
    officer = make_user("officer", offices["samhallsbyggnad"])
    receipt = submit()
    login(client, officer)
    page = client.get(f"/staff/cases/{receipt.case_id}").get_data(as_text=True)
    form = re.search(r'<form[^>]*action="[^"]*/link".*?</form>', page, re.S).group(0)
    assert re.search(r"<button[^>]*>\s*Koppla ärendena\s*</button>", form), form[-400:]
    english = client.get(f"/staff/cases/{receipt.case_id}?lang=en").get_data(as_text=True)
    assert re.search(r"<button[^>]*>\s*Link the cases\s*</button>", english)


def test_a_month_is_published_once_it_is_over_and_a_correction_carries_no_english_label(
        client, submit, make_user, offices):
    """The analyst could publish the month still running (frozen with figures that keep changing); and a
    correction published without a label was labelled "Revision 2" in English on the Swedish page."""
    from datetime import timedelta

    from caseflow.models import MonthlyReport
    from tests.web.test_reports_pages import LAST_MONTH, a_month_of_work

    a_month_of_work(submit, make_user, offices)
    login(client, make_user("analyst"))
    this_month = datetime.now(UTC).strftime("%Y-%m")
    page = client.post("/reports/snapshots", data={"month": this_month, "label": ""}, follow_redirects=True)
    assert f"En månad publiceras när den är slut: {this_month} är inte slut än." in _text(page.get_data(as_text=True))
    assert db.session.scalar(sa.select(sa.func.count()).select_from(MonthlyReport)) == 0
    client.post("/reports/snapshots", data={"month": LAST_MONTH, "label": ""})
    submit(when=datetime.strptime(LAST_MONTH + "-12 10:00", "%Y-%m-%d %H:%M").replace(tzinfo=UTC) + timedelta())
    client.post("/reports/snapshots", data={"month": LAST_MONTH, "label": ""})
    assert [r.revision for r in db.session.scalars(sa.select(MonthlyReport))] == [1, 2]
    listing = _text(client.get("/reports/snapshots").get_data(as_text=True))
    assert "Revision" not in listing
    assert "Revision" not in _text(client.get(f"/reports/?month={LAST_MONTH}").get_data(as_text=True))


def test_a_file_s_size_is_written_as_the_page_writes_numbers_never_0_kb(client, app, submit, make_user, offices):
    """A drawing of a few bytes was listed as "ritning.pdf (0 kB)", as if empty, on the case page and the
    tracking page."""
    import io

    pdf = b"%PDF-1.4\n%test\n" + b"0" * 1521  # 1 536 bytes
    r = submit()
    client.post(f"/track/{r.token}", data={"body": "Ritning bifogad.", "attachments": [
        (io.BytesIO(pdf[:15]), "liten.pdf"), (io.BytesIO(pdf), "ritning.pdf")]}, content_type="multipart/form-data")
    tracking = _text(client.get(f"/track/{r.token}").get_data(as_text=True))
    assert "liten.pdf (15 byte)" in tracking and "ritning.pdf (1,5 kB)" in tracking
    staff = app.test_client()
    login(staff, make_user("officer", offices["samhallsbyggnad"]))
    page = _text(staff.get(f"/staff/cases/{r.case_id}").get_data(as_text=True))
    assert "liten.pdf (15 byte)" in page and "ritning.pdf (1,5 kB)" in page and "0 kB" not in page
    english = _text(staff.get(f"/staff/cases/{r.case_id}?lang=en").get_data(as_text=True))
    assert "liten.pdf (15 bytes)" in english and "ritning.pdf (1.5 kB)" in english


def test_the_spreadsheet_names_the_complaint_causes_as_the_page_does(client, submit, make_user, offices):
    import io

    import openpyxl

    from tests.web.test_reports_pages import LAST_MONTH

    when = datetime.strptime(LAST_MONTH + "-10 09:00", "%Y-%m-%d %H:%M").replace(tzinfo=UTC)
    submit(when=when, kind="complaint", complaint_ground="treated_badly")
    login(client, make_user("analyst"))
    page = _text(client.get(f"/reports/?month={LAST_MONTH}").get_data(as_text=True))
    book = openpyxl.load_workbook(io.BytesIO(client.get(f"/reports/export.xlsx?month={LAST_MONTH}").data))
    headings = [c.value for ws in book.worksheets for c in ws[1]]
    assert "Klagomål per orsak (Insikts servicefaktor)" in page and "Orsak (Insikts servicefaktor)" in headings
