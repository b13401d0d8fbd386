"""Analysts open the cases behind a figure: read-only, with the personal data masked. The attacker's tests: an
analyst can neither act on a case nor unmask it by any URL, and every other role's access is what it was."""
import re
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from caseflow.domain.masking import mask_text
from caseflow.extensions import db
from caseflow.models import AccessLog, Case
from caseflow.services import casework
from tests.conftest import VALID_FORM, login

LAST_MONTH = (datetime.now(UTC).date().replace(day=1) - timedelta(days=1)).strftime("%Y-%m")
PERSONAL = ("Anna Andersson", "anna@kanalkafeet.se", "070-1234567", "1234567", "811218-9876", "9876")


def a_sole_traders_case(submit, make_user, offices):
    officer = make_user("officer", offices["samhallsbyggnad"])
    when = datetime.strptime(LAST_MONTH + "-10 09:00", "%Y-%m-%d %H:%M").replace(tzinfo=UTC)
    r = submit(when=when, org_number="811218-9876", company_name="Anna Anderssons Kafé",
               subject="Uteservering – ring 070-1234567 eller anna@kanalkafeet.se",
               description="Anna Andersson, personnummer 811218-9876, vill ha uteservering.")
    casework.reply(officer, r.case_id, "Hej Anna Andersson! Svar till anna@kanalkafeet.se", when + timedelta(hours=2))
    casework.close(officer, r.case_id, "answered", when + timedelta(days=1))
    return r, officer


def test_an_analyst_opens_a_case_behind_a_figure_with_every_personal_detail_masked(client, submit, make_user,
                                                                                 offices):
    r, _ = a_sole_traders_case(submit, make_user, offices)
    analyst = make_user("analyst")
    login(client, analyst)
    drill = client.get(f"/reports/cases?month={LAST_MONTH}&metric=received").get_data(as_text=True)
    link = re.search(rf'href="(/reports/cases/{r.case_id}[^"]*)"', drill).group(1).replace("&amp;", "&")
    page = client.get(link)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and r.reference in html
    assert "Uteservering – ring •••" in html  # the subject stays, with its phone and address masked
    for secret in PERSONAL + ("Anna Anderssons Kafé", "vill ha uteservering", "Hej Anna"):
        assert secret not in html, secret
        assert secret not in drill, secret
    assert "•••" in html
    assert "Första svar" in html  # its clocks and what happened, in words
    logged = db.session.scalars(sa.select(AccessLog).where(AccessLog.user_id == analyst.id)).all()
    assert [(a.case_id, a.what) for a in logged] == [(r.case_id, "case:masked")]


def test_no_url_unmasks_a_case_for_an_analyst_or_lets_them_act_on_it(client, submit, make_user, offices):
    r, _ = a_sole_traders_case(submit, make_user, offices)
    reopened_before = db.session.get(Case, r.case_id).status
    login(client, make_user("analyst"))
    for tried in (f"/reports/cases/{r.case_id}?unmask=1", f"/reports/cases/{r.case_id}?full=true&lang=en"):
        html = client.get(tried).get_data(as_text=True)
        assert not any(secret in html for secret in PERSONAL), tried
    assert client.get(f"/staff/cases/{r.case_id}").status_code == 403  # the case page stays staff's
    assert client.get(f"/api/v1/cases/{r.case_id}").status_code == 401
    for action in ("reply", "note", "reopen", "assign", "close"):
        resp = client.post(f"/staff/cases/{r.case_id}/{action}", data={"body": "x", "reason": "x", "outcome":
                                                                       "answered"})
        assert resp.status_code == 403, action
    assert client.post(f"/reports/cases/{r.case_id}", data={"body": "x"}).status_code == 405  # read-only
    db.session.expire_all()
    assert db.session.get(Case, r.case_id).status == reopened_before
    assert client.get("/reports/cases/999999").status_code == 404


def test_other_roles_keep_the_access_they_had(app, submit, make_user, offices):
    r, officer = a_sole_traders_case(submit, make_user, offices)
    other = make_user("officer", offices["miljo"])
    lead = make_user("lead", offices["samhallsbyggnad"])
    client = app.test_client()
    login(client, officer)  # the officer of the case: the full case page, no report view
    full = client.get(f"/staff/cases/{r.case_id}")
    assert full.status_code == 200 and VALID_FORM["contact_email"] in full.get_data(as_text=True)
    assert client.get(f"/reports/cases/{r.case_id}").status_code == 403
    client = app.test_client()
    login(client, other)  # another office's officer: neither
    assert client.get(f"/staff/cases/{r.case_id}").status_code == 404
    assert client.get(f"/reports/cases/{r.case_id}").status_code == 403
    client = app.test_client()
    login(client, lead)  # a lead reads reports: the masked view, and still the full page of the own office
    masked = client.get(f"/reports/cases/{r.case_id}").get_data(as_text=True)
    assert VALID_FORM["contact_email"] not in masked
    assert client.get(f"/staff/cases/{r.case_id}").status_code == 200
    assert app.test_client().get(f"/reports/cases/{r.case_id}").status_code == 302  # anonymous: to the login


def test_masking_free_text_removes_addresses_phone_and_personal_numbers_and_keeps_the_rest():
    text = "Ring 070-123 45 67, +46 11 15 00 00 eller anna.b@ex.se; pnr 19811218-9876 / 811218+9876. CF-2026-00012"
    masked = mask_text(text)
    for secret in ("070-123", "+46 11", "anna.b@ex.se", "19811218-9876", "811218+9876"):
        assert secret not in masked
    assert masked.startswith("Ring •••") and "CF-2026-00012" in masked and "pnr" in masked
    assert mask_text("Bygglov 2026-10-05 för 3 hus, Storgatan 12") == "Bygglov 2026-10-05 för 3 hus, Storgatan 12"
