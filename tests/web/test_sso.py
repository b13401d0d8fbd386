"""Staff sign-in through a real OpenID Provider (oidc-provider on loopback, tests/oidc.py): the whole flow at
HTTP level with the Flask test client on caseflow's side and requests at the provider, every refusal with a
clear page and nothing half-made, group mappings, the session lifetime, key rotation, logout at the provider."""
from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import pyotp
import pytest
import sqlalchemy as sa

from caseflow.extensions import db
from caseflow.models import AuditLog, SsoGroupMapping, SsoIdentity, User
from caseflow.services import break_glass, sso
from tests.conftest import PASSWORD, login
from tests.oidc import PEOPLE, Provider, sign_in_at_provider, start_provider

CALLBACK = "http://localhost/staff/sso/callback"
AFTER_LOGOUT = "http://localhost/staff/login"


@pytest.fixture(scope="module")
def op():
    provider = start_provider([CALLBACK], [AFTER_LOGOUT])
    yield provider
    provider.stop()


@pytest.fixture
def app_config(app_config, op):
    op.people = {k: dict(v) for k, v in PEOPLE.items()}
    op.set_groups("alice", PEOPLE["alice"]["groups"])  # the directory as at the start, whatever a test changed
    return dict(app_config, OIDC_PROVIDERS=op.settings(), SSO_SESSION_MINUTES=60)


@pytest.fixture
def mapped(app, offices):
    """The IT administrator's mappings: the bygglov office's officers and its lead."""
    office = offices["samhallsbyggnad"]
    rows = {"officers": SsoGroupMapping(provider="staff", group="cf-bygglov-officers", role="officer",
                                        office_id=office.id),
            "lead": SsoGroupMapping(provider="staff", group="cf-bygglov-lead", role="lead", office_id=office.id)}
    db.session.add_all(rows.values())
    db.session.commit()
    return office, rows


def start(client, **args):
    resp = client.get("/staff/sso/login" + (f"?{urlencode(args)}" if args else ""))
    assert resp.status_code == 302, resp.get_data(as_text=True)[:300]
    return resp.headers["Location"]


def callback(client, url):
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == CALLBACK
    return client.get(f"{parts.path}?{parts.query}")


def sign_in(client, login_name, **args):
    return callback(client, sign_in_at_provider(start(client, **args), login_name))


def users() -> list[User]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(User)))


def signed_in(client) -> bool:
    return client.get("/staff/").status_code == 200


def refused(resp, reason, status):
    assert resp.status_code == status
    assert f'data-reason="{reason}"' in resp.get_data(as_text=True)


# -- signing in -------------------------------------------------------------------------------------------------
def test_an_officer_signs_in_at_the_provider_and_lands_on_the_queue_of_their_office(app, mapped):
    office, _ = mapped
    client = app.test_client()
    authorization = start(client)
    query = parse_qs(urlsplit(authorization).query)
    assert authorization.startswith(app.config["OIDC_PROVIDERS"]["staff"]["issuer"] + "/auth?")
    assert query["code_challenge_method"] == ["S256"] and query["code_challenge"][0]
    assert query["state"][0] and query["nonce"][0] and query["response_type"] == ["code"]
    resp = callback(client, sign_in_at_provider(authorization, "alice"))
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/staff/")
    (alice,) = users()
    assert (alice.email, alice.name, alice.role, alice.office_id, alice.active) == \
        ("alice@kommun.test", "Alice Andersson", "officer", office.id, True)
    assert not alice.check_password("") and not alice.check_password("any")  # no caseflow password at all
    page = client.get("/staff/")
    assert page.status_code == 200 and office.name in page.get_data(as_text=True)
    entry = db.session.scalar(sa.select(AuditLog).where(AuditLog.action == "sso_create"))
    assert entry.entity_id == alice.id and entry.changes["role"] == [None, "officer"]
    assert entry.changes["office_id"] == [None, office.id] and entry.changes["provider"] == [None, "staff"]


def test_several_groups_give_the_role_with_the_most_rights_and_the_next_page_asked_for(app, mapped):
    office, _ = mapped
    client = app.test_client()
    resp = sign_in(client, "bob", next="/staff/overview")  # lead group and an unmapped one
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/staff/overview")
    (bob,) = users()
    assert (bob.role, bob.office_id) == ("lead", office.id)
    assert client.get("/staff/overview").status_code == 200


