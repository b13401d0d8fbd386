"""The submission writes its rows without the ORM's unit of work (services.rows.insert_row/insert_rows): what
lands in the database is what the rest of the system reads — the case, its events in order, its clocks with
the columns' defaults, and outbox rows that are dispatched after the commit."""
from datetime import UTC, datetime

import sqlalchemy as sa

from caseflow.extensions import db
from caseflow.models import Case, CaseEvent, Outbox, SlaClock
from caseflow.services import casework, sla

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def test_a_submission_stores_the_case_its_events_in_order_its_clocks_and_pending_outbox_rows(submit, category):
    r = submit("bygglov", when=NOW)  # an errand under PBL: policy clocks and the statutory clock
    db.session.expire_all()
    case = db.session.get(Case, r.case_id)
    assert (case.reference, case.status, case.created_at, case.company.org_number) == \
        (r.reference, "new", NOW, "556036-0793")
    kinds = db.session.scalars(sa.select(CaseEvent.kind).where(CaseEvent.case_id == case.id)
                               .order_by(CaseEvent.id)).all()
    clocks = sla.clocks_of(case)
    assert kinds == ["received", "routed"] + ["clock_started"] * len(clocks)
    pbl = next(c for c in clocks if c.name == sla.PBL)
    assert (pbl.warn_percent, pbl.pausable, pbl.pauses, pbl.stopped_at) == (80, False, [], None)  # the defaults
    assert case.next_due_at == min(c.due_at for c in clocks if c.due_at is not None)
    outbox = db.session.scalars(sa.select(Outbox).where(Outbox.case_id == case.id).order_by(Outbox.id)).all()
    assert [o.payload["template"] for o in outbox] == ["receipt", "new_case"]
    assert {o.status for o in outbox} <= {"pending", "sent"}


def test_the_case_written_by_the_submission_is_worked_through_the_orm_as_any_other(submit, offices, make_user):
    r = submit(when=NOW)
    casework.reply(make_user("officer", offices["samhallsbyggnad"]), r.case_id, "Tack, vi återkommer.", NOW)
    case = db.session.get(Case, r.case_id)
    assert case.first_response_at == NOW and case.status == "in_progress"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SlaClock)
                             .where(SlaClock.case_id == case.id, SlaClock.stopped_at.is_not(None))) >= 1
