"""Production settings a server on the internet depends on: URLs from BASE_URL only (a forged Host header is
refused), the client address behind a configured number of proxies, and HSTS."""
from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from flask import request
from flask_limiter.util import get_remote_address

from caseflow import create_app
from caseflow.config import ConfigError, from_env
from caseflow.services import integrations
from tests.conftest import PASSWORD

BASE = "https://foretag.example.se"
EVIL = "evil.example"
CASE = {"kind": "errand", "org_number": "556036-0793", "company_name": "Kanalkaféet AB",
        "contact_name": "Anna Andersson", "contact_email": "anna@kanalkafeet.se", "subject": "Uteservering",
        "description": "Sex bord på torget."}


@pytest.fixture
def make_app(app, app_config):
    """An app configured as production is (TESTING off, no SERVER_NAME), on the test database."""
    def make(**overrides):
        cfg = dict(app_config, CASEFLOW_ENV="production", TESTING=False, SECRET_KEY="s" * 32, BASE_URL=BASE,
                   SERVER_NAME=None, RATELIMIT_ENABLED=False, RATELIMIT_STORAGE_URI="memory://")
        cfg.update(overrides)
        return create_app(cfg)

    return make


def _submit_token(category):
    return integrations.create_token("e-tjänst", ["submit", "read-own"], datetime.now(UTC)), category("bygglov").id


# 8. Host header ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/", "/submit", "/api/v1/openapi.json", "/api/v1/docs",
                                  "/open311/v2/discovery.json", "/healthz", "/no-such-page"])
def test_a_forged_host_header_is_refused_with_400_in_production(make_app, path):
    client = make_app().test_client()
    resp = client.get(path, base_url=f"https://{EVIL}")
    assert resp.status_code == 400
    assert EVIL not in resp.get_data(as_text=True)


def test_base_urls_own_host_is_served_in_production_on_any_port(make_app):
    client = make_app().test_client()
    assert client.get("/healthz", base_url=BASE).status_code == 200
    assert client.get("/healthz", base_url="https://FORETAG.example.se:8443").status_code == 200


def test_trusted_hosts_are_base_urls_host_plus_the_configured_extras_in_production_only(monkeypatch, tmp_path):
    monkeypatch.setenv("TRUSTED_HOSTS", "10.0.0.5, lb.internal")
    cfg = from_env(str(tmp_path), {"CASEFLOW_ENV": "production", "SECRET_KEY": "k", "BASE_URL": BASE + "/"})
    assert cfg["BASE_URL"] == BASE
    assert cfg["TRUSTED_HOSTS"] == ["foretag.example.se", "10.0.0.5", "lb.internal"]
    dev = from_env(str(tmp_path), {"CASEFLOW_ENV": "development", "SECRET_KEY": "k", "BASE_URL": BASE})
    assert dev.get("TRUSTED_HOSTS") is None


def test_production_refuses_to_start_without_base_url_or_with_a_malformed_one(monkeypatch, tmp_path):
    monkeypatch.delenv("BASE_URL", raising=False)
    with pytest.raises(ConfigError, match="BASE_URL"):
        from_env(str(tmp_path), {"CASEFLOW_ENV": "production", "SECRET_KEY": "k"})
    with pytest.raises(ConfigError, match="BASE_URL"):
        from_env(str(tmp_path), {"CASEFLOW_ENV": "production", "SECRET_KEY": "k", "BASE_URL": "foretag.example.se"})
    assert from_env(str(tmp_path), {"CASEFLOW_ENV": "development", "SECRET_KEY": "k"})["BASE_URL"]


