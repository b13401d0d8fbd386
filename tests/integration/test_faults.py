"""Nothing lost under faults, at small scale: the properties `bench/load_faults.py` checks under load.

A Redis server of the test's own (so it can be stopped), a real SMTP server (aiosmtpd) and real worker
processes. Submissions go through the public form with Redis-backed rate limits on.
"""
import asyncio
import email
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from email.header import decode_header, make_header
from pathlib import Path

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller

from caseflow import create_app, jobs
from caseflow.extensions import db
from caseflow.models import Case, Outbox
from tests.conftest import VALID_FORM
from tests.integration.test_smtp import free_port

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.redis,
              pytest.mark.skipif(shutil.which("redis-server") is None, reason="needs the redis-server program")]


class OwnRedis:
    """A throw-away redis-server without persistence: a restart loses every queued job, as a crash would."""

    def __init__(self):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.proc = None

    def start(self):
        self.proc = subprocess.Popen(["redis-server", "--bind", "127.0.0.1", "--port", str(self.port), "--save", "",
                                      "--appendonly", "no"], stdout=subprocess.DEVNULL)
        for _ in range(100):
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self):
        self.proc.terminate()
        self.proc.wait(10)


class GatedInbox:
    """Records messages whose SMTP transaction completed. While ``hold`` is set, a message is held before
    the server answers, so a worker can be killed in the middle of sending it."""

    def __init__(self):
        self.messages, self.hold, self.holding = [], threading.Event(), threading.Event()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's handler name
        while self.hold.is_set():
            self.holding.set()
            await asyncio.sleep(0.02)
        if server.transport is None or server.transport.is_closing():
            return "451 sender went away"  # the sender died before the answer: not delivered
        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 OK"


@pytest.fixture
def faulty(app, app_config):
    """An app wired to its own Redis and a real SMTP server, rate limits on and stored in that Redis."""
    redis = OwnRedis()
    redis.start()
    inbox = GatedInbox()
    smtp_port = free_port()
    smtp = Controller(inbox, hostname="127.0.0.1", port=smtp_port)
    smtp.start()
    cfg = dict(app_config, REDIS_URL=redis.url, RQ_QUEUE=f"faults-{uuid.uuid4().hex[:8]}", MAIL_SERVER="127.0.0.1",
               MAIL_PORT=smtp_port, RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI=redis.url,
               SUBMIT_RATE_LIMIT="1000 per hour", OUTBOX_RETRY_AFTER_SECONDS=0)
    faulty_app = create_app(cfg)
    with faulty_app.app_context():
        yield faulty_app, redis, inbox
        db.session.remove()
        db.engine.dispose()
    smtp.stop()
    if redis.proc.poll() is None:
        redis.stop()


def worker_env(app) -> dict:
    cfg = app.config
    return dict(os.environ, DATABASE_URL=cfg["SQLALCHEMY_DATABASE_URI"], REDIS_URL=cfg["REDIS_URL"],
                RQ_QUEUE=cfg["RQ_QUEUE"], SECRET_KEY=cfg["SECRET_KEY"], BASE_URL=cfg["BASE_URL"],
                MAIL_SERVER="127.0.0.1", MAIL_PORT=str(cfg["MAIL_PORT"]), CASEFLOW_ENV="development")


def post_submission(client, category_id: int, n: int):
    data = dict(VALID_FORM, category_id=str(category_id), subject=f"Fault run {n}")
    return client.post("/submit", data=data)


def test_submissions_survive_redis_down_and_a_worker_killed_mid_send_with_every_receipt_sent_once(
        faulty, category):
    app, redis, inbox = faulty
    client = app.test_client()
    cat = category("markupplatelse").id

    # 1. Three submissions with everything up: their jobs sit in Redis (no worker yet).
    assert [post_submission(client, cat, n).status_code for n in range(3)] == [302] * 3

    # 2. Redis goes down: submissions and their rate limit keep working; readiness says so.
    redis.stop()
    assert [post_submission(client, cat, n).status_code for n in range(3, 6)] == [302] * 3
    ready = client.get("/readyz")
    assert ready.status_code == 503 and ready.get_json()["checks"]["redis"] is False

    # 3. Redis comes back empty: the three queued jobs are gone. The periodic retry hands every pending row over.
    redis.start()
    assert jobs.retry_outbox() == 12  # six receipts, six "new case" mails to the office

    # 4. A worker takes the first job and is SIGKILLed while the SMTP server holds that message.
    inbox.hold.set()
    worker = subprocess.Popen([sys.executable, "worker.py"], cwd=ROOT, env=worker_env(app),
                              start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert inbox.holding.wait(60), "the worker never started sending"
    finally:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(10)
    inbox.hold.clear()

    # 5. The retry hands the unsent rows over again; a worker drains the queue (which now holds some twice).
    time.sleep(0.2)
    assert jobs.retry_outbox() == 12
    done = subprocess.run([sys.executable, "worker.py", "--burst"], cwd=ROOT, env=worker_env(app),
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]

    # Nothing lost, nothing duplicated: six cases numbered 1..6, every mail sent once under one Message-ID.
    db.session.expire_all()
    cases = db.session.scalars(sa.select(Case).order_by(Case.number)).all()
    assert [c.number for c in cases] == [1, 2, 3, 4, 5, 6]
    assert sorted(c.subject for c in cases) == [f"Fault run {n}" for n in range(6)]
    assert {o.status for o in db.session.scalars(sa.select(Outbox))} == {"sent"}
    ids = [m["Message-ID"] for m in inbox.messages]
    assert len(ids) == 12 and len(set(ids)) == 12
    receipt_subjects = [str(make_header(decode_header(m["Subject"]))) for m in inbox.messages
                        if m["To"] == VALID_FORM["contact_email"]]
    for case in cases:
        assert sum(case.reference in subject for subject in receipt_subjects) == 1, case.reference


def test_retry_hands_a_lost_row_over_once_per_lease_not_on_every_run(app, submit):
    from caseflow.services import outbox

    app.config["REDIS_URL"] = None
    submit()
    rows = db.session.scalars(sa.select(Outbox)).all()
    for row in rows:  # as if the dispatch after commit had been lost
        row.status, row.sent_at = "pending", None
    db.session.commit()
    now = datetime.now(UTC) + timedelta(minutes=5)
    lease = timedelta(minutes=2)
    assert outbox.claim_undelivered(now, lease) == sorted(r.id for r in rows)
    assert outbox.claim_undelivered(now + timedelta(minutes=1), lease) == []
    assert outbox.claim_undelivered(now + timedelta(minutes=3), lease) == sorted(r.id for r in rows)


def test_message_id_is_the_same_for_every_send_of_one_outbox_row(app):
    from caseflow.services import mail

    first = mail.message_id_for(41)
    assert first == mail.message_id_for(41) != mail.message_id_for(42)
    other = create_app(dict(app.config, SECRET_KEY="another installation"))
    with other.app_context():
        assert mail.message_id_for(41) != first
