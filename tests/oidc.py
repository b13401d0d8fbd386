"""A real OpenID Provider for the tests: oidc-provider (npm, installed into .ci/node by .ci/run, as axe-core is)
run by node with tests/oidc_provider.mjs on a free loopback port, and a person signing in at it.

Skipped with the reason where node or the package is missing; CI (CI set) fails instead."""
from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import requests

ROOT = Path(__file__).resolve().parents[1]
NODE_MODULES = Path(os.environ.get("OIDC_PROVIDER_MODULES", ROOT / ".ci/node/node_modules"))
SCRIPT = ROOT / "tests" / "oidc_provider.mjs"
CLIENT_ID, CLIENT_SECRET = "caseflow", "caseflow-test-secret"

# The people at the provider and their groups (the municipality's directory)
PEOPLE = {
    "alice": {"email": "alice@kommun.test", "name": "Alice Andersson", "groups": ["cf-bygglov-officers"]},
    "bob": {"email": "bob@kommun.test", "name": "Bo Berg", "groups": ["cf-bygglov-lead", "all-staff"]},
    "carol": {"email": "carol@kommun.test", "name": "Carol Carlsson", "groups": ["all-staff"]},
}


def _missing() -> str | None:
    if not shutil.which("node"):
        return "node is not installed (apt-get install nodejs npm)"
    if not (NODE_MODULES / "oidc-provider").is_dir():
        return "oidc-provider is not installed (npm install --prefix .ci/node)"
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Provider:
    """oidc-provider in a node process. ``restart()`` starts it again on the same port with a new signing key
    (a key rotation); ``stop()`` leaves the port dead (the provider is down)."""

    def __init__(self, redirect_uris: list[str], logout_uris: list[str], people: dict | None = None):
        self.port = _free_port()
        self.issuer = f"http://127.0.0.1:{self.port}"
        self.redirect_uris, self.logout_uris = redirect_uris, logout_uris
        self.people = dict(people or PEOPLE)
        self.process: subprocess.Popen | None = None

    def start(self) -> Provider:
        env = dict(os.environ, OP_PORT=str(self.port), OP_NODE_MODULES=str(NODE_MODULES),
                   OP_REDIRECT_URIS=",".join(self.redirect_uris), OP_LOGOUT_URIS=",".join(self.logout_uris),
                   OP_ACCOUNTS=json.dumps(self.people), NODE_ENV="test")
        self.process = subprocess.Popen(["node", str(SCRIPT)], env=env, stdout=subprocess.PIPE,
                                        stderr=subprocess.STDOUT, text=True)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                requests.get(f"{self.issuer}/.well-known/openid-configuration", timeout=1).raise_for_status()
                return self
            except requests.RequestException:
                if self.process.poll() is not None:
                    raise RuntimeError("oidc-provider did not start: " + (self.process.stdout.read() or "")) from None
                time.sleep(0.1)
        raise RuntimeError("oidc-provider did not answer within 20 s")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        if self.process is not None and self.process.stdout:
            self.process.stdout.close()
        self.process = None

    def restart(self) -> None:
        self.stop()
        self.start()

    def set_groups(self, login: str, groups: list[str]) -> None:
        """The directory changes: ``login`` is now in exactly ``groups``."""
        self.people[login] = dict(self.people[login], groups=groups)
        requests.post(f"{self.issuer}/__test__/accounts", json=self.people, timeout=5).raise_for_status()

    def set_person(self, login: str, **fields) -> None:
        """The directory changes: ``login`` is created or changed (e-mail, name, groups, email_verified)."""
        self.people[login] = dict(self.people.get(login, {}), **fields)
        requests.post(f"{self.issuer}/__test__/accounts", json=self.people, timeout=5).raise_for_status()

    def tamper_next_token(self, **change) -> None:
        requests.post(f"{self.issuer}/__test__/tamper", json=change, timeout=5).raise_for_status()

    def settings(self) -> dict:
        """caseflow's configuration for this provider (as config.py builds it from OIDC_* variables)."""
        return {"staff": {"issuer": self.issuer, "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
                          "scopes": "openid email profile groups", "groups_claim": "groups", "label": "Kommunen",
                          "leeway": 60, "audience": "staff"}}


def start_provider(redirect_uris: list[str], logout_uris: list[str]) -> Provider:
    reason = _missing()
    if reason:
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    return Provider(redirect_uris, logout_uris).start()


class _Form(HTMLParser):
    def __init__(self):
        super().__init__()
        self.action, self.fields = None, {}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and self.action is None:
            self.action = a.get("action")
        if tag == "input" and a.get("name"):
            self.fields[a["name"]] = a.get("value") or ""


def sign_in_at_provider(authorization_url: str, login: str, browser: requests.Session | None = None) -> str:
    """Go through the provider's own pages as ``login`` would (its login form, no consent screen) and return
    the URL the provider sends the browser back to (caseflow's callback with code and state)."""
    browser = browser or requests.Session()
    issuer = "{0.scheme}://{0.netloc}".format(urlsplit(authorization_url))
    url, method, data = authorization_url, "GET", None
    for _ in range(12):
        resp = browser.request(method, url, data=data, allow_redirects=False, timeout=10)
        if resp.is_redirect:
            url, method, data = urljoin(url, resp.headers["Location"]), "GET", None
            if not url.startswith(issuer):
                return url
            continue
        form = _Form()
        form.feed(resp.text)
        if resp.status_code != 200 or not form.action:
            raise AssertionError(f"unexpected page at the provider ({resp.status_code}): {resp.text[:300]}")
        fields = dict(form.fields, login=login, password="any")
        url, method, data = urljoin(url, form.action), "POST", fields
    raise AssertionError("the provider never sent the browser back")
