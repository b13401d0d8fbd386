"""Gallring keeps the record and the statistics but removes contact data; a data subject's export."""
import json
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from caseflow.extensions import db
from caseflow.models import AuditLog, Case, CaseEvent
from caseflow.services import casework, privacy, reports
from tests.conftest import login

LONG_AGO = datetime(2023, 3, 6, 10, tzinfo=UTC)


def test_gallring_anonymises_old_closed_questions_but_keeps_the_record(submit, make_user, offices):
    officer = make_user("officer", offices["samhallsbyggnad"])
    question = submit(when=LONG_AGO, kind="question", contact_name="Anna Andersson")
    errand = submit(when=LONG_AGO, kind="errand")
    recent = submit(when=datetime.now(UTC) - timedelta(days=30), kind="question")
    for r in (question, errand, recent):
        casework.close(officer, r.case_id, "answered", (LONG_AGO if r is not recent else
                                                       datetime.now(UTC) - timedelta(days=1)) + timedelta(days=3))
    before = reports.compute(LONG_AGO.date().replace(day=1))["total"]
    assert privacy.gallring(datetime.now(UTC)) == 1
    assert privacy.gallring(datetime.now(UTC)) == 0  # idempotent
    q = db.session.get(Case, question.case_id)
    assert q.contact_name == "(anonymiserad)" and "anna" not in q.contact_email and q.contact_phone == ""
    assert q.reference == question.reference and q.subject and q.description  # the registered record stays
    assert db.session.get(Case, errand.case_id).contact_name == "Anna Andersson"  # errands: by the plan
    assert db.session.get(Case, recent.case_id).contact_name == "Anna Andersson"  # not yet two years
    assert db.session.scalar(sa.select(CaseEvent).where(CaseEvent.kind == "anonymised")) is not None
    assert reports.compute(LONG_AGO.date().replace(day=1))["total"] == before  # statistics intact


def test_admin_exports_everything_held_about_an_email(client, submit, make_user, offices):
    submit(subject="Uteservering")
    submit(subject="Skylt", contact_email="annan@foretag.se")
    admin = make_user("admin")
    login(client, admin)
    resp = client.get("/admin/personal-data?email=ANNA@kanalkafeet.se")
    data = json.loads(resp.data)
    assert [c["subject"] for c in data["cases"]] == ["Uteservering"]
    assert data["cases"][0]["contact_name"] == "Anna Andersson"
    assert db.session.scalar(sa.select(AuditLog).where(AuditLog.entity == "personal_data_export")) is not None
