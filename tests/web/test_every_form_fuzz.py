"""Hypothesis fuzzes every other form of the app (the case-creating ones are in test_form_fuzz, the API in
test_api_fuzz): staff case actions, bulk, administration, the company's account and answer forms, logins.

For each form the fields are read from the page that shows it (so prefixes and choices are the real ones); any
mix of those fields with random or plausible values gets a page, a redirect or a refusal, never a 500, and a
refused submission leaves every table's row count as it was."""
import os
import re

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from caseflow.extensions import db
from tests.conftest import PASSWORD, login
from tests.web.test_role_matrix import world  # noqa: F401 - the same world of users and a case

EXAMPLES = int(os.environ.get("FORM_FUZZ_EXAMPLES", "25"))
# Random locally (finds new inputs); fixed in CI (a red build means a change broke something, not luck).
SETTINGS = settings(derandomize=bool(os.environ.get("CI")), max_examples=EXAMPLES, deadline=None, database=None,
                    suppress_health_check=list(HealthCheck))
PLAUSIBLE = ["", "0", "1", "-1", "2", "99999999999", "y", "on", "answered", "closed", "errand", "complaint", "sv",
             "2026-11-27", "2026-02-30", "CF-2026-00001", "CF-2026-00000", "a@b.se", "x" * 5000, "<script>x</script>",
             "=1+1", "\u202e", "556036-0793", "08:00-17:00"]
values = st.one_of(st.text(max_size=120), st.sampled_from(PLAUSIBLE))

# (role, where the form is shown, where it is posted): {case} is the world's case id, {company} its company's
FORMS = [
    ("anonymous", "/staff/login", "/staff/login"),
    ("anonymous", "/account/login", "/account/login"),
    ("anonymous", "/account/register", "/account/register"),
    ("anonymous", "/account/reset", "/account/reset"),
    ("anonymous", "/account/verify/{verify}", "/account/verify/{verify}"),
    ("anonymous", "/links", "/links"),
    ("anonymous", "/track/{token}", "/track/{token}"),
    ("company", "/account/companies/{company}", "/account/companies/{company}/invitations"),
    ("lead", "/admin/company-access/{company}", "/admin/company-access/{company}/grants"),
    ("officer", "/staff/", "/staff/bulk"),
    ("officer", "/staff/password", "/staff/password"),
    ("company", "/account/password", "/account/password"),
    *[("officer", "/staff/cases/{case}", f"/staff/cases/{{case}}/{action}")
      for action in ("reply", "note", "close", "completion", "decide", "reopen", "delay", "fl12", "extend",
                     "assign", "reroute", "link")],
    *[("admin", f"/admin/{entity}/new", f"/admin/{entity}/new")
      for entity in ("offices", "categories", "rules", "policies", "canned", "users", "measures")],
    ("admin", "/admin/report_settings/1", "/admin/report_settings/1"),
    ("admin", "/admin/offices/1", "/admin/offices/1"),
    ("admin", "/admin/tokens", "/admin/tokens"),
    ("admin", "/admin/sso-groups", "/admin/sso-groups"),
    ("analyst", "/reports/snapshots", "/reports/snapshots"),
]


def counts() -> dict:
    """Row counts, but for what a refusal is meant to write: the staff read log and failed logins (lockout)."""
    db.session.expire_all()
    return {t.name: db.session.scalar(sa.select(sa.func.count()).select_from(t))
            for t in db.metadata.sorted_tables if t.name not in ("access_log", "login_failure")}


def field_names(html: str, action: str) -> list[str]:
    """Names of the inputs of the form posting to ``action`` (or of every form on the page)."""
    forms = re.findall(r"<form[^>]*action=\"([^\"]*)\"[^>]*>(.*?)</form>", html, re.S)
    chosen = [body for url, body in forms if url.endswith(action.split("/")[-1])] or [html]
    names = set()
    for body in chosen:
        names |= set(re.findall(r"<(?:input|select|textarea)[^>]*\bname=\"([^\"]+)\"", body))
    return sorted(names - {"csrf_token"})


def _pending_account_token() -> str:
    """The confirmation token of a newly registered (unconfirmed) company account."""
    from datetime import UTC, datetime

    from caseflow.models import Outbox
    from caseflow.services import accounts

    accounts.register_company_account("vantar@foretaget.se", "Väntar", "ett långt lösenord", "sv", datetime.now(UTC))
    row = db.session.scalars(sa.select(Outbox).where(Outbox.payload["template"].as_string() == "verify_account")
                             .order_by(Outbox.id.desc())).first()
    return re.search(r"/account/verify/(\S+)", row.result["text"]).group(1)


def signed_in(app, world_, role):
    users, _receipt = world_
    client = app.test_client()
    if role == "company":
        assert client.post("/account/login", data={"email": users[role].email, "password": PASSWORD}) \
            .status_code == 302
    elif role != "anonymous":
        assert login(client, users[role]).status_code == 302
    return client


@pytest.mark.parametrize("role,page,action", FORMS, ids=[f[2] for f in FORMS])
def test_form_never_fails_and_a_refusal_writes_nothing(app, world, role, page, action):  # noqa: F811
    users, receipt = world
    from caseflow.models import Case

    fill = {"case": str(receipt.case_id), "token": receipt.token,
            "company": str(db.session.get(Case, receipt.case_id).company_id)}
    if "{verify}" in page:
        fill["verify"] = _pending_account_token()
    page, action = page.format(**fill), action.format(**fill)
    client = signed_in(app, world, role)
    shown = client.get(page)
    assert shown.status_code == 200, page
    names = field_names(shown.text, action)
    assert names, f"no fields found for {action}"

    @given(form=st.dictionaries(st.sampled_from(names), values, max_size=len(names)))
    @SETTINGS
    def run(form):
        before = counts()
        resp = client.post(action, data=form)
        assert resp.status_code < 500, (action, form)
        assert resp.status_code in (200, 302, 400, 404, 409, 413, 422, 429), (action, resp.status_code, form)
        if resp.status_code in (400, 409, 413, 422):
            assert counts() == before, (action, form)

    run()


def test_survey_form_never_fails_and_a_refusal_writes_nothing(app, world):  # noqa: F811
    from datetime import UTC, datetime

    from caseflow.models import Survey
    from caseflow.services import casework, surveys

    users, receipt = world
    casework.close(users["officer"], receipt.case_id, "answered", datetime.now(UTC))
    survey = db.session.scalar(sa.select(Survey).where(Survey.case_id == receipt.case_id))
    path = surveys.survey_url(survey).split("://", 1)[1].split("/", 1)[1]
    client = app.test_client()
    names = field_names(client.get(f"/{path}").text, path)
    assert names

    @given(form=st.dictionaries(st.sampled_from(names), st.one_of(values, st.sampled_from(["1", "3", "6", "7"])),
                                max_size=len(names)))
    @SETTINGS
    def run(form):
        before = counts()
        resp = client.post(f"/{path}", data=form)
        assert resp.status_code in (200, 302, 400, 404, 409, 422, 429), (resp.status_code, form)
        if resp.status_code in (400, 409, 422):
            assert counts() == before, form

    run()