def test_a_person_with_a_local_account_keeps_it_when_first_signing_in_at_the_provider(app, mapped, make_user):
    existing = make_user("officer", None, email="alice@kommun.test")
    sign_in(app.test_client(), "alice")
    (alice,) = users()
    assert alice.id == existing.id and alice.office_id == mapped[0].id
    assert db.session.scalar(sa.select(SsoIdentity.user_id)) == existing.id


def test_no_token_code_subject_or_address_reaches_the_log(app, mapped, op, caplog):
    import logging

    caplog.set_level(logging.DEBUG)
    client = app.test_client()
    authorization = start(client)
    browser_log = logging.getLogger("urllib3")  # the test's own browser at the provider: not caseflow's log
    browser_log.setLevel(logging.WARNING)
    try:
        back = sign_in_at_provider(authorization, "alice")
    finally:
        browser_log.setLevel(logging.NOTSET)
    code = parse_qs(urlsplit(back).query)["code"][0]
    assert callback(client, back).status_code == 302
    with client.session_transaction() as s:
        id_token = s["sso"]["id_token"]
    client.post("/staff/logout")
    logged = caplog.text
    assert "sso sign-in: user" in logged  # the log does tell what happened
    for secret in (code, id_token, id_token.split(".")[1], "alice@kommun.test", "Alice Andersson",
                   parse_qs(urlsplit(authorization).query)["nonce"][0], "code_verifier"):
        assert secret not in logged


# -- refusals: a clear page, nothing made ------------------------------------------------------------------------
def assert_nothing_made(client):
    assert users() == [] and db.session.scalar(sa.select(sa.func.count()).select_from(SsoIdentity)) == 0
    assert not signed_in(client)


def test_a_wrong_state_is_refused(app, mapped):
    client = app.test_client()
    back = urlsplit(sign_in_at_provider(start(client), "alice"))
    query = parse_qs(back.query)
    query["state"] = ["forged" + query["state"][0]]
    resp = callback(client, urlunsplit(back._replace(query=urlencode(query, doseq=True))))
    refused(resp, "state", 400)
    assert "inte startad från den här webbläsaren" in resp.get_data(as_text=True)  # Swedish by default
    assert_nothing_made(client)


def test_a_replayed_code_is_refused_by_the_provider(app, mapped):
    first = app.test_client()
    back = sign_in_at_provider(start(first), "alice")
    with first.session_transaction() as s:  # what an attacker replaying the whole request would hold
        saved = {k: v for k, v in s.items() if k.startswith("_state_")}
    assert callback(first, back).status_code == 302
    assert len(users()) == 1
    replay = app.test_client()
    with replay.session_transaction() as s:
        s.update(saved)
    refused(callback(replay, back), "provider_refused", 400)
    assert len(users()) == 1 and not signed_in(replay)


def test_an_id_token_for_another_client_is_refused(app, mapped, op):
    client = app.test_client()
    back = sign_in_at_provider(start(client), "alice")
    op.tamper_next_token(aud="other-service")
    refused(callback(client, back), "audience", 400)
    assert_nothing_made(client)


def test_an_expired_id_token_is_refused_and_a_small_clock_skew_is_not(app, mapped, op):
    client = app.test_client()
    back = sign_in_at_provider(start(client), "alice")
    op.tamper_next_token(exp_offset=-600)  # expired ten minutes ago: beyond the 60 s allowance
    refused(callback(client, back), "expired", 400)
    assert_nothing_made(client)
    back = sign_in_at_provider(start(client), "alice")
    op.tamper_next_token(exp_offset=-30)  # the provider's clock 30 s ahead of ours
    assert callback(client, back).status_code == 302 and signed_in(client)


def test_a_person_whose_groups_map_to_nothing_is_refused_in_english_too(app, mapped):
    client = app.test_client()
    client.get("/?lang=en")
    resp = sign_in(client, "carol")
    refused(resp, "no_access", 403)
    assert "none of your groups gives access" in resp.get_data(as_text=True)
    assert_nothing_made(client)


def test_the_provider_down_is_refused_at_the_start_and_at_the_callback(app, mapped):
    client = app.test_client()
    spare = Provider([CALLBACK], [AFTER_LOGOUT]).start()
    try:
        app.config["OIDC_PROVIDERS"] = spare.settings()
        back = sign_in_at_provider(start(client), "alice")
    finally:
        spare.stop()
    resp = callback(client, back)  # the code cannot be exchanged: nobody answers
    refused(resp, "provider_down", 503)
    assert "svarar inte just nu" in resp.get_data(as_text=True)
    assert_nothing_made(client)
    fresh = app.test_client()
    fresh.get("/?lang=en")
    resp = fresh.get("/staff/sso/login")
    refused(resp, "provider_down", 503)
    assert "does not answer right now" in resp.get_data(as_text=True)


