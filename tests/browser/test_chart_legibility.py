"""The report charts' text is legible on a phone: every text of every chart on the month and 12-month pages is
drawn at 12 CSS px or more at 320 px (and on the desktop), in Swedish and English — the SVG is scaled to its box,
so a 12-unit label in a 640-unit drawing would be 5 px on a phone. Each chart's picture in
test-artifacts/screenshots/charts-*."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from selenium.webdriver.common.by import By

from caseflow.services import casework
from tests.browser.conftest import ARTIFACTS
from tests.browser.test_accessibility import WIDTHS, staff_login_on_a_phone, wait_for

LAST_MONTH = (datetime.now(UTC).date().replace(day=1) - timedelta(days=1)).strftime("%Y-%m")
# The drawn size of each visible chart text: its font size times the scale of the drawing on the screen
SIZES = """return [...document.querySelectorAll('svg.chart')].filter(s => s.getBoundingClientRect().width > 0)
  .flatMap(s => [...s.querySelectorAll('text')].map(t => {
     const m = t.getScreenCTM();  // a rotated label's scale is the length of its first column
     return {text: t.textContent, px: parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b)};
  }));"""


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_every_chart_text_is_at_least_12_css_px_at_phone_and_desktop_width(browser, live_server, submit, make_user,
                                                                            offices, lang):
    officer = make_user("officer", offices["samhallsbyggnad"])
    when = datetime.strptime(LAST_MONTH + "-10 09:00", "%Y-%m-%d %H:%M").replace(tzinfo=UTC)
    for i in range(3):
        r = submit(when=when + timedelta(hours=i))
        casework.reply(officer, r.case_id, "Svar", when + timedelta(hours=i + 2))
    staff_login_on_a_phone(browser, live_server, make_user("analyst"))
    small = {}
    for name, path in (("month", f"/reports/?month={LAST_MONTH}"), ("trend", f"/reports/trend?month={LAST_MONTH}")):
        for width in WIDTHS.values():
            browser.set_window_size(width, 900)
            browser.get(f"{live_server}{path}&lang={lang}")
            wait_for(browser, By.CSS_SELECTOR, "svg.chart")
            sizes = browser.execute_script(SIZES)
            assert len(sizes) > 10, (name, width)
            tiny = sorted({(round(s["px"], 1), s["text"]) for s in sizes if s["px"] < 12})
            if tiny:
                small[f"{name} ({width}, {lang})"] = tiny[:5]
            browser.set_window_size(width, browser.execute_script("return document.documentElement.scrollHeight"))
            for i, figure in enumerate(browser.find_elements(By.CSS_SELECTOR, "figure.chart-figure")):
                ARTIFACTS.mkdir(parents=True, exist_ok=True)
                figure.screenshot(str(ARTIFACTS / f"charts-{name}-{i + 1}-{lang}-{width}.png"))
    assert small == {}, small
