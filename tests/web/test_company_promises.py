"""What the company is promised is the date its case's clock holds, everywhere it looks (start page, receipt page,
receipt mail, tracking page, every mail to it), and every status says what happens next. Issue 19, deliverables 1,
2 and the promise test of 7."""
import re
from datetime import UTC, datetime, timedelta
from html import unescape

import pytest
import sqlalchemy as sa
from babel.dates import format_date

from caseflow.domain import sla as clock_rules
from caseflow.extensions import db
from caseflow.models import Case, Outbox, SlaClock, SlaPolicy
from caseflow.services import admin, casework, sla
from tests.conftest import VALID_FORM

STOCKHOLM = "Europe/Stockholm"


def text_of(html: str) -> str:
    """A page or an HTML mail as the reader sees its words (tags gone, whitespace collapsed)."""
    html = re.sub(r"<(script|style).*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def day_words(instant: datetime, locale: str = "sv") -> str:
    """A clock's due instant as the company reads it: weekday, day and month in Stockholm ("onsdag 2 december"),
    and the year when it is not this year's."""
    tz = clock_rules.BusinessCalendar().tz
    local = instant.astimezone(tz)
    pattern = "EEEE d MMMM" if local.year == datetime.now(tz).year else "EEEE d MMMM y"
    return format_date(local.date(), pattern, locale=locale)


def clock(case: Case, name: str) -> SlaClock:
    db.session.expire_all()
    return db.session.scalar(sa.select(SlaClock).where(SlaClock.case_id == case.id, SlaClock.name == name))


def file_case(client, category, code="markupplatelse", lang="sv", **overrides) -> tuple[Case, str, str]:
    """File through the public form; returns the case, the receipt page's text and the tracking path."""
    data = dict(VALID_FORM, category_id=str(category(code).id))
    data.update(overrides)
    resp = client.post(f"/submit?lang={lang}", data=data)
    assert resp.status_code == 302, text_of(resp.get_data(as_text=True))[:500]
    html = client.get("/receipt").get_data(as_text=True)
    ref = re.search(r"CF-\d{4}-\d{5}", html).group(0)
    path = re.search(r'href="http://localhost(/track/[0-9a-f]{48})"', html).group(1)
    return db.session.scalar(sa.select(Case).where(Case.reference == ref)), text_of(html), path


def mail_text(case: Case, template: str) -> str:
    rows = db.session.scalars(sa.select(Outbox).where(
        Outbox.case_id == case.id, Outbox.payload["template"].as_string() == template).order_by(Outbox.id)).all()
    assert rows and rows[-1].status == "sent", f"no {template} mail sent"
    return re.sub(r"\s+", " ", rows[-1].result["text"])


def officer_of(case: Case, make_user):
    return make_user("officer", office=case.office)


# -- the promise test of deliverable 7 ---------------------------------------------------------------------------
def test_a_changed_first_response_target_is_the_new_date_everywhere_the_company_looks(client, category, make_user):
    policy = db.session.scalar(sa.select(SlaPolicy).where(
        SlaPolicy.clock == "first_response", SlaPolicy.kind.is_(None), SlaPolicy.category_id.is_(None),
        SlaPolicy.priority.is_(None)))
    assert policy.unit == "working_days" and policy.target == 2
    admin.save(make_user("admin"), "policies", policy.id,
               {"unit": "working_days", "target": 3, "warn_percent": policy.warn_percent}, datetime.now(UTC))

    home = text_of(client.get("/").get_data(as_text=True))
    case, receipt, track_path = file_case(client, category)
    fr = clock(case, "first_response")
    assert fr.target == 3  # the case's clock follows the changed promise ...
    new = day_words(fr.due_at)
    # ... and the date it would have had under the old one is nowhere (the engine's own arithmetic, target 2)
    old = day_words(clock_rules.base_due(sla.calendar(), clock_rules.ClockSpec("working_days", 2), case.created_at))
    assert new != old
    track = text_of(client.get(track_path).get_data(as_text=True))
    mail = mail_text(case, "receipt")
    places = {"home page": home, "receipt page": receipt, "receipt mail": mail, "tracking page": track}
    for where, text in places.items():
        assert f"senast {new}" in text, where
        assert old not in text, where
    assert "Första svar inom 3 arbetsdagar" in home and "Första svar inom 2 arbetsdagar" not in home
    assert f"Vi svarar senast {new}." in receipt and f"Vi svarar senast {new}." in mail

    en = text_of(client.get(track_path + "?lang=en").get_data(as_text=True))
    assert f"We answer by {day_words(fr.due_at, 'en')} at the latest." in en


# -- dates, not phrases ------------------------------------------------------------------------------------------
def test_a_complaint_is_promised_its_acknowledgement_and_its_answer_by_their_clocks(client, category):
    case, receipt, track_path = file_case(client, category, kind="complaint", complaint_ground="treated_badly")
    ack, answer = day_words(clock(case, "acknowledgement").due_at), day_words(clock(case, "resolution").due_at)
    for text in (receipt, mail_text(case, "receipt"), text_of(client.get(track_path).get_data(as_text=True))):
        assert f"Vi bekräftar ditt klagomål senast {ack}." in text
        assert f"Vi besvarar ditt klagomål senast {answer}." in text


def test_a_statutory_case_states_the_legal_period_what_starts_it_and_its_deadline(client, category, make_user):
    case, receipt, track_path = file_case(client, category, code="bygglov")
    pbl = clock(case, "pbl")
    legal = (f"Enligt plan- och bygglagen ska vi besluta inom 10 veckor från att ansökan är komplett: "
             f"vi beslutar senast {day_words(pbl.due_at)}")
    assert legal in receipt and legal in mail_text(case, "receipt")
    # the statutory clock does not pause for a completion, so the receipt does not say it would
    assert "Behöver vi mer från dig frågar vi." in receipt and "Då står klockan still" not in receipt

    # a completion asked for within three weeks: the statutory period starts when it arrives
    casework.request_completion(officer_of(case, make_user), case.id, "Vi behöver ritningarna.", datetime.now(UTC))
    waiting = ("Enligt plan- och bygglagen ska vi besluta inom 10 veckor från att ansökan är komplett. "
               "Tiden börjar räknas när vi har fått din komplettering.")
    page = text_of(client.get(track_path).get_data(as_text=True))
    assert waiting in page and "pausas" not in page  # the statutory clock waits for the completion, it does not pause
    assert waiting in mail_text(case, "completion_request")

    client.post(track_path, data={"body": "Här är ritningarna."})
    started = clock(case, "pbl")
    assert started.started_at is not None
    assert f"vi beslutar senast {day_words(started.due_at)}" in text_of(client.get(track_path).get_data(as_text=True))


def test_an_extended_statutory_deadline_and_a_request_for_a_decision_show_their_clocks_dates(client, category,
                                                                                               make_user):
    case, _receipt, track_path = file_case(client, category, code="bygglov")
    officer, now = officer_of(case, make_user), datetime.now(UTC)
    casework.extend_statutory_deadline(officer, case.id, 6, "Vi inväntar ett yttrande från Trafikverket.", now)
    casework.register_decision_request(officer, case.id, now, now)
    page = text_of(client.get(track_path).get_data(as_text=True))
    extended = clock(case, "pbl")
    assert (f"Vi har förlängt tiden en gång, med 6 veckor, som lagen tillåter: vi beslutar senast "
            f"{day_words(extended.due_at)}.") in page
    assert (f"Du har begärt att ärendet avgörs (förvaltningslagen 12 §): vi avgör det, eller avslår begäran i ett "
            f"eget beslut, senast {day_words(clock(case, 'fl12').due_at)}.") in page


def test_a_category_decision_in_weeks_shows_its_date_and_what_starts_it(client, category):
    case, receipt, _path = file_case(client, category, code="livsmedel")
    assert "Behöver vi mer från dig frågar vi. Då står klockan still tills du har svarat." in receipt
    res = clock(case, "resolution")
    assert res.unit == "calendar_weeks"
    assert (f"Vi beslutar senast {day_words(res.due_at)}: {res.target} veckor från att ärendet kom in, utan den tid "
            f"vi väntar på komplettering från dig.") in receipt


def test_a_paused_clock_is_explained_and_the_new_date_shown_once_it_runs_again(client, category, make_user):
    case, _receipt, track_path = file_case(client, category)
    casework.request_completion(officer_of(case, make_user), case.id, "Vilken yta gäller det?", datetime.now(UTC))
    assert clock(case, "resolution").due_at is None  # paused
    paused = ("Klockan står still medan vi väntar på din komplettering. "
              "När du har svarat räknas tiden för vårt beslut vidare.")
    page = text_of(client.get(track_path).get_data(as_text=True))
    assert paused in page and "Vi beslutar senast" not in page
    assert paused in mail_text(case, "completion_request")
    assert "The clock stands still while we wait for your completion." in text_of(
        client.get(track_path + "?lang=en").get_data(as_text=True))

    client.post(track_path, data={"body": "Tio kvadratmeter."})
    due = clock(case, "resolution").due_at
    page = text_of(client.get(track_path + "?lang=sv").get_data(as_text=True))
    assert f"Vi beslutar senast {day_words(due)}" in page and "Klockan står still" not in page


def test_a_promise_past_its_breach_instant_says_we_are_late(client, category, submit):
    receipt = submit("markupplatelse", when=datetime.now(UTC) - timedelta(days=10))
    case = db.session.get(Case, receipt.case_id)
    page = text_of(client.get(f"/track/{receipt.token}").get_data(as_text=True))
    assert f"Vi lovade att svara senast {day_words(clock(case, 'first_response').due_at)} och är sena." in page


# -- what happens next -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("lang,words", [
    ("sv", {"new": "Du behöver inte göra något just nu.",
            "awaiting_customer": "Svara på vår fråga i formuläret nedan.",
            "decided": "Det finns ett beslut i ditt ärende.",
            "closed": "Ditt ärende är avslutat."}),
    ("en", {"new": "You do not need to do anything now.",
            "awaiting_customer": "Answer our question in the form below.",
            "decided": "There is a decision in your case.",
            "closed": "Your case is closed."}),
])
def test_the_tracking_page_says_what_happens_next_in_each_status(client, category, make_user, lang, words):
    case, _receipt, track_path = file_case(client, category)
    officer, now = officer_of(case, make_user), datetime.now(UTC)

    def page():
        return text_of(client.get(f"{track_path}?lang={lang}").get_data(as_text=True))

    assert words["new"] in page()
    casework.request_completion(officer, case.id, "Vilken yta?", now)
    assert words["awaiting_customer"] in page() and words["new"] not in page()
    client.post(track_path, data={"body": "Tio kvadratmeter."})
    casework.decide(officer, case.id, "granted", "Ni får upplåta ytan.", now)
    assert words["decided"] in page()
    casework.close(officer, case.id, "granted", now)
    text = page()
    assert words["closed"] in text and words["decided"] not in text


