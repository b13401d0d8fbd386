"""One transaction per use case: use cases stage, exactly one caller commits (services.unit.transaction). The API's
submit, Open311 and the intake share one path and one commit; an Idempotency-Key makes one case even when the
same key arrives twice at once; token bookkeeping does not commit on every request."""
import re
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from caseflow.extensions import db
from caseflow.models import ApiToken, AuditLog, Case, CaseEvent, IdempotencyKey, Outbox
from caseflow.services import dispatch, intake, integrations, open311, routing, unit
from tests.conftest import VALID_FORM

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def commits(app):
    """The database transactions committed from now on (COMMITs sent to the database; a savepoint's release is
    not one)."""
    seen = []

    def count(_conn):
        seen.append(1)

    sa.event.listen(db.engine, "commit", count)
    yield seen
    sa.event.remove(db.engine, "commit", count)


@pytest.fixture
def dispatched(app):
    """The outbox ids handed to the job runner, kept here instead of delivered (delivery commits on its own,
    which would blur the count of the use case's commits)."""
    calls = []
    previous = dispatch.set_dispatcher(app, lambda ids: calls.append(list(ids)))
    yield calls
    dispatch.set_dispatcher(app, previous)


@pytest.fixture
def submit_token(app, offices):
    plain = integrations.create_token("e-tjänst", ["submit", "read-own"], NOW)
    return plain, db.session.scalar(sa.select(ApiToken))


def submission(category, **overrides):
    return intake.Submission(category_id=category("markupplatelse").id, **dict(VALID_FORM, **overrides))


def count(model, *where) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def receipts() -> int:
    return sum(1 for p in db.session.scalars(sa.select(Outbox.payload)) if p.get("template") == "receipt")


# -- the unit of work itself ----------------------------------------------------------------------------------
def test_nested_use_cases_commit_once_when_the_outermost_block_ends(app, offices, commits):
    with unit.transaction():
        with unit.transaction():
            db.session.add(AuditLog(at=NOW, entity="test", action="inner", changes={}))
        unit.commit()  # a use case's own commit() inside an open block only stages
        db.session.add(AuditLog(at=NOW, entity="test", action="outer", changes={}))
        assert commits == []
    assert commits == [1]
    db.session.expire_all()
    assert count(AuditLog, AuditLog.entity == "test") == 2


def test_an_exception_in_an_inner_block_rolls_back_what_every_block_staged(app, offices, commits):
    with pytest.raises(ValueError), unit.transaction():
        db.session.add(AuditLog(at=NOW, entity="test", action="outer", changes={}))
        with unit.transaction():
            db.session.add(AuditLog(at=NOW, entity="test", action="inner", changes={}))
            raise ValueError("step failed")
    assert commits == []
    assert count(AuditLog, AuditLog.entity == "test") == 0


def test_an_inner_failure_swallowed_by_an_outer_block_still_commits_nothing(app, offices, commits):
    with pytest.raises(unit.TransactionAborted), unit.transaction():
        db.session.add(AuditLog(at=NOW, entity="test", action="outer", changes={}))
        try:
            with unit.transaction():
                raise ValueError("step failed")
        except ValueError:
            pass  # going on as if the step had not failed
    assert commits == []
    assert count(AuditLog, AuditLog.entity == "test") == 0
    with unit.transaction():  # the session is usable afterwards
        db.session.add(AuditLog(at=NOW, entity="test", action="after", changes={}))
    assert count(AuditLog, AuditLog.entity == "test") == 1


def test_outbox_rows_are_dispatched_after_the_outermost_commit_and_never_for_a_rollback(
        submit, category, dispatched):
    with unit.transaction():
        receipt = intake.submit_case(submission(category), NOW)
        assert dispatched == []  # staged only: the case is not committed yet
    rows = db.session.scalars(sa.select(Outbox.id).where(Outbox.case_id == receipt.case_id).order_by(Outbox.id))
    assert dispatched == [list(rows)]
    with pytest.raises(RuntimeError), unit.transaction():
        intake.submit_case(submission(category, subject="Rullas tillbaka"), NOW)
        raise RuntimeError("a later step of the use case failed")
    assert len(dispatched) == 1 and count(Case) == 1


def test_a_submission_on_its_own_is_one_commit(submit, commits, dispatched):
    submit(when=NOW)
    assert commits == [1]


# -- the API's submit: one path, one commit, one case per Idempotency-Key -------------------------------------------
def test_the_api_submit_with_a_key_commits_the_case_and_the_key_once(submit_token, category, commits, dispatched):
    _plain, token = submit_token
    case, tracking, created = integrations.submit(token, submission(category), "order-1", NOW)
    assert created and tracking and commits == [1]
    key = db.session.scalar(sa.select(IdempotencyKey))
    assert (key.case_id, case.api_token_id) == (case.id, token.id)


