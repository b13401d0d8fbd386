"""The intake form with its errors and the satisfaction survey in real Chromium, at phone (320 px) and desktop
(1280 px) width, in Swedish and English: axe-core finds no WCAG 2.1 A/AA violation, the error summary lists the
errors in the order of the fields and each link reaches its field, the survey's scale stays on one line, and an
answer with "vet ej" is saved as no rating. Screenshots land in test-artifacts/screenshots/ (forms-*, survey-*)."""
from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from selenium.webdriver.common.by import By

from caseflow.extensions import db
from caseflow.models import Survey
from caseflow.services import casework, surveys
from tests.browser.test_accessibility import page_width_fits, run_axe, screenshot, wait_for

WIDTHS = (320, 1280)

SUMMARY_TARGETS = "return [...document.querySelectorAll('#error-summary a')].map(a => a.hash.slice(1))"
# every element the summary links to, in the order of the document
IN_PAGE_ORDER = ("const ids = arguments[0];"
                 "return [...document.querySelectorAll('[id]')].map(e => e.id).filter(id => ids.includes(id))")


@pytest.fixture
def survey_path(live_server, submit, make_user, offices) -> str:
    officer = make_user("officer", offices["samhallsbyggnad"])
    receipt = submit()
    casework.close(officer, receipt.case_id, "answered", datetime.now(UTC))
    survey = db.session.scalar(sa.select(Survey).where(Survey.case_id == receipt.case_id))
    return f"{live_server}/survey/{surveys.token_for(survey.salt)}"


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_intake_form_with_errors_is_accessible_and_its_summary_follows_the_fields(browser, axe_source,
                                                                                      live_server, offices, lang):
    failures = {}
    for width in WIDTHS:
        browser.delete_all_cookies()
        browser.set_window_size(width, 900)
        browser.get(f"{live_server}/submit?lang={lang}")
        browser.find_element(By.ID, "kind-2").click()  # a complaint: its own fields are in play too
        browser.find_element(By.ID, "org_number").send_keys("556036-0794")  # a wrong check digit
        browser.find_element(By.ID, "contact_email").send_keys("anna-at-kanalkafeet")
        browser.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
        wait_for(browser, By.ID, "error-summary")
        assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == lang
        assert browser.execute_script("return document.activeElement.id") == "error-summary"
        targets = browser.execute_script(SUMMARY_TARGETS)
        assert targets == browser.execute_script(IN_PAGE_ORDER, targets), targets
        # a radio group (the complaint grounds) links to its first option
        assert targets[:3] == ["category_id", "complaint_ground-0", "subject"], targets
        assert "org_number" in targets and "contact_email" in targets
        assert browser.find_element(By.ID, "org_number").get_attribute("value") == "556036-0794"  # kept
        text = browser.find_element(By.ID, "error-summary").text
        assert ("Organisationsnumret stämmer inte – kontrollera siffrorna" if lang == "sv"
                else "The organisation number is not right – check the digits") in text
        assert "Fyll i" not in text and "Please fill in" not in text
        assert page_width_fits(browser), width
        violations = run_axe(browser, axe_source)
        if violations:
            failures[f"submit-errors ({width}, {lang})"] = violations
        screenshot(browser, f"forms-submit-errors-{lang}", width)
        browser.set_window_size(width, 900)
        browser.find_element(By.CSS_SELECTOR, "#error-summary a[href='#subject']").click()
        assert browser.execute_script("return document.activeElement.id") == "subject"
    assert failures == {}, json.dumps(failures, indent=1, ensure_ascii=False)


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_survey_is_accessible_its_scale_fits_one_line_and_vet_ej_is_no_rating(browser, axe_source, survey_path,
                                                                                lang):
    failures = {}
    for width in (320, 390, 1280):  # 390: a common phone, where the scale once wrapped
        browser.delete_all_cookies()
        browser.set_window_size(width, 900)
        browser.get(f"{survey_path}?lang={lang}")
        wait_for(browser, By.ID, "q_overall-0")
        assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == lang
        # each question's numbers 1..6 on one line: the same top for every option
        tops = browser.execute_script(
            "return [...document.querySelectorAll('.scale-row')].map(r => "
            "new Set([...r.querySelectorAll('.scale-option')].map(o => o.getBoundingClientRect().top)).size)")
        assert tops == [1] * 9, (width, tops)
        assert page_width_fits(browser), width
        progress = browser.find_element(By.ID, "part-2").text
        assert ("fråga 4–9 av 9" if lang == "sv" else "questions 4–9 of 9") in progress
        if width == 390:
            continue
        violations = run_axe(browser, axe_source)
        if violations:
            failures[f"survey ({width}, {lang})"] = violations
        screenshot(browser, f"survey-{lang}", width)
        browser.set_window_size(width, 900)
        browser.find_element(By.ID, "f_information-2").click()  # a factor only: the NKI questions are missing
        browser.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
        wait_for(browser, By.ID, "error-summary")
        assert browser.execute_script(SUMMARY_TARGETS) == ["q_overall-0", "q_expectations-0", "q_ideal-0"]
        assert browser.find_element(By.ID, "f_information-2").is_selected()  # what was chosen stays chosen
        violations = run_axe(browser, axe_source)
        if violations:
            failures[f"survey-errors ({width}, {lang})"] = violations
        screenshot(browser, f"survey-errors-{lang}", width)
    assert failures == {}, json.dumps(failures, indent=1, ensure_ascii=False)

    browser.set_window_size(320, 900)
    for q, choice in (("q_overall", 4), ("q_expectations", 3), ("q_ideal", 4)):
        browser.find_element(By.ID, f"{q}-{choice}").click()
    dont_know = browser.find_element(By.ID, "f_kompetens-6")
    assert dont_know.get_attribute("value") == "dont_know"
    browser.execute_script("arguments[0].scrollIntoView()", dont_know)
    dont_know.click()
    browser.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    wait_for(browser, By.CSS_SELECTOR, ".panel-success")
    db.session.expire_all()
    saved = db.session.scalar(sa.select(Survey))
    assert (saved.q_overall, saved.q_expectations, saved.q_ideal) == (5, 4, 5)
    assert saved.f_information == 3 and saved.f_kompetens is None and saved.f_bemotande is None
    assert saved.answered_at is not None
