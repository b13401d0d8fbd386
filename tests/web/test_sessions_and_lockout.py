"""Sessions that can be ended, forms that refuse without their CSRF token, and a lockout that tells nobody who
exists and that an attacker cannot turn against an officer. Each test is the attack, replayed."""
import re
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from caseflow import create_app
from caseflow.extensions import db
from caseflow.models import Case, CompanyAccount, User
from caseflow.services import accounts
from caseflow.services.errors import InvalidInput
from tests.conftest import PASSWORD, _isolated_requests, login

NEW_PASSWORD = "ett helt nytt lösenord"
ATTACKER = {"REMOTE_ADDR": "203.0.113.66"}
OFFICE = {"REMOTE_ADDR": "10.20.30.40"}


# -- helpers --------------------------------------------------------------------------------------------------------
def stolen(app, client):
    """A second browser holding a copy of ``client``'s session cookie (what a thief or a shared PC keeps)."""
    cookie = client.get_cookie("session")
    assert cookie is not None
    thief = app.test_client()
    thief.set_cookie("session", cookie.value, domain=cookie.domain or "localhost")
    return thief


def is_login_redirect(resp, where="/staff/login") -> bool:
    return resp.status_code == 302 and where in resp.headers.get("Location", "")


@pytest.fixture
def company(app):
    account = CompanyAccount(email="anna@kanalkafeet.se", name="Anna", verified_at=datetime.now(UTC))
    account.set_password(PASSWORD)
    db.session.add(account)
    db.session.commit()
    return account


def company_login(client, email="anna@kanalkafeet.se", password=PASSWORD, **kw):
    return client.post("/account/login", data={"email": email, "password": password}, **kw)


@pytest.fixture
def csrf_app(app_config):
    """The app as it runs for real: every form needs its CSRF token."""
    real = create_app(dict(app_config, WTF_CSRF_ENABLED=True))
    _isolated_requests(real)
    with real.app_context():
        yield real
        db.session.remove()


def token_on(page) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.get_data(as_text=True)).group(1)


def csrf_login(client, email, password=PASSWORD, url="/staff/login"):
    token = token_on(client.get(url))
    return client.post(url, data={"email": email, "password": password, "csrf_token": token})


# -- 3. sessions that can be ended ------------------------------------------------------------------------------------
def test_a_session_cookie_replayed_after_logout_is_logged_out(app, client, make_user, offices):
    login(client, make_user("officer", offices["miljo"]))
    thief = stolen(app, client)
    assert thief.get("/staff/").status_code == 200  # the copy works while the session lives
    client.post("/staff/logout")
    assert is_login_redirect(thief.get("/staff/"))


def test_a_password_change_ends_every_other_session_and_keeps_this_one(app, client, make_user, offices):
    user = make_user("officer", offices["miljo"])
    login(client, user)
    thief = stolen(app, client)
    resp = client.post("/staff/password", data={"current_password": PASSWORD, "password": NEW_PASSWORD,
                                                 "confirm": NEW_PASSWORD})
    assert resp.status_code == 302
    assert is_login_redirect(thief.get("/staff/"))
    assert client.get("/staff/").status_code == 200  # who changed it stays logged in
    assert login(app.test_client(), user, NEW_PASSWORD).status_code == 302


def test_a_password_change_needs_the_current_password(app, client, make_user, offices):
    user = make_user("officer", offices["miljo"])
    login(client, user)
    thief = stolen(app, client)
    resp = client.post("/staff/password", data={"current_password": "gissat lösenord", "password": NEW_PASSWORD,
                                                 "confirm": NEW_PASSWORD})
    assert resp.status_code == 422 and "Fel nuvarande lösenord" in resp.get_data(as_text=True)
    assert thief.get("/staff/").status_code == 200  # nothing changed
    assert login(app.test_client(), user).status_code == 302


def test_a_stolen_session_cannot_guess_the_password_on_the_change_page(app, client, make_user, offices):
    user = make_user("officer", offices["miljo"])
    login(client, user)
    for _ in range(5):
        client.post("/staff/password", data={"current_password": "gissning", "password": NEW_PASSWORD,
                                             "confirm": NEW_PASSWORD})
    resp = client.post("/staff/password", data={"current_password": PASSWORD, "password": NEW_PASSWORD,
                                                 "confirm": NEW_PASSWORD})
    assert resp.status_code == 422 and "låst en stund" in resp.get_data(as_text=True)
    elsewhere = app.test_client()
    elsewhere.environ_base.update(OFFICE)
    assert login(elsewhere, user).status_code == 302  # the password is unchanged, the owner not locked out


