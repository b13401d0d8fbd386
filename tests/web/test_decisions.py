"""Decisions as decisions: shown to the company apart from the messages, with the decision's reasons and what
förvaltningslagen 33 § asks — how to appeal, to whom and by when — where the category's decisions can be
appealed, a plain "cannot be appealed" where they cannot; in the tracking page and the decision mail, in Swedish
and English; and a link to complain about the handling, prefilled with the case's reference and nothing else."""
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from caseflow.extensions import db
from caseflow.models import AuditLog, Case, CaseEvent, CaseLink, Outbox
from caseflow.services import casework, decisions, mail, tracking
from tests.conftest import VALID_FORM, login

STHLM = ZoneInfo("Europe/Stockholm")
REASONS = "Bygglov avslås. Tillbyggnaden strider mot detaljplanen, som anger högst 4,5 meters byggnadshöjd."


def local(*args):
    return datetime(*args, tzinfo=STHLM)


@pytest.fixture
def officer(make_user, offices):
    return lambda code="samhallsbyggnad": make_user("officer", offices[code])


def track(client, receipt, lang="sv"):
    return client.get(f"/track/{receipt.token}?lang={lang}").get_data(as_text=True)


def decision_mail(case_id):
    row = db.session.scalars(sa.select(Outbox).where(
        Outbox.case_id == case_id, Outbox.payload["template"].as_string() == "decision").order_by(Outbox.id)).all()[-1]
    return row.result["text"]


def rendered_html(case_id):
    case = db.session.get(Case, case_id)
    return mail.render("decision", to=case.contact_email, lang=case.language, message_id="<t@x>", case=case,
                       decision=decisions.latest(case), tracking_url=tracking.tracking_url(case.tracking_salt)).html


def test_a_rejected_building_permit_is_shown_apart_with_its_reasons_and_how_to_appeal_to_lansstyrelsen(
        client, submit, officer):
    r = submit("bygglov", subject="Tillbyggnad av lager", when=local(2026, 11, 23, 9))
    casework.decide(officer(), r.case_id, "rejected", REASONS, local(2026, 11, 30, 10))  # Monday
    html = track(client, r)
    decision = html[html.index('id="decision"'):html.index('id="conv"')]
    assert "Beslut: Avslag" in decision and "Samhällsbyggnadskontoret · 30 november 2026" in decision
    assert "Beslutet och skälen för det" in decision and REASONS in decision
    assert "Så överklagar du" in decision and "Länsstyrelsen Östergötland" in decision
    assert "Skriv till oss på Samhällsbyggnadskontoret, inte till Länsstyrelsen Östergötland" in decision
    assert f"ärende {db.session.get(Case, r.case_id).reference}" in decision and "vilken ändring du vill ha" in decision
    assert "inom 3 veckor från den dag du fick del av beslutet" in decision
    # three calendar weeks from Monday 30 November 2026
    assert "Fick du beslutet måndag 30 november 2026 ska överklagandet ha kommit in till oss senast måndag 21 " \
           "december 2026" in decision
    assert "skickar det vidare till Länsstyrelsen Östergötland" in decision
    # apart from the messages: the conversation points to it instead of repeating it
    assert html.count(REASONS) == 1 and "Beslutet med skälen för det står ovanför." in html
    assert "Klaga på handläggningen" in decision


def test_the_last_day_to_appeal_moves_past_christmas_by_the_1930_173_rule(client, submit, officer):
    r = submit("bygglov", when=local(2026, 11, 23, 9))
    casework.decide(officer(), r.case_id, "rejected", REASONS, local(2026, 12, 3, 10))  # Thu: +3 w = julafton
    assert "senast måndag 28 december 2026" in track(client, r)


def test_the_appeal_notice_reads_in_english_for_an_english_page_and_mail(client, submit, officer):
    r = submit("livsmedel", language="en", subject="Registration of a food truck", when=local(2026, 11, 23, 9))
    casework.decide(officer("miljo"), r.case_id, "partly_granted", "Registered for sales of packaged food only.",
                    local(2026, 11, 30, 10))
    page = track(client, r, "en")
    assert "How to appeal" in page and "Förvaltningsrätten i Linköping tries the appeal" in page
    assert "within 3 weeks from the day you received the decision" in page
    assert "If you received it on Monday 30 November 2026, it must reach us by Monday 21 December 2026" in page
    text = decision_mail(r.case_id)
    assert "How to appeal" in text and "Förvaltningsrätten i Linköping" in text and "Monday 21 December 2026" in text
    assert "Registered for sales of packaged food only." in text
    html = rendered_html(r.case_id)
    assert "How to appeal" in html and "Monday 21 December 2026" in html and 'lang="en"' in html


