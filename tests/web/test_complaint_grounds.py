"""Complaint grounds in the company's words: the form offers them with a hint each, in Swedish and English; the
officer reads them; the API, its OpenAPI document and Open311 list them from the one source; the report counts
each complaint under its Insikt factor, old grounds (factor names) too."""
import random
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from caseflow.domain import complaints
from caseflow.extensions import db
from caseflow.models import Case
from caseflow.services import integrations
from caseflow.services.reports.computation import compute
from tests.conftest import VALID_FORM, login
from tests.unit.test_complaint_grounds import NAIVE_FACTOR

STHLM = ZoneInfo("Europe/Stockholm")


def complaint_form(category, **overrides):
    return dict(VALID_FORM, category_id=str(category("markupplatelse").id), kind="complaint", **overrides)


def test_the_form_offers_each_ground_in_the_companys_words_with_its_hint_tied_to_it(client, offices):
    html = client.get("/submit").get_data(as_text=True)
    for g in complaints.GROUNDS:
        assert f'value="{g.value}"' in html and g.sv in html and g.hint_sv in html
    # each option's hint is announced with it
    assert 'id="complaint_ground-0" name="complaint_ground" type="radio" value="too_slow"' in html \
        or 'aria-describedby="complaint_ground-0-hint"' in html
    assert 'id="complaint_ground-0-hint"' in html
    assert "Effektivitet" not in html  # no factor names for the company to guess
    en = client.get("/submit?lang=en").get_data(as_text=True)
    assert "It took too long" in en and complaints.BY_VALUE["too_slow"].hint_en in en


def test_a_complaint_in_the_companys_words_is_stored_and_the_officer_reads_those_words(
        client, category, make_user, offices):
    resp = client.post("/submit", data=complaint_form(category, complaint_ground="hard_to_reach"))
    assert resp.status_code == 302
    case = db.session.scalar(sa.select(Case))
    assert case.complaint_ground == "hard_to_reach"
    officer = make_user("officer", offices["samhallsbyggnad"])
    login(client, officer)
    page = client.get(f"/staff/cases/{case.id}").get_data(as_text=True)
    assert "Det var svårt att komma i kontakt med er" in page


def test_the_form_refuses_a_factor_name_and_a_complaint_without_ground_and_says_what_to_do(client, category):
    for ground in ("bemotande", ""):
        resp = client.post("/submit", data=complaint_form(category, complaint_ground=ground))
        assert resp.status_code == 422
        assert 'id="complaint_ground-error"' in resp.get_data(as_text=True)  # the error stands at the grounds
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Case)) == 0


def test_an_old_complaint_with_a_factor_name_still_reads_on_the_case_page(client, submit, make_user, offices):
    r = submit(kind="complaint", complaint_ground="kompetens")  # as stored before, and as the API still accepts
    officer = make_user("officer", offices["samhallsbyggnad"])
    login(client, officer)
    assert "Kompetens" in client.get(f"/staff/cases/{r.case_id}").get_data(as_text=True)


def test_the_api_lists_the_grounds_with_their_factor_and_accepts_them(client, offices, category):
    kinds = client.get("/api/v1/kinds").json
    assert kinds["complaint_grounds"] == list(complaints.VALUES)
    detail = {d["value"]: d for d in kinds["complaint_ground_details"]}
    assert detail["too_slow"]["factor"] == "effektivitet" and detail["too_slow"]["sv"] == "Det tog för lång tid"
    assert kinds["legacy_complaint_grounds"]["bemotande"] == "bemotande"
    enum = client.get("/api/v1/openapi.json").json["components"]["schemas"]["Submission"]["properties"][
        "complaint_ground"]["enum"]
    assert set(enum) == set(complaints.ACCEPTED) | {None}
    token = integrations.create_token("e-tjänst", ["submit", "read-own"], datetime.now(UTC))
    body = {k: v for k, v in VALID_FORM.items() if k != "contact_phone"}
    for ground in ("unfair", "rattssakerhet"):
        resp = client.post("/api/v1/cases", json=dict(body, kind="complaint", complaint_ground=ground,
                                                      category_id=category("markupplatelse").id),
                           headers={"Authorization": f"Bearer {token}"})
        assert resp.status_code == 201, resp.json


def test_open311_offers_the_grounds_for_categories_that_take_complaints_and_stores_the_chosen_one(client, offices):
    definition = client.get("/open311/v2/services/markupplatelse.json").json
    [ground] = [a for a in definition["attributes"] if a["code"] == "complaint_ground"]
    assert [v["key"] for v in ground["values"]] == list(complaints.VALUES)
    assert {"key": "too_slow", "name": "Det tog för lång tid"} in ground["values"]
    key = integrations.create_token("medborgarapp", ["submit", "read-own"], datetime.now(UTC))
    form = {"service_code": "markupplatelse", "attribute[org_number]": "556036-0793",
            "attribute[company_name]": "Kanalkaféet AB", "attribute[kind]": "complaint",
            "attribute[complaint_ground]": "treated_badly", "email": "anna@kanalkafeet.se",
            "description": "Otrevligt bemötande i telefon."}
    assert client.post("/open311/v2/requests.json", data=dict(form, api_key=key)).status_code == 201
    assert db.session.scalar(sa.select(Case.complaint_ground)) == "treated_badly"


def test_the_month_report_counts_every_ground_under_its_factor_as_the_naive_table_does(submit, offices):
    """Every value a complaint can carry — the company's words, an old factor name, none at all — in a random mix
    at one office in October 2026: the report's complaints by ground equal the count by the hand-written table."""
    rng = random.Random(19)
    values = list(NAIVE_FACTOR)
    stored = [rng.choice(values) for _ in range(30)] + values
    for i, ground in enumerate(stored):
        when = datetime(2026, 10, 1 + i % 28, 10, tzinfo=STHLM)
        r = submit(kind="complaint", complaint_ground=ground or "other", when=when)
        if ground is None:  # a complaint from before grounds were required
            db.session.execute(sa.update(Case).where(Case.id == r.case_id).values(complaint_ground=None))
    db.session.commit()
    naive: dict = {}
    for ground in stored:
        naive[NAIVE_FACTOR[ground]] = naive.get(NAIVE_FACTOR[ground], 0) + 1
    report = compute(date(2026, 10, 1))
    assert report["total"]["complaints_by_ground"] == naive
    assert report["total"]["complaints"] == len(stored) == sum(naive.values())
    oid = str(offices["samhallsbyggnad"].id)
    assert report["offices"][oid]["complaints_by_ground"] == naive