def test_the_signing_key_rotated_at_the_provider_is_fetched_again(app, mapped, op):
    sign_in(app.test_client(), "alice")
    old_kid = app.extensions["authlib.integrations.flask_client"].create_client("staff").server_metadata[
        "jwks"]["keys"][0]["kid"]
    op.restart()  # a new signing key; caseflow still holds the old key set
    client = app.test_client()
    assert sign_in(client, "alice").status_code == 302 and signed_in(client)
    new_kid = app.extensions["authlib.integrations.flask_client"].create_client("staff").server_metadata[
        "jwks"]["keys"][0]["kid"]
    assert new_kid != old_kid


# -- who may do what follows the provider and the mappings -------------------------------------------------------
def test_a_mapping_change_that_takes_the_last_group_away_ends_access_at_once(app, mapped, make_user):
    _, rows = mapped
    alice_client = app.test_client()
    sign_in(alice_client, "alice")
    assert signed_in(alice_client)
    admin = app.test_client()
    login(admin, make_user("admin"))
    resp = admin.post(f"/admin/sso-groups/{rows['officers'].id}",
                      data={"group": "cf-bygglov-officers", "role": "officer", "office_id": rows["officers"].office_id})
    assert resp.status_code == 302  # "active" unticked
    assert not signed_in(alice_client)
    (alice,) = [u for u in users() if u.email == "alice@kommun.test"]
    assert not alice.active
    actions = list(db.session.scalars(sa.select(AuditLog.action).order_by(AuditLog.id)))
    assert actions[-2:] == ["update", "sso_deactivate"]
    refused(sign_in(alice_client, "alice"), "no_access", 403)
    admin.post(f"/admin/sso-groups/{rows['officers'].id}", data={  # the group maps again: she may come back
        "group": "cf-bygglov-officers", "role": "officer", "office_id": rows["officers"].office_id, "active": "y"})
    assert sign_in(alice_client, "alice").status_code == 302 and signed_in(alice_client)


def test_a_mapping_change_of_office_moves_the_person_at_once(app, mapped, make_user, offices):
    _, rows = mapped
    client = app.test_client()
    sign_in(client, "alice")
    admin = make_user("admin")
    sso.save_mapping(admin, rows["officers"].id, {"group": "cf-bygglov-officers", "role": "officer",
                                                  "office_id": offices["miljo"].id, "active": True},
                     datetime.now(UTC))
    (alice,) = [u for u in users() if u.email == "alice@kommun.test"]
    assert alice.office_id == offices["miljo"].id
    assert not signed_in(client)  # the session with the old office has ended; she signs in again
    entry = db.session.scalar(sa.select(AuditLog).where(AuditLog.action == "sso_update"))
    assert entry.actor_user_id == admin.id and entry.changes["office_id"][1] == offices["miljo"].id


def test_a_person_removed_from_the_group_at_the_provider_is_out_when_the_sign_in_lifetime_ends(app, mapped, op):
    client = app.test_client()
    sign_in(client, "alice")
    op.set_groups("alice", ["all-staff"])  # the IT department takes her out of the group
    assert signed_in(client)  # within the lifetime the sign-in holds (SSO_SESSION_MINUTES)
    with client.session_transaction() as s:
        s["sso"] = dict(s["sso"], until=s["sso"]["until"] - 3601)  # an hour later
    resp = client.get("/staff/?mine=1")
    assert resp.status_code == 302 and "/staff/sso/login" in resp.headers["Location"]  # through the provider again
    resp = client.get(resp.headers["Location"])
    refused(callback(client, sign_in_at_provider(resp.headers["Location"], "alice")), "no_access", 403)
    (alice,) = users()
    assert not alice.active and not signed_in(client)
    assert db.session.scalar(sa.select(AuditLog.action).order_by(AuditLog.id.desc())) == "sso_deactivate"


def test_an_account_an_administrator_deactivated_here_stays_out_whatever_the_provider_says(app, mapped, make_user):
    from caseflow.services import admin as admin_service

    client = app.test_client()
    sign_in(client, "alice")
    (alice,) = users()
    admin_service.save(make_user("admin"), "users", alice.id, {
        "email": alice.email, "name": alice.name, "role": alice.role, "office_id": alice.office_id,
        "active": False}, datetime.now(UTC))
    assert not signed_in(client)
    resp = sign_in(client, "alice")  # still in the mapped group at the provider
    refused(resp, "inactive", 403)
    assert "inaktiverats av en administratör" in resp.get_data(as_text=True)
    assert not [u for u in users() if u.email == "alice@kommun.test"][0].active and not signed_in(client)


