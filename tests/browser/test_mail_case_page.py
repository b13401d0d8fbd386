"""A case that came by e-mail, as the officer sees it in real Chromium: the company unknown, a bouncing contact
address, the incoming mails with their originals and a sender other than the contact; WCAG 2.1 A/AA by axe-core,
nothing wider than a 320 px screen, screenshots at 320 and 1280 px in test-artifacts/screenshots/."""
from __future__ import annotations

from datetime import UTC, datetime
from email import policy

import pytest
from selenium.webdriver.common.by import By

from caseflow.extensions import db
from caseflow.models import Case
from caseflow.services import inbound
from tests.browser.test_accessibility import run_axe, screenshot, staff_login_on_a_phone, wait_for
from tests.integration import mailcorpus as corpus

SERVICE = "foretag@foretag.example.se"


@pytest.fixture
def app_config(app_config):
    return {**app_config, "MAIL_REPLY_DOMAIN": "svar.foretag.example.se", "MAIL_INBOUND_ADDRESS": SERVICE}


def test_the_officer_reads_a_case_by_e_mail_with_its_mails_bounce_and_unknown_company(browser, axe_source,
                                                                                        live_server, offices,
                                                                                        make_user):
    def receive(msg, to, sender="orjan@strompark.se"):
        return inbound.receive(msg.as_bytes(policy=policy.SMTP), sender, to, datetime.now(UTC))

    new = receive(corpus.latin1_new_mail("Örjan Åström <orjan@strompark.se>", SERVICE, "Fråga om etablering",
                                         "Hej! Vi vill etablera oss i Norrköping. Vem kontaktar vi?"), SERVICE)
    case = db.session.get(Case, new.case_id)
    reply_to = inbound.reply_address(case)
    receive(corpus.gmail_en_reply("bokforing@byra-ekonomi.se", reply_to, "Etablering", "Vi svarar för Örjan.",
                                  "Vem kontaktar vi?", files=[("karta.pdf", corpus.PDF, "application/pdf"),
                                                             ("setup.exe", corpus.EXE, "application/octet-stream")]),
            reply_to, "bokforing@byra-ekonomi.se")
    receive(corpus.dsn_bounce(reply_to, "orjan@strompark.se"), reply_to, "")
    staff_login_on_a_phone(browser, live_server, make_user("officer", offices["naringsliv"]))
    for width in (320, 1280):
        browser.set_window_size(width, 900)
        for path, name in ((f"/staff/cases/{case.id}", "officer-case-by-mail"), ("/staff/", "officer-queue-mail")):
            browser.get(live_server + path)
            wait_for(browser, By.CSS_SELECTOR, "main h1")
            # what this page adds: nothing of it wider than the screen (the rest of the case page is the
            # officer page's own test)
            wide = browser.execute_script(
                "const w = document.documentElement.clientWidth; return [...document.querySelectorAll("
                "'#company-unknown, #company-unknown *, #contact-failing, #incoming-mail, #incoming-mail *')]"
                ".filter(e => e.getBoundingClientRect().right > w + 1).map(e => e.tagName)")
            assert wide == [], (path, width, wide)
            assert run_axe(browser, axe_source) == [], (path, width)
            screenshot(browser, name, width)
    browser.get(live_server + f"/staff/cases/{case.id}")
    page = browser.page_source
    assert 'id="company-unknown"' in page and 'id="contact-failing"' in page and "bokforing@byra-ekonomi.se" in page
    assert ".eml" in page and "setup.exe" in page
