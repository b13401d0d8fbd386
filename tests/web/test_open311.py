"""Open311 GeoReport v2: a round trip (services, post, read back, in the officer's queue), XML, errors."""
from datetime import UTC, datetime
from xml.etree import ElementTree as ET  # noqa: N817

import pytest

from caseflow.services import finding, integrations

FORM = {"service_code": "markupplatelse", "attribute[org_number]": "556036-0793",
        "attribute[company_name]": "Kanalkaféet AB", "attribute[kind]": "errand", "first_name": "Anna",
        "last_name": "Andersson", "email": "anna@kanalkafeet.se", "description": "Uteservering på torget\nSex bord."}


@pytest.fixture
def key(app, offices):
    return integrations.create_token("medborgarapp", ["submit", "read-own"], datetime.now(UTC))


def test_round_trip_services_post_read_back_and_the_officers_queue(client, key, make_user, offices):
    services = client.get("/open311/v2/services.json").json
    svc = next(s for s in services if s["service_code"] == "markupplatelse")
    assert svc["group"] == "Samhällsbyggnadskontoret" and svc["metadata"] is True
    definition = client.get("/open311/v2/services/markupplatelse.json").json
    assert [a["code"] for a in definition["attributes"]] == ["org_number", "company_name", "kind",
                                                                 "complaint_ground"]
    posted = client.post("/open311/v2/requests.json", data=dict(FORM, api_key=key))
    assert posted.status_code == 201
    request_id = posted.json[0]["service_request_id"]
    [read] = client.get(f"/open311/v2/requests/{request_id}.json", query_string={"api_key": key}).json
    assert read["status"] == "open" and read["status_notes"] == "Mottaget"
    assert read["agency_responsible"] == "Samhällsbyggnadskontoret"
    from caseflow.extensions import db
    from caseflow.models import Case, SlaClock

    case = db.session.query(Case).filter_by(reference=request_id).one()
    resolution = db.session.query(SlaClock).filter_by(case_id=case.id, name="resolution").one()
    assert read["expected_datetime"] == resolution.due_at.isoformat()  # the resolution deadline
    assert "anna@kanalkafeet.se" not in str(read)  # no contact data
    officer = make_user("officer", offices["samhallsbyggnad"])
    assert request_id in [c.reference for c in finding.queue(officer)]
    listed = client.get("/open311/v2/requests.json", query_string={"api_key": key, "status": "open"}).json
    assert [r["service_request_id"] for r in listed] == [request_id]
    assert client.get(f"/open311/v2/tokens/{request_id}.json", query_string={"api_key": key}).json[0]["token"] \
        == request_id


def test_xml_forms_are_well_formed_with_the_specs_element_names(client, key):
    services = ET.fromstring(client.get("/open311/v2/services.xml").data)
    assert services.tag == "services" and services[0].tag == "service"
    assert services[0].find("service_code").text
    posted = ET.fromstring(client.post("/open311/v2/requests.xml", data=dict(FORM, api_key=key)).data)
    assert posted.tag == "service_requests" and posted[0].find("service_request_id").text.startswith("CF-")
    discovery = ET.fromstring(client.get("/open311/v2/discovery.xml").data)
    assert discovery.find("endpoints/endpoint/formats/format").text == "text/xml"


def test_errors_use_the_specs_list_and_codes(client, key):
    no_key = client.post("/open311/v2/requests.json", data=FORM)
    assert no_key.status_code == 403 and no_key.json[0]["code"] == 403
    bad = client.post("/open311/v2/requests.json", data=dict(FORM, api_key=key, **{"attribute[org_number]": "1"}))
    assert bad.status_code == 400 and "org_number" in bad.json[0]["description"]
    long = client.post("/open311/v2/requests.json", data=dict(FORM, api_key=key, description="x" * 4001))
    assert long.status_code == 400
    assert client.get("/open311/v2/services/nope.json").status_code == 404
    xml = client.get("/open311/v2/services/nope.xml")
    assert ET.fromstring(xml.data).find("error/code").text == "404"


def test_date_range_is_at_most_90_days(client, key):
    resp = client.get("/open311/v2/requests.json", query_string={
        "api_key": key, "start_date": "2026-01-01T00:00:00Z", "end_date": "2026-06-01T00:00:00Z"})
    assert resp.status_code == 400 and "90" in resp.json[0]["description"]


def test_a_key_reads_only_its_own_requests(client, key, app):
    posted = client.post("/open311/v2/requests.json", data=dict(FORM, api_key=key)).json[0]["service_request_id"]
    other = integrations.create_token("annan app", ["submit", "read-own"], datetime.now(UTC))
    assert client.get(f"/open311/v2/requests/{posted}.json", query_string={"api_key": other}).status_code == 404
