"""The company's promises and next steps in a real browser: start page, receipt, and the tracking page in each
state (with us, waiting on the company, decided, closed; a complaint; a statutory case), in Swedish and English
at 320 and 1280 px. axe-core finds nothing, nothing is wider than the screen, and the date shown is the one the
case's clock holds. Screenshots: test-artifacts/screenshots/promises-*.png."""
from __future__ import annotations

import json
from datetime import UTC, datetime
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa
from babel.dates import format_date
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from caseflow.domain.calendar import BusinessCalendar
from caseflow.extensions import db
from caseflow.models import Case, SlaClock
from caseflow.services import casework
from tests.browser.test_accessibility import WIDTHS, page_width_fits, run_axe, screenshot, wait_for

CATEGORY = {"sv": "Markupplåtelse", "en": "Use of public land"}


def due_words(case_id: int, clock: str, lang: str) -> str:
    db.session.expire_all()
    due = db.session.scalar(sa.select(SlaClock.due_at).where(SlaClock.case_id == case_id, SlaClock.name == clock))
    tz = BusinessCalendar().tz
    pattern = "EEEE d MMMM" if due.astimezone(tz).year == datetime.now(tz).year else "EEEE d MMMM y"
    return format_date(due.astimezone(tz).date(), pattern, locale=lang)


def file_in_browser(browser, live_server: str, lang: str) -> tuple[str, str]:
    """File a case through the form at 320 px; returns its reference and tracking path."""
    browser.delete_all_cookies()
    browser.set_window_size(320, 900)
    browser.get(f"{live_server}/submit?lang={lang}")
    browser.find_element(By.ID, "kind-0").click()
    select = Select(browser.find_element(By.ID, "category_id"))
    choice = next(o.text for o in select.options if o.text.startswith(CATEGORY[lang][:6]))
    select.select_by_visible_text(choice)
    for field, value in {"subject": "Uteservering", "description": "Sex bord på torget.",
                         "org_number": "556036-0793", "company_name": "Kanalkaféet AB",
                         "contact_name": "Anna Andersson", "contact_email": "anna@kanalkafeet.se"}.items():
        browser.find_element(By.ID, field).send_keys(value)
    browser.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    wait_for(browser, By.CLASS_NAME, "reference")
    reference = browser.find_element(By.CLASS_NAME, "reference").text
    track = urlsplit(browser.find_element(By.CSS_SELECTOR, ".track-link a").get_attribute("href")).path
    return reference, track


@pytest.fixture
def cases(submit, make_user, offices):
    """Tracking tokens of cases in each state the page speaks of."""
    now = datetime.now(UTC)
    officer = make_user("officer", offices["samhallsbyggnad"])
    made = {"with-us": submit(), "awaiting": submit(), "decided": submit(), "closed": submit(),
            "complaint": submit(kind="complaint", complaint_ground="effektivitet"), "statutory": submit("bygglov")}
    casework.request_completion(officer, made["awaiting"].case_id, "Hur många bord?", now)
    casework.decide(officer, made["decided"].case_id, "granted", "Ni får ställa ut sex bord.", now)
    casework.close(officer, made["closed"].case_id, "answered", now, "Klart.")
    return made


NEXT = {"sv": {"with-us": "Du behöver inte göra något just nu.", "awaiting": "Klockan står still",
               "decided": "Det finns ett beslut i ditt ärende.", "closed": "Ditt ärende är avslutat.",
               "complaint": "Vi besvarar ditt klagomål senast", "statutory": "från att ansökan är komplett"},
        "en": {"with-us": "You do not need to do anything now.", "awaiting": "The clock stands still",
               "decided": "There is a decision in your case.", "closed": "Your case is closed.",
               "complaint": "We answer your complaint by", "statutory": "from when your application is complete"}}


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_promise_pages_are_accessible_fit_the_phone_and_show_the_clocks_dates(browser, axe_source, live_server,
                                                                             cases, lang):
    reference, track = file_in_browser(browser, live_server, lang)
    case_id = db.session.scalar(sa.select(Case.id).where(Case.reference == reference))
    answer_by = due_words(case_id, "first_response", lang)
    failures, missing = {}, []
    pages = [("receipt", None, lambda: browser.get(f"{live_server}/receipt")),
             ("start", None, lambda: browser.get(f"{live_server}/")),
             ("track-filed", answer_by, lambda: browser.get(live_server + track))]
    pages += [(f"track-{state}", NEXT[lang][state], lambda t=r.token: browser.get(f"{live_server}/track/{t}"))
              for state, r in cases.items()]
    for name, expected, go in pages:
        for label, width in WIDTHS.items():
            browser.set_window_size(width, 900)
            go()
            wait_for(browser, By.CSS_SELECTOR, "main h1")
            assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == lang
            text = browser.find_element(By.TAG_NAME, "main").text
            if name in ("receipt", "start", "track-filed") and answer_by not in text:
                missing.append(f"{name} {label}: no {answer_by!r}")
            if expected and expected not in text:
                missing.append(f"{name} {label}: no {expected!r}")
            if not page_width_fits(browser):
                missing.append(f"{name} {label}: wider than the screen")
            violations = run_axe(browser, axe_source)
            if violations:
                failures[f"{name} ({label}, {lang})"] = violations
            screenshot(browser, f"promises-{name}-{lang}", width)
    assert missing == []
    assert failures == {}, json.dumps(failures, indent=1, ensure_ascii=False)
