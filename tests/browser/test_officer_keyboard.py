"""The officer's day in real Chromium: claim → reply → close with the keyboard alone, and axe-core (WCAG 2.1 A/AA)
on the queue, the case page, the bulk preview and the admin pages that explain themselves, at 320 and 1280 px in
Swedish and English. Screenshots in test-artifacts/screenshots/officer-day-*."""
from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from caseflow.extensions import db
from caseflow.models import Case, SlaPolicy
from caseflow.services import admin, casework, public
from tests.browser.test_accessibility import WIDTHS, page_problems, run_axe, screenshot, wait_for
from tests.conftest import PASSWORD


def _login(browser, live_server, user, lang="sv"):
    browser.delete_all_cookies()
    browser.get(f"{live_server}/staff/login?lang={lang}")
    browser.find_element(By.NAME, "email").send_keys(user.email)
    browser.find_element(By.NAME, "password").send_keys(PASSWORD + Keys.ENTER)
    wait_for(browser, By.CSS_SELECTOR, ".site-header .who")


def _tab_to(browser, css: str, limit: int = 150):
    """Press Tab until the focused element matches ``css`` (the way a keyboard user gets there)."""
    for _ in range(limit):
        if browser.execute_script("return document.activeElement.matches(arguments[0])", css):
            return browser.switch_to.active_element
        ActionChains(browser).send_keys(Keys.TAB).perform()
    raise AssertionError(f"Tab never reached {css}")


def test_claim_reply_and_close_with_the_keyboard_alone(browser, live_server, submit, make_user, offices):
    officer = make_user("officer", offices["samhallsbyggnad"], name="Karin Kvist")
    receipt = submit()
    browser.set_window_size(1280, 900)
    _login(browser, live_server, officer)
    browser.get(live_server + "/staff/")
    assert "Karin Kvist" in browser.find_element(By.CSS_SELECTOR, ".site-header").text
    _tab_to(browser, f"#claim-{receipt.case_id}").send_keys(Keys.ENTER)
    wait_for(browser, By.CSS_SELECTOR, ".flash-success")
    assert f"{receipt.reference} är ditt nu." in browser.page_source
    _tab_to(browser, f"#ref-{receipt.case_id}").send_keys(Keys.ENTER)
    wait_for(browser, By.ID, "act-reply")
    _tab_to(browser, "#reply-body").send_keys("Vi har tittat på er ansökan och återkommer i morgon.")
    _tab_to(browser, "#act-reply button[type=submit]").send_keys(Keys.ENTER)
    wait_for(browser, By.CSS_SELECTOR, ".flash-success")
    _tab_to(browser, "#close-outcome").send_keys("Besvarat")
    _tab_to(browser, "#act-close button[type=submit]").send_keys(Keys.ENTER)
    wait_for(browser, By.CSS_SELECTOR, ".flash-success")
    db.session.expire_all()
    case = db.session.get(Case, receipt.case_id)
    assert (case.assignee_id, case.status, case.outcome) == (officer.id, "closed", "answered")
    assert case.first_response_at is not None
    screenshot(browser, "officer-day-closed-sv", 1280)


@pytest.fixture
def working_day(submit, make_user, offices):
    """An office's queue after a day's changes: an answered case, an old one without a clock, a note."""
    officer = make_user("officer", offices["samhallsbyggnad"], name="Karin Kvist")
    boss = make_user("admin", name="Anna Berg")
    now = datetime.now(UTC)
    old = submit(when=now - timedelta(days=100), company_name="Gamla Bageriet AB")
    casework.request_completion(officer, old.case_id, "Skicka ritningen, tack.", now - timedelta(days=99))
    answered = submit(company_name="Kanalkaféet AB")
    casework.assign(officer, answered.case_id, None, now - timedelta(hours=3))
    casework.reply(officer, answered.case_id, "Vi tittar på det.", now - timedelta(hours=3))
    casework.add_note(officer, answered.case_id, "Ring bygglov innan beslut.", now - timedelta(hours=3))
    casework.record_view(officer, answered.case_id, now - timedelta(hours=2))
    public.answer(answered.token, "Här är menyn ni bad om.", now - timedelta(hours=1))
    for _ in range(3):
        submit()
    policy = db.session.scalar(sa.select(SlaPolicy).where(SlaPolicy.clock == "first_response",
                                                          SlaPolicy.kind.is_(None), SlaPolicy.category_id.is_(None),
                                                          SlaPolicy.priority.is_(None)))
    admin.save(boss, "policies", policy.id, {"unit": policy.unit, "target": 3, "warn_percent": policy.warn_percent},
               now)
    return officer, boss, answered


