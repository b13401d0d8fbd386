"""``case.next_due_unit``: the migration's backfill reads back from the clocks the unit the SLA engine keeps on the
case (services.sla.refresh_case), for a statutory case, urgent and normal first responses, a paused case and a
closed one."""
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from bench.generate_cases import migration
from caseflow.extensions import db
from caseflow.models import Case
from caseflow.services import casework

T0 = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)


def test_the_backfill_writes_the_unit_the_engine_keeps(submit, make_user, offices):
    officer = make_user("officer", offices["samhallsbyggnad"])
    pbl, urgent, normal, waiting, closed = (submit("bygglov", when=T0), submit(when=T0, priority="high"),
                                            submit(when=T0), submit(when=T0), submit(when=T0))
    casework.reply(officer, pbl.case_id, "Vi handlägger er ansökan.", T0 + timedelta(hours=1))
    casework.reply(officer, waiting.case_id, "Tack.", T0 + timedelta(hours=1))
    casework.request_completion(officer, waiting.case_id, "Skicka en skiss.", T0 + timedelta(hours=2))
    casework.close(officer, closed.case_id, "answered", T0 + timedelta(hours=3))
    ids = [r.case_id for r in (pbl, urgent, normal, waiting, closed)]
    live = dict(db.session.execute(sa.select(Case.id, Case.next_due_unit).where(Case.id.in_(ids))).all())
    assert [live[i] for i in ids] == ["calendar_weeks", "working_hours", "working_days", None, None]

    db.session.execute(sa.update(Case).values(next_due_unit=None))
    migration("*_next_due_unit_*.py").backfill(db.session.connection())
    db.session.commit()
    assert dict(db.session.execute(sa.select(Case.id, Case.next_due_unit).where(Case.id.in_(ids))).all()) == live
