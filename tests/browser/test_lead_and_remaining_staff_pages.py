"""The staff pages no other browser test visits — the lead's office overview, the search with results, the change
of password, an identity provider group's edit page and the break-glass sign-in — in real Chromium: axe-core
(WCAG 2.1 A/AA) finds nothing, in Swedish and English at 320 and 1280 px, and none is wider than the screen.
``test_every_staff_page_is_visited_by_a_browser_test`` keeps it so: each GET route of the staff side is named by
some browser test, or said here why it is no page. Screenshots in test-artifacts/screenshots/staff-more-*."""
from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By

from caseflow.services import casework, sso
from tests.browser.test_accessibility import WIDTHS, page_problems, screenshot, wait_for
from tests.browser.test_officer_keyboard import _login

# GET routes of the staff side that are no page of their own (downloads, redirects), or are visited by following
# links rather than by a path written in a test
NOT_WRITTEN = {
    "/staff/cases/<int:case_id>/attachments/<int:attachment_id>": "a file download",
    "/staff/cases/<int:case_id>/mail/<int:mail_id>.eml": "the registered mail's download",
    "/reports/export.<fmt>": "CSV, Excel, JSON and PDF downloads",
    "/reports/handslaget.<fmt>": "CSV and JSON downloads",
    "/staff/sso/login": "a redirect to the identity provider (test_sso_browser.py signs in through it)",
    "/staff/sso/callback": "the identity provider's redirect back (test_sso_browser.py)",
    "/admin/<entity>/<int:obj_id>": "test_staff_accessibility.py opens each list's first edit link",
    "/dev/mail": "development and demo only: never registered in the app under test",
}


def test_every_staff_page_is_visited_by_a_browser_test(app):
    """Each GET route under /staff, /admin, /reports and /dev matches a path some browser test opens (an f-string's
    {…} stands for any segment), or is named in NOT_WRITTEN with the reason."""
    written = set()
    for source in Path(__file__).parent.glob("test_*.py"):
        written |= set(re.findall(r"""["'](/(?:staff|admin|reports|dev)[^"'?\s]*)""", source.read_text()))
    missing = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or not rule.rule.startswith(("/staff", "/admin", "/reports", "/dev")):
            continue
        if rule.rule in NOT_WRITTEN:
            continue
        pattern = re.sub(r"<(?:int:)?\w+>", r"(?:[^/]+)", re.escape(rule.rule).replace(r"\<", "<").replace(r"\>", ">")
                         .replace(r"\:", ":"))
        if not any(re.fullmatch(pattern, re.sub(r"\{[^}]*\}", "x", path)) for path in written):
            missing.append(rule.rule)
    assert missing == [], missing


@pytest.fixture
def an_office_at_work(submit, make_user, offices):
    """An office with a lead, two officers, cases assigned, unassigned and overdue; a group from the provider."""
    lead = make_user("lead", offices["samhallsbyggnad"], name="Lena Lind")
    karin = make_user("officer", offices["samhallsbyggnad"], name="Karin Kvist")
    make_user("officer", offices["samhallsbyggnad"], name="Olle Ek")
    boss = make_user("admin", name="Anna Berg")
    now = datetime.now(UTC)
    old = submit(when=now - timedelta(days=40), company_name="Gamla Bageriet AB")
    casework.assign(karin, old.case_id, None, now - timedelta(days=39))
    for i in range(3):
        submit(when=now - timedelta(hours=i), company_name=f"Kafé {i} AB")
    mapping = sso.save_mapping(boss, None, {"group": "caseflow-bygglov", "role": "officer",
                                            "office_id": offices["samhallsbyggnad"].id, "active": True}, now)
    return lead, karin, boss, mapping


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_remaining_staff_pages_have_no_wcag_violations(browser, axe_source, live_server, app, an_office_at_work,
                                                            lang):
    lead, karin, boss, mapping = an_office_at_work
    failures = {}

    def check(name, path):
        for width in WIDTHS.values():
            browser.set_window_size(width, 900)
            browser.get(f"{live_server}{path}")
            wait_for(browser, By.CSS_SELECTOR, "main h1")
            problems = page_problems(browser, axe_source)
            if problems:
                failures[f"{name} ({width}, {lang})"] = problems
            screenshot(browser, f"staff-more-{name}-{lang}", width)

    _login(browser, live_server, lead, lang)
    check("overview", "/staff/overview")
    assert "Karin Kvist" in browser.page_source
    check("search", "/staff/search?q=Kaf%C3%A9&status=open")
    check("password", "/staff/password")
    _login(browser, live_server, boss, lang)
    check("sso-group-edit", f"/admin/sso-groups/{mapping.id}")
    browser.delete_all_cookies()
    app.config.update(STAFF_PASSWORDS=False, BREAK_GLASS_ADMIN=boss.email)
    browser.get(f"{live_server}/?lang={lang}")
    check("break-glass", "/staff/break-glass")
    assert failures == {}, json.dumps(failures, indent=1, ensure_ascii=False)
