"""The tracking page of a decided case in real Chromium: the decision apart from the messages, with its reasons and
"Så överklagar du" (or plainly that it cannot be appealed), at 320 and 1280 px, in Swedish and English, axe-core
clean (WCAG 2.1 A/AA), nothing wider than a phone's screen; and the complaint form opened from its link with the
case's reference, with the grounds in the company's words. Screenshots in test-artifacts/screenshots/."""
from __future__ import annotations

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from selenium.webdriver.common.by import By

from caseflow.extensions import db
from caseflow.models import Case
from caseflow.services import casework
from tests.browser.test_accessibility import WIDTHS, page_width_fits, run_axe, screenshot, wait_for

STHLM = ZoneInfo("Europe/Stockholm")
REASONS = ("Bygglov avslås. Tillbyggnaden strider mot detaljplanen för kvarteret Spinnrocken, som anger högst 4,5 "
           "meters byggnadshöjd; den sökta byggnaden är 6,2 meter hög. Avvikelsen är inte liten (PBL 9 kap. 31 b §).")


@pytest.fixture
def decided(submit, make_user, offices):
    """A rejected building permit (appealable to Länsstyrelsen) and a rejected procurement question (not)."""
    officer = make_user("officer", offices["samhallsbyggnad"])
    permit = submit("bygglov", subject="Tillbyggnad av lager på Spinnrocken 3",
                    when=datetime(2026, 11, 2, 9, tzinfo=STHLM))
    casework.reply(officer, permit.case_id, "Tack, vi har börjat handlägga er ansökan.",
                   datetime(2026, 11, 3, 9, tzinfo=STHLM))
    casework.decide(officer, permit.case_id, "rejected", REASONS, datetime(2026, 11, 30, 10, tzinfo=STHLM))
    buyer = make_user("officer", offices["upphandling"])
    final = submit("upphandling", subject="Förlängd anbudstid", when=datetime(2026, 11, 2, 9, tzinfo=STHLM))
    casework.decide(buyer, final.case_id, "rejected", "Anbudstiden förlängs inte: alla anbudsgivare ska ha samma tid.",
                    datetime(2026, 11, 20, 10, tzinfo=STHLM))
    return permit, final


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_a_decided_case_reads_well_on_a_phone_and_a_desktop_with_no_wcag_violations(
        browser, axe_source, live_server, decided, lang):
    permit, final = decided
    browser.delete_all_cookies()
    browser.get(f"{live_server}/?lang={lang}")
    failures, words = {}, {"sv": ("Så överklagar du", "Det här beslutet går inte att överklaga."),
                           "en": ("How to appeal", "This decision cannot be appealed.")}[lang]
    for name, receipt, expected in (("track-decision", permit, words[0]), ("track-final", final, words[1])):
        for label, width in WIDTHS.items():
            browser.set_window_size(width, 900)
            browser.get(f"{live_server}/track/{receipt.token}")
            wait_for(browser, By.ID, "decision")
            section = browser.find_element(By.ID, "decision")
            assert expected in section.text
            assert section.location["y"] < browser.find_element(By.ID, "conv").location["y"]  # before the messages
            assert page_width_fits(browser), (name, width)
            violations = run_axe(browser, axe_source)
            if violations:
                failures[f"{name} ({label}, {lang})"] = violations
            screenshot(browser, f"{name}-{lang}", width)
    assert failures == {}, json.dumps(failures, indent=1, ensure_ascii=False)


def test_the_complaint_link_opens_the_form_with_the_reference_and_the_grounds_on_a_phone(
        browser, axe_source, live_server, decided):
    permit, _final = decided
    reference = db.session.get(Case, permit.case_id).reference
    browser.delete_all_cookies()
    browser.set_window_size(320, 900)
    browser.get(f"{live_server}/track/{permit.token}?lang=sv")
    browser.find_element(By.LINK_TEXT, "Klaga på handläggningen").click()
    wait_for(browser, By.ID, "related_reference")
    assert browser.find_element(By.ID, "related_reference").get_attribute("value") == reference
    assert browser.find_element(By.CSS_SELECTOR, "input[name=kind][value=complaint]").is_selected()
    grounds = browser.find_element(By.ID, "complaint_ground")
    assert grounds.is_displayed() and "Det tog för lång tid" in grounds.text
    assert "Till exempel om ni väntade länge" in grounds.text
    assert page_width_fits(browser)
    assert run_axe(browser, axe_source) == []
    screenshot(browser, "submit-complaint-from-decision-sv", 320)
