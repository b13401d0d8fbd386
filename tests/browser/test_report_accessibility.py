"""WCAG 2.1 A/AA with axe-core on every report page — the month, the 12 months, Handslaget, the published
reports, the drill-down and the analyst's masked case view — in Swedish and English at 320 and 1280 px, and the
dev mail page's absence does not matter here (it is not registered under test). Screenshots land in
test-artifacts/screenshots/."""
from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from selenium.webdriver.common.by import By

from caseflow.services import casework, reports
from tests.browser.test_accessibility import WIDTHS, run_axe, screenshot, staff_login_on_a_phone, wait_for

LAST_MONTH = (datetime.now(UTC).date().replace(day=1) - timedelta(days=1)).strftime("%Y-%m")


def test_every_report_page_has_no_wcag_a_or_aa_violations_in_both_languages_at_both_widths(
        browser, axe_source, live_server, submit, make_user, offices):
    officer = make_user("officer", offices["samhallsbyggnad"])
    analyst = make_user("analyst")
    when = datetime.strptime(LAST_MONTH + "-10 09:00", "%Y-%m-%d %H:%M").replace(tzinfo=UTC)
    receipts = [submit(when=when + timedelta(hours=i)) for i in range(3)]
    for i, r in enumerate(receipts):
        casework.reply(officer, r.case_id, "Svar", when + timedelta(hours=i + (2 if i < 2 else 60)))
    casework.close(officer, receipts[0].case_id, "answered", when + timedelta(days=2))
    reports.publish(analyst, reports.parse_month(LAST_MONTH), datetime.now(UTC), "")
    paths = {
        "reports-month": f"/reports/?month={LAST_MONTH}",
        "reports-trend": f"/reports/trend?month={LAST_MONTH}",
        "reports-handslaget": f"/reports/handslaget?month={LAST_MONTH}",
        "reports-snapshots": "/reports/snapshots",
        "reports-drilldown": f"/reports/cases?month={LAST_MONTH}&metric=received",
        "reports-case": f"/reports/cases/{receipts[0].case_id}?month={LAST_MONTH}&metric=received",
    }
    staff_login_on_a_phone(browser, live_server, analyst)
    failures = {}
    for lang in ("sv", "en"):
        for name, path in paths.items():
            for label, width in WIDTHS.items():
                browser.set_window_size(width, 900)
                browser.get(f"{live_server}{path}&lang={lang}" if "?" in path else f"{live_server}{path}?lang={lang}")
                wait_for(browser, By.CSS_SELECTOR, "main h1")
                assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == lang
                violations = run_axe(browser, axe_source)
                if violations:
                    failures[f"{name} ({label}, {lang})"] = violations
                wide = browser.execute_script(
                    "return document.documentElement.scrollWidth > document.documentElement.clientWidth")
                if wide:
                    failures[f"{name} ({label}, {lang})"] = "the page is wider than the screen"
                screenshot(browser, f"{name}-{lang}", width)
    assert failures == {}, json.dumps(failures, indent=1, ensure_ascii=False)
