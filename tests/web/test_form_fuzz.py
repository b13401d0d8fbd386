"""Hypothesis fuzzes the forms that create cases: any input gets a page or an error, never a 500, and a
refused submission writes nothing (no half-created case, no number used up)."""
import os
from datetime import UTC, datetime

import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from caseflow.extensions import db
from caseflow.models import Case, CaseSequence
from caseflow.services import integrations

FIELDS = ["kind", "category_id", "complaint_ground", "related_reference", "org_number", "company_name",
          "contact_name", "contact_email", "contact_phone", "subject", "description"]
texts = st.one_of(st.text(max_size=300), st.sampled_from(["", "errand", "complaint", "556036-0793", "1", "0",
                                                          "-1", "CF-2026-00000", "a@b.se", "x" * 11000]))
forms = st.dictionaries(st.sampled_from(FIELDS), texts, max_size=len(FIELDS))
SETTINGS = settings(derandomize=bool(os.environ.get("CI")), max_examples=120, deadline=None, database=None,
                    suppress_health_check=list(HealthCheck))


def _state():
    return (db.session.scalar(sa.select(sa.func.count()).select_from(Case)),
            db.session.scalar(sa.select(sa.func.coalesce(sa.func.max(CaseSequence.last_number), 0))))


def test_public_submission_form_never_fails_and_never_half_writes(client, offices):
    @given(form=forms)
    @SETTINGS
    def run(form):
        before = _state()
        resp = client.post("/submit", data=form)
        assert resp.status_code in (302, 400, 422), (resp.status_code, form)
        db.session.expire_all()
        after = _state()
        if resp.status_code in (400, 422):
            assert after == before  # nothing written, no number used
        else:
            assert after == (before[0] + 1, before[1] + 1)

    run()


def test_open311_post_never_fails_and_never_half_writes(client, offices):
    key = integrations.create_token("fuzz", ["submit", "read-own"], datetime.now(UTC))
    o311 = st.dictionaries(st.sampled_from(["service_code", "attribute[org_number]", "attribute[company_name]",
                                            "attribute[kind]", "first_name", "last_name", "email", "phone",
                                            "description"]),
                           st.one_of(st.text(max_size=200), st.sampled_from(["markupplatelse", "556036-0793",
                                                                             "errand", "a@b.se", "x" * 4100])))

    @given(form=o311)
    @SETTINGS
    def run(form):
        before = _state()
        resp = client.post("/open311/v2/requests.json", data=dict(form, api_key=key))
        assert resp.status_code in (201, 400, 404), (resp.status_code, form)
        db.session.expire_all()
        assert _state() == ((before[0] + 1, before[1] + 1) if resp.status_code == 201 else before)

    run()
