"""An attacker's second look at the trust features (company access, sessions, input at the edge, production
settings). Each test is an attack, replayed; those whose docstring says "held" never worked and keep it so."""
import re
import time
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from caseflow.extensions import db
from caseflow.models import AuditLog, Case, CompanyAccount, CompanyGrant, Outbox
from caseflow.services import accounts, company_access
from tests.conftest import PASSWORD, login

LONG_PASSWORD = "ett långt lösenord"


def _mail(template: str) -> Outbox:
    db.session.expire_all()
    return db.session.scalars(sa.select(Outbox).where(Outbox.payload["template"].as_string() == template)
                              .order_by(Outbox.id.desc())).first()


def _register(client, email="ny@foretaget.se"):
    return client.post("/account/register", data={"name": "Ny", "email": email, "password": LONG_PASSWORD,
                                                   "confirm": LONG_PASSWORD})


# -- open redirect after the staff login ----------------------------------------------------------------------------
@pytest.mark.parametrize("target", ["/\\evil.example/", "/\\/evil.example/", "/\t/evil.example/",
                                    "/ /evil.example/", "/\\\\evil.example", "/%5C/evil.example/"])
def test_the_login_next_parameter_cannot_send_the_browser_to_another_site(client, make_user, offices, target):
    """Browsers read a backslash as a slash and drop tabs and line breaks in a URL, so ``/\\evil.example``
    typed raw into a Location header is ``//evil.example``: another site. What the browser gets must be a path
    of ours: one leading slash, then no slash, backslash, white space or control character that could make it
    another host. Held: Werkzeug percent-encodes such characters in the Location header."""
    officer = make_user("officer", offices["samhallsbyggnad"])
    resp = client.post("/staff/login", query_string={"next": target},
                       data={"email": officer.email, "password": PASSWORD})
    assert resp.status_code == 302
    location = resp.headers["Location"]
    assert location.startswith("/") and location[1:2] not in ("/", "\\")
    assert not re.search(r"[\\\x00-\x20\x7f]", location)


@pytest.mark.parametrize("target", ["/\r\nSet-Cookie: x=1", "/staff/\n", "/\n/evil.example"])
def test_a_line_break_in_the_login_next_parameter_is_no_server_error(client, make_user, offices, target):
    """Python's URL parser drops line breaks before it looks, so a ``next`` with one passed the check and then
    failed as a header value: a 500 (Werkzeug refuses the header; it never reached the browser)."""
    officer = make_user("officer", offices["samhallsbyggnad"])
    resp = client.post("/staff/login", query_string={"next": target},
                       data={"email": officer.email, "password": PASSWORD})
    assert resp.status_code == 302 and resp.headers["Location"] == "/staff/"
    assert "x=1" not in resp.headers.get("Set-Cookie", "")


def test_a_same_site_next_path_is_still_followed(client, make_user, offices):
    officer = make_user("officer", offices["samhallsbyggnad"])
    resp = client.post("/staff/login", query_string={"next": "/staff/search?q=a"},
                       data={"email": officer.email, "password": PASSWORD})
    assert resp.headers["Location"] == "/staff/search?q=a"


# -- a verification link is a login only once -----------------------------------------------------------------------
def _confirm(client, link, password=LONG_PASSWORD):
    """The confirmation link's page asks for the account's password (tests/web/test_account_verification.py)."""
    return client.post(link, data={"password": password})


def test_a_verification_link_clicked_again_does_not_log_in_after_log_out_everywhere(app, client):
    """The mailed verification link, with the password, logs the new account in. Kept (in a mailbox, a browser
    history, a proxy log) it must not stay a way in for its three days: log out everywhere, then replay it."""
    _register(client)
    link = re.search(r"/account/verify/\S+", _mail("verify_account").result["text"]).group(0)
    assert _confirm(client, link).status_code == 302  # confirms the address and logs in
    assert client.get("/account/").status_code == 200
    assert client.post("/account/logout-everywhere").status_code == 302

    thief = app.test_client()
    assert thief.get(link).status_code == 400
    assert _confirm(thief, link).status_code == 400  # even with the password: the link is used
    assert thief.get("/account/").status_code == 302  # sent to the login page: no session was made


