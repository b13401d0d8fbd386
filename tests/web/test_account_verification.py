"""Confirming a company account's address proves two things: control of the mailbox (the link) and knowledge of
the account's password (asked for on the page the link opens). The link alone neither confirms nor logs in, so
nobody can register someone else's address with a password of their own and have the owner's click hand them the
account (pre-hijacking), nor mail someone a link that logs them into the sender's account (login CSRF).
Each test is the attack, replayed."""
import re
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from caseflow import create_app
from caseflow.extensions import db
from caseflow.models import Case, CompanyAccount, Outbox
from caseflow.services import accounts
from caseflow.services.errors import InvalidInput
from tests.conftest import VALID_FORM, _isolated_requests

VICTIM = "anna@kanalkafeet.se"  # the contact address of the ``submit`` fixture's cases
ATTACKER_PASSWORD = "angriparens eget lösenord"
VICTIM_PASSWORD = "annas alldeles egna lösenord"
ATTACKER_IP = {"REMOTE_ADDR": "203.0.113.66"}
VICTIM_IP = {"REMOTE_ADDR": "198.51.100.7"}


def _client(app, environ):
    client = app.test_client()
    client.environ_base.update(environ)
    return client


def _register(client, email=VICTIM, password=ATTACKER_PASSWORD, name="Anna"):
    return client.post("/account/register", data={"name": name, "email": email, "password": password,
                                                   "confirm": password})


def _link(email=VICTIM) -> str:
    """The confirmation link of the newest verification mail to ``email``."""
    db.session.expire_all()
    row = db.session.scalars(sa.select(Outbox).where(Outbox.payload["template"].as_string() == "verify_account",
                                                     Outbox.payload["to"].as_string() == email)
                             .order_by(Outbox.id.desc())).first()
    return re.search(r"/account/verify/\S+", row.result["text"]).group(0)


def _account(email=VICTIM) -> CompanyAccount:
    db.session.expire_all()
    return db.session.scalar(sa.select(CompanyAccount).where(CompanyAccount.email == email))


def _logged_in(client) -> bool:
    return client.get("/account/").status_code == 200


def _login(client, email, password):
    return client.post("/account/login", data={"email": email, "password": password})


# -- the normal flow --------------------------------------------------------------------------------------------------
def test_register_open_the_link_give_the_password_and_be_logged_in_and_verified(app, client, submit):
    earlier = submit()  # a case with the address as its contact
    assert _register(client, password=VICTIM_PASSWORD).status_code == 200
    page = client.get(_link())
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and 'type="password"' in html and VICTIM in html
    assert _account().verified_at is None and not _logged_in(client)  # the click alone does nothing

    resp = client.post(_link(), data={"password": VICTIM_PASSWORD})
    assert resp.status_code == 302 and resp.headers["Location"] == "/account/"
    assert _account().verified_at is not None
    home = client.get("/account/")
    assert home.status_code == 200 and earlier.reference in home.get_data(as_text=True)
    client.post("/account/logout")
    assert _login(client, VICTIM, VICTIM_PASSWORD).status_code == 302


def test_a_used_confirmation_link_does_not_work_again(app, client):
    _register(client, password=VICTIM_PASSWORD)
    link = _link()
    assert client.post(link, data={"password": VICTIM_PASSWORD}).status_code == 302
    other = app.test_client()
    assert other.get(link).status_code == 400
    assert other.post(link, data={"password": VICTIM_PASSWORD}).status_code == 400
    assert not _logged_in(other)


def test_the_confirmation_page_is_in_english_for_an_english_speaker(app, client):
    _register(client, password=VICTIM_PASSWORD)
    page = client.get(_link() + "?lang=en").get_data(as_text=True)
    assert "Confirm your e-mail address" in page and "Password" in page


