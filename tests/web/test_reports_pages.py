"""Report pages, exports, snapshots, Handslaget and the survey through the web."""
import json
import re
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from caseflow.cli import cli
from caseflow.extensions import db
from caseflow.models import MonthlyReport, Outbox, Survey
from caseflow.services import casework, surveys
from tests.conftest import login

LAST_MONTH = (datetime.now(UTC).date().replace(day=1) - timedelta(days=1)).strftime("%Y-%m")


def a_month_of_work(submit, make_user, offices):
    officer = make_user("officer", offices["samhallsbyggnad"])
    when = datetime.strptime(LAST_MONTH + "-10 09:00", "%Y-%m-%d %H:%M").replace(tzinfo=UTC)
    r = submit(when=when)
    casework.reply(officer, r.case_id, "Svar", when + timedelta(hours=3))
    casework.close(officer, r.case_id, "answered", when + timedelta(days=2))
    return r


def test_analyst_sees_last_months_report_with_charts_and_drills_into_cases(client, submit, make_user, offices):
    r = a_month_of_work(submit, make_user, offices)
    login(client, make_user("analyst"))
    html = client.get("/reports/").get_data(as_text=True)
    assert f"SLA-rapport {LAST_MONTH}" in html and "<svg" in html and "Samhällsbyggnadskontoret" in html
    link = re.search(r'href="(/reports/cases\?[^"]*metric=received[^"]*)"', html).group(1).replace("&amp;", "&")
    assert r.reference in client.get(link).get_data(as_text=True)


def test_csv_xlsx_and_json_exports(client, submit, make_user, offices):
    a_month_of_work(submit, make_user, offices)
    login(client, make_user("analyst"))
    csv_text = client.get(f"/reports/export.csv?month={LAST_MONTH}").get_data(as_text=True)
    header = csv_text.splitlines()[0]
    assert header.startswith("\ufeffFörvaltning;Mottagna ärenden;Avslutade ärenden")  # Swedish Excel: BOM, ";"
    assert "Totalt;1;1" in csv_text
    xlsx = client.get(f"/reports/export.xlsx?month={LAST_MONTH}")
    assert xlsx.data[:2] == b"PK" and "spreadsheetml" in xlsx.headers["Content-Type"]
    data = json.loads(client.get(f"/reports/export.json?month={LAST_MONTH}").data)
    assert data["total"]["received"] == 1


def test_publishing_a_month_freezes_it_and_the_page_says_so(client, submit, make_user, offices):
    a_month_of_work(submit, make_user, offices)
    login(client, make_user("analyst"))
    client.post("/reports/snapshots", data={"month": LAST_MONTH, "label": ""})
    client.post("/reports/snapshots", data={"month": LAST_MONTH, "label": ""})
    assert db.session.scalar(sa.select(sa.func.count()).select_from(MonthlyReport)) == 1
    assert "Publicerad rapport, version 1" in client.get(f"/reports/?month={LAST_MONTH}").get_data(as_text=True)


def test_a_lead_reads_reports_but_posting_a_month_publishes_nothing(client, submit, make_user, offices):
    a_month_of_work(submit, make_user, offices)
    login(client, make_user("lead", offices["samhallsbyggnad"]))
    assert client.get("/reports/snapshots").status_code == 200
    resp = client.post("/reports/snapshots", data={"month": LAST_MONTH, "label": ""})
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/reports/snapshots")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(MonthlyReport)) == 0


def test_cli_build_report_is_idempotent(app, submit, make_user, offices):
    a_month_of_work(submit, make_user, offices)
    runner = app.test_cli_runner()
    first = runner.invoke(cli, args=["build-report", "--month", LAST_MONTH])
    again = runner.invoke(cli, args=["build-report", "--month", LAST_MONTH])
    assert "published" in first.output and "unchanged" in again.output


