"""Every route against every role: anonymous, officer of the case's office, officer of another office, lead,
admin, analyst, the company account of the case (A) and another company's account (B). A route added without
an expectation here fails the test. Company B must never see company A's case anywhere it can go."""
from datetime import UTC, datetime

import pytest

from caseflow.extensions import db
from tests.conftest import PASSWORD, login

ROLES = ("anonymous", "officer", "other_officer", "lead", "admin", "analyst", "company", "other_company")
OK = (200, 302, 400, 422)  # reached the view (302: a redirect after a POST; 400/422: refused input)
LOGIN = "login"  # redirected to the staff login page
ACCOUNT_LOGIN = "account_login"  # redirected to the company login page


def staff(officer=OK, other=404, lead=OK, admin=OK):
    return {"anonymous": LOGIN, "officer": officer, "other_officer": other, "lead": lead, "admin": admin,
            "analyst": 403, "company": 403, "other_company": 403}


def staff_page():  # not tied to one case: visible to every member of staff, scoped inside
    return staff(other=OK)


def lead_page():
    return staff(officer=403, other=403)


def admin_page():
    return {"anonymous": LOGIN, "officer": 403, "other_officer": 403, "lead": 403, "admin": OK, "analyst": 403,
            "company": 403, "other_company": 403}


def public():
    return {r: OK for r in ROLES}


def report_page():
    return {"anonymous": LOGIN, "officer": 403, "other_officer": 403, "lead": OK, "admin": OK, "analyst": OK,
            "company": 403, "other_company": 403}


def company_page():
    return {r: (OK if r in ("company", "other_company") else ACCOUNT_LOGIN) for r in ROLES}


def granting_page():  # company access is given by a lead or an administrator
    return dict(admin_page(), lead=OK)


CASE_ACTIONS = ["reply", "note", "close", "completion", "decide", "reopen", "delay", "fl12", "extend", "assign",
                "claim", "reroute", "link"]
EXPECT = {
    "public.index": public(), "public.submit": public(), "public.receipt": public(), "public.track": public(),
    "public.answer": public(), "public.healthz": public(), "public.readyz": public(), "public.attachment": public(),
    "officer.attachment": staff(),
    # the matrix's world has no incoming mail: 404 for staff who may see the case (tests/web/test_mail_original.py
    # downloads a real one)
    "officer.incoming_mail": staff(officer=404, lead=404, admin=404), "officer.set_company": staff(),
    "auth.login": public(), "auth.logout": public(),
    # sign-in through the identity provider: not configured in the matrix's app; break-glass only without passwords
    "auth.sso_login": {r: 404 for r in ROLES}, "auth.sso_callback": {r: 404 for r in ROLES},
    "auth.break_glass_login": {r: 404 for r in ROLES},
    "admin.sso_groups": dict(admin_page(), admin=(200, 302, 404)),
    # one's own password and sessions: every account has them (a company account is sent to its own page)
    "auth.password": dict(staff_page(), analyst=OK, company=OK, other_company=OK),
    "auth.logout_everywhere": dict(staff_page(), analyst=OK, company=OK, other_company=OK),
    "account.password": company_page(), "account.logout_everywhere": company_page(),
    "public.resend_links": public(), "public.privacy": public(),
    "account.home": company_page(),
    # company A holds a grant for its company; B does not, and gets the same answer as for no company at all
    "account.company": dict(company_page(), other_company=404),
    "account.invite": dict(company_page(), other_company=404),
    "account.revoke_invitation": dict(company_page(), company=404, other_company=404),
    "account.invitation": {r: 400 for r in ROLES},  # the matrix's token is no invitation's token
    "account.register": public(), "account.login": public(), "account.logout": public(),
    "account.reset_request": public(), "account.reset": public(), "account.verify": {r: 400 for r in ROLES},
    "officer.queue": staff_page(), "officer.search": staff_page(), "officer.bulk": staff_page(),
    "officer.bulk_confirm": staff_page(),
    "officer.overview": lead_page(), "officer.case": staff(),
    **{f"officer.{a}": staff() for a in CASE_ACTIONS},
    "admin.index": admin_page(), "admin.listing": admin_page(), "admin.edit": admin_page(),
    "admin.test_rule": admin_page(), "admin.audit": admin_page(), "admin.personal_data": admin_page(),
    "admin.tokens": admin_page(), "admin.operations": admin_page(),
    "admin.company_access": granting_page(), "admin.company_access_of": granting_page(),
    "admin.grant_company_access": granting_page(),
    "admin.revoke_company_access": dict(granting_page(), lead=(200, 302, 404), admin=(200, 302, 404)),
    "admin.retry_outbox": dict(admin_page(), admin=(200, 302, 404)),
    "admin.deactivate_token": dict(admin_page(), admin=(200, 302, 404)),
    "public.survey": {r: 404 for r in ROLES},  # the matrix's token is no survey's token
    # The API: documents are public; staff sessions may read; every write needs an API token (401 without).
    **{f"api.{e}": public() for e in ("openapi", "docs", "kinds", "categories")},
    **{f"api.{e}": {r: 401 for r in ROLES} for e in ("submit_case", "reply", "note", "close", "completion",
                                                      "decision")},
    "api.get_case": dict(staff(), anonymous=401, analyst=401, company=401, other_company=401),
    "api.queue": dict(staff_page(), anonymous=401, analyst=401, company=401, other_company=401),
    "api.list_cases": dict(staff_page(), anonymous=401, analyst=401, company=401, other_company=401),
    # Open311: the catalogue is public; requests need an api_key (403 without, for every session).
    **{f"open311.{e}": public() for e in ("discovery", "services", "service_definition")},
    **{f"open311.{e}": {r: 403 for r in ROLES} for e in ("post_request", "get_requests", "get_request", "token")},
    **{f"reports.{e}": report_page() for e in ("month", "trend", "drilldown", "export", "snapshots", "freeze",
                                                "handslaget", "handslaget_export", "case")},
}