def test_a_staff_password_change_is_in_the_audit_log_without_the_password(app, client, make_user, offices):
    from caseflow.models import AuditLog

    user = make_user("officer", offices["miljo"])
    login(client, user)
    client.post("/staff/password", data={"current_password": PASSWORD, "password": NEW_PASSWORD,
                                         "confirm": NEW_PASSWORD})
    entry = db.session.scalars(sa.select(AuditLog).where(AuditLog.entity == "users")).one()
    assert (entry.actor_user_id, entry.entity_id, entry.changes) == (user.id, user.id, {"password": ["***", "***"]})


def test_a_deactivated_account_stays_logged_out_even_once_reactivated(app, client, make_user, offices):
    officer = make_user("officer", offices["miljo"])
    login(client, officer)
    thief = stolen(app, client)
    admin = app.test_client()
    login(admin, make_user("admin"))
    form = {"email": officer.email, "name": officer.name, "role": "officer", "office_id": str(offices["miljo"].id)}
    assert admin.post(f"/admin/users/{officer.id}", data=form).status_code == 302  # "active" unticked
    assert is_login_redirect(thief.get("/staff/"))
    assert admin.post(f"/admin/users/{officer.id}", data=dict(form, active="y")).status_code == 302
    assert is_login_redirect(thief.get("/staff/"))  # reactivation does not bring the old session back
    assert is_login_redirect(client.get("/staff/"))


def test_a_password_set_by_an_administrator_ends_the_users_sessions(app, client, make_user, offices):
    officer = make_user("officer", offices["miljo"])
    login(client, officer)
    admin = app.test_client()
    login(admin, make_user("admin"))
    form = {"email": officer.email, "name": officer.name, "role": "officer", "office_id": str(offices["miljo"].id),
            "active": "y", "password": NEW_PASSWORD}
    assert admin.post(f"/admin/users/{officer.id}", data=form).status_code == 302
    assert is_login_redirect(client.get("/staff/"))


def test_an_unrelated_admin_edit_keeps_the_users_session(app, client, make_user, offices):
    officer = make_user("officer", offices["miljo"])
    login(client, officer)
    admin = app.test_client()
    login(admin, make_user("admin"))
    form = {"email": officer.email, "name": "Nytt Namn", "role": "officer", "office_id": str(offices["miljo"].id),
            "active": "y"}
    assert admin.post(f"/admin/users/{officer.id}", data=form).status_code == 302
    assert client.get("/staff/").status_code == 200


def test_log_out_everywhere_ends_the_sessions_of_every_device(app, make_user, offices):
    user = make_user("officer", offices["miljo"])
    laptop, phone = app.test_client(), app.test_client()
    login(laptop, user)
    login(phone, user)
    thief = stolen(app, phone)
    resp = laptop.post("/staff/logout-everywhere")
    assert is_login_redirect(resp)
    for device in (laptop, phone, thief):
        assert is_login_redirect(device.get("/staff/"))
    assert login(phone, user).status_code == 302  # the password still works


def test_a_remember_me_cookie_does_not_bring_an_ended_session_back(app, client, make_user, offices):
    from flask_login.utils import encode_cookie

    user = make_user("officer", offices["miljo"])
    login(client, user)
    with app.test_request_context():
        remember = encode_cookie(db.session.get(User, user.id).get_id())  # as Flask-Login writes it at login
    client.post("/staff/logout")
    replay = app.test_client()
    replay.set_cookie(app.config.get("REMEMBER_COOKIE_NAME", "remember_token"), remember, domain="localhost")
    assert is_login_redirect(replay.get("/staff/"))


def test_a_forged_or_old_style_session_id_is_logged_out(app, make_user, offices):
    user = make_user("officer", offices["miljo"])
    for forged in (f"s:{user.id}", f"s:{user.id}:", f"s:{user.id}:x", f"s:{user.id}:-1", f"s:{user.id}:1:2"):
        client = app.test_client()
        with client.session_transaction() as sess:
            sess["_user_id"] = forged
            sess["_fresh"] = True
        assert is_login_redirect(client.get("/staff/")), forged


def test_a_company_session_replayed_after_logout_is_logged_out(app, client, company):
    assert company_login(client).status_code == 302
    thief = stolen(app, client)
    assert thief.get("/account/").status_code == 200
    client.post("/account/logout")
    assert is_login_redirect(thief.get("/account/"), "/account/login")


def test_a_company_password_change_ends_every_other_session(app, client, company):
    company_login(client)
    thief = stolen(app, client)
    resp = client.post("/account/password", data={"current_password": PASSWORD, "password": NEW_PASSWORD,
                                                   "confirm": NEW_PASSWORD})
    assert resp.status_code == 302
    assert is_login_redirect(thief.get("/account/"), "/account/login")
    assert client.get("/account/").status_code == 200
    assert company_login(app.test_client(), password=NEW_PASSWORD).status_code == 302


