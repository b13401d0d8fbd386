"""The whole redirect dance in real Chromium against a real OpenID Provider (oidc-provider on loopback): a
member of staff clicks the organisation's sign-in on caseflow's login page, signs in at the provider, lands on
their office's queue with the role their group maps to, and signs out here and at the provider. The pages of
the sign-in (the login page with the provider's button, the refusal) pass axe in both languages."""
from __future__ import annotations

import pytest
import sqlalchemy as sa
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from caseflow.extensions import db
from caseflow.models import SsoGroupMapping, User
from tests.browser.test_accessibility import WIDTHS, run_axe, screenshot
from tests.oidc import start_provider


@pytest.fixture
def op(app, live_server, offices):
    provider = start_provider([f"{live_server}/staff/sso/callback"], [f"{live_server}/staff/login"])
    app.config.update(BASE_URL=live_server, OIDC_PROVIDERS=provider.settings())
    office = offices["samhallsbyggnad"]
    db.session.add_all([
        SsoGroupMapping(provider="staff", group="cf-bygglov-officers", role="officer", office_id=office.id),
        SsoGroupMapping(provider="staff", group="cf-bygglov-lead", role="lead", office_id=office.id)])
    db.session.commit()
    yield provider
    provider.stop()


def wait(driver, css):
    return WebDriverWait(driver, 15).until(ec.presence_of_element_located((By.CSS_SELECTOR, css)))


def sign_in(browser, live_server, login):
    browser.get(f"{live_server}/staff/login")
    browser.find_element(By.CSS_SELECTOR, "a[href*='/staff/sso/login']").click()
    wait(browser, "input[name=login]").send_keys(login)  # the provider's own login page
    browser.find_element(By.CSS_SELECTOR, "input[name=password]").send_keys("anything")
    browser.find_element(By.CSS_SELECTOR, "button[type=submit]").click()


def test_a_lead_signs_in_at_the_provider_and_lands_on_the_office_queue_with_the_mapped_role(
        browser, live_server, op, offices):
    browser.delete_all_cookies()
    browser.get(f"{live_server}/?lang=sv")
    sign_in(browser, live_server, "bob")
    WebDriverWait(browser, 15).until(lambda d: d.current_url.startswith(f"{live_server}/staff/"))
    wait(browser, "main h1")
    assert browser.current_url == f"{live_server}/staff/"
    page = browser.page_source
    assert offices["samhallsbyggnad"].name in page
    assert "/staff/overview" in page  # the lead's overview is in the menu
    for width in WIDTHS.values():
        screenshot(browser, "sso-landed-queue", width)
    db.session.expire_all()
    bob = db.session.scalar(sa.select(User).where(User.email == "bob@kommun.test"))
    assert (bob.role, bob.office_id, bob.active) == ("lead", offices["samhallsbyggnad"].id, True)

    # sign out: caseflow's session ends, then the provider's (its own confirmation page), then back here
    browser.find_element(By.CSS_SELECTOR, "form[action$='/staff/logout'] button").click()
    WebDriverWait(browser, 15).until(lambda d: d.current_url.startswith(op.issuer))
    browser.find_element(By.CSS_SELECTOR, "button[name=logout][value=yes], button[autofocus]").click()
    WebDriverWait(browser, 15).until(lambda d: d.current_url.startswith(f"{live_server}/staff/login"))
    browser.get(f"{live_server}/staff/")
    assert "/staff/login" in browser.current_url
    browser.find_element(By.CSS_SELECTOR, "a[href*='/staff/sso/login']").click()
    wait(browser, "input[name=login]")  # the provider asks again: its session ended too


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_sign_in_pages_pass_axe_and_a_person_without_a_mapped_group_gets_a_clear_page(
        browser, axe_source, live_server, op, lang):
    browser.delete_all_cookies()
    browser.get(f"{live_server}/?lang={lang}")
    failures = {}
    browser.get(f"{live_server}/staff/login")
    for width in WIDTHS.values():
        browser.set_window_size(width, 900)
        failures.update({f"login-{width}": v for v in run_axe(browser, axe_source)})
        screenshot(browser, f"sso-login-{lang}", width)
    sign_in(browser, live_server, "carol")
    wait(browser, "[data-reason=no_access]")
    assert browser.current_url.startswith(f"{live_server}/staff/sso/callback")
    for width in WIDTHS.values():
        browser.set_window_size(width, 900)
        failures.update({f"refused-{width}": v for v in run_axe(browser, axe_source)})
        screenshot(browser, f"sso-refused-{lang}", width)
    assert failures == {}
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0
