"""Admin fields of an enumeration are choices with Swedish and English labels, an unknown value is refused with a
message naming it, and no staff page shows a raw enumeration code as visible text."""
import re
from html.parser import HTMLParser

import pytest
import sqlalchemy as sa
from werkzeug.datastructures import MultiDict

from caseflow.domain import enums
from caseflow.extensions import db
from caseflow.models import AuditLog, Category, Office, RoutingRule
from tests.conftest import login


def _rule_form(office, **fields):
    data = {"position": "5", "name": "Klagomål till miljö", "office_id": str(office.id), "category_id": "0",
            "keywords": "", "org_numbers": "", "assign_strategy": "none", "active": "y"}
    data.update(fields)
    return data


def test_a_routing_rule_with_a_kind_typed_in_words_is_refused_and_not_saved(client, offices, make_user):
    login(client, make_user("admin"))
    before = db.session.scalar(sa.select(sa.func.count(RoutingRule.id)))
    resp = client.post("/admin/rules/new", data=_rule_form(offices["miljo"], kinds="Klagomål"))
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert "”Klagomål” finns inte bland alternativen – välj bland dem som visas" in html
    assert db.session.scalar(sa.select(sa.func.count(RoutingRule.id))) == before
    assert db.session.scalar(sa.select(AuditLog.id).where(AuditLog.entity == "rules")) is None


def test_an_unknown_legal_form_is_refused_in_english_too(client, offices, make_user):
    login(client, make_user("admin"))
    client.get("/admin/?lang=en")
    resp = client.post("/admin/rules/new", data=_rule_form(offices["miljo"], legal_forms="enskild firma"))
    assert resp.status_code == 422
    assert "“enskild firma” is not one of the options – choose among the ones listed" in resp.get_data(as_text=True)


def test_the_service_refuses_an_unknown_kind_whatever_the_form(app, offices, make_user):
    from datetime import UTC, datetime

    from caseflow.services import admin
    from caseflow.services.errors import InvalidInput

    with pytest.raises(InvalidInput) as refused:
        admin.save(make_user("admin"), "rules", None, {"name": "R", "office_id": offices["miljo"].id,
                                                       "kinds": "errand,Klagomål"}, datetime.now(UTC))
    assert refused.value.fields == {"kinds": "not_an_option"}


def test_a_rule_with_chosen_kinds_and_legal_forms_is_stored_as_codes_and_listed_in_words(client, offices,
                                                                                     make_user):
    login(client, make_user("admin"))
    form = MultiDict([*_rule_form(offices["miljo"]).items(), ("kinds", "complaint"), ("kinds", "feedback"),
                      ("legal_forms", "sole_trader")])
    resp = client.post("/admin/rules/new", data=form)
    assert resp.status_code == 302
    rule = db.session.scalar(sa.select(RoutingRule).where(RoutingRule.name == "Klagomål till miljö"))
    assert (rule.kinds, rule.legal_forms) == ("complaint,feedback", "sole_trader")
    edit = client.get(f"/admin/rules/{rule.id}").get_data(as_text=True)
    assert re.search(r'<input checked id="kinds-2" name="kinds" type="checkbox" value="complaint">', edit)
    assert "Enskild firma" in edit and "<legend>Ärendetyper (ingen vald = alla)</legend>" in edit
    english = client.get(f"/admin/rules/{rule.id}?lang=en").get_data(as_text=True)
    assert "Sole trader" in english and "Complaint" in english


def test_a_category_lists_its_kinds_in_words(client, offices, make_user):
    login(client, make_user("admin"))
    html = client.get("/admin/categories/").get_data(as_text=True)
    assert db.session.scalar(sa.select(Category.id).where(Category.statutory == "pbl_bygglov"))
    assert "PBL: bygglov / förhandsbesked (10 veckor)" in html and "pbl_bygglov" not in raw_codes(html)
    cat = db.session.scalar(sa.select(Category).where(Category.code == "markupplatelse"))
    edit = client.get(f"/admin/categories/{cat.id}").get_data(as_text=True)
    assert "<legend>Ärendetyper som tas emot</legend>" in edit and "<span>Synpunkt</span></label>" in edit