def test_a_company_password_reset_ends_every_session(app, client, company):
    company_login(client)
    thief = stolen(app, client)
    accounts.request_password_reset(company.email, "sv", datetime.now(UTC))
    from caseflow.models import Outbox

    row = db.session.scalars(sa.select(Outbox).order_by(Outbox.id.desc())).first()
    stranger = app.test_client()
    resp = stranger.post(f"/account/reset/{row.payload['token']}",
                         data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert resp.status_code == 302
    assert is_login_redirect(thief.get("/account/"), "/account/login")
    assert is_login_redirect(client.get("/account/"), "/account/login")
    assert stranger.get("/account/").status_code == 200  # who reset it is logged in


def test_a_company_can_log_out_everywhere(app, company):
    laptop, phone = app.test_client(), app.test_client()
    company_login(laptop)
    company_login(phone)
    assert laptop.post("/account/logout-everywhere").status_code == 302
    for device in (laptop, phone):
        assert is_login_redirect(device.get("/account/"), "/account/login")


def test_the_password_page_offers_log_out_everywhere(client, make_user, offices):
    login(client, make_user("analyst"))
    page = client.get("/staff/password").get_data(as_text=True)
    assert 'action="/staff/logout-everywhere"' in page and "Logga ut överallt" in page


# -- 4. the bulk form refuses without its CSRF token ----------------------------------------------------------------
def _unassigned_case(submit):
    receipt = submit()
    assert db.session.get(Case, receipt.case_id).assignee_id is None
    return receipt.case_id


def test_bulk_without_a_valid_csrf_token_is_refused_and_claims_nothing(csrf_app, make_user, offices, submit):
    case_id = _unassigned_case(submit)
    client = csrf_app.test_client()
    assert csrf_login(client, make_user("officer", offices["samhallsbyggnad"]).email).status_code == 302
    for data in ({"ids": str(case_id), "action": "claim"}, {"ids": str(case_id), "action": "close_answered",
                                                            "csrf_token": "forged"}):
        resp = client.post("/staff/bulk", data=data)
        assert resp.status_code == 400
        assert "Inget ändrades" in resp.get_data(as_text=True)
    db.session.expire_all()
    case = db.session.get(Case, case_id)
    assert case.assignee_id is None and case.closed_at is None


def test_bulk_with_an_unknown_action_is_refused_not_defaulted(client, make_user, offices, submit):
    case_id = _unassigned_case(submit)
    login(client, make_user("officer", offices["samhallsbyggnad"]))
    resp = client.post("/staff/bulk", data={"ids": str(case_id), "action": "claim_everything"})
    assert resp.status_code == 400 and "Inget ändrades" in resp.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Case, case_id).assignee_id is None


def test_bulk_with_its_token_still_claims(csrf_app, make_user, offices, submit):
    case_id = _unassigned_case(submit)
    client = csrf_app.test_client()
    officer = make_user("officer", offices["samhallsbyggnad"])
    csrf_login(client, officer.email)
    token = token_on(client.get("/staff/"))
    preview = client.post("/staff/bulk", data={"ids": str(case_id), "action": "claim", "csrf_token": token})
    assert preview.status_code == 200
    signed = re.search(r'name="token" type="hidden" value="([^"]+)"', preview.get_data(as_text=True)).group(1)
    assert client.post("/staff/bulk/confirm", data={"token": signed, "csrf_token": token}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Case, case_id).assignee_id == officer.id


# -- 12. a lockout that tells nobody who exists and locks out only the attacker -------------------------------------
def _fail(client, email, times, url="/staff/login"):
    return [client.post(url, data={"email": email, "password": "fel lösenord"}) for _ in range(times)]


def _page(resp, email) -> str:
    """The page as the browser shows it, but for the e-mail the form keeps."""
    return resp.get_data(as_text=True).replace(email, "EMAIL")


@pytest.mark.parametrize("url", ["/staff/login", "/account/login"])
def test_the_lockout_message_is_the_same_for_unknown_and_real_accounts(app, make_user, offices, company, url):
    real = company.email if url.startswith("/account") else make_user("officer", offices["miljo"]).email
    answers = {}
    for email in (real, "finns.inte@kommun.se"):
        client = app.test_client()
        answers[email] = [(r.status_code, _page(r, email)) for r in _fail(client, email, 6, url)]
    assert answers[real] == answers["finns.inte@kommun.se"]
    assert "låst en stund" in answers[real][-1][1]
    assert "låst en stund" not in answers[real][-2][1]