def test_a_verification_link_replayed_after_a_password_reset_does_not_log_in(app, client):
    _register(client)
    link = re.search(r"/account/verify/\S+", _mail("verify_account").result["text"]).group(0)
    _confirm(client, link)
    account = db.session.scalar(sa.select(CompanyAccount).where(CompanyAccount.email == "ny@foretaget.se"))
    accounts.change_password(account, LONG_PASSWORD, "ett annat långt lösenord", "198.51.100.7",
                             datetime.now(UTC))
    thief = app.test_client()
    assert thief.get(link).status_code == 400
    assert _confirm(thief, link, "ett annat långt lösenord").status_code == 400
    assert thief.get("/account/").status_code == 302


# -- registration tells nobody who has an account -------------------------------------------------------------------
def _fastest(action, times=3) -> float:
    best = None
    for _ in range(times):
        start = time.perf_counter()
        action()
        took = time.perf_counter() - start
        best = took if best is None else min(best, took)
    return best


def test_registering_an_address_that_has_an_account_takes_as_long_as_a_new_one(app):
    """The answer is the same either way; the time must be too. A new account's password is hashed (scrypt, tens
    of milliseconds), so an address whose owner already has an account answered ten times faster: one request
    told who has an account."""
    now = datetime.now(UTC)
    accounts.register_company_account("finns@foretaget.se", "Finns", LONG_PASSWORD, "sv", now)
    db.session.scalar(sa.select(CompanyAccount).where(CompanyAccount.email == "finns@foretaget.se")).verified_at = now
    db.session.commit()
    accounts.register_company_account("vantar@foretaget.se", "Väntar", LONG_PASSWORD, "sv", now)  # unconfirmed
    counter = iter(range(100))
    new = _fastest(lambda: accounts.register_company_account(f"ny{next(counter)}@foretaget.se", "Ny",
                                                             LONG_PASSWORD, "sv", now))
    existing = _fastest(lambda: accounts.register_company_account("finns@foretaget.se", "Finns", LONG_PASSWORD,
                                                                  "sv", now))
    pending = _fastest(lambda: accounts.register_company_account("vantar@foretaget.se", "Väntar", LONG_PASSWORD,
                                                                 "sv", now))
    assert existing >= 0.5 * new, f"existing {existing * 1000:.1f} ms, new {new * 1000:.1f} ms"
    assert pending >= 0.5 * new, f"pending {pending * 1000:.1f} ms, new {new * 1000:.1f} ms"


# -- the revoke reason goes through the one rule for text -----------------------------------------------------------
@pytest.fixture
def granted(app, offices, make_user, submit):
    """A verified company account holding a staff grant for the company of a case, and the admin who gave it."""
    receipt = submit()
    account = CompanyAccount(email="ekonomi@kanalkafeet.se", name="Ekonomi", verified_at=datetime.now(UTC))
    account.set_password(PASSWORD)
    db.session.add(account)
    db.session.commit()
    admin = make_user("admin")
    company_id = db.session.get(Case, receipt.case_id).company_id
    grant = company_access.staff_grant(admin, company_id, account.email, "Kontrollerat per telefon.",
                                       datetime.now(UTC))
    return grant, admin


@pytest.mark.parametrize("reason", ["Slutat\x1b[2J", "Slutat\x07", "Slut\u0085at"])
def test_a_revoke_reason_with_control_characters_is_refused_and_stores_nothing(app, client, granted, reason):
    """The revoke form is no WTForm, so its reason reached the grant and the audit log unchecked: escape
    sequences for whoever reads the log in a terminal or an export. The service holds it to the text rule."""
    grant, admin = granted
    login(client, admin)
    resp = client.post(f"/admin/company-access/grants/{grant.id}/revoke", data={"reason": reason})
    assert resp.status_code == 302
    db.session.expire_all()
    assert db.session.get(CompanyGrant, grant.id).revoked_at is None
    assert not db.session.scalar(sa.select(AuditLog).where(AuditLog.action == "revoke"))
    page = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "Texten innehåller tecken som inte kan sparas" in page


def test_a_plain_revoke_reason_still_ends_the_grant(app, client, granted):
    grant, admin = granted
    login(client, admin)
    client.post(f"/admin/company-access/grants/{grant.id}/revoke", data={"reason": "Slutat på bolaget.\r\nEnligt VD."})
    db.session.expire_all()
    assert db.session.get(CompanyGrant, grant.id).revoked_at is not None