def test_the_decision_mail_carries_the_reasons_the_appeal_notice_and_the_complaint_link_in_swedish(
        submit, officer):
    r = submit("bygglov", when=local(2026, 11, 23, 9))
    casework.decide(officer(), r.case_id, "rejected", REASONS, local(2026, 11, 30, 10))
    ref = db.session.get(Case, r.case_id).reference
    for body in (decision_mail(r.case_id), rendered_html(r.case_id)):
        assert REASONS in body and "Så överklagar du" in body and "Länsstyrelsen Östergötland" in body
        assert "måndag 21 december 2026" in body
        assert "Klaga på handläggningen" in body
        assert f"/submit?kind=complaint&amp;related_reference={ref}" in body \
            or f"/submit?kind=complaint&related_reference={ref}" in body


def test_a_decision_in_a_category_that_cannot_be_appealed_says_so_plainly_in_page_and_mail(
        client, submit, officer):
    r = submit("upphandling", subject="Hur lämnar vi anbud?", when=local(2026, 11, 23, 9))
    casework.decide(officer("upphandling"), r.case_id, "rejected", "Vi kan inte förlänga anbudstiden.",
                    local(2026, 11, 30, 10))
    for body in (track(client, r), decision_mail(r.case_id), rendered_html(r.case_id)):
        assert "Det här beslutet går inte att överklaga." in body and "Så överklagar du" not in body
    assert "This decision cannot be appealed." in track(client, r, "en")


def test_an_answered_question_in_an_appealable_category_is_no_decision_to_appeal(client, submit, officer):
    r = submit("bygglov", kind="question", subject="Behövs bygglov för skylt?", when=local(2026, 11, 23, 9))
    casework.decide(officer(), r.case_id, "answered", "Ja, skyltar kräver bygglov.", local(2026, 11, 24, 10))
    html = track(client, r)
    assert "Det här beslutet går inte att överklaga." in html and "Så överklagar du" not in html


def test_a_category_whose_appeal_is_not_configured_tells_the_company_to_ask_never_that_it_cannot(
        client, submit, officer, category):
    category("bygglov").appealable = None  # through the ORM, as the admin's save: the configuration is reloaded
    db.session.commit()
    r = submit("bygglov", when=local(2026, 11, 23, 9))
    casework.decide(officer(), r.case_id, "rejected", REASONS, local(2026, 11, 30, 10))
    html = track(client, r)
    assert "Fråga oss om du vill veta om och hur beslutet kan överklagas." in html
    assert "går inte att överklaga" not in html and "Så överklagar du" not in html


def test_the_seeded_categories_carry_realistic_appeal_rules(offices, category):
    assert (category("bygglov").appealable, category("bygglov").appeal_body, category("bygglov").appeal_weeks) \
        == (True, "Länsstyrelsen Östergötland", 3)
    assert category("livsmedel").appealable and category("livsmedel").appeal_body == "Förvaltningsrätten i Linköping"
    assert category("upphandling").appealable is False and category("foretagslots").appealable is False


# -- the complaint link -------------------------------------------------------------------------------------------
def test_attacker_with_only_a_reference_learns_nothing_of_the_case_and_cannot_attach_a_complaint_to_it(
        client, submit, officer):
    """Case references are sequential and easy to guess. The prefilled complaint link carries only the reference:
    opening it for someone else's case shows nothing of that case, and a complaint filed with another
    organisation number is refused without linking or recording anything on the victim's case."""
    victim = submit("bygglov", subject="Hemlig tillbyggnad Spinnrocken 3", description="Ritningar bifogas.",
                    company_name="Offerbolaget AB", contact_email="vd@offerbolaget.se", contact_name="Vera Offer",
                    org_number="212000-0142")
    casework.decide(officer(), victim.case_id, "rejected", REASONS, local(2026, 11, 30, 10))
    ref = db.session.get(Case, victim.case_id).reference
    page = client.get(f"/submit?kind=complaint&related_reference={ref}").get_data(as_text=True)
    assert f'name="related_reference" type="text" value="{ref}"' in page
    assert re.search(r'<input checked[^>]*value="complaint"', page)
    for secret in ("Spinnrocken", "Offerbolaget", "vd@offerbolaget.se", "Vera Offer", "Ritningar", "212000-0142",
                   "avslås", "Samhällsbyggnadskontoret"):
        assert secret not in page
    events_before = db.session.scalar(sa.select(sa.func.count()).select_from(CaseEvent)
                                      .where(CaseEvent.case_id == victim.case_id))
    resp = client.post("/submit", data=dict(VALID_FORM, org_number="556036-0793", company_name="Angriparen AB",
                                            kind="complaint", complaint_ground="other", related_reference=ref,
                                            category_id="0"))
    assert resp.status_code == 422 and "Offerbolaget" not in resp.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Case)) == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CaseLink)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CaseEvent)
                             .where(CaseEvent.case_id == victim.case_id)) == events_before


