"""The case page offers the actions the workflow allows in the case's status (workflow.allowed_actions), and its
timeline tells each event's particulars after its label."""
import re
from datetime import UTC, datetime

import pytest

from caseflow.domain import workflow
from caseflow.services import casework
from tests.conftest import login

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
# the case page's form id (act-<name>) of each workflow action that has one
FORM_OF_ACTION = {"assign": "assign", "reply": "reply", "note": "note", "request_completion": "completion",
                  "decide": "decide", "close": "close", "reopen": "reopen"}

REACH = {  # status -> how an officer brings a new case there
    "new": [],
    "assigned": [lambda o, cid: casework.assign(o, cid, o.id, NOW)],
    "in_progress": [lambda o, cid: casework.reply(o, cid, "Vi tittar på det.", NOW)],
    "awaiting_customer": [lambda o, cid: casework.request_completion(o, cid, "Skicka en ritning.", NOW)],
    "decided": [lambda o, cid: casework.decide(o, cid, "granted", "Beviljas.", NOW)],
    "closed": [lambda o, cid: casework.close(o, cid, "answered", NOW)],
}


def _offered(html: str) -> set[str]:
    return set(re.findall(r'id="act-([a-z0-9]+)"', html))


@pytest.mark.parametrize("status", workflow.STATUSES)
def test_the_case_page_offers_exactly_the_workflow_actions_of_the_status(client, make_user, offices, submit,
                                                                          status):
    officer = make_user("officer", offices["samhallsbyggnad"])
    case_id = submit().case_id
    for step in REACH[status]:
        step(officer, case_id)
    login(client, officer)
    offered = _offered(client.get(f"/staff/cases/{case_id}").get_data(as_text=True))
    allowed = workflow.allowed_actions(status)
    assert {a for a, form in FORM_OF_ACTION.items() if form in offered} == set(allowed) - {"customer_message"}
    # the actions that change no status are offered on every open case, never on a closed one
    assert {"reroute", "delay"} <= offered if workflow.is_open(status) else not {"reroute", "delay"} & offered
    assert "link" in offered


def test_a_decided_case_page_offers_reopening_and_the_reopening_works(client, make_user, offices, submit):
    officer = make_user("officer", offices["samhallsbyggnad"])
    case_id = submit().case_id
    casework.decide(officer, case_id, "granted", "Beviljas.", NOW)
    login(client, officer)
    assert "reopen" in _offered(client.get(f"/staff/cases/{case_id}").get_data(as_text=True))
    resp = client.post(f"/staff/cases/{case_id}/reopen", data={"reopen-reason": "Beslutet behöver rättas."})
    assert resp.status_code == 302
    assert casework.get_case(officer, case_id).status == "in_progress"


def _what(html: str, kind: str) -> list[str]:
    return [re.sub(r"\s+", " ", m) for m in re.findall(
        rf'<li class="tl tl-{kind} [^"]*">.*?<p class="tl-what">(.*?)</p>', html, flags=re.S)]


def test_the_timeline_tells_each_event_its_particulars_after_its_label(client, make_user, offices, submit):
    officer = make_user("officer", offices["samhallsbyggnad"])
    case_id, other = submit().case_id, submit()
    casework.assign(officer, case_id, officer.id, NOW)
    casework.link(officer, case_id, other.reference, "related", NOW)
    casework.close(officer, case_id, "granted", NOW)
    casework.reopen(officer, case_id, "Följdfråga <om> datum", NOW)
    casework.reroute(officer, case_id, offices["miljo"].id, "Gäller livsmedel", NOW)
    admin = make_user("admin")
    login(client, admin)
    html = client.get(f"/staff/cases/{case_id}?lang=en").get_data(as_text=True)
    assert _what(html, "routed") == ["Routed to office: Urban Planning and Building Office"]
    assert _what(html, "linked") == [f"Linked: Related {other.reference}"]
    assert _what(html, "closed") == ["Closed: Granted"]
    assert _what(html, "reopened") == ["Reopened: Följdfråga &lt;om&gt; datum"]
    assert _what(html, "rerouted") == ["Sent to another office: Environment and Health Protection – Gäller livsmedel"]
    assert _what(html, "received") == ["Case received and registered"]
