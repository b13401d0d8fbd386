"""The administration's pages in real Chromium: axe-core (WCAG 2.1 A/AA) finds nothing on any of them, in Swedish
and English at 320 and 1280 px, and none is wider than the screen. The queue, case page, audit log, rule tester and
promises list are checked in test_officer_keyboard.py, the reports in their own tests; this file covers the rest of
the staff side: every admin list, new and edit page (and one refused form), tokens, operations, personal data,
company access (search and a company's page) and the identity provider's groups. Screenshots in
test-artifacts/screenshots/staff-*."""
from __future__ import annotations

import json

import pytest
import sqlalchemy as sa
from selenium.webdriver.common.by import By

from caseflow.extensions import db
from caseflow.models import Company, RoutingRule
from caseflow.services import integrations
from caseflow.web.admin.routes import RESOURCES
from tests.browser.test_accessibility import WIDTHS, page_problems, screenshot, wait_for
from tests.browser.test_officer_keyboard import _login


@pytest.fixture
def configured(submit, make_user, offices):
    """An administrator, a case filed (so a company and mails exist), a rule with kinds and a legal form, a token."""
    from datetime import UTC, datetime

    boss = make_user("admin", name="Anna Berg")
    make_user("lead", offices["miljo"], name="Lena Lind")
    submit(kind="complaint", complaint_ground="other")
    db.session.add(RoutingRule(position=1, name="Enskilda firmor", office_id=offices["miljo"].id,
                               kinds="complaint", legal_forms="sole_trader", assign_strategy="round_robin"))
    db.session.commit()
    integrations.create_token("E-tjänsten", ["submit", "read-own"], datetime.now(UTC))
    return boss


def _pages() -> list[tuple[str, str]]:
    company = db.session.scalar(sa.select(Company.id))
    pages = [("admin", "/admin/"), ("tokens", "/admin/tokens"), ("operations", "/admin/operations"),
             ("personal-data", "/admin/personal-data"), ("company-access", "/admin/company-access"),
             ("company-access-company", f"/admin/company-access/{company}"), ("sso-groups", "/admin/sso-groups"),
             ("company-access-unknown", "/admin/company-access?org_number=212000-0142")]
    for entity, (_form, _title, _cols) in RESOURCES.items():
        if entity != "policies":  # the promises' list: test_officer_keyboard.py
            pages.append((f"{entity}-list", f"/admin/{entity}/"))
        if entity != "report_settings":
            pages.append((f"{entity}-new", f"/admin/{entity}/new"))
    return pages


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_admin_pages_have_no_wcag_violations(browser, axe_source, live_server, configured, lang):
    failures = {}
    _login(browser, live_server, configured, lang)
    pages = _pages()
    browser.set_window_size(1280, 900)
    for entity in RESOURCES:  # the first row of each kind, as the list links to it
        browser.get(f"{live_server}/admin/{entity}/")
        links = browser.find_elements(By.CSS_SELECTOR, f"main a[href*='/admin/{entity}/']:not([href$='/new'])")
        edit = next((a.get_attribute("href") for a in links if a.get_attribute("href").rstrip("/")
                     .rsplit("/", 1)[-1].isdigit()), None)
        if edit:
            pages.append((f"{entity}-edit", edit.removeprefix(live_server)))

    def check(name, width):
        problems = page_problems(browser, axe_source)
        if problems:
            failures[f"{name} ({width}, {lang})"] = problems

    for width in WIDTHS.values():
        browser.set_window_size(width, 900)
        for name, path in pages:
            browser.get(f"{live_server}{path}")
            wait_for(browser, By.CSS_SELECTOR, "main h1")
            check(name, width)
            if name in ("rules-edit", "rules-list", "tokens", "operations", "users-list"):
                screenshot(browser, f"staff-{name}-{lang}", width)
        # a refused form: the error summary and the fields' messages
        browser.get(f"{live_server}/admin/rules/new")
        wait_for(browser, By.CSS_SELECTOR, "main h1")
        browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
        wait_for(browser, By.CSS_SELECTOR, ".error-summary")
        check("rules-refused", width)
        screenshot(browser, f"staff-rules-refused-{lang}", width)
    assert failures == {}, json.dumps(failures, indent=1, ensure_ascii=False)
