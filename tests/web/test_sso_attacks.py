"""An attacker's review of the sign-in through the identity provider, each weakness as the attack that tried it:
an account taken over by an address the provider never confirmed, an address that collides with another
account's, two first sign-ins of one person at once, a forged nonce, an open redirect after the sign-in, a
session planted before it, a groups claim of another type. Against the real OpenID Provider of tests/oidc.py
where the attack goes through it; the service (``sso.sign_in``) directly where it is a claim the test provider
would not send."""
from __future__ import annotations

import logging
import threading
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from caseflow.extensions import db
from caseflow.models import AuditLog, SsoIdentity, User
from caseflow.services import sso
from tests.oidc import sign_in_at_provider
from tests.web import test_sso as flow
from tests.web.test_sso import callback, refused, sign_in, signed_in, start, users

# the provider, its configuration and the group mappings of the sign-in tests
op, app_config, mapped = flow.op, flow.app_config, flow.mapped


def identities() -> list[SsoIdentity]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(SsoIdentity)))


def audit_actions() -> list[tuple[str, int | None]]:
    return list(db.session.execute(sa.select(AuditLog.action, AuditLog.entity_id).order_by(AuditLog.id)))


# -- 1. an address the provider does not vouch for -----------------------------------------------------------------
@pytest.mark.parametrize("verified", [False, None], ids=["email_verified-false", "email_verified-absent"])
def test_an_unconfirmed_address_does_not_take_over_the_lead_account_that_has_it(app, mapped, make_user, op,
                                                                                verified, caplog):
    office, _ = mapped
    lead = make_user("lead", office, email="chefen@kommun.test", name="Lena Chef")
    # at a provider that lets a person type any address into their profile: an officer types the lead's
    op.set_person("mallory", email="chefen@kommun.test", name="Mallory", groups=["cf-bygglov-officers"],
                  email_verified=verified)
    caplog.set_level(logging.INFO)
    client = app.test_client()
    resp = sign_in(client, "mallory")
    refused(resp, "email_unverified", 403)
    assert "har inte bekräftat din e-postadress" in resp.get_data(as_text=True)
    assert not signed_in(client)
    (account,) = users()
    assert (account.id, account.role, account.name, account.active) == (lead.id, "lead", "Lena Chef", True)
    assert identities() == []
    assert audit_actions() == [("sso_unconfirmed", lead.id)]  # the administrator sees why
    assert "chefen@kommun.test" not in caplog.text and "mallory" not in caplog.text


def test_an_unconfirmed_address_gives_no_new_account_either_and_says_so_in_english(app, mapped, op):
    op.set_person("alice", email_verified=False)
    client = app.test_client()
    client.get("/?lang=en")
    resp = sign_in(client, "alice")
    refused(resp, "email_unverified", 403)
    assert "has not confirmed your e-mail address" in resp.get_data(as_text=True)
    assert users() == [] and identities() == [] and audit_actions() == []  # no account named: nothing to log


def test_a_provider_configured_to_vouch_for_its_addresses_links_without_the_claim(app, mapped, make_user, op):
    existing = make_user("officer", None, email="alice@kommun.test")
    op.set_person("alice", email_verified=None)  # as Entra ID: never an email_verified claim
    app.config["OIDC_PROVIDERS"]["staff"]["trust_email"] = True
    sign_in(app.test_client(), "alice")
    (alice,) = users()
    assert alice.id == existing.id and alice.office_id == mapped[0].id
    assert [i.user_id for i in identities()] == [existing.id]


@pytest.mark.parametrize("claim", ["false", "no", 0, [True], {"verified": True}])
def test_only_a_true_email_verified_claim_counts_as_proof(app, mapped, make_user, claim):
    lead = make_user("lead", mapped[0], email="chefen@kommun.test")
    claims = {"sub": "mallory", "email": "chefen@kommun.test", "email_verified": claim,
              "groups": ["cf-bygglov-officers"]}
    with pytest.raises(sso.SignInRefused) as refusal:
        sso.sign_in("staff", claims, datetime.now(UTC))
    assert refusal.value.reason == "email_unverified"
    assert db.session.get(User, lead.id).role == "lead" and identities() == []


def test_the_setting_that_trusts_the_providers_addresses_is_off_unless_set(monkeypatch, tmp_path):
    from caseflow.config import from_env

    monkeypatch.setenv("OIDC_ISSUER", "https://login.kommun.test")
    monkeypatch.setenv("OIDC_CLIENT_ID", "caseflow")
    assert from_env(str(tmp_path), {"TESTING": True})["OIDC_PROVIDERS"]["staff"]["trust_email"] is False
    monkeypatch.setenv("OIDC_TRUST_EMAIL", "on")
    assert from_env(str(tmp_path), {"TESTING": True})["OIDC_PROVIDERS"]["staff"]["trust_email"] is True