class _VisibleText(HTMLParser):
    """The text nodes a reader sees (not scripts, styles, attributes), but not what a page shows as a code on
    purpose (``<code>``: an office's code an administrator chose, a token's scope as integrations name it)."""

    def __init__(self):
        super().__init__()
        self.texts, self._skip = [], 0

    def handle_starttag(self, tag, attrs):
        self._skip += tag in ("script", "style", "template", "code")

    def handle_endtag(self, tag):
        self._skip -= tag in ("script", "style", "template", "code") and self._skip > 0

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.texts.append(data.strip())


CODES = {m.value for e in enums.ALL.values() for m in e} - {"api", "open311"}
SNAKE = sorted((c for c in CODES if "_" in c or "-" in c), key=len, reverse=True)


def raw_codes(html: str) -> list[str]:
    """Visible texts that are an enumeration's code, contain a snake_case code, a Python list or a status count
    written as a code ("sent: 236")."""
    parser = _VisibleText()
    parser.feed(html)
    found = []
    for text in parser.texts:
        if text in CODES or re.search(r"\[[\d., ]+\]", text) or re.search(r"\b(pending|sent|failed)\s*:", text):
            found.append(text)
        found += [c for c in SNAKE if re.search(rf"(?<![\w/@.-]){re.escape(c)}(?![\w/@.-])", text)]
    return found


@pytest.fixture
def staffed(app, offices, make_user, submit):
    """An administrator, a lead, configuration edited through the pages (so the audit log has entries), a rule
    with a legal form and a case whose mails went out."""
    admin_user = make_user("admin")
    make_user("lead", office=offices["miljo"])
    make_user("analyst")
    submit(kind="complaint", complaint_ground=enums.COMPLAINT_GROUND.values[0])
    db.session.add(RoutingRule(position=1, name="Enskilda firmor", office_id=offices["miljo"].id,
                               kinds="complaint", legal_forms="sole_trader", assign_strategy="round_robin"))
    db.session.commit()
    return admin_user


STAFF_PAGES = ["/admin/", "/admin/audit", "/admin/operations", "/admin/personal-data", "/admin/company-access",
               "/admin/tokens", "/admin/sso-groups", "/admin/rules/test"]


def _admin_pages() -> list[str]:
    from caseflow.web.admin.routes import RESOURCES

    return [*STAFF_PAGES, *(f"/admin/{e}/" for e in RESOURCES), *(f"/admin/{e}/new" for e in RESOURCES
                                                                   if e != "report_settings")]


@pytest.mark.parametrize("language", ["sv", "en"])
def test_no_staff_page_shows_a_raw_enumeration_code(client, staffed, language):
    from caseflow.web.admin.routes import RESOURCES

    login(client, staffed)
    client.get(f"/admin/?lang={language}")
    office = db.session.scalar(sa.select(Office).where(Office.code == "miljo"))
    resp = client.post("/admin/rules/new", data=MultiDict([*_rule_form(office).items(), ("kinds", "complaint"),
                                                 ("legal_forms", "sole_trader")]))
    assert resp.status_code == 302
    pages = _admin_pages()
    for entity in RESOURCES:
        model_rows = client.get(f"/admin/{entity}/").get_data(as_text=True)
        first = re.search(rf'href="/admin/{entity}/(\d+)"', model_rows)
        if first:
            pages.append(f"/admin/{entity}/{first.group(1)}")
    offending = {}
    for url in pages:
        resp = client.get(url)
        assert resp.status_code == 200, url
        codes = raw_codes(resp.get_data(as_text=True))
        if codes:
            offending[url] = codes
    assert not offending, "\n".join(f"{u}: {c}" for u, c in offending.items())


def test_the_raw_code_finder_finds_what_it_should():
    found = raw_codes("<td>sole_trader</td><li>sent: 236</li><td>[1, 1, 1]</td><p>complaint</p>"
                      "<p>Väntar: waiting_for_company</p>")
    assert {"sole_trader", "sent: 236", "[1, 1, 1]", "complaint"} <= set(found)
    assert raw_codes('<p>A complaint about <a href="/x/sole_trader">this</a></p><script>"in_progress"</script>') == []
