"""WCAG 2.1 A/AA on every public page, in Swedish and English, at phone and desktop width, with axe-core in
real Chromium. Screenshots of each page land in test-artifacts/screenshots/."""
from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from selenium.webdriver.common.by import By

from caseflow.extensions import db
from caseflow.models import Case, CompanyAccount
from caseflow.services import casework, company_access
from tests.browser.conftest import ARTIFACTS
from tests.conftest import PASSWORD

WIDTHS = {"phone": 320, "desktop": 1280}
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def run_axe(driver, axe_source: str) -> list[dict]:
    driver.execute_script(axe_source)
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        f"axe.run(document, {{runOnly: {{type: 'tag', values: {json.dumps(TAGS)}}}}})"
        ".then(r => done(r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))))"
        ".catch(e => done([{id: 'axe-error', help: String(e), nodes: []}]));")
    return result


def page_problems(driver, axe_source: str) -> list:
    """What is wrong with the page as it stands: axe's violations, and "wider than the screen" when it scrolls
    sideways. Empty when the page is clean."""
    problems = run_axe(driver, axe_source)
    if not page_width_fits(driver):
        problems.append("wider than the screen")
    return problems


def wait_for(driver, by, what):
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, 10).until(ec.presence_of_element_located((by, what)))


def screenshot(driver, name: str, width: int) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    driver.set_window_size(width, 900)
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(width, min(height, 4000))
    driver.save_screenshot(str(ARTIFACTS / f"{name}-{width}.png"))


@pytest.fixture
def pages(live_server, submit, make_user, offices):
    """Public pages to check: (name, how to get there)."""
    officer = make_user("officer", offices["samhallsbyggnad"])
    waiting = submit()
    casework.request_completion(officer, waiting.case_id, "Skicka en situationsplan, tack.", datetime.now(UTC))

    def submit_with_errors(d):
        from selenium.webdriver.support import expected_conditions as ec
        from selenium.webdriver.support.ui import WebDriverWait

        d.get(live_server + "/submit")
        d.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
        WebDriverWait(d, 10).until(ec.presence_of_element_located((By.ID, "error-summary")))

    # a company's own pages, signed in: an account with a grant to the company of a case, and an invitation sent
    now = datetime.now(UTC)
    account = CompanyAccount(email="vd@kanalkafeet.se", name="Vera Direktör", verified_at=now)
    account.set_password(PASSWORD)
    db.session.add(account)
    db.session.commit()
    filed = submit(org_number="5566778899", contact_email="vd@kanalkafeet.se")
    company_id = db.session.get(Case, filed.case_id).company_id
    company_access.staff_grant(make_user("lead", offices["samhallsbyggnad"]), company_id, account.email,
                               "Ringde bolagets växel och fick det bekräftat.", now)
    company_access.invite(account, company_id, "ekonomi@kanalkafeet.se", now)

    def signed_in(path, shows):
        def go(d):
            d.get(live_server + path)
            if "/account/login" in d.current_url:
                d.find_element(By.NAME, "email").send_keys(account.email)
                d.find_element(By.NAME, "password").send_keys(PASSWORD)
                d.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
                d.get(live_server + path)
            wait_for(d, By.ID, shows)  # the page itself, not the login form
        return go

    return [
        ("start", lambda d: d.get(live_server + "/")),
        ("submit", lambda d: d.get(live_server + "/submit")),
        ("submit-errors", submit_with_errors),
        ("track-awaiting", lambda d: d.get(f"{live_server}/track/{waiting.token}")),
        ("links", lambda d: d.get(live_server + "/links")),
        ("privacy", lambda d: d.get(live_server + "/privacy")),
        ("account-login", lambda d: d.get(live_server + "/account/login")),
        ("account-register", lambda d: d.get(live_server + "/account/register")),
        ("account-reset", lambda d: d.get(live_server + "/account/reset")),
        ("staff-login", lambda d: d.get(live_server + "/staff/login")),
        ("not-found", lambda d: d.get(live_server + "/track/" + "0" * 48)),
        ("account-home", signed_in("/account/", "comp-h")),  # signed in from here on
        ("account-company", signed_in(f"/account/companies/{company_id}", "invitations-h")),
    ]


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_public_pages_have_no_wcag_a_or_aa_violations(browser, axe_source, live_server, pages, lang):
    browser.delete_all_cookies()
    browser.get(f"{live_server}/?lang={lang}")
    failures = {}
    for name, go in pages:
        for label, width in WIDTHS.items():
            browser.set_window_size(width, 900)
            go(browser)
            assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == lang
            violations = run_axe(browser, axe_source)
            if violations:
                failures[f"{name} ({label}, {lang})"] = violations
            screenshot(browser, f"{name}-{lang}", width)
    assert failures == {}, json.dumps(failures, indent=1, ensure_ascii=False)