# -- 1b. an address another account holds --------------------------------------------------------------------------
def test_a_changed_address_that_another_account_holds_is_refused_not_taken_over(app, mapped, make_user, op):
    office, _ = mapped
    sign_in(app.test_client(), "alice")
    lead = make_user("lead", office, email="chefen@kommun.test")
    op.set_person("alice", email="chefen@kommun.test")  # confirmed by the provider, yet another account's
    client = app.test_client()
    resp = sign_in(client, "alice")
    refused(resp, "email_taken", 409)
    assert "en annan användare i caseflow" in resp.get_data(as_text=True)
    assert not signed_in(client)
    db.session.expire_all()
    assert db.session.get(User, lead.id).email == "chefen@kommun.test"
    assert {u.email for u in users()} == {"alice@kommun.test", "chefen@kommun.test"}
    assert audit_actions()[-1] == ("sso_email_taken", lead.id)


def test_a_new_person_with_the_address_of_an_account_bound_to_another_subject_is_refused(app, mapped, op):
    sign_in(app.test_client(), "alice")
    op.set_person("alice2", email="alice@kommun.test", name="Alice Again", groups=["cf-bygglov-lead"])
    client = app.test_client()
    refused(sign_in(client, "alice2"), "email_taken", 409)
    (alice,) = users()
    assert alice.role == "officer" and len(identities()) == 1 and not signed_in(client)


