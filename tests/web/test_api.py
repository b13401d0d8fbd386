"""The REST API: contracts per endpoint, idempotency, scopes, error bodies, the OpenAPI document."""
import re
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from caseflow.cli import cli
from caseflow.extensions import db
from caseflow.models import Case
from caseflow.services import integrations

BODY = {"kind": "errand", "org_number": "556036-0793", "company_name": "Kanalkaféet AB",
        "contact_name": "Anna Andersson", "contact_email": "anna@kanalkafeet.se", "subject": "Uteservering",
        "description": "Sex bord på torget."}


@pytest.fixture
def tokens(app, offices, make_user, category):
    officer = make_user("officer", offices["samhallsbyggnad"])
    now = datetime.now(UTC)
    return {
        "submit": integrations.create_token("e-tjänst", ["submit", "read-own"], now),
        "other": integrations.create_token("app", ["submit", "read-own"], now),
        "officer": integrations.create_token("kontaktcenter", ["officer"], now, officer),
        "category": category("markupplatelse").id,
    }


def auth(token):
    return {"Authorization": f"Bearer {token}"}


def test_submit_returns_201_with_reference_tracking_link_and_clocks(client, tokens):
    resp = client.post("/api/v1/cases", json=dict(BODY, category_id=tokens["category"]), headers=auth(tokens["submit"]))
    assert resp.status_code == 201
    body = resp.json
    assert body["reference"].startswith("CF-") and body["status"] == "new"
    assert "/track/" in body["tracking_url"] and resp.headers["Location"].endswith(body["reference"])
    assert {c["name"] for c in body["clocks"]} == {"first_response", "resolution"}


def test_same_idempotency_key_returns_the_same_case_never_a_second(client, tokens):
    headers = dict(auth(tokens["submit"]), **{"Idempotency-Key": "order-4711"})
    first = client.post("/api/v1/cases", json=BODY, headers=headers)
    again = client.post("/api/v1/cases", json=BODY, headers=headers)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json["reference"] == again.json["reference"] and "tracking_url" not in again.json
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Case)) == 1
    other_body = client.post("/api/v1/cases", json=dict(BODY, subject="Annat"), headers=headers)
    assert other_body.status_code == 409 and other_body.json["error"]["code"] == "idempotency_key_reused"


def test_invalid_input_gets_the_error_body_with_fields(client, tokens):
    resp = client.post("/api/v1/cases", json=dict(BODY, org_number="556036-0794", kind="complaint"),
                       headers=auth(tokens["submit"]))
    assert resp.status_code == 422
    err = resp.json["error"]
    assert err["code"] == "invalid_input" and set(err["fields"]) == {"org_number", "complaint_ground"}
    assert "check digit" in err["fields"]["org_number"]
    assert client.post("/api/v1/cases", data="not json", headers=auth(tokens["submit"])).status_code == 422


def test_tokens_and_scopes(client, tokens):
    assert client.post("/api/v1/cases", json=BODY).status_code == 401
    assert client.post("/api/v1/cases", json=BODY, headers=auth("cf_wrong")).json["error"]["code"] == "unauthorized"
    assert client.post("/api/v1/cases", json=BODY, headers=auth(tokens["officer"])).status_code == 403
    assert client.get("/api/v1/queue", headers=auth(tokens["submit"])).status_code == 403


def test_an_integration_reads_only_its_own_cases(client, tokens, submit):
    ref = client.post("/api/v1/cases", json=BODY, headers=auth(tokens["submit"])).json["reference"]
    assert client.get(f"/api/v1/cases/{ref}", headers=auth(tokens["submit"])).status_code == 200
    assert client.get(f"/api/v1/cases/{ref}", headers=auth(tokens["other"])).status_code == 404
    web_case = submit()  # filed on the web, not by this integration
    assert client.get(f"/api/v1/cases/{web_case.reference}", headers=auth(tokens["submit"])).status_code == 404


def test_officer_token_works_the_queue_and_the_submitter_sees_the_reply(client, tokens):
    ref = client.post("/api/v1/cases", json=dict(BODY, category_id=tokens["category"]),
                      headers=auth(tokens["submit"])).json["reference"]
    queue = client.get("/api/v1/queue", headers=auth(tokens["officer"])).json["cases"]
    assert ref in [c["reference"] for c in queue]
    resp = client.post(f"/api/v1/cases/{ref}/reply", json={"body": "Vi återkommer."}, headers=auth(tokens["officer"]))
    assert resp.status_code == 200 and resp.json["status"] == "in_progress"
    client.post(f"/api/v1/cases/{ref}/notes", json={"body": "Internt"}, headers=auth(tokens["officer"]))
    seen = client.get(f"/api/v1/cases/{ref}", headers=auth(tokens["submit"])).json
    assert [m["text"] for m in seen["messages"]] == ["Vi återkommer."]  # no internal note for the submitter
    closed = client.post(f"/api/v1/cases/{ref}/close", json={"outcome": "answered"}, headers=auth(tokens["officer"]))
    assert closed.json["status"] == "closed"
    again = client.post(f"/api/v1/cases/{ref}/close", json={"outcome": "answered"}, headers=auth(tokens["officer"]))
    assert again.status_code == 409 and again.json["error"]["code"] == "illegal_transition"