def test_every_mail_to_the_company_says_what_happens_next(client, category, make_user):
    case, _receipt, _path = file_case(client, category)
    officer, now = officer_of(case, make_user), datetime.now(UTC)
    assert "Ditt ärende ligger hos Samhällsbyggnadskontoret." in mail_text(case, "receipt")
    casework.reply(officer, case.id, "Vi tittar på det.", now)
    reply = mail_text(case, "reply")
    assert "Vill du svara eller lägga till något skriver du på ärendesidan." in reply
    assert f"Vi beslutar senast {day_words(clock(case, 'resolution').due_at)}" in reply
    casework.send_delay_notice(officer, case.id, "Vi väntar på ett yttrande från polisen.", now)
    assert f"Vi beslutar senast {day_words(clock(case, 'resolution').due_at)}" in mail_text(case, "delay_notice")
    casework.request_completion(officer, case.id, "Vilken yta?", now)
    assert "Svara på vår fråga på ärendesidan." in mail_text(case, "completion_request")
    casework.decide(officer, case.id, "granted", "Ni får upplåta ytan.", now)
    assert "Det finns ett beslut i ditt ärende." in mail_text(case, "decision")
    casework.close(officer, case.id, "granted", now)
    closed = mail_text(case, "closed")
    assert "Ditt ärende är avslutat." in closed and "senast" not in closed  # no promise left open