@pytest.fixture
def world(app, offices, make_user, submit):
    users = {
        "officer": make_user("officer", offices["samhallsbyggnad"]),
        "other_officer": make_user("officer", offices["miljo"]),
        "lead": make_user("lead", offices["samhallsbyggnad"]),
        "admin": make_user("admin"),
        "analyst": make_user("analyst"),
    }
    from caseflow.models import CompanyAccount

    company = CompanyAccount(email="anna@kanalkafeet.se", name="Anna", verified_at=datetime.now(UTC))
    company.set_password(PASSWORD)
    db.session.add(company)
    db.session.commit()
    users["company"] = company
    other = CompanyAccount(email="bo@annatbolag.se", name="Bo", verified_at=datetime.now(UTC))
    other.set_password(PASSWORD)
    db.session.add(other)
    db.session.commit()
    users["other_company"] = other
    receipt = submit()  # a case of samhallsbyggnad, filed by company A
    from caseflow.models import Case
    from caseflow.services import company_access

    company_access.staff_grant(users["admin"], db.session.get(Case, receipt.case_id).company_id, company.email,
                               "Kontrollerat i rollmatrisens värld.", datetime.now(UTC))
    from caseflow.services import public as public_service
    from caseflow.services.attachments import Upload

    public_service.answer(receipt.token, "Bifogar", datetime.now(UTC), [Upload("a.pdf", b"%PDF-1.4 x")])
    return users, receipt


def _url(rule, receipt):
    values = {"<int:case_id>": str(receipt.case_id), "<token>": receipt.token, "<entity>": "offices",
              "<reference>": receipt.reference,
              "<int:obj_id>": "1", "<int:attachment_id>": "1", "<fmt>": "json", "<code>": "markupplatelse",
              "<request_id>": receipt.reference, "<token_id>": receipt.reference, "<int:token_id>": "999",
              "<int:outbox_id>": "999999", "<int:mail_id>": "1", "<int:invitation_id>": "999", "<int:grant_id>": "999",
              "<int:mapping_id>": "999",
              "<int:company_id>": str(_company_id(receipt))}
    url = rule.rule
    for placeholder, value in values.items():
        url = url.replace(placeholder, value)
    return url


def _company_id(receipt) -> int:
    from caseflow.models import Case

    return db.session.get(Case, receipt.case_id).company_id


def test_every_route_has_an_expectation(app):
    endpoints = {r.endpoint for r in app.url_map.iter_rules() if r.endpoint != "static"}
    assert endpoints - set(EXPECT) == set(), "add the new route to EXPECT"


@pytest.mark.parametrize("role", ROLES)
def test_role_matrix(app, world, role):
    users, receipt = world
    client = app.test_client()
    if role in ("company", "other_company"):
        resp = client.post("/account/login", data={"email": users[role].email, "password": PASSWORD})
        assert resp.status_code == 302
    elif role != "anonymous":
        assert login(client, users[role]).status_code == 302
    failures = []
    if role in ("company", "other_company"):  # company A lists its case, company B does not
        listed = receipt.reference in client.get("/account/").get_data(as_text=True)
        if listed != (role == "company"):
            failures.append(f"/account/ {'hides' if role == 'company' else 'shows'} the case for {role}")
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        expected = EXPECT[rule.endpoint][role]
        url = _url(rule, receipt)
        method = "GET" if "GET" in rule.methods else "POST"
        if rule.endpoint in ("auth.logout", "account.logout", "auth.logout_everywhere", "account.logout_everywhere"):
            continue  # would end the session of the matrix itself; covered in test_officer, test_sessions_and_lockout
        resp = client.open(url, method=method, data={})
        got = resp.status_code
        if expected == LOGIN:
            ok = got == 302 and "/staff/login" in resp.headers.get("Location", "")
        elif expected == ACCOUNT_LOGIN:
            ok = got == 302 and "/account/login" in resp.headers.get("Location", "")
        elif isinstance(expected, tuple):
            ok = got in expected and "/staff/login" not in resp.headers.get("Location", "")
        else:
            ok = got == expected
        if not ok:
            failures.append(f"{method} {url} ({rule.endpoint}): expected {expected}, got {got}")
        token_route = "<token>" in rule.rule  # the private link is the capability: whoever holds it may read
        if role in ("other_company", "other_officer", "anonymous") and not token_route and got == 200 \
                and receipt.reference in resp.get_data(as_text=True):
            failures.append(f"{method} {url} ({rule.endpoint}) shows {receipt.reference} to {role}")
    assert failures == []