@pytest.mark.parametrize("mode", ["production", "development"])
def test_the_openapi_servers_and_the_open311_discovery_url_come_from_base_url_not_the_host_header(make_app, mode):
    # A second accepted host (a load balancer's name) must not leak into URLs either; in development no host
    # is refused, so the forged one reaches the views and must not appear.
    host = "lb.internal" if mode == "production" else EVIL
    client = make_app(CASEFLOW_ENV=mode, TRUSTED_HOSTS=["foretag.example.se", "lb.internal"]
                      if mode == "production" else None).test_client()
    spec = client.get("/api/v1/openapi.json", base_url=f"http://{host}").json
    assert spec["servers"] == [{"url": BASE}]
    docs = client.get("/api/v1/docs", base_url=f"http://{host}").get_data(as_text=True)
    assert host not in docs
    discovery = client.get("/open311/v2/discovery.json", base_url=f"http://{host}").json
    assert [e["url"] for e in discovery["endpoints"]] == [BASE + "/open311/v2"]


def test_the_api_tracking_url_is_built_from_base_url_not_the_host_header(make_app, offices, category):
    token, category_id = _submit_token(category)
    client = make_app(CASEFLOW_ENV="development").test_client()
    resp = client.post("/api/v1/cases", json=dict(CASE, category_id=category_id),
                       headers={"Authorization": f"Bearer {token}"}, base_url=f"http://{EVIL}")
    assert resp.status_code == 201
    assert re.fullmatch(re.escape(BASE) + r"/track/[A-Za-z0-9._-]+", resp.json["tracking_url"])


def test_the_receipt_pages_tracking_link_is_built_from_base_url_not_the_host_header(make_app, offices, category):
    client = make_app(CASEFLOW_ENV="development").test_client()
    resp = client.post("/submit", data=dict(CASE, category_id=category("bygglov").id), base_url=f"http://{EVIL}",
                       follow_redirects=True)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and BASE + "/track/" in html
    assert EVIL not in html


def test_urls_under_a_base_url_with_a_path_keep_the_path(make_app):
    from caseflow.web.urls import external_url

    app = make_app(BASE_URL="https://kommun.example.se/foretag")
    with app.app_context():
        assert external_url("public.track", token="abc") == "https://kommun.example.se/foretag/track/abc"
    spec = app.test_client().get("/api/v1/openapi.json", base_url="https://kommun.example.se").json
    assert spec["servers"] == [{"url": "https://kommun.example.se/foretag"}]


def test_no_view_or_template_builds_an_absolute_url_from_the_request():
    """Every absolute URL goes through caseflow.web.urls (BASE_URL): none from the Host header."""
    root = Path(__file__).resolve().parents[2]
    pattern = re.compile(r"_external\s*=\s*True|host_url|url_root|request\.host\b")
    offenders = [f"{path.relative_to(root)}:{n}" for folder in ("caseflow", "templates")
                 for path in (root / folder).rglob("*") if path.suffix in (".py", ".html", ".txt")
                 and path.name != "urls.py"
                 for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if pattern.search(line)]
    assert offenders == []


# 9. Trusted proxies -----------------------------------------------------------------------------------------

def _with_client_echo(app):
    """A route that answers with the client address and scheme the app sees: the address the rate limiter
    keys on (get_remote_address) and gunicorn's access log reads (REMOTE_ADDR)."""
    @app.get("/_test/client")
    def _client():
        return {"limiter": get_remote_address(), "remote_addr": request.environ["REMOTE_ADDR"],
                "scheme": request.scheme}

    return app.test_client()


def test_with_one_trusted_proxy_the_last_x_forwarded_for_hop_is_the_client(make_app):
    client = _with_client_echo(make_app(TRUSTED_PROXIES="1"))
    seen = client.get("/_test/client", base_url=BASE, environ_base={"REMOTE_ADDR": "10.0.0.2"},
                      headers={"X-Forwarded-For": "6.6.6.6, 203.0.113.7", "X-Forwarded-Proto": "https"}).json
    assert seen == {"limiter": "203.0.113.7", "remote_addr": "203.0.113.7", "scheme": "https"}


