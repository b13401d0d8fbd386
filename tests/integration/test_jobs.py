"""Outbox and jobs: the receipt mail goes through a real RQ queue and a real worker process when Redis is
configured, runs in-process without it, and survives Redis being down."""
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

from caseflow import create_app, jobs
from caseflow.extensions import db
from caseflow.models import Outbox

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
ROOT = Path(__file__).resolve().parents[2]


def redis_available() -> bool:
    try:
        from redis import Redis

        return bool(Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except Exception:
        return False


needs_redis = pytest.mark.skipif(not redis_available(), reason=f"no Redis at {REDIS_URL}")


@pytest.fixture
def rq_app(app, app_config):
    """An app with Redis configured, its context pushed over the plain test app's (which empties the db)."""
    queue = f"caseflow-test-{uuid.uuid4().hex[:8]}"
    rq = create_app(dict(app_config, REDIS_URL=REDIS_URL, RQ_QUEUE=queue))
    with rq.app_context():
        yield rq
        from redis import Redis

        r = Redis.from_url(REDIS_URL)
        for key in r.scan_iter(f"rq:*{queue}*"):
            r.delete(key)
        db.session.remove()
        db.engine.dispose()


def run_worker_burst(app) -> subprocess.CompletedProcess:
    env = dict(os.environ, DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"], REDIS_URL=app.config["REDIS_URL"],
               RQ_QUEUE=app.config["RQ_QUEUE"], SECRET_KEY=app.config["SECRET_KEY"],
               BASE_URL=app.config["BASE_URL"], CASEFLOW_ENV="development")
    return subprocess.run([sys.executable, "worker.py", "--burst"], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)


def outbox_rows(template=None):
    db.session.expire_all()
    rows = db.session.scalars(sa.select(Outbox).order_by(Outbox.id)).all()
    return [r for r in rows if template is None or r.payload.get("template") == template]


def test_without_redis_the_receipt_is_delivered_in_process_after_commit(submit):
    receipt = submit()
    [row] = outbox_rows("receipt")
    assert row.status == "sent" and row.attempts == 1
    assert receipt.reference in row.result["subject"] and row.result["via"] == "logged"


def test_delivering_a_sent_row_again_sends_nothing(submit):
    from caseflow.services import outbox

    submit()
    [row] = outbox_rows("receipt")
    assert outbox.deliver(row.id) == "sent"
    assert outbox_rows("receipt")[0].attempts == 1



def test_a_job_delivers_the_other_rows_of_its_commit_when_one_fails_then_fails_itself(app, submit, monkeypatch):
    from caseflow.services import outbox

    app.config["REDIS_URL"] = None
    submit()
    rows = outbox_rows()
    for row in rows:  # as if queued and not yet run
        row.status, row.sent_at, row.attempts = "pending", None, 0
    db.session.commit()
    first, second = (r.id for r in rows)
    deliver = outbox.deliver

    def database_gone_for_the_first(oid, now=None):
        if oid == first:
            db.session.execute(sa.text("SELECT no_such_column FROM outbox"))  # fails like a lost connection
        return deliver(oid, now)

    monkeypatch.setattr(outbox, "deliver", database_gone_for_the_first)
    with pytest.raises(sa.exc.DBAPIError):
        jobs.deliver_outbox_rows([first, second])
    assert [(r.id, r.status) for r in outbox_rows()] == [(first, "pending"), (second, "sent")]
    monkeypatch.setattr(outbox, "deliver", deliver)
    assert jobs.deliver_outbox_rows([first, second]) == ["sent", "sent"]  # a retry of the job: the rest, once
    assert [r.attempts for r in outbox_rows()] == [1, 1]

@pytest.mark.redis
@needs_redis
def test_receipt_job_is_processed_by_a_real_rq_worker(rq_app, offices, submit):
    receipt = submit()
    [row] = outbox_rows("receipt")
    assert row.status == "pending"  # queued in Redis, not yet delivered
    assert len(jobs.get_queue()) == 1  # one job for the commit: receipt + new-case notice
    proc = run_worker_burst(rq_app)
    assert proc.returncode == 0, proc.stderr[-2000:]
    [row] = outbox_rows("receipt")
    assert row.status == "sent", proc.stderr[-2000:]
    assert receipt.reference in row.result["subject"]
    assert "http://localhost/track/" in row.result["text"]


@pytest.mark.redis
@needs_redis
def test_when_redis_is_down_the_submission_succeeds_and_the_retry_job_delivers_later(app_config, offices, submit):
    down = create_app(dict(app_config, REDIS_URL="redis://127.0.0.1:1/0"))  # nothing listens there
    with down.app_context():
        receipt = submit()
        [row] = outbox_rows("receipt")
        assert row.status == "pending"
        db.session.remove()
    queue = f"caseflow-test-{uuid.uuid4().hex[:8]}"
    up = create_app(dict(app_config, REDIS_URL=REDIS_URL, RQ_QUEUE=queue, OUTBOX_RETRY_AFTER_SECONDS=0))
    with up.app_context():
        assert jobs.retry_outbox() == 2  # receipt + new-case notice
        proc = run_worker_burst(up)
        assert proc.returncode == 0, proc.stderr[-2000:]
        [row] = outbox_rows("receipt")
        assert row.status == "sent" and receipt.reference in row.result["subject"]
        assert jobs.retry_outbox() == 0  # nothing left to retry
        db.session.remove()
        db.engine.dispose()


@pytest.mark.redis
@needs_redis
def test_sla_sweep_runs_in_a_real_rq_worker_and_its_breach_mail_is_delivered(rq_app, offices, submit, make_user):
    from datetime import UTC, datetime, timedelta

    from caseflow.models import CaseEvent

    make_user("lead", offices["samhallsbyggnad"], email="lead@sbk.test")
    receipt = submit(when=datetime.now(UTC) - timedelta(days=30))  # long past its first-response deadline
    jobs.get_queue().enqueue(jobs.sweep_sla)
    proc = run_worker_burst(rq_app)
    assert proc.returncode == 0, proc.stderr[-2000:]
    db.session.expire_all()
    kinds = db.session.scalars(sa.select(CaseEvent.kind).where(CaseEvent.case_id == receipt.case_id)).all()
    assert kinds.count("sla_breach") >= 1 and kinds.count("sla_warning") >= 1
    breach = [r for r in outbox_rows() if r.payload["template"] == "sla_breach"]
    assert breach and all(r.status == "sent" for r in breach)
    assert breach[0].result["to"] == "lead@sbk.test"


def test_a_one_row_job_queued_before_the_upgrade_still_delivers_its_row_once(app, submit):
    app.config["REDIS_URL"] = None
    submit()
    row = outbox_rows("receipt")[0]
    row.status, row.sent_at, row.attempts = "pending", None, 0
    db.session.commit()
    assert jobs.deliver_outbox(row.id) == "sent"
    assert jobs.deliver_outbox(row.id) == "sent"  # run twice (a retried job): nothing sent again
    assert outbox_rows("receipt")[0].attempts == 1
