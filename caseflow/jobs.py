"""Background jobs. Job functions take ids, never ORM objects, and run inside an app context.

With ``REDIS_URL`` set, jobs go to an RQ queue processed by ``python worker.py``; without it (the embedded
mode), they run in-process right after the commit that created them.
"""
from __future__ import annotations

import logging
from collections.abc import Iterable
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

from flask import current_app, has_app_context

log = logging.getLogger(__name__)
_worker_app = None


@contextmanager
def app_context():
    """The current app context, or one of an app built from the environment (in an RQ worker)."""
    global _worker_app
    if has_app_context():
        yield current_app
        return
    if _worker_app is None:
        from . import create_app

        _worker_app = create_app()
    with _worker_app.app_context():
        yield _worker_app


_redis_clients: dict[str, object] = {}


def redis_client(url: str):
    """One client (and connection pool) per URL and process, with short timeouts: Redis being down must
    cost a request a moment, not hang it."""
    client = _redis_clients.get(url)
    if client is None:
        from redis import Redis

        client = _redis_clients[url] = Redis.from_url(url, socket_connect_timeout=1, socket_timeout=2)
    return client


def get_queue():
    from rq import Queue

    cfg = current_app.config
    return Queue(cfg["RQ_QUEUE"], connection=redis_client(cfg["REDIS_URL"]))


def dispatch_outbox(ids: Iterable[int]) -> None:
    """Hand committed outbox rows to the job runner. Never raises: a lost dispatch is retried later."""
    ids = list(ids)
    if not ids:
        return
    if current_app.config.get("REDIS_URL"):
        try:
            from rq import Queue

            q, stamp = get_queue(), f"{datetime.now(UTC).timestamp():.0f}"
            # One job per row (workers deliver in parallel), all sent to Redis in one pipeline.
            q.enqueue_many([Queue.prepare_data(deliver_outbox, (oid,), job_id=f"outbox-{oid}-{stamp}") for oid in ids])
            return
        except Exception as exc:  # Redis down: the rows stay pending and retry_outbox picks them up
            log.warning("could not enqueue outbox rows %s: %s", ids, type(exc).__name__)
            return
    from .services import outbox

    for oid in ids:
        try:
            outbox.deliver(oid)
        except Exception:
            log.exception("in-process delivery of outbox row %s failed", oid)


# -- job functions (run by RQ workers, or called in-process) --------------------------------------------------
def deliver_outbox(outbox_id: int) -> str:
    from .services import outbox

    with app_context():
        return outbox.deliver(outbox_id)


def retry_outbox() -> int:
    """Periodic: re-dispatch rows that were committed but never delivered. Returns how many."""
    from .services import outbox

    with app_context() as app:
        ids = outbox.claim_undelivered(
            datetime.now(UTC), timedelta(seconds=app.config["OUTBOX_RETRY_AFTER_SECONDS"])
        )
        dispatch_outbox(ids)
        return len(ids)


def sweep_sla() -> dict:
    """Periodic: record SLA warnings and breaches that became due, once each, and notify."""
    from .services import sla

    with app_context():
        return sla.sweep(datetime.now(UTC))


def build_monthly_report() -> str | None:
    """Monthly (the 1st): freeze last month's report once. Later corrections are made by hand
    (`caseflow build-report --month … --label …`) and become new revisions."""
    from .services import reports

    with app_context():
        month = reports.previous_month(datetime.now(UTC).date())
        if reports.has_snapshot(month):
            return None
        snap, _created = reports.freeze(month, datetime.now(UTC))
        return f"{snap.month} r{snap.revision}"


def gallring() -> int:
    """Daily: anonymise contact data whose retention has ended."""
    from .services import privacy

    with app_context():
        return privacy.gallring(datetime.now(UTC))


PERIODIC = [
    # (function, interval in seconds) for RQ's CronScheduler (and the embedded thread)
    (retry_outbox, 60),
    (sweep_sla, 180),
    # checked hourly; acts once a month, when last month has no published report yet
    (build_monthly_report, 3600),
    (gallring, 24 * 3600),
]
