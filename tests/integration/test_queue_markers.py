"""The queue's markers read columns the services keep on the case (``Case.last_company_message_at`` and the others,
set by ``events.record``). Checked twice, by hypothesis over random days of a case: the markers the queue shows
equal a naive reading of the case's event log and files (what changed since the officer last opened it), and the
migration's backfill, run over the same log, writes the same columns the live path kept."""
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.generate_cases import migration
from caseflow.extensions import db
from caseflow.models import Attachment, Case, CaseEvent, CaseView
from caseflow.services import attachments as attachments_service
from caseflow.services import casework, finding, public

T0 = datetime(2026, 10, 5, 7, 0, tzinfo=UTC)
MARKER_COLUMNS = ("last_company_message_at", "last_company_file_at", "last_assigned_at", "last_assigned_by_id")

# One step of a case's day: the company writes (with or without a file); someone (0, 1: officers, 2: the lead)
# assigns it to someone (None: to themselves); an officer opens the case page.
steps = st.lists(st.one_of(
    st.tuples(st.just("answer"), st.booleans()),
    st.tuples(st.just("assign"), st.integers(0, 2), st.one_of(st.none(), st.integers(0, 1))),
    st.tuples(st.just("view"), st.integers(0, 1)),
), max_size=8)


def naive_markers(case_id: int, user_id: int) -> dict[str, int]:
    """What changed on the case for ``user_id`` since they last opened it, read off the event log and the files."""
    case = db.session.get(Case, case_id)
    seen = db.session.scalar(sa.select(CaseView.viewed_at).where(
        CaseView.case_id == case_id, CaseView.user_id == user_id)) or datetime(1970, 1, 1, tzinfo=UTC)
    events = db.session.scalars(sa.select(CaseEvent).where(CaseEvent.case_id == case_id)
                                .order_by(CaseEvent.at, CaseEvent.id)).all()
    files = db.session.scalars(sa.select(Attachment).where(Attachment.case_id == case_id)).all()
    concerned = case.assignee_id in (None, user_id)
    assignments = [e for e in events if e.kind == "assigned"]
    last = assignments[-1] if assignments else None
    return {
        "answered": int(concerned and any(e.kind == "company_message" and e.at > seen for e in events)),
        "new_file": int(concerned and any(f.uploader_kind == "company" and f.uploaded_at > seen for f in files)),
        "reassigned": int(case.assignee_id == user_id and last is not None and last.at > seen
                          and last.actor_user_id != user_id),
    }


def test_markers_match_the_event_log_and_the_backfill_matches_the_live_path(make_user, offices, submit):
    office = offices["samhallsbyggnad"]
    people = [make_user("officer", office), make_user("officer", office), make_user("lead", office)]

    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(day=steps)
    def a_day(day):
        receipt = submit(when=T0)
        at = T0
        for step in day:
            at += timedelta(minutes=7)
            if step[0] == "answer":
                files = [attachments_service.Upload("plan.pdf", b"%PDF-1.4 plan")] if step[1] else None
                public.answer(receipt.token, "Svar från företaget.", at, files)
            elif step[0] == "assign":
                by, to = people[step[1]], step[2]
                casework.assign(by, receipt.case_id, people[to].id if to is not None else None, at)
            else:
                casework.record_view(people[step[1]], receipt.case_id, at)

        for officer in people[:2]:
            row = {r.id: r for r in finding.queue_rows(officer, limit=1000)}[receipt.case_id]
            shown = {"answered": row.answered, "new_file": row.new_file, "reassigned": row.reassigned}
            assert shown == naive_markers(receipt.case_id, officer.id), (officer.id, day)

        columns = [getattr(Case, c) for c in MARKER_COLUMNS]
        live = db.session.execute(sa.select(*columns).where(Case.id == receipt.case_id)).one()
        db.session.execute(sa.update(Case).where(Case.id == receipt.case_id)
                           .values({c: None for c in MARKER_COLUMNS}))
        migration("*_queue_markers_*.py").backfill(db.session.connection())
        db.session.commit()
        assert db.session.execute(sa.select(*columns).where(Case.id == receipt.case_id)).one() == live, day

    a_day()