def test_case_list_pages_by_cursor(client, tokens):
    for i in range(5):
        client.post("/api/v1/cases", json=dict(BODY, category_id=tokens["category"], subject=f"S{i}"),
                    headers=auth(tokens["submit"]))
    seen, cursor = [], None
    while True:
        page = client.get("/api/v1/cases", query_string={"limit": 2, **({"cursor": cursor} if cursor else {})},
                          headers=auth(tokens["officer"])).json
        seen += [c["subject"] for c in page["cases"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert seen == ["S4", "S3", "S2", "S1", "S0"]


def test_unknown_api_routes_and_methods_answer_json(client, tokens):
    assert client.get("/api/v1/nothing").json["error"]["code"] == "not_found"
    assert client.delete("/api/v1/cases").json["error"]["code"] == "method_not_allowed"


def test_openapi_document_is_valid_and_covers_every_api_route(client, app):
    from openapi_spec_validator import validate

    spec = client.get("/api/v1/openapi.json").json
    validate(spec)
    documented = {(m.upper(), p) for p, ops in spec["paths"].items() for m in ops}
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("api.") and rule.endpoint not in ("api.openapi", "api.docs"):
            path = rule.rule.replace("<reference>", "{reference}")
            for method in rule.methods - {"HEAD", "OPTIONS"}:
                assert (method, path) in documented, (method, path)
    assert "POST /api/v1/cases" in client.get("/api/v1/docs").get_data(as_text=True)


def test_cli_creates_a_token_shown_once(app, offices):
    out = app.test_cli_runner().invoke(cli, args=["create-token", "--name", "e-tjänst", "--scopes", "submit,read-own"])
    token = out.output.strip()
    assert token.startswith("cf_")
    from caseflow.models import ApiToken

    assert db.session.scalar(sa.select(ApiToken.token_hash)) != token


def test_admin_creates_a_token_shown_once_and_can_deactivate_it(client, offices, make_user):
    from caseflow.models import ApiToken, AuditLog
    from tests.conftest import login

    login(client, make_user("admin"))
    html = client.post("/admin/tokens", data={"name": "e-tjänst", "scopes": ["submit", "read-own"]})\
        .get_data(as_text=True)
    token = re.search(r"<code>(cf_[A-Za-z0-9_-]+)</code>", html).group(1)
    assert client.get("/api/v1/queue", headers=auth(token)).status_code == 403  # a valid token, wrong scope
    row = db.session.scalar(sa.select(ApiToken))
    assert token not in client.get("/admin/tokens").get_data(as_text=True)  # never shown again
    client.post(f"/admin/tokens/{row.id}/deactivate")
    assert client.post("/api/v1/cases", json=BODY, headers=auth(token)).status_code == 401
    audited = sa.select(sa.func.count()).select_from(AuditLog).where(AuditLog.entity == "api_tokens")
    assert db.session.scalar(audited) == 2


def test_fuzzer_finds_stay_fixed_ids_beyond_32_bit_and_nul_characters(client, tokens):
    big = client.post("/api/v1/cases", json=dict(BODY, category_id=2**31), headers=auth(tokens["submit"]))
    assert big.status_code == 422 and "category_id" in big.json["error"]["fields"]
    nul = client.post("/api/v1/cases", json=dict(BODY, subject="a\x00b"), headers=auth(tokens["submit"]))
    assert nul.status_code == 422 and "subject" in nul.json["error"]["fields"]
    assert client.get("/api/v1/cases/CF-2026-0000%00", headers=auth(tokens["submit"])).status_code == 400
    nul_key = dict(auth(tokens["submit"]), **{"Idempotency-Key": "a\x00"})
    again = client.post("/api/v1/cases", json=BODY, headers=nul_key)
    assert again.status_code == 400


def test_officer_asks_for_completion_and_decides_through_the_api(client, tokens):
    ref = client.post("/api/v1/cases", json=dict(BODY, category_id=tokens["category"]),
                      headers=auth(tokens["submit"])).json["reference"]
    waiting = client.post(f"/api/v1/cases/{ref}/completion", json={"body": "Skicka en ritning."},
                          headers=auth(tokens["officer"])).json
    assert waiting["status"] == "awaiting_customer"
    assert any(c["name"] == "resolution" and c["paused"] for c in waiting["clocks"])
    decided = client.post(f"/api/v1/cases/{ref}/decision", json={"outcome": "granted", "text": "Beviljas."},
                          headers=auth(tokens["officer"])).json
    assert decided["status"] == "decided" and decided["outcome"] == "granted"


def test_open311_retry_with_the_same_idempotency_key_creates_one_request(client, tokens):
    from tests.web.test_open311 import FORM

    headers = {"Idempotency-Key": "app-retry-1"}
    first = client.post("/open311/v2/requests.json", data=dict(FORM, api_key=tokens["submit"]), headers=headers)
    again = client.post("/open311/v2/requests.json", data=dict(FORM, api_key=tokens["submit"]), headers=headers)
    assert first.json[0]["service_request_id"] == again.json[0]["service_request_id"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Case)) == 1