def test_company_files_a_case_and_answers_a_completion_request_on_a_phone(browser, live_server, offices, make_user):
    """The entrepreneur's journey at 320 px: file, read the receipt, answer the officer's question."""
    from selenium.webdriver.support.ui import Select

    browser.delete_all_cookies()
    browser.set_window_size(320, 800)
    browser.get(live_server + "/submit?lang=sv")
    browser.find_element(By.ID, "kind-0").click()
    Select(browser.find_element(By.ID, "category_id")).select_by_visible_text("Markupplåtelse")
    for field, value in {"subject": "Uteservering", "description": "Vi vill ha sex bord på torget.",
                         "org_number": "556036-0793", "company_name": "Kanalkaféet AB",
                         "contact_name": "Anna Andersson", "contact_email": "anna@kanalkafeet.se"}.items():
        browser.find_element(By.ID, field).send_keys(value)
    browser.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    wait_for(browser, By.CLASS_NAME, "reference")
    reference = browser.find_element(By.CLASS_NAME, "reference").text
    assert reference.startswith("CF-")
    from urllib.parse import urlsplit

    # the absolute link is built for the configured BASE/SERVER_NAME; follow its path on the live server
    track = live_server + urlsplit(browser.find_element(By.CSS_SELECTOR, ".track-link a").get_attribute("href")).path
    # the page fits the phone: nothing wider than the viewport
    assert browser.execute_script("return document.documentElement.scrollWidth") <= 320

    from caseflow.extensions import db
    from caseflow.models import Case

    case = db.session.query(Case).filter_by(reference=reference).one()
    officer = make_user("officer", offices["samhallsbyggnad"])
    casework.request_completion(officer, case.id, "Hur många bord?", datetime.now(UTC))
    browser.get(track)
    assert "Vi väntar på ditt svar" in browser.page_source
    browser.find_element(By.ID, "body").send_keys("Sex bord och tolv stolar.")
    browser.find_element(By.CSS_SELECTOR, "form[action*='/track/'] button[type=submit]").click()
    wait_for(browser, By.CSS_SELECTOR, ".flash")
    assert "Tack! Ditt svar har skickats." in browser.page_source
    db.session.expire_all()
    assert db.session.get(Case, case.id).status == "in_progress"


def staff_login_on_a_phone(browser, live_server: str, user) -> None:
    """Log ``user`` in at 320 px; done once the login page is left (where it lands depends on the role)."""
    from selenium.webdriver.support.ui import WebDriverWait

    from tests.conftest import PASSWORD

    browser.delete_all_cookies()
    browser.set_window_size(320, 800)
    browser.get(live_server + "/staff/login?lang=sv")
    browser.find_element(By.NAME, "email").send_keys(user.email)
    browser.find_element(By.NAME, "password").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    WebDriverWait(browser, 10).until(lambda d: "/staff/login" not in d.current_url)


def page_width_fits(browser) -> bool:
    return browser.execute_script(
        "return document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def test_an_officer_works_a_case_on_a_phone_and_nothing_is_wider_than_the_screen(browser, live_server, submit,
                                                                                    offices, make_user):
    """Queue and case page at 320 px: the queue's rows are cards (test_officer_keyboard.py checks what they show),
    the page never scrolls sideways (a file input once made the case page 9 px too wide), and a clock's state
    stays inside its card ("Stoppad 2026-09-12 14:42", "Försenat 434,3 arbetstimmar" ran over its right edge)."""
    receipt = submit()
    officer = make_user("officer", offices["samhallsbyggnad"])
    casework.reply(officer, receipt.case_id, "Vi tittar på det.", datetime.now(UTC))  # a stopped clock
    staff_login_on_a_phone(browser, live_server, officer)
    for path in ("/staff/", f"/staff/cases/{receipt.case_id}"):
        browser.get(live_server + path)
        wait_for(browser, By.CSS_SELECTOR, "main h1")
        assert page_width_fits(browser), path
        screenshot(browser, "officer-" + path.strip("/").replace("/", "-"), 320)
    assert receipt.reference in browser.page_source
    over = browser.execute_script(
        "return [...document.querySelectorAll('.clock *')].filter(e => e.getBoundingClientRect().right >"
        " e.closest('.clock').getBoundingClientRect().right + 1).map(e => e.textContent.trim())")
    assert browser.find_elements(By.CSS_SELECTOR, ".clock-stopped") and not over, over


@pytest.mark.parametrize("role,paths", [
    ("admin", ["/admin/rules/", "/admin/users/", "/admin/operations"]),
    ("analyst", ["/reports/", "/reports/trend"]),
])
def test_wide_tables_and_charts_scroll_in_their_own_box_on_a_phone(browser, live_server, submit, make_user, role,
                                                                     paths):
    """A table wider than the phone scrolls inside its box; the page itself never becomes wider than the screen
    (a hidden column heading once did that from outside the box, and the charts' grid had a 20rem minimum)."""
    submit()
    staff_login_on_a_phone(browser, live_server, make_user(role))
    for path in paths:
        browser.get(live_server + path)
        wait_for(browser, By.CSS_SELECTOR, "main h1")
        assert page_width_fits(browser), path
