"""Every form a company fills in says what is wrong as GOV.UK writes it: one specific sentence per field and rule
("Skriv en rubrik för ärendet", "Rubriken får vara högst 200 tecken"), in Swedish and in English, beside the field
and in the error summary, which lists the errors in the order of the fields on the page, each linking to its field.

The test walks each form's fields and the rules their validators hold them to (so a field added later is walked
too), breaks one rule at a time on the real page and reads what the page says; then breaks every field at once and
reads the summary's order. No generic message ("Fyll i det här fältet.", "This field is required.", "Not a valid
choice") may appear."""
from __future__ import annotations

import html as htmllib
import re
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from caseflow.extensions import db
from caseflow.models import Outbox, Survey
from caseflow.services import accounts, casework, surveys
from caseflow.web import forms as base
from caseflow.web.account import forms as account_forms
from caseflow.web.auth.forms import PasswordForm
from caseflow.web.messages import FIELD_ERRORS, Count
from caseflow.web.public import forms as public_forms
from tests.conftest import PASSWORD, VALID_FORM
from tests.web.test_role_matrix import world  # noqa: F401 - a company account with a grant, and its case

NEW_PASSWORD = "tre ord i rad"
# Fragments of messages that say nothing about the field: the shared fallbacks and WTForms' own, in both languages.
GENERIC = ["Please fill in", "Fyll i det här fältet", "This field is required", "Det här fältet", "Not a valid",
           "Inte ett giltigt", "Invalid", "Ogiltig", "could not coerce", "Field must", "Field cannot", "Fältet får",
           "The text is too long", "Texten är för lång", "Please choose one of the options", "This value is not valid",
           *(str(FIELD_ERRORS[code]) for code in ("required", "too_long", "invalid_choice", "invalid"))]


def _luhn_completed(nine: str) -> str:
    total = sum(sum(divmod(int(d) * (2 - i % 2), 10)) for i, d in enumerate(nine))
    return nine + str((10 - total % 10) % 10)


BAD_DATE = _luhn_completed("811232987")  # a personnummer whose check digit is right, on the 32nd of December