def test_open311_submit_goes_the_same_way_with_one_commit(submit_token, commits, dispatched):
    _plain, token = submit_token
    form = {"service_code": "markupplatelse", "attribute[org_number]": "556036-0793",
            "attribute[company_name]": "Kanalkaféet AB", "attribute[kind]": "errand", "first_name": "Anna",
            "email": "anna@kanalkafeet.se", "description": "Uteservering på torget"}
    case = open311.submit(token, form, NOW, idempotency_key="app-1")
    again = open311.submit(token, form, NOW, idempotency_key="app-1")
    assert again.id == case.id and case.api_token_id == token.id
    assert commits == [1, 1]  # the second is the retry's read-only transaction: nothing written
    assert (count(Case), receipts(), count(IdempotencyKey)) == (1, 1, 1)


def test_a_failure_after_the_case_leaves_neither_case_nor_key_and_the_key_stays_usable(
        submit_token, category, monkeypatch):
    _plain, token = submit_token

    def disk_full(*_a, **_k):
        raise RuntimeError("disk full")

    monkeypatch.setattr(intake, "add_outbox_rows", disk_full)  # after the key, the case, its events and clocks
    with pytest.raises(RuntimeError):
        integrations.submit(token, submission(category), "order-2", NOW)
    assert (count(Case), count(IdempotencyKey), count(CaseEvent)) == (0, 0, 0)
    monkeypatch.undo()
    case, _tracking, created = integrations.submit(token, submission(category), "order-2", NOW)
    assert created and case.reference.endswith("-00001")  # the number came back too


def test_a_key_reused_with_another_body_is_a_conflict_and_writes_nothing(submit_token, category):
    from caseflow.services.errors import Conflict

    _plain, token = submit_token
    integrations.submit(token, submission(category), "order-3", NOW)
    with pytest.raises(Conflict):
        integrations.submit(token, submission(category, subject="Något annat"), "order-3", NOW)
    assert (count(Case), count(IdempotencyKey), receipts()) == (1, 1, 1)


@pytest.mark.postgres
def test_concurrent_requests_with_one_idempotency_key_make_one_case_and_one_receipt(
        app, submit_token, category, monkeypatch):
    """Each thread is a request of its own (its own app context and session, as under gunicorn). The first
    request is held inside its transaction for a moment, so the others arrive while it has not committed.
    Meant for PostgreSQL, where they really run side by side; it runs on SQLite too, where the database's
    write lock queues them (and the code before the unit of work made a case per request there as well)."""
    plain, _token = submit_token
    decide = routing.decide

    def slow_decide(*args, **kwargs):
        time.sleep(0.3)
        return decide(*args, **kwargs)

    monkeypatch.setattr(routing, "decide", slow_decide)
    body = {k: v for k, v in VALID_FORM.items()} | {"category_id": category("markupplatelse").id}
    headers = {"Authorization": f"Bearer {plain}", "Idempotency-Key": "order-4711"}
    n = 6
    barrier, answers, errors = threading.Barrier(n), [], []

    def request():
        try:
            client = app.test_client()
            barrier.wait()
            resp = client.post("/api/v1/cases", json=body, headers=headers)
            answers.append((resp.status_code, resp.get_json()))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=request) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    assert sorted(code for code, _body in answers) == [200] * (n - 1) + [201]  # the losers answer as a retry
    assert len({body["reference"] for _code, body in answers}) == 1
    db.session.expire_all()
    assert (count(Case), count(IdempotencyKey), receipts()) == (1, 1, 1)


# -- token bookkeeping --------------------------------------------------------------------------------------------
def test_authenticating_writes_last_used_at_at_most_once_per_five_minutes_without_a_commit_otherwise(
        submit_token, commits):
    plain, token = submit_token
    updates = []

    def watch(_conn, _cursor, statement, *_rest):
        if statement.lstrip().upper().startswith("UPDATE API_TOKEN"):
            updates.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", watch)
    try:
        header = f"Bearer {plain}"
        integrations.authenticate(header, NOW)
        assert (len(updates), len(commits)) == (1, 1)
        for minutes in (1, 2, 4):
            integrations.authenticate(header, NOW + timedelta(minutes=minutes))
        assert (len(updates), len(commits)) == (1, 1)  # nothing written, nothing committed
        integrations.authenticate(header, NOW + timedelta(minutes=6))
        assert (len(updates), len(commits)) == (2, 2)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", watch)
    db.session.expire_all()
    assert db.session.get(ApiToken, token.id).last_used_at == NOW + timedelta(minutes=6)


def test_a_stale_token_seen_by_two_requests_is_written_by_one(submit_token):
    """The UPDATE is conditional: a request that read the token before another one wrote it changes nothing."""
    plain, token = submit_token
    integrations.authenticate(f"Bearer {plain}", NOW)
    later = NOW + timedelta(minutes=10)
    integrations._touch(token, later)
    integrations._touch(token, later + timedelta(seconds=1))  # the second request, with its stale view
    db.session.expire_all()
    assert db.session.get(ApiToken, token.id).last_used_at == later


# -- the hook -------------------------------------------------------------------------------------------------------
def test_nothing_but_the_unit_of_work_commits_the_session():
    hits = [f"{path.relative_to(ROOT)}:{n}" for path in sorted((ROOT / "caseflow").rglob("*.py"))
            for n, line in enumerate(path.read_text().splitlines(), 1) if re.search(r"session\.commit\(\)", line)]
    assert hits and all(hit.startswith("caseflow/services/unit.py:") for hit in hits), hits
