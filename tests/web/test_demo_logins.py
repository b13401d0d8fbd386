"""First contact: every staff login that `caseflow demo` prints opens a work queue with something to do."""
import re

import pytest

from caseflow.services import seed


def _rows(html: str) -> list[str]:
    return re.findall(r'id="ref-(\d+)"', html)


@pytest.fixture
def demo_logins(app):
    return seed.seed_demo()


def _login(client, email, password):
    resp = client.post("/staff/login", data={"email": email, "password": password})
    assert resp.status_code == 302, f"{email} could not log in"
    return resp.headers["Location"]


def test_every_printed_staff_login_lands_on_a_queue_with_open_cases(client, demo_logins):
    staff = [(e, p, role) for e, p, role, _office in demo_logins if role in ("officer", "lead", "admin")]
    assert {role for _e, _p, role in staff} == {"officer", "lead", "admin"}
    assert sum(role == "officer" for _e, _p, role in staff) == len(seed.OFFICES)
    for email, password, _role in staff:
        landing = _login(client, email, password)
        assert landing == "/staff/", email
        assert _rows(client.get(landing).get_data(as_text=True)), f"{email} lands on an empty queue"
        client.post("/staff/logout")


def test_every_printed_officer_and_lead_has_open_cases_assigned_to_them(client, demo_logins):
    for email, password, role, _office in demo_logins:
        if role not in ("officer", "lead"):
            continue
        _login(client, email, password)
        assert _rows(client.get("/staff/?f=mine").get_data(as_text=True)), f"nothing assigned to {email}"
        assert _rows(client.get("/staff/?f=unassigned").get_data(as_text=True)), f"nothing to claim for {email}"
        client.post("/staff/logout")