def test_without_trusted_proxies_x_forwarded_for_is_ignored(make_app):
    client = _with_client_echo(make_app())
    seen = client.get("/_test/client", base_url="http://foretag.example.se",
                      environ_base={"REMOTE_ADDR": "198.51.100.9"},
                      headers={"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https"}).json
    assert seen == {"limiter": "198.51.100.9", "remote_addr": "198.51.100.9", "scheme": "http"}


def test_trusted_proxies_must_be_a_small_count(tmp_path):
    for bad in ("-1", "yes", "11"):
        with pytest.raises(ConfigError, match="TRUSTED_PROXIES"):
            from_env(str(tmp_path), {"CASEFLOW_ENV": "development", "TRUSTED_PROXIES": bad})


def _submissions_until_limited(client, forwarded_for: list[str]) -> list[int]:
    return [client.post("/submit", data={}, base_url=BASE, environ_base={"REMOTE_ADDR": "10.0.0.2"},
                        headers={"X-Forwarded-For": xff}).status_code for xff in forwarded_for]


def test_behind_one_proxy_the_rate_limit_counts_each_client_not_the_balancer(make_app):
    client = make_app(TRUSTED_PROXIES="1", RATELIMIT_ENABLED=True, SUBMIT_RATE_LIMIT="2 per hour",
                      WTF_CSRF_ENABLED=False).test_client()
    codes = _submissions_until_limited(client, ["203.0.113.7"] * 3 + ["203.0.113.8"])
    assert codes[2] == 429  # the third from one client
    assert codes[3] != 429  # another client behind the same balancer still gets through


def test_without_trusted_proxies_a_forged_x_forwarded_for_does_not_escape_the_rate_limit(make_app):
    client = make_app(RATELIMIT_ENABLED=True, SUBMIT_RATE_LIMIT="2 per hour", WTF_CSRF_ENABLED=False).test_client()
    codes = _submissions_until_limited(client, ["203.0.113.1", "203.0.113.2", "203.0.113.3", "203.0.113.4"])
    assert codes[2:] == [429, 429]


# 10. HSTS ---------------------------------------------------------------------------------------------------

def test_production_answers_carry_hsts_for_at_least_a_year_with_subdomains(make_app):
    client = make_app().test_client()
    for path in ("/", "/api/v1/kinds", "/no-such-page"):
        hsts = client.get(path, base_url=BASE).headers.get("Strict-Transport-Security", "")
        max_age = re.search(r"max-age=(\d+)", hsts)
        assert max_age and int(max_age.group(1)) >= 365 * 24 * 3600, (path, hsts)
        assert "includesubdomains" in hsts.lower(), (path, hsts)


def test_the_embedded_development_mode_sends_no_hsts(make_app):
    client = make_app(CASEFLOW_ENV="development").test_client()
    assert "Strict-Transport-Security" not in client.get("/", base_url="http://127.0.0.1:5000").headers



def test_behind_a_tls_terminating_proxy_csrf_checked_posts_work_without_a_referer(make_app, make_user):
    # Pages send Referrer-Policy: no-referrer (tracking links carry a secret), so browsers post with no Referer.
    # Once the app knows from X-Forwarded-Proto that it is served over https, a POST under the global CSRF check
    # (here: logging out) must still pass on its token, and fail without it.
    user = make_user("officer")
    client = make_app(TRUSTED_PROXIES="1", WTF_CSRF_ENABLED=True).test_client()
    via_proxy = {"base_url": "http://foretag.example.se", "environ_base": {"REMOTE_ADDR": "10.0.0.2"},
                 "headers": {"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https"}}

    def token(path):
        return re.search(r'name="csrf_token"[^>]*value="([^"]+)"',
                         client.get(path, **via_proxy).get_data(as_text=True)).group(1)

    login = {"email": user.email, "password": PASSWORD, "csrf_token": token("/staff/login")}
    assert client.post("/staff/login", data=login, **via_proxy).status_code == 302
    assert client.post("/staff/logout", data={"csrf_token": token("/staff/")}, **via_proxy).status_code == 302
    assert client.post("/staff/logout", data={}, **via_proxy).status_code == 400