def test_a_new_group_at_the_provider_changes_the_role_at_the_next_sign_in(app, mapped, op):
    sign_in(app.test_client(), "alice")
    op.set_groups("alice", ["cf-bygglov-lead"])
    client = app.test_client()
    sign_in(client, "alice")
    (alice,) = users()
    assert alice.role == "lead" and client.get("/staff/overview").status_code == 200
    entry = db.session.scalar(sa.select(AuditLog).where(AuditLog.action == "sso_update"))
    assert entry.changes["role"] == ["officer", "lead"] and entry.actor_user_id is None


# -- signing out -----------------------------------------------------------------------------------------------
def test_sign_out_ends_the_session_here_and_at_the_provider(app, mapped, op):
    client = app.test_client()
    sign_in(client, "alice")
    resp = client.post("/staff/logout")
    assert resp.status_code == 302
    target = urlsplit(resp.headers["Location"])
    assert f"{target.scheme}://{target.netloc}{target.path}" == op.issuer + "/session/end"
    query = parse_qs(target.query)
    assert query["post_logout_redirect_uri"] == [AFTER_LOGOUT] and query["client_id"] == ["caseflow"]
    assert query["id_token_hint"][0].count(".") == 2
    assert not signed_in(client)


# -- local passwords switched off ---------------------------------------------------------------------------------
def test_with_passwords_off_staff_cannot_use_one_and_the_break_glass_admin_needs_a_code(app, mapped, make_user):
    officer = make_user("officer", mapped[0])
    admin = make_user("admin", email="beredskap@kommun.test")
    app.config.update(STAFF_PASSWORDS=False, BREAK_GLASS_ADMIN="beredskap@kommun.test")
    client = app.test_client()
    page = client.get("/staff/login").get_data(as_text=True)
    assert "/staff/sso/login" in page and 'name="password"' not in page and "/staff/break-glass" in page
    assert login(client, officer).status_code == 422 and login(client, admin).status_code == 422
    resp = client.post("/staff/break-glass", data={"email": admin.email, "password": PASSWORD, "code": "000000"})
    assert resp.status_code == 422  # no TOTP enrolled yet: a password alone is not enough
    uri = break_glass.enrol(admin.email, datetime.now(UTC))
    code = pyotp.parse_uri(uri).now()
    resp = client.post("/staff/break-glass", data={"email": admin.email, "password": "wrong password", "code": code})
    assert resp.status_code == 422
    resp = client.post("/staff/break-glass", data={"email": admin.email, "password": PASSWORD, "code": code})
    assert resp.status_code == 302 and client.get("/admin/").status_code == 200
    again = app.test_client()  # the same code a second time
    resp = again.post("/staff/break-glass", data={"email": admin.email, "password": PASSWORD, "code": code})
    assert resp.status_code == 422
    assert db.session.scalar(sa.select(sa.func.count()).where(AuditLog.action == "break_glass_login")) == 1
    with pytest.raises(Exception):  # noqa: B017 - only the named administrator gets a code
        break_glass.enrol(officer.email, datetime.now(UTC))


# -- configuration ---------------------------------------------------------------------------------------------
def test_the_provider_is_configured_by_environment_and_passwords_off_needs_one(monkeypatch, tmp_path):
    from caseflow.config import ConfigError, from_env

    monkeypatch.setenv("STAFF_PASSWORDS", "off")
    with pytest.raises(ConfigError, match="OIDC_ISSUER"):
        from_env(str(tmp_path), {"TESTING": True})
    monkeypatch.setenv("OIDC_ISSUER", "https://login.kommun.test/realms/staff")
    monkeypatch.setenv("OIDC_CLIENT_ID", "caseflow")
    monkeypatch.setenv("OIDC_GROUPS_CLAIM", "roles")
    cfg = from_env(str(tmp_path), {"TESTING": True})
    assert cfg["STAFF_PASSWORDS"] is False and cfg["SSO_SESSION_MINUTES"] == 60
    assert cfg["OIDC_PROVIDERS"]["staff"]["issuer"] == "https://login.kommun.test/realms/staff"
    assert cfg["OIDC_PROVIDERS"]["staff"]["groups_claim"] == "roles"
    assert cfg["OIDC_PROVIDERS"]["staff"]["leeway"] == 60