# -- pre-hijacking: the attacker registers the victim's address with the attacker's password -------------------------
def test_the_victims_click_on_a_link_for_an_account_an_attacker_registered_verifies_nothing(app, submit):
    earlier = submit()  # the victim's case: the attacker wants to see it
    attacker, victim = _client(app, ATTACKER_IP), _client(app, VICTIM_IP)
    _register(attacker, password=ATTACKER_PASSWORD)

    page = victim.get(_link())  # the victim did not register, but clicks the mail anyway
    assert page.status_code == 200 and 'type="password"' in page.get_data(as_text=True)
    assert not _logged_in(victim)
    guessed = victim.post(_link(), data={"password": VICTIM_PASSWORD})  # the victim does not know it
    assert guessed.status_code == 422 and not _logged_in(victim)
    assert _account().verified_at is None

    refused = _login(attacker, VICTIM, ATTACKER_PASSWORD)
    assert refused.status_code == 422 and not _logged_in(attacker)
    assert earlier.reference not in attacker.get("/account/").get_data(as_text=True)


def test_the_victim_registering_replaces_the_pending_account_and_kills_the_attackers_link(app, submit):
    earlier = submit()
    attacker, victim = _client(app, ATTACKER_IP), _client(app, VICTIM_IP)
    _register(attacker, password=ATTACKER_PASSWORD, name="Falsk")
    attackers_link = _link()

    answer = _register(victim, password=VICTIM_PASSWORD, name="Anna Andersson")
    assert answer.status_code == 200 and "Kontrollera din e-post" in answer.get_data(as_text=True)
    victims_link = _link()
    assert victims_link != attackers_link
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CompanyAccount)) == 1

    # the attacker's old link is dead, with the attacker's own password too
    assert attacker.get(attackers_link).status_code == 400
    assert attacker.post(attackers_link, data={"password": ATTACKER_PASSWORD}).status_code == 400
    assert _account().verified_at is None and not _logged_in(attacker)

    # the victim's link and password work; the account is the victim's now
    assert victim.post(victims_link, data={"password": VICTIM_PASSWORD}).status_code == 302
    assert _logged_in(victim) and earlier.reference in victim.get("/account/").get_data(as_text=True)
    assert _account().name == "Anna Andersson"
    assert _login(attacker, VICTIM, ATTACKER_PASSWORD).status_code == 422  # the attacker's password is gone
    assert not _logged_in(attacker)


def test_registering_over_a_pending_account_answers_exactly_as_a_new_registration(app):
    """Same page, the same mail (a new confirmation link), so the answer tells nobody an account was pending."""
    new_page = _register(_client(app, ATTACKER_IP), email="ny@foretaget.se").get_data(as_text=True)
    _register(_client(app, ATTACKER_IP), email="vantar@foretaget.se")
    pending_page = _register(_client(app, ATTACKER_IP), email="vantar@foretaget.se").get_data(as_text=True)
    assert pending_page.replace("vantar@", "ny@") == new_page
    mails = db.session.scalars(sa.select(Outbox).where(Outbox.payload["to"].as_string() == "vantar@foretaget.se")
                               .order_by(Outbox.id)).all()
    assert [m.payload["template"] for m in mails] == ["verify_account", "verify_account"]


def test_registering_an_address_with_a_confirmed_account_changes_nothing_of_it(app, client):
    _register(client, password=VICTIM_PASSWORD)
    client.post(_link(), data={"password": VICTIM_PASSWORD})
    attacker = _client(app, ATTACKER_IP)
    answer = _register(attacker, password=ATTACKER_PASSWORD)
    assert "Kontrollera din e-post" in answer.get_data(as_text=True)
    assert _account().check_password(VICTIM_PASSWORD) and not _account().check_password(ATTACKER_PASSWORD)
    assert _logged_in(client)  # the owner's session goes on


# -- wrong passwords on the confirmation page are failed logins -------------------------------------------------------
def test_wrong_passwords_on_the_confirmation_page_count_as_failed_logins_and_lock(app):
    attacker = _client(app, ATTACKER_IP)
    _register(attacker, password=VICTIM_PASSWORD)  # whoever holds the link guesses, from one address
    link = _link()
    for _ in range(5):
        assert attacker.post(link, data={"password": "en gissning till"}).status_code == 422
    locked = attacker.post(link, data={"password": VICTIM_PASSWORD})  # right, but locked from this address
    assert locked.status_code == 422 and "låst en stund" in locked.get_data(as_text=True)
    assert _account().verified_at is None and not _logged_in(attacker)
    # the same counter as the login form's: the name is locked there too, from that address
    assert "låst en stund" in _login(attacker, VICTIM, VICTIM_PASSWORD).get_data(as_text=True)
    # and the owner, from their own address, goes on
    owner = _client(app, VICTIM_IP)
    assert owner.post(link, data={"password": VICTIM_PASSWORD}).status_code == 302 and _logged_in(owner)