def broken(form) -> list[tuple[str, str, dict]]:
    """(field, rule, the posted values that break that rule alone) for each rule each field's validators hold."""
    out = []
    for f in form:
        name = f.short_name
        for v in f.validators:
            if isinstance(v, base.Required):
                out.append((name, "required", {name: ""}))
            elif isinstance(v, base.MaxLength):
                too_long = "x" * (v.max + 1)
                if any(isinstance(w, base.EmailAddress) for w in f.validators):  # a well-formed address, too long
                    too_long = "anna@" + ".".join(["b" * 60] * (v.max // 61 + 1)) + ".se"
                out.append((name, "too_long", {name: too_long}))
            elif isinstance(v, base.MinLength):
                out.append((name, "too_short", {name: "x" * (v.min - 1), "confirm": "x" * (v.min - 1)}))
            elif isinstance(v, base.EmailAddress):
                out.append((name, "invalid_email", {name: "anna-at-kanalkafeet"}))
            elif isinstance(v, base.SameAs):
                out.append((name, "mismatch", {name: NEW_PASSWORD + " men annat"}))
            elif isinstance(v, base.Chosen):
                out.append((name, "invalid_choice", {name: "spam"}))
            elif isinstance(v, base.CleanText):
                out.append((name, "invalid_characters", {name: "Ute\x07servering"}))
            elif v is public_forms.valid_org_number:
                out += [(name, "org_format", {name: "12345"}), (name, "org_checksum", {name: "556036-0794"}),
                        (name, "org_date", {name: BAD_DATE})]
    if isinstance(form, public_forms.SubmitForm):  # rules held by the form's own method and by the intake service
        out += [("complaint_ground", "required", {"kind": "complaint", "complaint_ground": ""}),
                ("complaint_ground", "invalid_choice", {"kind": "complaint", "complaint_ground": "spam"}),
                ("related_reference", "unknown_case_of_company",
                 {"kind": "complaint", "complaint_ground": "treated_badly", "related_reference": "CF-2026-99999"})]
    return out


def expected(form, name: str, rule: str) -> str:
    """The field's own sentence for the rule, in the current language."""
    field = form[name]
    if rule == "invalid_characters" and rule not in form.MESSAGES.get(name, {}):
        return str(base.INVALID_CHARACTERS) % {"label": field.label.text}
    assert rule in form.MESSAGES.get(name, {}), f"{type(form).__name__}.{name} has no sentence of its own for {rule}"
    limit = next((v.max if v.max != -1 else v.min for v in field.validators if isinstance(v, base.Length)), 0)
    return str(form.MESSAGES[name][rule]) % {"n": Count(limit)}


def errors_beside_fields(page: str) -> dict[str, str]:
    return {m[0]: htmllib.unescape(re.sub(r"<[^>]+>", "", m[1])).replace("Fel:", "").replace("Error:", "").strip()
            for m in re.findall(r'<p class="error-text" id="([^"]+)-error">(.*?)</p>', page, re.S)}


def summary(page: str) -> list[tuple[str, str]]:
    box = re.search(r'<div class="error-summary".*?</div>', page, re.S)
    assert box, "no error summary"
    return [(target, htmllib.unescape(text)) for target, text in re.findall(r'<a href="#([^"]+)">(.*?)</a>', box[0])]


@pytest.fixture
def pages(app, world, client, category, submit):  # noqa: F811
    """Each company form: (its name, the form, the client that sees it, where it is posted, valid values)."""
    users, receipt = world
    company_client = app.test_client()
    company_client.post("/account/login", data={"email": users["company"].email, "password": PASSWORD})
    from caseflow.models import Case

    company_id = db.session.get(Case, receipt.case_id).company_id
    casework.close(users["officer"], receipt.case_id, "answered", datetime.now(UTC))
    survey = db.session.scalar(sa.select(Survey).where(Survey.case_id == receipt.case_id))
    second = submit().token
    accounts.register_company_account("vantar@foretaget.se", "Väntar", "ett långt lösenord", "sv", datetime.now(UTC))
    verify = _mailed_token("verify_account", r"/account/verify/(\S+)")
    accounts.request_password_reset(users["company"].email, "sv", datetime.now(UTC))
    reset = _mailed_token("reset_password", r"/account/reset/(\S+)")
    passwords = {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    with app.test_request_context():
        return [
            ("submit", public_forms.SubmitForm(), client, "/submit",
             dict(VALID_FORM, category_id=str(category("markupplatelse").id))),
            ("answer", public_forms.AnswerForm(), client, f"/track/{second}", {"body": "Sex bord och tolv stolar."}),
            ("links", public_forms.EmailForm(), client, "/links", {"email": "anna@kanalkafeet.se"}),
            ("survey", public_forms.survey_form(survey.scale)(), client, f"/survey/{surveys.token_for(survey.salt)}",
             {"q_overall": "5", "q_expectations": "4", "q_ideal": "5"}),
            ("register", account_forms.RegisterForm(), client, "/account/register",
             dict(passwords, name="Anna", email="ny@foretaget.se")),
            ("login", account_forms.LoginForm(), client, "/account/login",
             {"email": "anna@kanalkafeet.se", "password": PASSWORD}),
            ("verify", account_forms.VerifyForm(), client, f"/account/verify/{verify}", {"password": PASSWORD}),
            ("reset-request", account_forms.ResetRequestForm(), client, "/account/reset", {"email": "a@b.se"}),
            ("reset", account_forms.ResetForm(), client, f"/account/reset/{reset}", passwords),
            ("invite", account_forms.InviteForm(), company_client, f"/account/companies/{company_id}/invitations",
             {"email": "kollega@kanalkafeet.se"}),
            ("password", PasswordForm(), company_client, "/account/password",
             dict(passwords, current_password=PASSWORD)),
        ]


def _mailed_token(template: str, pattern: str) -> str:
    row = db.session.scalars(sa.select(Outbox).where(Outbox.payload["template"].as_string() == template)
                             .order_by(Outbox.id.desc())).first()
    return re.search(pattern, row.result["text"]).group(1)


@pytest.mark.parametrize("language", ["sv", "en"])
def test_every_company_form_says_for_each_field_and_rule_what_to_do(app, pages, language):
    checked = []
    for name, form, client, path, valid in pages:
        for field, rule, bad in broken(form):
            resp = client.post(f"{path}?lang={language}", data=dict(valid, **bad))
            where = f"{name}: {field} {rule} ({language})"
            assert resp.status_code == 422, (where, resp.status_code)
            page = resp.get_data(as_text=True)
            with force_locale(language):
                want = expected(form, field, rule)
            beside = errors_beside_fields(page)
            field_id = form[field].id
            assert beside.get(field_id) == want, (where, beside)
            target = f"{field_id}-0" if form[field].type == "RadioField" else field_id
            assert (target, want) in summary(page), (where, summary(page))
            for text in [*beside.values(), *(t for _, t in summary(page))]:
                assert not any(g in text for g in GENERIC), (where, text)
            checked.append((name, field, rule))
    # every form and every field with a rule was walked (a form without rules would pass silently)
    assert {n for n, *_ in checked} == {p[0] for p in pages}
    assert len(checked) >= 60, len(checked)


def test_each_field_has_its_own_sentences_in_swedish_and_english(app, pages):
    """Two fields of a form never share a sentence (a shared one says nothing of the field), and every sentence
    is translated."""
    for name, form, *_ in pages:
        owners: dict[str, str] = {}
        for field, rules in form.MESSAGES.items():
            for rule, message in rules.items():
                for language in ("sv", "en"):
                    with force_locale(language):
                        text = str(message)
                    assert owners.setdefault(text, field) == field, (name, field, rule, text)
                with force_locale("sv"):
                    sv = str(message)
                with force_locale("en"):
                    assert sv != str(message), (name, field, rule, "not translated")


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_error_summary_lists_the_errors_in_the_order_of_the_fields_on_the_page(app, pages, language):
    for name, form, client, path, valid in pages:
        bad: dict = {}
        for field, _rule, values in broken(form):  # each field's first rule: every field in error at once
            bad.setdefault(field, values[field])
        data = dict(valid, **bad)
        if name == "submit":
            data.update(kind="complaint", complaint_ground="")  # its complaint fields show their errors too
        page = client.post(f"{path}?lang={language}", data=data).get_data(as_text=True)
        listed = [target for target, _ in summary(page)]
        form_html = page[page.index("<form", page.index('id="error-summary"')):]
        on_page = sorted(listed, key=lambda target: form_html.index(f'id="{target}"'))
        in_error = set(bad) - ({"kind"} if name == "submit" else set())
        assert len(listed) == len(in_error), (name, listed, in_error)
        assert listed == on_page, (name, language)
        assert [t for t, _ in summary(page)] == listed
        assert set(listed) == {f"{form[f].id}-0" if form[f].type == "RadioField" else form[f].id
                               for f in errors_beside_fields(page)}, name


def test_what_was_typed_stays_when_a_form_is_refused(client, category):
    data = dict(VALID_FORM, category_id=str(category("markupplatelse").id), subject="", org_number="556036-0794")
    page = client.post("/submit", data=data).get_data(as_text=True)
    for field in ("company_name", "contact_name", "contact_email", "contact_phone"):
        assert f'value="{htmllib.escape(data[field])}"' in page, field
    assert 'value="556036-0794"' in page and data["description"] in page
