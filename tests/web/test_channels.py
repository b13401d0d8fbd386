"""Every way in records its channel on the case (the reports count cases per channel): the web form, the REST API,
Open311; e-mail is tests/integration/test_mail_in.py's."""
from datetime import UTC, datetime

import sqlalchemy as sa

from caseflow.extensions import db
from caseflow.models import Case
from caseflow.services import integrations
from tests.conftest import VALID_FORM


def channel_of_the_only_case() -> str:
    return db.session.scalars(sa.select(Case)).one().channel


def test_the_web_form_files_as_web(client, category):
    resp = client.post("/submit", data=dict(VALID_FORM, category_id=category("markupplatelse").id))
    assert resp.status_code == 302
    assert channel_of_the_only_case() == "web"


def test_the_rest_api_files_as_api(client, category):
    token = integrations.create_token("e-tjänst", ["submit"], datetime.now(UTC))
    body = {k: v for k, v in VALID_FORM.items()}
    resp = client.post("/api/v1/cases", json=dict(body, category_id=category("markupplatelse").id),
                       headers={"Authorization": f"Bearer {token}"})
    assert resp.status_code == 201, resp.json
    assert channel_of_the_only_case() == "api"


def test_open311_files_as_open311(client, offices):
    key = integrations.create_token("medborgarapp", ["submit"], datetime.now(UTC))
    resp = client.post("/open311/v2/requests.json", data={
        "service_code": "markupplatelse", "attribute[org_number]": "556036-0793",
        "attribute[company_name]": "Kanalkaféet AB", "attribute[kind]": "errand", "first_name": "Anna",
        "email": "anna@kanalkafeet.se", "description": "Uteservering", "api_key": key})
    assert resp.status_code == 201
    assert channel_of_the_only_case() == "open311"
