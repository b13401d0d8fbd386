"""Rate limits, lockout, readiness, request ids and the staff read log."""
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from caseflow import create_app
from caseflow.extensions import db
from caseflow.models import AccessLog, Case, LoginFailure, Office
from caseflow.services import accounts
from caseflow.services.errors import InvalidInput
from tests.conftest import PASSWORD, login


def test_five_wrong_passwords_lock_the_account_even_for_the_right_one(client, make_user, offices):
    user = make_user("officer", offices["miljo"])
    for _ in range(5):
        assert login(client, user, password="fel lösenord").status_code == 422
    resp = login(client, user)  # the right password, but locked
    assert resp.status_code == 422 and "låst en stund" in resp.get_data(as_text=True)
    assert client.get("/staff/").status_code == 302  # not logged in


def test_lockout_ends_after_its_time_and_success_resets_the_counter(app, make_user, offices):
    user = make_user("officer", offices["miljo"])
    now = datetime.now(UTC)
    for _ in range(5):
        assert accounts.authenticate(user.email, "fel", "10.0.0.1", now) is None
    with pytest.raises(InvalidInput) as exc:
        accounts.authenticate(user.email, PASSWORD, "10.0.0.1", now + timedelta(minutes=1))
    assert exc.value.fields == {"email": "locked"}
    assert accounts.authenticate(user.email, PASSWORD, "10.0.0.1", now + timedelta(minutes=16)).id == user.id
    assert db.session.scalar(sa.select(sa.func.count()).select_from(LoginFailure)) == 0


def test_login_attempts_are_rate_limited_with_a_clear_page(app_config, offices):
    limited = create_app(dict(app_config, RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="3 per minute",
                              RATELIMIT_STORAGE_URI="memory://"))
    with limited.app_context():
        c = limited.test_client()
        codes = [c.post("/staff/login", data={"email": "x@y.se", "password": "z"}).status_code for _ in range(4)]
        assert codes == [422, 422, 422, 429]
        page = c.post("/staff/login", data={"email": "x@y.se", "password": "z"})
        assert "För många försök" in page.get_data(as_text=True)
        assert c.get("/staff/login").status_code == 200  # reading the page is not limited
        db.session.remove()


def test_submissions_are_rate_limited_per_address(app_config, offices):
    limited = create_app(dict(app_config, RATELIMIT_ENABLED=True, SUBMIT_RATE_LIMIT="2 per hour",
                              RATELIMIT_STORAGE_URI="memory://"))
    with limited.app_context():
        c = limited.test_client()
        codes = [c.post("/submit", data={}).status_code for _ in range(3)]
        assert codes == [422, 422, 429]
        db.session.remove()


def test_readyz_reports_the_database_and_redis(client, app_config, offices):
    resp = client.get("/readyz")
    assert resp.status_code == 200 and resp.json["checks"] == {"database": True}
    broken = create_app(dict(app_config, REDIS_URL="redis://127.0.0.1:1/0"))
    with broken.app_context():
        resp = broken.test_client().get("/readyz")
        assert resp.status_code == 503 and resp.json["checks"] == {"database": True, "redis": False}
        db.session.remove()


def test_every_response_carries_a_request_id_and_keeps_a_given_one(client, offices):
    assert len(client.get("/").headers["X-Request-ID"]) == 32
    assert client.get("/", headers={"X-Request-ID": "abc12345-lb"}).headers["X-Request-ID"] == "abc12345-lb"
    assert client.get("/", headers={"X-Request-ID": "<script>"}).headers["X-Request-ID"] != "<script>"


def test_staff_reading_a_case_is_logged(client, submit, make_user, offices):
    r = submit()
    officer = make_user("officer", offices["samhallsbyggnad"])
    login(client, officer)
    client.get(f"/staff/cases/{r.case_id}")
    [entry] = db.session.scalars(sa.select(AccessLog)).all()
    assert (entry.user_id, entry.case_id, entry.what) == (officer.id, r.case_id, "case")
    assert client.get(f"/api/v1/cases/{r.reference}").status_code == 200  # a read through the API counts too
    entries = db.session.scalars(sa.select(AccessLog).order_by(AccessLog.id)).all()
    assert [(e.user_id, e.case_id, e.what) for e in entries][1:] == [(officer.id, r.case_id, "api")]


def test_nul_characters_are_refused_alike_on_both_databases(client, offices):
    assert client.get("/staff/search?q=%00").status_code == 400  # refused before anything else, login included
    assert client.post("/submit", data={"subject": "a\x00b"}).status_code == 422  # the form says so on the field
    assert client.get("/links?x=%00").status_code == 400


def test_api_and_open311_are_rate_limited_per_token(app_config, offices):
    limited = create_app(dict(app_config, RATELIMIT_ENABLED=True, API_RATE_LIMIT="2 per minute",
                              RATELIMIT_STORAGE_URI="memory://"))
    with limited.app_context():
        from caseflow.services import integrations

        token = integrations.create_token("t", ["submit", "read-own"], datetime.now(UTC))
        c = limited.test_client()
        codes = [c.get("/api/v1/kinds", headers={"Authorization": f"Bearer {token}"}).status_code for _ in range(3)]
        assert codes == [200, 200, 429]
        limited_resp = c.get("/api/v1/kinds", headers={"Authorization": f"Bearer {token}"})
        assert limited_resp.json["error"]["code"] == "rate_limited"
        other = integrations.create_token("u", ["submit", "read-own"], datetime.now(UTC))  # one budget per token
        o311 = [c.get("/open311/v2/services.json", query_string={"api_key": other}).status_code for _ in range(3)]
        assert o311 == [200, 200, 429]
        db.session.remove()


def test_ids_beyond_32_bits_in_staff_forms_are_refused_not_500(client, submit, make_user, offices):
    """Found by the form fuzzer on PostgreSQL (``integer`` ids): bulk ids and the reroute target."""
    receipt = submit()
    case = db.session.get(Case, receipt.case_id)
    officer = make_user("officer", db.session.get(Office, case.office_id))
    login(client, officer)
    assert client.post("/staff/bulk", data={"ids": "2200000000", "action": "claim"}).status_code == 302
    resp = client.post(f"/staff/cases/{case.id}/reroute", data={"reroute-office_id": "2200000000",
                                                                "reroute-reason": "Fel kontor"})
    assert resp.status_code in (400, 422)
    db.session.expire_all()
    assert db.session.get(Case, case.id).office_id == officer.office_id


def test_unicode_digits_in_posted_ids_are_ignored_not_500(client, make_user, offices):
    """Found by the form fuzzer: "¹" passes str.isdigit() but not int()."""
    login(client, make_user("officer", offices["samhallsbyggnad"]))
    assert client.post("/staff/bulk", data={"ids": ["¹", "٣", "7"], "action": "claim"}).status_code == 302