def test_the_service_refuses_a_wrong_password_and_confirms_nothing(app):
    now = datetime.now(UTC)
    accounts.register_company_account(VICTIM, "Anna", VICTIM_PASSWORD, "sv", now)
    token = _link().rsplit("/", 1)[1]
    with app.test_request_context():
        with pytest.raises(InvalidInput) as exc:
            accounts.verify_company_account(token, "fel lösenord", "198.51.100.7", now)
        assert exc.value.fields == {"password": "wrong_account_password"}
        assert _account().verified_at is None
        assert accounts.verify_company_account(token, VICTIM_PASSWORD, "198.51.100.7", now).verified_at is not None


def test_an_old_style_confirmation_token_naming_only_the_account_is_refused(app):
    """Links mailed before the change carried only the account's id: they no longer say which registration
    they belong to, so they are expired, not a way around the password."""
    accounts.register_company_account(VICTIM, "Anna", VICTIM_PASSWORD, "sv", datetime.now(UTC))
    old_style = accounts._serializer("verify").dumps(_account().id)
    client = app.test_client()
    assert client.get(f"/account/verify/{old_style}").status_code == 400
    assert client.post(f"/account/verify/{old_style}", data={"password": VICTIM_PASSWORD}).status_code == 400
    assert _account().verified_at is None


# -- login CSRF: the attacker mails the victim a link of the attacker's own account -----------------------------------
@pytest.fixture
def csrf_app(app, app_config):
    """The app as it runs for real: every form needs its CSRF token (``app`` empties the tables afterwards)."""
    real = create_app(dict(app_config, WTF_CSRF_ENABLED=True))
    _isolated_requests(real)
    with real.app_context():
        yield real
        db.session.remove()


def test_a_confirmation_link_of_someone_elses_account_does_not_log_the_victim_in(csrf_app, category):
    attacker, victim = _client(csrf_app, ATTACKER_IP), _client(csrf_app, VICTIM_IP)
    page = attacker.get("/account/register").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    attacker.post("/account/register", data={"name": "Falsk", "email": "falsk@angripare.example",
                                              "password": ATTACKER_PASSWORD, "confirm": ATTACKER_PASSWORD,
                                              "csrf_token": token})
    link = _link("falsk@angripare.example")

    assert victim.get(link).status_code == 200 and not _logged_in(victim)  # opened: asked for a password
    # a cross-site form posting the attacker's password for the victim carries no CSRF token of the victim's
    assert victim.post(link, data={"password": ATTACKER_PASSWORD}).status_code == 422
    assert not _logged_in(victim) and _account("falsk@angripare.example").verified_at is None

    # the victim files a case, believing themselves logged in or not: the attacker never sees it
    form_page = victim.get("/submit").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form_page).group(1)
    data = dict(VALID_FORM, contact_email="offer@foretaget.se", category_id=str(category("livsmedel").id),
                csrf_token=csrf)
    assert victim.post("/submit", data=data).status_code == 302
    filed = db.session.scalar(sa.select(Case).where(Case.contact_email == "offer@foretaget.se"))
    assert filed is not None
    page = attacker.get(link).get_data(as_text=True)  # the attacker confirms the own account and looks
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    assert attacker.post(link, data={"password": ATTACKER_PASSWORD, "csrf_token": token}).status_code == 302
    assert filed.reference not in attacker.get("/account/").get_data(as_text=True)


def test_the_confirmation_form_with_its_token_and_the_password_works_under_csrf(csrf_app):
    client = _client(csrf_app, VICTIM_IP)
    accounts.register_company_account(VICTIM, "Anna", VICTIM_PASSWORD, "sv", datetime.now(UTC))
    link = _link()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', client.get(link).get_data(as_text=True)).group(1)
    assert client.post(link, data={"password": VICTIM_PASSWORD, "csrf_token": token}).status_code == 302
    assert _logged_in(client)
