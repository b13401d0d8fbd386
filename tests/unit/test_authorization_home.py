"""Authorization has one home, ``services/authorization.py``: no view and no other service compares role strings,
no view asks the module itself (views call services, which refuse), and the module answers as its table says."""
import re
from pathlib import Path
from types import SimpleNamespace

import pytest

from caseflow.services import authorization as authz
from caseflow.services.errors import Forbidden

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "caseflow"
HOME = PACKAGE / "services" / "authorization.py"

# A role compared with something: ``x.role == "admin"``, ``user.role not in (...)``, ``User.role.in_((...))``,
# ``getattr(user, "role", None) != "company"`` (in Python and in templates).
ROLE_COMPARISON = re.compile(
    r"""(\.role|getattr\([^)]*["']role["'][^)]*\))\s*(==|!=|\bnot\s+in\b|\bin\b|\.in_\(|\.notin_\()""")

# (file relative to the repository, the line's text) -> why it may compare a role outside the home. None needed
# today: a template shows a link or a form by ``may`` (services.authorization.permissions), never by a role.
ALLOWED: dict[tuple[str, str], str] = {}


def role_comparisons() -> list[str]:
    found = []
    files = [*sorted((PACKAGE / "web").rglob("*.py")), *sorted((PACKAGE / "services").rglob("*.py")),
             *sorted((ROOT / "templates").rglob("*.html")), *sorted((PACKAGE / "web").rglob("*.html"))]
    for path in files:
        if path == HOME:
            continue
        rel = str(path.relative_to(ROOT))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if ROLE_COMPARISON.search(line) and (rel, line.strip()) not in ALLOWED:
                found.append(f"{rel}:{number}: {line.strip()}")
    return found


def test_no_view_or_service_compares_roles_outside_the_authorization_module():
    assert role_comparisons() == [], "ask a rule of services/authorization.py instead"


@pytest.mark.parametrize("line", [
    'if user.role not in ("officer", "lead", "admin"):',
    'return user.role == "admin"',
    'if current_user.role != "company":',
    'q = q.where(User.role.in_(("officer", "lead")))',
    'if getattr(current_user, "role", None) in ("officer", "lead"):',
    '{% if current_user.role == "analyst" %}',
])
def test_the_guard_sees_a_role_comparison(line):
    assert ROLE_COMPARISON.search(line)


@pytest.mark.parametrize("line", ['"users": (UserForm, _l("Users and roles"), ["name", "role"]),',
                                  'role = SelectField(_l("Role"))', '<nav role="navigation">'])
def test_the_guard_lets_a_mere_mention_of_roles_pass(line):
    assert not ROLE_COMPARISON.search(line)


def test_no_view_imports_the_authorization_module():
    importing = [str(p.relative_to(PACKAGE)) for p in sorted((PACKAGE / "web").rglob("*.py"))
                 if re.search(r"^\s*(from|import)\s+[.\w]*authorization\b|import\s+authorization\b",
                              p.read_text(encoding="utf-8"), re.M)]
    assert importing == [], "a view calls a service; the service asks authorization"


# -- the table of the module's docstring, role by role -----------------------------------------------------------
def person(role, office_id=None, signed_in=True):
    return SimpleNamespace(role=role, office_id=office_id, is_authenticated=signed_in)


ANONYMOUS = SimpleNamespace(is_authenticated=False)  # flask-login's anonymous user has no role
EVERY = ("officer", "lead", "admin", "analyst", "company")
TABLE = {  # rule -> the roles it lets through
    authz.is_staff: {"officer", "lead", "admin"},
    authz.sees_every_office: {"admin"},
    authz.holds_cases: {"officer", "lead"},
    authz.may_oversee: {"lead", "admin"},
    authz.may_read_reports: {"analyst", "lead", "admin"},
    authz.may_read_masked_cases: {"analyst", "lead", "admin"},
    authz.may_publish_reports: {"analyst", "admin"},
    authz.may_grant_company_access: {"lead", "admin"},
    authz.may_administer: {"admin"},
    authz.lands_on_reports: {"analyst"},
    authz.is_company_account: {"company"},
}
SHOWN = {  # what the pages may show (permissions) -> the rule it restates
    "works_cases": authz.is_staff, "oversees": authz.may_oversee, "reads_reports": authz.may_read_reports,
    "publishes_reports": authz.may_publish_reports, "grants_company_access": authz.may_grant_company_access,
    "administers": authz.may_administer, "lands_on_reports": authz.lands_on_reports,
    "company_account": authz.is_company_account,
}


@pytest.mark.parametrize("rule", list(TABLE), ids=lambda r: r.__name__)
def test_each_rule_lets_through_exactly_the_roles_of_the_table(rule):
    assert {role for role in EVERY if rule(person(role, office_id=1))} == TABLE[rule]
    assert not rule(ANONYMOUS) and not rule(None)


@pytest.mark.parametrize("require, rule", [
    (authz.require_staff, authz.is_staff), (authz.require_overseer, authz.may_oversee),
    (authz.require_administrator, authz.may_administer), (authz.require_report_reader, authz.may_read_reports),
    (authz.require_report_publisher, authz.may_publish_reports),
    (authz.require_masked_case_reader, authz.may_read_masked_cases),
    (authz.require_company_access_granter, authz.may_grant_company_access),
    (authz.require_company_account, authz.is_company_account),
], ids=lambda f: f.__name__)
def test_a_requirement_refuses_with_forbidden_exactly_whom_its_rule_refuses(require, rule):
    for role in EVERY:
        if role in TABLE[rule]:
            require(person(role, office_id=1))
        else:
            with pytest.raises(Forbidden):
                require(person(role, office_id=1))


@pytest.mark.parametrize("shown", list(SHOWN))
def test_what_the_pages_show_is_what_the_rules_allow(shown):
    for role in EVERY:
        assert getattr(authz.permissions(person(role, office_id=1)), shown) == (role in TABLE[SHOWN[shown]])
    assert not getattr(authz.permissions(ANONYMOUS), shown)


def test_the_staff_menu_is_for_every_staff_login_and_not_for_a_company_or_a_visitor():
    assert {r for r in EVERY if authz.permissions(person(r)).staff_side} == {"officer", "lead", "admin", "analyst"}
    assert not authz.permissions(ANONYMOUS).staff_side and not authz.permissions(None).staff_side


def test_a_deactivated_member_of_staff_is_refused_though_the_role_is_right():
    for require in (authz.require_staff, authz.require_administrator, authz.require_report_reader):
        with pytest.raises(Forbidden):
            require(person("admin", signed_in=False))


def test_staff_see_the_cases_of_their_own_office_and_an_admin_every_office():
    case = SimpleNamespace(office_id=7)
    assert authz.may_see_case(person("officer", 7), case)
    assert authz.may_see_case(person("lead", 7), case)
    assert not authz.may_see_case(person("officer", 8), case)
    assert authz.may_see_case(person("admin"), case)
    assert not authz.may_see_case(person("analyst", 7), case)  # reads reports, never a case
    assert not authz.may_see_case(person("company", 7), case)


def test_a_case_links_to_one_of_the_users_office_or_of_its_own_office():
    case, mine, theirs, elsewhere = (SimpleNamespace(office_id=i) for i in (7, 8, 7, 9))
    officer = person("officer", 8)
    assert authz.may_link_to(officer, case, mine) and authz.may_link_to(officer, case, theirs)
    assert not authz.may_link_to(officer, case, elsewhere)
    assert authz.may_link_to(person("admin"), case, elsewhere)
