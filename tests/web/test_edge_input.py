"""Input at the edge: text, e-mail addresses, file names, the API's rate limit and its document, Open311's
optional name. Each test is an attack or a mismatch that once got through (a 500, a stored control character,
a header injection, a document that said one thing while the API did another)."""
import io
from datetime import UTC, datetime

import jsonschema
import pytest
import sqlalchemy as sa

from caseflow import create_app
from caseflow.extensions import db
from caseflow.models import Attachment, Case
from caseflow.services import integrations, mail
from tests.conftest import VALID_FORM, login

BODY = {"kind": "errand", "org_number": "556036-0793", "company_name": "Kanalkaféet AB",
        "contact_name": "Anna Andersson", "contact_email": "anna@kanalkafeet.se", "subject": "Uteservering",
        "description": "Sex bord på torget."}
OPEN311 = {"service_code": "markupplatelse", "attribute[org_number]": "556036-0793",
           "attribute[company_name]": "Kanalkaféet AB", "attribute[kind]": "errand", "first_name": "Anna",
           "last_name": "Andersson", "email": "anna@kanalkafeet.se", "description": "Uteservering\nSex bord."}
INJECTING = "a@example.se\r\nBcc: x@example.org"


@pytest.fixture
def tokens(app, offices, make_user, category):
    officer = make_user("officer", offices["samhallsbyggnad"])
    now = datetime.now(UTC)
    BODY["category_id"] = category("markupplatelse").id  # a case of the officer's office
    return {"submit": integrations.create_token("e-tjänst", ["submit", "read-own"], now),
            "officer": integrations.create_token("kontaktcenter", ["officer"], now, officer)}


def auth(token, **more):
    return {"Authorization": f"Bearer {token}", **more}


def cases() -> int:
    db.session.expire_all()
    return db.session.scalar(sa.select(sa.func.count()).select_from(Case))


def is_sentence(text: str) -> bool:
    """A message written for people: words and a full stop, not a code like ``json_object_required``."""
    return " " in text.strip() and text.strip().endswith((".", "?", "!")) and "_" not in text


def test_control_characters_surrogates_and_a_negative_limit_are_refused_clearly_never_with_a_500(client, tokens):
    assert client.get("/api/v1/queue?limit=-1", headers=auth(tokens["officer"])).status_code == 422
    for bad in ("\ud800", "a\x00b", "a\x07b", "\x1b[31mröd", "a\x85b"):
        resp = client.post("/api/v1/cases", json=dict(BODY, subject=bad), headers=auth(tokens["submit"]))
        assert resp.status_code == 422, repr(bad)
        assert is_sentence(resp.json["error"]["fields"]["subject"]), resp.json
    assert client.post("/api/v1/cases", json=dict(BODY, description="rad\ud83d"),
                       headers=auth(tokens["submit"])).status_code == 422
    assert cases() == 0
    ref = client.post("/api/v1/cases", json=dict(BODY, subject="Ute\tservering\r\ni år",
                                                 description="Rad ett\r\n\tRad två"),
                      headers=auth(tokens["submit"])).json["reference"]
    case = db.session.scalar(sa.select(Case).where(Case.reference == ref))
    assert case.subject == "Ute servering i år"  # a one-line field folds tabs and line breaks into a space
    assert case.description == "Rad ett\r\n\tRad två"  # a text keeps them
    reply = client.post(f"/api/v1/cases/{ref}/reply", json={"body": "Hej\ud800"}, headers=auth(tokens["officer"]))
    assert reply.status_code == 422 and set(reply.json["error"]["fields"]) == {"body"}

    form = dict(VALID_FORM, category_id="0")
    for field, bad in (("subject", "a\x00b"), ("contact_name", "Anna\x07"), ("description", "Text\x1b")):
        page = client.post("/submit", data=dict(form, **{field: bad}))
        assert page.status_code == 422, field
        assert "innehåller ett tecken som inte kan sparas – skriv texten igen utan det" in page.get_data(as_text=True)
        assert "Kanalkaféet AB" in page.get_data(as_text=True)  # what the user typed is kept
    assert cases() == 1

    open311 = integrations.create_token("app", ["submit", "read-own"], datetime.now(UTC))
    for field, bad in (("description", "Uteservering\x00"), ("first_name", "Anna\x07"),
                       ("attribute[company_name]", "Kafé\x1b")):
        resp = client.post("/open311/v2/requests.json", data=dict(OPEN311, api_key=open311, **{field: bad}))
        assert resp.status_code == 400 and field in resp.json[0]["description"], (field, resp.json)
    assert cases() == 1


