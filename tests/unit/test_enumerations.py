"""Every enumeration has one source (domain.enums) with a Swedish and an English label for each value, and the
domain's, models' and services' own tuples of values are exactly those values."""
import re

import pytest

from caseflow.domain import complaints, enums, identifiers, sla, workflow
from caseflow.models import ROLES
from caseflow.models.inbound import OUTCOMES as MAIL_OUTCOMES
from caseflow.models.outbox import FAILED, PENDING, SENT
from caseflow.services.casework import OUTCOMES

# Values whose label is rightly the same word as the value (names of protocols)
SAME_AS_CODE = {"api", "open311"}


@pytest.mark.parametrize("enumeration", enums.ALL.values(), ids=list(enums.ALL))
def test_every_value_has_a_swedish_and_an_english_label_that_is_not_its_code(enumeration):
    assert enumeration.members, enumeration.name
    for m in enumeration:
        for language in ("sv", "en"):
            text = m.label(language)
            assert text and text.strip() == text, (enumeration.name, m.value, language)
            assert text != m.value or m.value in SAME_AS_CODE, (enumeration.name, m.value, language)
        assert "_" not in m.sv + m.en, (enumeration.name, m.value)


def test_an_unknown_value_has_no_label():
    with pytest.raises(KeyError):
        enums.KIND.label("Klagomål", "sv")
    assert enums.KIND.unknown(["complaint", "Klagomål"]) == ["Klagomål"]


def test_the_domains_tuples_are_the_enumerations_values():
    assert workflow.KINDS == enums.KIND.values
    assert set(workflow.STATUSES) == set(enums.STATUS.values) == set(enums.STAFF_STATUS.values)
    assert workflow.PRIORITIES == enums.PRIORITY.values and workflow.CHANNELS == enums.CHANNEL.values
    assert set(sla.UNITS) == set(enums.UNIT.values)
    assert set(identifiers.LEGAL_FORMS.values()) | {"sole_trader", "other"} == set(enums.LEGAL_FORM.values)
    assert ROLES == enums.ROLE.values and OUTCOMES == enums.OUTCOME.values
    assert MAIL_OUTCOMES == enums.MAIL_OUTCOME.values
    assert {PENDING, SENT, FAILED} == set(enums.OUTBOX_STATUS.values)
    assert set(complaints.VALUES) | set(complaints.LEGACY_GROUNDS) == set(enums.COMPLAINT_GROUND.values)


def test_every_event_kind_the_code_records_has_a_label():
    """Each ``record(case, "kind", …)`` in the services names an event kind of ``enums.EVENT``."""
    from pathlib import Path

    root = Path(workflow.__file__).parents[1]
    recorded = set()
    for path in (root / "services").rglob("*.py"):
        recorded |= set(re.findall(r'\brecord\(\s*\w+,\s*"(\w+)"', path.read_text(encoding="utf-8")))
    assert recorded and recorded <= set(enums.EVENT.values), recorded - set(enums.EVENT.values)


def test_every_mail_template_has_a_label():
    from pathlib import Path

    root = Path(workflow.__file__).parents[2] / "templates" / "email"
    names = {p.name.split(".")[0] for p in root.glob("*.txt") if not p.name.startswith("_")}
    assert names <= set(enums.MAIL.values), names - set(enums.MAIL.values)


def _services_text() -> str:
    from pathlib import Path

    root = Path(workflow.__file__).parents[1] / "services"
    return "\n".join(p.read_text(encoding="utf-8") for p in root.rglob("*.py"))


def test_every_kind_of_change_the_audit_log_records_has_a_label_and_a_noun():
    """Each ``AuditLog(entity=…)`` a service writes (and the admin pages' entities) is a kind of the audit log's
    filter and the noun of its sentences, in both languages: the two enumerations have the same values."""
    from caseflow.services.admin import ENTITIES

    text = _services_text()
    written = set(re.findall(r'\bentity="(\w+)"', text)) | set(re.findall(r'\bAUDIT_ENTITY = "(\w+)"', text))
    written |= set(ENTITIES)
    assert {"users", "api_tokens", "company_access", "personal_data_export", "sso_group_mapping"} <= written
    assert written <= set(enums.AUDIT_ENTITY.values), written - set(enums.AUDIT_ENTITY.values)
    assert enums.AUDIT_NOUN.values == enums.AUDIT_ENTITY.values


def test_every_action_the_audit_log_records_has_a_verb():
    text = _services_text()
    written = {v for expr in re.findall(r'\baction=(.*?), changes=', text) for v in re.findall(r'"(\w+)"', expr)}
    written |= set(re.findall(r'\b_audit\((?:\w+, )*"(\w+)"', text))
    assert {"create", "update", "grant", "revoke", "export", "sso_create", "totp_enrol"} <= written
    assert written <= set(enums.AUDIT_ACTION.values), written - set(enums.AUDIT_ACTION.values)
