"""Case numbers: CF-YYYY-NNNNN, gap-free and unique per year, also under concurrent submissions."""
import threading
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from caseflow.extensions import db
from caseflow.models import Case
from caseflow.services import intake
from caseflow.services.errors import InvalidInput
from tests.conftest import VALID_FORM


def test_references_count_up_per_year_and_restart_in_a_new_year(submit):
    a = submit(when=datetime(2026, 12, 31, 10, tzinfo=UTC))
    b = submit(when=datetime(2026, 12, 31, 22, 59, tzinfo=UTC))
    c = submit(when=datetime(2026, 12, 31, 23, 30, tzinfo=UTC))  # 00:30 on 1 January in Stockholm
    assert (a.reference, b.reference, c.reference) == ("CF-2026-00001", "CF-2026-00002", "CF-2027-00001")


def test_a_rejected_submission_does_not_use_up_a_number(submit, category):
    submit()
    with pytest.raises(InvalidInput):
        intake.submit_case(intake.Submission(category_id=category("bygglov").id,
                                             **dict(VALID_FORM, org_number="556036-0794")), datetime.now(UTC))
    assert submit().reference.endswith("-00002")


def test_a_failure_after_numbering_rolls_the_number_back(submit, monkeypatch):

    submit()

    def boom(*a, **k):
        raise RuntimeError("disk full")

    monkeypatch.setattr(intake, "add_outbox_rows", boom)  # after the case, events and clocks were written
    with pytest.raises(RuntimeError):
        submit()
    db.session.rollback()
    monkeypatch.undo()
    assert submit().reference.endswith("-00002")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Case)) == 2


@pytest.mark.postgres
def test_concurrent_submissions_get_distinct_gap_free_references(app, category, is_postgres):
    if not is_postgres:
        pytest.skip("needs PostgreSQL (set TEST_DATABASE_URL)")
    cat_id = category("markupplatelse").id
    n_threads, per_thread = 8, 6
    errors, barrier = [], threading.Barrier(n_threads)

    def worker(i):
        try:
            with app.app_context():
                barrier.wait()
                for j in range(per_thread):
                    intake.submit_case(intake.Submission(
                        category_id=cat_id, **dict(VALID_FORM, contact_email=f"t{i}x{j}@example.se")
                    ), datetime.now(UTC))
                db.session.remove()
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n_threads)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    numbers = sorted(db.session.scalars(sa.select(Case.number)).all())
    assert numbers == list(range(1, n_threads * per_thread + 1))
    # every concurrent first submission from the same company shares one company row
    from caseflow.models import Company

    assert db.session.scalar(sa.select(sa.func.count()).select_from(Company)) == 1