def test_every_form_of_the_app_holds_its_text_fields_to_the_rule_for_text(app):
    """The door lets a form view's body through to its form (a NUL gets a message on its field), so every form
    must be one of web.forms.Form: a plain FlaskForm would let a NUL reach the database."""
    import importlib
    import pkgutil

    from flask_wtf import FlaskForm

    import caseflow.web
    from caseflow.web.forms import Form

    for module in pkgutil.walk_packages(caseflow.web.__path__, "caseflow.web."):
        importlib.import_module(module.name)

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    ours = [f for f in subclasses(FlaskForm) if f.__module__.startswith("caseflow.") and f is not Form]
    assert len(ours) > 20
    assert [f.__qualname__ for f in ours if not issubclass(f, Form)] == []


def test_malformed_and_header_injecting_email_addresses_are_refused_at_every_edge(client, tokens, offices):
    for bad in ("@", INJECTING, "anna@", "anna@kanalkafeet"):
        resp = client.post("/api/v1/cases", json=dict(BODY, contact_email=bad), headers=auth(tokens["submit"]))
        assert resp.status_code == 422 and "contact_email" in resp.json["error"]["fields"], repr(bad)
        assert is_sentence(resp.json["error"]["fields"]["contact_email"])
        o311 = client.post("/open311/v2/requests.json", data=dict(OPEN311, email=bad, api_key=tokens["submit"]))
        assert o311.status_code == 400 and "email" in o311.json[0]["description"], repr(bad)
        page = client.post("/submit", data=dict(VALID_FORM, category_id="0", contact_email=bad))
        assert page.status_code == 422
        assert "Skriv en e-postadress i rätt format, till exempel namn@foretag.se" in page.get_data(as_text=True)
    assert cases() == 0
    for bad in ("@", INJECTING, "Anna <a@example.se>"):  # the mail sender's last guard: such a mail is never sent
        with pytest.raises(mail.PermanentFailure):
            mail.check_recipients([bad])
    mail.check_recipients(["naringsliv@norrkoping.invalid", "anna@kanalkafeet.se"])  # what operators configure
    good = client.post("/api/v1/cases", json=dict(BODY, contact_email="Anna@Kanalkafeet.SE"),
                       headers=auth(tokens["submit"]))
    assert good.status_code == 201
    assert db.session.scalar(sa.select(Case.contact_email)) == "anna@kanalkafeet.se"


def test_one_api_rate_limit_per_token_is_shared_by_every_endpoint_and_open311(app_config, offices):
    limited = create_app(dict(app_config, RATELIMIT_ENABLED=True, API_RATE_LIMIT="3 per minute",
                              RATELIMIT_STORAGE_URI="memory://"))
    with limited.app_context():
        now = datetime.now(UTC)
        token = integrations.create_token("t", ["submit", "read-own"], now)
        other = integrations.create_token("u", ["submit", "read-own"], now)
        c = limited.test_client()
        codes = [c.get(path, headers=auth(token)).status_code
                 for path in ("/api/v1/kinds", "/api/v1/categories", "/api/v1/openapi.json", "/api/v1/kinds")]
        assert codes == [200, 200, 200, 429]  # three different endpoints spent one budget
        assert c.get("/api/v1/cases/CF-2026-00001", headers=auth(token)).status_code == 429
        assert c.get("/open311/v2/services.json", query_string={"api_key": token}).status_code == 429
        assert c.get("/api/v1/kinds", headers=auth(other)).status_code == 200  # another token has its own
        anonymous = [c.get("/api/v1/kinds", environ_base={"REMOTE_ADDR": "192.0.2.7"}).status_code
                     for _ in range(4)]
        assert anonymous == [200, 200, 200, 429]  # without a token: by client address
        assert c.get("/api/v1/kinds", environ_base={"REMOTE_ADDR": "192.0.2.8"}).status_code == 200
        db.session.remove()


def test_uploaded_file_names_lose_bidi_and_other_invisible_format_characters(client, submit):
    r = submit()
    pdf = b"%PDF-1.4\n%test\n"
    resp = client.post(f"/track/{r.token}", data={
        "body": "Fakturan bifogad.",
        "attachments": [(io.BytesIO(pdf), "invoice\u202egpj.pdf"), (io.BytesIO(pdf), "rit\u200bning\u2066.pdf"),
                        (io.BytesIO(pdf), "\u202e\u200f")]}, content_type="multipart/form-data")
    assert resp.status_code == 302
    names = sorted(db.session.scalars(sa.select(Attachment.filename)))
    assert names == ["bilaga.pdf", "invoicegpj.pdf", "ritning.pdf"]
    att = db.session.scalar(sa.select(Attachment).where(Attachment.filename == "invoicegpj.pdf"))
    assert "\u202e" not in client.get(f"/track/{r.token}/attachments/{att.id}").headers["Content-Disposition"]