def _queue_rows_fit_the_phone(browser):
    """At 320 px every row of the queue is a card: its reference, subject and claim button (an unassigned case's)
    lie inside the screen, and neither the page nor the table's box scrolls sideways."""
    seen = browser.execute_script("""
        const width = document.documentElement.clientWidth, box = document.querySelector('.table-scroll');
        const inside = e => {
            const r = e.getBoundingClientRect();
            return r.width > 0 && r.left >= 0 && r.right <= width;
        };
        return {width, scrolls: box.scrollWidth > box.clientWidth || window.scrollX !== 0,
                rows: [...document.querySelectorAll('table.queue tbody tr')].map(tr => ({
                    reference: inside(tr.querySelector('a[id^=ref-]')), subject: inside(tr.cells[3]),
                    claim: tr.querySelector('button[id^=claim-]') && inside(tr.querySelector('button[id^=claim-]'))}))};
    """)
    assert seen["width"] <= 320 and not seen["scrolls"], seen
    first = seen["rows"][0]
    assert first["reference"] and first["subject"], seen
    assert all(r["reference"] and r["subject"] and r["claim"] in (True, None) for r in seen["rows"]), seen
    assert any(r["claim"] for r in seen["rows"]), seen  # unassigned cases are there to claim


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_officers_and_admins_pages_have_no_wcag_violations(browser, axe_source, live_server, working_day, lang):
    officer, boss, answered = working_day
    failures = {}

    def check(name, path, width):
        browser.set_window_size(width, 900)
        browser.get(f"{live_server}{path}")
        wait_for(browser, By.CSS_SELECTOR, "main h1")
        problems = page_problems(browser, axe_source)
        if problems:
            failures[f"{name} ({width}, {lang})"] = problems
        screenshot(browser, f"officer-day-{name}-{lang}", width)

    _login(browser, live_server, officer, lang)
    for width in WIDTHS.values():  # the queue first: opening the case clears its marker
        check("queue", "/staff/", width)
        if width == WIDTHS["phone"]:
            _queue_rows_fit_the_phone(browser)
    assert "row-changed" in browser.page_source
    for width in WIDTHS.values():
        check("case", f"/staff/cases/{answered.case_id}", width)
        check("case-messages", f"/staff/cases/{answered.case_id}?tl=messages", width)
    browser.set_window_size(1280, 900)
    browser.get(live_server + "/staff/")
    for box in browser.find_elements(By.CSS_SELECTOR, "input[name=ids]")[:2]:
        box.click()
    browser.find_element(By.CSS_SELECTOR, "#bulk-action option[value=close_answered]").click()
    browser.find_element(By.CSS_SELECTOR, ".bulk-bar button[type=submit]").click()
    wait_for(browser, By.CSS_SELECTOR, "main h1")
    assert run_axe(browser, axe_source) == []
    screenshot(browser, f"officer-day-bulk-preview-{lang}", 1280)

    _login(browser, live_server, boss, lang)
    for width in WIDTHS.values():
        check("audit", "/admin/audit", width)
        check("rule-test", "/admin/rules/test?kind=complaint&category_id=0&subject=Servering&description="
              "&org_number=", width)
        check("policies", "/admin/policies/", width)
    assert failures == {}, json.dumps(failures, indent=1, ensure_ascii=False)