def test_an_english_case_gets_its_promises_in_english_with_english_dates(client, category):
    case, receipt, _path = file_case(client, category, lang="en")
    due = clock(case, "first_response").due_at
    assert f"We answer by {day_words(due, 'en')} at the latest." in receipt
    mail = mail_text(case, "receipt")
    assert f"We answer by {day_words(due, 'en')} at the latest." in mail and "What happens next" in mail


def test_the_start_page_lists_the_configured_promises_and_follows_a_deactivated_one(client, offices, make_user):
    html = text_of(client.get("/").get_data(as_text=True))
    assert "Våra servicelöften" in html and "Beslut inom 15 arbetsdagar" in html
    assert "Beslut inom 10 veckor från att ansökan är komplett (plan- och bygglagen)" in html
    policy = db.session.scalar(sa.select(SlaPolicy).where(SlaPolicy.target == 15))
    admin.save(make_user("admin"), "policies", policy.id, {"unit": policy.unit, "target": policy.target,
                                                           "warn_percent": policy.warn_percent, "active": False},
               datetime.now(UTC))
    assert "Beslut inom 15 arbetsdagar" not in text_of(client.get("/").get_data(as_text=True))


@pytest.mark.parametrize("lang,due,unit,words", [
    ("sv", datetime(2026, 12, 2, 16, 0, tzinfo=UTC), "working_days", "onsdag 2 december"),
    ("en", datetime(2026, 12, 2, 16, 0, tzinfo=UTC), "working_days", "Wednesday 2 December"),
    ("sv", datetime(2026, 12, 2, 11, 0, tzinfo=UTC), "working_hours", "onsdag 2 december kl. 12:00"),
    ("en", datetime(2026, 12, 2, 11, 0, tzinfo=UTC), "working_hours", "Wednesday 2 December at 12:00"),
    ("sv", datetime(2027, 1, 5, 22, 59, 59, tzinfo=UTC), "calendar_weeks", "tisdag 5 januari 2027"),
    ("sv", datetime(2026, 12, 31, 23, 30, tzinfo=UTC), "calendar_weeks", "fredag 1 januari 2027"),  # Stockholm's date
])
def test_a_due_instant_reads_as_a_stockholm_date_in_the_page_language(app, lang, due, unit, words):
    from flask_babel import force_locale

    from caseflow.web.promises import when

    with app.test_request_context("/"), force_locale(lang):
        assert when(due, unit, now=datetime(2026, 11, 30, 12, tzinfo=UTC)) == words


def test_the_report_charts_promise_line_follows_the_configured_first_response_promise(client, submit, make_user):
    from tests.conftest import login

    submit()
    login(client, make_user("analyst"))
    assert "Löfte: 2 arbetsdagar = 18 h" in client.get("/reports/").get_data(as_text=True)  # 9-hour working days
    policy = db.session.scalar(sa.select(SlaPolicy).where(
        SlaPolicy.clock == "first_response", SlaPolicy.kind.is_(None), SlaPolicy.category_id.is_(None),
        SlaPolicy.priority.is_(None)))
    admin.save(make_user("admin"), "policies", policy.id,
               {"unit": "working_days", "target": 3, "warn_percent": policy.warn_percent}, datetime.now(UTC))
    html = client.get("/reports/").get_data(as_text=True)
    assert "Löfte: 3 arbetsdagar = 27 h" in html and "Löfte: 2 arbetsdagar" not in html