def test_handslaget_dashboard_and_machine_readable_exports(client, submit, make_user, offices):
    a_month_of_work(submit, make_user, offices)
    login(client, make_user("lead", offices["samhallsbyggnad"]))
    assert "Servicegaranti" in client.get("/reports/handslaget").get_data(as_text=True)
    data = json.loads(client.get("/reports/handslaget.json").data)
    measure = next(m for m in data["measures"] if m["kpi"] == "within_target")
    assert measure["months"][-1] == {"month": LAST_MONTH, "value": 1.0, "status": "on_track"}
    assert "1.1;1;" in client.get("/reports/handslaget.csv").get_data(as_text=True)


def test_closure_mail_carries_the_survey_link_and_the_survey_takes_one_answer(client, submit, make_user, offices):
    a_month_of_work(submit, make_user, offices)
    mail = db.session.scalar(sa.select(Outbox).where(Outbox.payload["template"].as_string() == "closed"))
    link = re.search(r"/survey/[0-9a-f]{48}", mail.result["text"]).group(0)
    page = client.get(link).get_data(as_text=True)
    assert "Hur gjorde vi?" in page and 'name="q_overall"' in page
    partial = client.post(link, data={"q_overall": "5"})
    assert partial.status_code == 422
    assert "Välj hur väl vår service motsvarade dina förväntningar" in partial.get_data(as_text=True)
    assert '<input checked id="q_overall-4" name="q_overall"' in partial.get_data(as_text=True)  # chosen stays
    answers = {q: "5" for q in surveys.QUESTIONS}
    done = client.post(link, data=dict(answers, comment="Bra bemötande!"))
    assert "Tack för dina svar" in done.get_data(as_text=True)
    assert "redan svarat" in client.post(link, data=answers).get_data(as_text=True)
    survey = db.session.scalar(sa.select(Survey))
    assert survey.q_overall == 5 and survey.comment == "Bra bemötande!"


def test_pdf_report_has_a_cover_and_a_page_per_office(client, submit, make_user, offices):
    import pytest

    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError):
        pytest.skip("WeasyPrint or Pango is not installed")
    a_month_of_work(submit, make_user, offices)
    login(client, make_user("analyst"))
    resp = client.get(f"/reports/export.pdf?month={LAST_MONTH}")
    assert resp.status_code == 200 and resp.data[:5] == b"%PDF-"
    from io import BytesIO

    from pypdf import PdfReader

    pdf = PdfReader(BytesIO(resp.data))
    assert len(pdf.pages) >= 2 + len(offices)  # cover, summary, one page per office
    assert f"SLA-rapport {LAST_MONTH}" in pdf.pages[0].extract_text()
    assert "Samhällsbyggnadskontoret" in "".join(p.extract_text() for p in pdf.pages[2:])


def test_month_page_and_exports_publish_shares_with_their_counts_in_swedish_number_format(client, submit,
                                                                                         make_user, offices):
    a_month_of_work(submit, make_user, offices)  # first response and resolution in time: 2 of 2 clocks
    login(client, make_user("analyst"))
    html = client.get(f"/reports/?month={LAST_MONTH}").get_data(as_text=True)
    assert "100,0\xa0% (2 av 2)" in html or "100,0 % (2 av 2)" in html
    csv_text = client.get(f"/reports/export.csv?month={LAST_MONTH}").get_data(as_text=True)
    heads = csv_text.splitlines()[0].lstrip("\ufeff").split(";")
    total = dict(zip(heads, csv_text.splitlines()[-1].split(";"), strict=True))
    assert (total["Klockor inom utlovad tid"], total["Klockor som stannade"]) == ("2", "2")
    assert total["Andel inom utlovad tid (%)"] == "100,0"  # the share as its percent, rounded as on the page
    assert re.fullmatch(r"\d+,\d", total["Första svar, median (arbetstimmar)"])  # decimal comma, one decimal
    data = json.loads(client.get(f"/reports/export.json?month={LAST_MONTH}").data)
    assert data["definitions"]["within_target"]["numerator"] == "clocks_in_time"
    assert data["total"]["nki_question_indices"] == {"q_overall": None, "q_expectations": None, "q_ideal": None}