def test_the_complaint_link_carries_the_reference_never_the_private_token(client, submit, officer):
    r = submit("bygglov")
    casework.decide(officer(), r.case_id, "rejected", REASONS, local(2026, 11, 30, 10))
    ref = db.session.get(Case, r.case_id).reference
    html = track(client, r)
    links = re.findall(r'href="([^"]*/submit\?[^"]*)"', html)
    assert links == [f"/submit?kind=complaint&amp;related_reference={ref}"]
    assert r.token not in decision_mail(r.case_id).split("Klaga på handläggningen")[1].splitlines()[0]


def test_the_complaint_link_is_on_the_tracking_page_of_a_case_without_decision_too(client, submit):
    r = submit("bygglov")
    ref = db.session.get(Case, r.case_id).reference
    html = track(client, r)
    assert "Klaga på handläggningen" in html and f"related_reference={ref}" in html and 'id="decision"' not in html


def test_a_prefill_that_is_not_a_reference_is_dropped_not_echoed(client, offices):
    page = client.get('/submit?kind=complaint&related_reference="><script>alert(1)</script>').get_data(as_text=True)
    assert "<script>alert(1)" not in page and 'name="related_reference" type="text" value=""' in page
    page = client.get("/submit?kind=errand&related_reference=CF-2026-00001").get_data(as_text=True)
    assert 'value="CF-2026-00001"' not in page  # only the complaint link prefills


def test_a_complaint_through_the_link_is_linked_to_the_case_for_the_officer(client, submit, officer, category):
    r = submit("bygglov")
    o = officer()
    casework.decide(o, r.case_id, "rejected", REASONS, local(2026, 11, 30, 10))
    ref = db.session.get(Case, r.case_id).reference
    form = dict(VALID_FORM, kind="complaint", complaint_ground="too_slow", related_reference=ref,
                category_id=str(category("bygglov").id), subject="Det tog för lång tid",
                description="Vi väntade i tio veckor på beslutet.")
    assert client.post("/submit", data=form).status_code == 302
    complaint = db.session.scalar(sa.select(Case).where(Case.kind == "complaint"))
    assert db.session.scalar(sa.select(CaseLink).where(CaseLink.case_id == complaint.id)).other_case_id == r.case_id
    linked = db.session.scalars(sa.select(CaseEvent.data).where(CaseEvent.case_id == r.case_id,
                                                                 CaseEvent.kind == "linked")).all()
    assert linked and linked[0]["other_reference"] == complaint.reference
    login(client, o)
    assert complaint.reference in client.get(f"/staff/cases/{r.case_id}").get_data(as_text=True)
    assert ref in client.get(f"/staff/cases/{complaint.id}").get_data(as_text=True)


# -- administration -------------------------------------------------------------------------------------------------
CATEGORY_FORM = {"code": "bygglov", "name": "Bygglov och förhandsbesked", "name_en": "Building permit",
                 "kinds": "errand,question,complaint,feedback", "default_office_id": "0", "statutory": "pbl_bygglov",
                 "position": "0", "active": "y"}


def test_admin_sets_the_appeal_rules_of_a_category_checked_and_audited_and_the_company_sees_them(
        client, submit, officer, make_user, category):
    login(client, make_user("admin"))
    cat = category("bygglov")
    form = client.get(f"/admin/categories/{cat.id}").get_data(as_text=True)
    assert "Kan kategorins beslut överklagas?" in form and "Överklagas till" in form and "Veckor att överklaga" in form
    assert "Can its decisions be appealed?" in client.get(f"/admin/categories/{cat.id}?lang=en").get_data(as_text=True)
    bad = client.post(f"/admin/categories/{cat.id}?lang=sv",
                      data=dict(CATEGORY_FORM, appealable="True", appeal_body=" ", appeal_weeks="0"))
    assert bad.status_code == 422
    assert "Skriv tiden för att överklaga som ett helt antal veckor från 1 till 52." in bad.get_data(as_text=True)
    ok = client.post(f"/admin/categories/{cat.id}", data=dict(
        CATEGORY_FORM, appealable="True", appeal_body="Mark- och miljödomstolen vid Växjö tingsrätt",
        appeal_weeks="4"))
    assert ok.status_code == 302
    entry = db.session.scalar(sa.select(AuditLog).where(AuditLog.entity == "categories"))
    assert entry.changes["appeal_weeks"] == [3, 4]
    client.get("/staff/logout")
    r = submit("bygglov", when=local(2026, 11, 23, 9))
    casework.decide(officer(), r.case_id, "rejected", REASONS, local(2026, 11, 30, 10))
    html = track(client, r)
    assert "Mark- och miljödomstolen vid Växjö tingsrätt" in html and "inom 4 veckor" in html
    # made not appealable: body and weeks are cleared, and the page says so plainly
    login(client, make_user("admin"))
    client.post(f"/admin/categories/{cat.id}", data=dict(CATEGORY_FORM, appealable="False",
                                                         appeal_body="Kvar", appeal_weeks="3"))
    db.session.expire_all()
    assert (category("bygglov").appeal_body, category("bygglov").appeal_weeks) == ("", None)
    assert "Det här beslutet går inte att överklaga." in track(client, r)