def test_an_officer_logs_in_from_their_own_address_after_an_attackers_failures(app, make_user, offices):
    officer = make_user("officer", offices["miljo"])
    attacker = app.test_client()
    attacker.environ_base.update(ATTACKER)
    _fail(attacker, officer.email, 12)
    locked = login(attacker, officer)  # the right password, from the attacker's address: still locked
    assert locked.status_code == 422 and "låst en stund" in locked.get_data(as_text=True)
    own = app.test_client()
    own.environ_base.update(OFFICE)
    assert login(own, officer).status_code == 302


def test_a_company_logs_in_from_its_own_address_after_an_attackers_failures(app, company):
    attacker = app.test_client()
    attacker.environ_base.update(ATTACKER)
    _fail(attacker, company.email, 6, "/account/login")
    own = app.test_client()
    own.environ_base.update(OFFICE)
    assert company_login(own).status_code == 302


def test_lockout_per_account_and_address_ends_after_its_time_and_success_resets_it(app, make_user, offices):
    user = make_user("officer", offices["miljo"])
    now = datetime.now(UTC)
    for _ in range(5):
        assert accounts.authenticate(user.email, "fel", "203.0.113.66", now) is None
    with pytest.raises(InvalidInput) as exc:
        accounts.authenticate(user.email, PASSWORD, "203.0.113.66", now + timedelta(minutes=1))
    assert exc.value.fields == {"email": "locked"}
    assert accounts.authenticate(user.email, PASSWORD, "10.0.0.1", now + timedelta(minutes=1)).id == user.id
    assert accounts.authenticate(user.email, PASSWORD, "203.0.113.66", now + timedelta(minutes=16)).id == user.id
    for _ in range(4):  # the success started the count again
        assert accounts.authenticate(user.email, "fel", "203.0.113.66", now + timedelta(minutes=17)) is None
    assert accounts.authenticate(user.email, PASSWORD, "203.0.113.66", now + timedelta(minutes=17)).id == user.id


def test_old_failures_do_not_count_towards_a_lockout(app, make_user, offices):
    user = make_user("officer", offices["miljo"])
    now = datetime.now(UTC)
    for day in range(6):  # one typo a day is no attack
        assert accounts.authenticate(user.email, "fel", "10.0.0.1", now + timedelta(days=day)) is None
    assert accounts.authenticate(user.email, PASSWORD, "10.0.0.1", now + timedelta(days=6)).id == user.id


def test_failed_logins_from_one_address_meet_a_looser_limit_for_every_account(app_config, make_user, offices):
    limited = create_app(dict(app_config, RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="4 per minute",
                              RATELIMIT_STORAGE_URI="memory://"))
    _isolated_requests(limited)
    users = [make_user("officer", offices["miljo"]) for _ in range(6)]
    with limited.app_context():
        office = limited.test_client()
        office.environ_base.update(OFFICE)
        # A busy office behind one address: successful logins do not use up the address's allowance …
        assert [login(office, u).status_code for u in users] == [302] * 6
        # … but guessing across accounts (one try each, under any per-account lockout) is stopped.
        sprayer = limited.test_client()
        sprayer.environ_base.update(ATTACKER)
        codes = [login(sprayer, u, "fel lösenord").status_code for u in users]
        assert codes == [422] * 4 + [429] * 2
        other = limited.test_client()
        other.environ_base.update({"REMOTE_ADDR": "198.51.100.7"})
        assert login(other, users[0]).status_code == 302  # the limit is per address
        db.session.remove()


# -- 12. CSRF token and session renewed at login ----------------------------------------------------------------------
def test_the_csrf_token_changes_at_staff_login(csrf_app, make_user, offices):
    client = csrf_app.test_client()
    officer = make_user("officer", offices["miljo"])
    before = token_on(client.get("/staff/login"))
    with client.session_transaction() as sess:
        raw_before = sess["csrf_token"]
        sess["planted"] = "by an attacker"  # session fixation: nothing from before the login survives it
    client.post("/staff/login", data={"email": officer.email, "password": PASSWORD, "csrf_token": before})
    after = token_on(client.get("/staff/"))
    with client.session_transaction() as sess:
        assert sess["csrf_token"] != raw_before
        assert "planted" not in sess
    assert after != before
    # the token from before the login no longer works
    assert client.post("/staff/logout-everywhere", data={"csrf_token": before}).status_code == 400
    assert client.get("/staff/").status_code == 200


def test_the_csrf_token_changes_at_company_login_and_the_language_is_kept(csrf_app, company):
    client = csrf_app.test_client()
    client.get("/account/login?lang=en")
    with client.session_transaction() as sess:
        raw_before = sess["csrf_token"]
    assert csrf_login(client, company.email, url="/account/login").status_code == 302
    page = client.get("/account/")
    with client.session_transaction() as sess:
        assert sess["csrf_token"] != raw_before
        assert sess["lang"] == "en"
    assert 'lang="en"' in page.get_data(as_text=True)