def test_the_api_answers_as_its_document_says(client, tokens, submit, make_user):
    spec = client.get("/api/v1/openapi.json").json
    officer = auth(tokens["officer"])
    for path in ("/api/v1/queue", "/api/v1/cases"):
        for limit in ("0", "201", "-5", "abc", "1.5"):
            resp = client.get(path, query_string={"limit": limit}, headers=officer)
            assert resp.status_code == 422 and "limit" in resp.json["error"]["fields"], (path, limit)
        assert client.get(path, query_string={"limit": "200"}, headers=officer).status_code == 200

    # whitespace-only text: the document and the API both refuse it; text with a letter both accept
    text_schema = spec["paths"]["/api/v1/cases/{reference}/reply"]["post"]["requestBody"]["content"][
        "application/json"]["schema"]
    submission = spec["components"]["schemas"]["Submission"]
    ref = client.post("/api/v1/cases", json=BODY, headers=auth(tokens["submit"])).json["reference"]
    for body, ok in (({"body": "  \n "}, False), ({"body": " x "}, True)):
        assert jsonschema.Draft202012Validator(text_schema).is_valid(body) is ok
        assert (client.post(f"/api/v1/cases/{ref}/notes", json=body, headers=officer).status_code == 200) is ok
    for field in ("company_name", "contact_name", "subject", "description"):
        assert not jsonschema.Draft202012Validator(submission).is_valid(dict(BODY, **{field: "   "})), field
        assert client.post("/api/v1/cases", json=dict(BODY, **{field: "   "}),
                           headers=auth(tokens["submit"])).status_code == 422
    assert not jsonschema.Draft202012Validator(submission).is_valid(dict(BODY, subject="a\x00b"))
    assert client.post("/api/v1/cases", json=dict(BODY, language="xx"),
                       headers=auth(tokens["submit"])).status_code == 422  # not one of the documented values
    close = client.post(f"/api/v1/cases/{ref}/close", json={"outcome": "duplicate"}, headers=officer)
    assert close.status_code == 422  # "duplicate" is not a documented outcome (it comes from linking)

    not_allowed = client.delete("/api/v1/kinds")
    assert not_allowed.status_code == 405 and not_allowed.headers["Allow"] and "GET" in not_allowed.headers["Allow"]
    assert client.put("/open311/v2/services.json").headers.get("Allow")

    # every error message is a sentence for people, in English unless the client asks for Swedish
    errors = [client.post("/api/v1/cases", data="not json", headers=auth(tokens["submit"])),
              client.post("/api/v1/cases", json=dict(BODY, subject=5), headers=auth(tokens["submit"])),
              client.post("/api/v1/cases", json=[1], headers=auth(tokens["submit"])),
              client.get("/api/v1/queue", headers=auth(tokens["submit"])), client.get("/api/v1/queue"),
              client.get("/api/v1/nothing"), not_allowed,
              client.post("/api/v1/cases", json=BODY, headers=auth(tokens["submit"], **{"Idempotency-Key": "x" * 201})),
              client.post(f"/api/v1/cases/{ref}/close", json={"outcome": "answered", "comment": 7}, headers=officer)]
    for resp in errors:
        err = resp.json["error"]
        assert is_sentence(err["message"]), err
        assert all(is_sentence(m) for m in err["fields"].values()), err
    swedish = client.post("/api/v1/cases", data="x", headers=auth(tokens["submit"], **{"Accept-Language": "sv"}))
    assert swedish.json["error"]["message"] != errors[0].json["error"]["message"]
    assert swedish.json["error"]["fields"]["body"] != errors[0].json["error"]["fields"]["body"]

    login(client, make_user("analyst"))
    assert client.get("/reports/export.csv").headers["Content-Type"] == "text/csv; charset=utf-8"


def test_open311_request_without_a_name_is_accepted(client, tokens):
    anonymous = {k: v for k, v in OPEN311.items() if k not in ("first_name", "last_name")}
    resp = client.post("/open311/v2/requests.json", data=dict(anonymous, api_key=tokens["submit"]))
    assert resp.status_code == 201, resp.json
    first_only = client.post("/open311/v2/requests.json",
                             data=dict(anonymous, first_name="Anna", api_key=tokens["submit"]))
    assert first_only.status_code == 201
    names = {c.reference: c.contact_name for c in db.session.scalars(sa.select(Case))}
    assert names[resp.json[0]["service_request_id"]] == "anna@kanalkafeet.se"  # known by the address given
    assert names[first_only.json[0]["service_request_id"]] == "Anna"