# -- 2. two first sign-ins of one person at once ----------------------------------------------------------------
@pytest.mark.parametrize("local_account", [False, True], ids=["new-account", "linking-a-local-account"])
def test_two_first_sign_ins_of_the_same_person_at_once_make_one_account(app, mapped, make_user, local_account,
                                                                        caplog):
    """Two callbacks for the same new subject, each on its own connection: both look the person up before
    either writes (a barrier at each one's first flush), then both write. One account, one identity, no error."""
    if local_account:
        make_user("officer", None, email="alice@kommun.test")
    claims = {"sub": "alice", "email": "alice@kommun.test", "email_verified": True, "name": "Alice Andersson",
              "groups": ["cf-bygglov-officers"]}
    racers, barrier = {}, threading.Barrier(2, timeout=20)
    results, errors = [], []

    def wait_for_the_other(session, flush_context, instances):
        me = threading.get_ident()
        if racers.get(me) is False:  # each racer's first flush, after both have looked the person up
            racers[me] = True
            barrier.wait()

    def race():
        racers[threading.get_ident()] = False
        try:
            with app.app_context():
                results.append(sso.sign_in("staff", dict(claims), datetime.now(UTC)).id)
                db.session.remove()
        except Exception as exc:  # reported below
            errors.append(exc)

    caplog.set_level(logging.INFO, logger="caseflow.services.sso")
    sa.event.listen(Session, "before_flush", wait_for_the_other)
    try:
        threads = [threading.Thread(target=race) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
    finally:
        sa.event.remove(Session, "before_flush", wait_for_the_other)
    assert errors == [] and all(racers.values())
    (alice,) = users()
    assert results == [alice.id, alice.id]
    assert [i.user_id for i in identities()] == [alice.id]
    assert caplog.text.count("looking again") == 1  # they did meet: the second one's write failed and it looked again


# -- 3. the redirect dance ----------------------------------------------------------------------------------------
def test_a_nonce_that_is_not_this_sign_ins_is_refused(app, mapped, op):
    client = app.test_client()
    back = sign_in_at_provider(start(client), "alice")
    op.tamper_next_token(nonce="a-nonce-from-another-sign-in")
    refused(callback(client, back), "token", 400)
    assert users() == [] and not signed_in(client)


def test_a_callback_without_state_or_with_the_providers_error_is_refused(app, mapped):
    client = app.test_client()
    start(client)
    refused(client.get("/staff/sso/callback?code=abc"), "state", 400)
    state = None
    with client.session_transaction() as s:
        state = next(k for k in s if k.startswith("_state_staff_"))[len("_state_staff_"):]
    refused(client.get(f"/staff/sso/callback?error=access_denied&state={state}"), "provider_refused", 400)
    assert users() == [] and not signed_in(client)


@pytest.mark.parametrize("target", ["//evil.example/x", "https://evil.example/", "/\\evil.example",
                                    "/\t/evil.example", "javascript:alert(1)"])
def test_the_page_after_sign_in_is_never_another_site(app, mapped, target):
    client = app.test_client()
    resp = sign_in(client, "alice", next=target)
    assert resp.status_code == 302 and resp.headers["Location"] in ("/staff/", "http://localhost/staff/")


def test_a_session_planted_before_the_sign_in_does_not_survive_it(app, mapped):
    client = app.test_client()
    with client.session_transaction() as s:  # what a fixated cookie would carry in
        s["planted"], s["csrf_token"], s["_user_id"] = "x", "known-token", "999"
    sign_in(client, "alice")
    with client.session_transaction() as s:
        assert "planted" not in s and s.get("csrf_token") != "known-token"
        assert not [k for k in s if k.startswith("_state_")]  # state, nonce and verifier used once, then gone
        assert s["_user_id"] != "999"


# -- 3b. the groups claim of another type ---------------------------------------------------------------------------
@pytest.mark.parametrize("groups", [{"cf-bygglov-lead": True}, {"cf-bygglov-lead": "member"}, [["cf-bygglov-lead"]],
                                    [True], [{"name": "cf-bygglov-lead"}]])
def test_a_groups_claim_that_is_not_a_list_of_names_gives_no_group(app, mapped, make_user, groups):
    from caseflow.models import SsoGroupMapping

    db.session.add(SsoGroupMapping(provider="staff", group="True", role="admin"))  # a careless mapping
    db.session.commit()
    claims = {"sub": "mallory", "email": "m@kommun.test", "email_verified": True, "groups": groups}
    with pytest.raises(sso.SignInRefused) as refusal:
        sso.sign_in("staff", claims, datetime.now(UTC))
    assert refusal.value.reason == "no_access" and users() == []


def test_one_group_as_a_string_still_counts(app, mapped):
    claims = {"sub": "alice", "email": "alice@kommun.test", "email_verified": True, "groups": "cf-bygglov-lead"}
    assert sso.sign_in("staff", claims, datetime.now(UTC)).role == "lead"


# -- 3c. claims cut short ------------------------------------------------------------------------------------------
def test_a_subject_longer_than_the_standard_allows_is_refused_not_cut_into_another(app, mapped):
    """Cut to the column's 255 characters, a second subject with the first one's 255 characters would be the
    first person here."""
    first = {"sub": "s" * 255, "email": "alice@kommun.test", "email_verified": True,
             "groups": ["cf-bygglov-officers"]}
    alice = sso.sign_in("staff", first, datetime.now(UTC))
    other = {"sub": "s" * 255 + "-mallory", "email": "mallory@kommun.test", "email_verified": True,
             "groups": ["cf-bygglov-officers"]}
    with pytest.raises(sso.SignInRefused) as refusal:
        sso.sign_in("staff", other, datetime.now(UTC))
    assert refusal.value.reason == "token"
    assert [u.id for u in users()] == [alice.id] and users()[0].email == "alice@kommun.test"


@pytest.mark.parametrize("claims", [
    {"groups": []}, {"groups": None}, {},  # no group at all: a clean refusal, not a 500 on PostgreSQL
    {"groups": ["cf-bygglov-officers\x00"]},
], ids=["empty", "null", "absent", "nul-in-a-group"])
def test_a_token_without_a_usable_group_is_refused_cleanly_on_every_database(app, mapped, claims):
    claims = dict({"sub": "alice", "email": "alice@kommun.test", "email_verified": True}, **claims)
    with pytest.raises(sso.SignInRefused) as refusal:
        sso.sign_in("staff", claims, datetime.now(UTC))
    assert refusal.value.reason == "no_access" and users() == []


@pytest.mark.parametrize("change", [{"email": "alice\x00@kommun.test"}, {"sub": "alice\x00"}, {"sub": True},
                                    {"email": ["alice@kommun.test"]}],
                         ids=["nul-in-the-address", "nul-in-the-subject", "true-as-subject", "a-list-as-address"])
def test_a_malformed_subject_or_address_is_refused_cleanly_on_every_database(app, mapped, change):
    claims = dict({"sub": "alice", "email": "alice@kommun.test", "email_verified": True,
                   "groups": ["cf-bygglov-officers"]}, **change)
    with pytest.raises(sso.SignInRefused) as refusal:
        sso.sign_in("staff", claims, datetime.now(UTC))
    assert refusal.value.reason == "token" and users() == []