def test_the_english_handslaget_page_and_csv_name_each_action_point_in_english(client, submit, make_user, offices):
    a_month_of_work(submit, make_user, offices)
    login(client, make_user("lead", offices["samhallsbyggnad"]))
    english = client.get("/reports/handslaget?lang=en").get_data(as_text=True)
    assert "1.1 Service guarantee: share of answers and decisions within the promised time" in english
    assert "One way in: share of cases routed right the first time" in english
    assert "Servicegaranti" not in english and "En väg in" not in english
    assert "Service guarantee" in client.get("/reports/handslaget.csv?lang=en").get_data(as_text=True)
    swedish = client.get("/reports/handslaget?lang=sv").get_data(as_text=True)
    assert "1.1 Servicegaranti: andel svar och beslut inom utlovad tid" in swedish
    assert "Service guarantee" not in swedish


def test_a_measure_without_an_english_title_shows_its_swedish_one_on_the_english_page(client, make_user, offices):
    from caseflow.models import HandslagetMeasure
    from caseflow.services import admin

    boss = make_user("admin")
    measure = db.session.scalar(sa.select(HandslagetMeasure).where(HandslagetMeasure.code == "1.4"))
    admin.save(boss, "measures", measure.id, {"title": "Nöjda företag", "title_en": ""}, datetime.now(UTC))
    login(client, boss)
    assert "Action point (English)" in client.get(f"/admin/measures/{measure.id}?lang=en").get_data(as_text=True)
    login(client, make_user("analyst"))
    page = client.get("/reports/handslaget?lang=en").get_data(as_text=True)
    assert "1.4 Nöjda företag" in page and "1.1 Service guarantee" in page


def test_the_english_month_report_names_the_offices_in_english_on_the_page_in_the_charts_and_exports(
        client, submit, make_user, offices):
    r = a_month_of_work(submit, make_user, offices)
    login(client, make_user("analyst"))
    page = client.get(f"/reports/?month={LAST_MONTH}&lang=en").get_data(as_text=True)
    charts = "".join(re.findall(r"<svg.*?</svg>", page, re.S))
    assert "Urban Planning and Building Office" in charts
    assert "Samhällsbyggnadskontoret" not in page
    assert "Urban Planning and Building Office" in client.get(
        f"/reports/export.csv?month={LAST_MONTH}&lang=en").get_data(as_text=True)
    case = client.get(f"/reports/cases/{r.case_id}?month={LAST_MONTH}&metric=received&lang=en").get_data(as_text=True)
    assert "Routed to office: Urban Planning and Building Office" in case and "Samhällsbyggnadskontoret" not in case
    swedish = client.get(f"/reports/?month={LAST_MONTH}&lang=sv").get_data(as_text=True)
    assert "Samhällsbyggnadskontoret" in swedish and "Urban Planning" not in swedish


def test_the_english_case_page_and_its_forms_name_offices_and_areas_in_english(client, submit, make_user, offices):
    """The staff side too: the timeline's "Routed to office", the reroute form's offices and the search's areas."""
    r = submit()
    login(client, make_user("officer", offices["samhallsbyggnad"]))
    case = client.get(f"/staff/cases/{r.case_id}?lang=en").get_data(as_text=True)
    assert "Routed to office: Urban Planning and Building Office" in case
    assert ">Environment and Health Protection</option>" in case  # the reroute form
    assert "Samhällsbyggnadskontoret" not in case and "Miljö- och hälsoskydd</option>" not in case
    search = client.get("/staff/search?lang=en").get_data(as_text=True)
    assert ">Use of public land<" in search and ">Markupplåtelse<" not in search
    swedish = client.get(f"/staff/cases/{r.case_id}?lang=sv").get_data(as_text=True)
    assert "Skickat till förvaltning: Samhällsbyggnadskontoret" in swedish
