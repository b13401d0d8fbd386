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

from .redis_queue import get_queue

log = logging.getLogger(__name__)
_worker_app = None  # the app of `caseflow worker` (set by worker.run): jobs it runs push its context


@contextmanager
def app_context():
    """The current app context, or the worker's app (in an RQ worker started by ``caseflow worker``). The app is
    handed in, never built here: this module is imported by the app factory."""
    if has_app_context():
        yield current_app
        return
    if _worker_app is None:
        raise RuntimeError("a job outside an app context runs in `caseflow worker`, which provides the app")
    with _worker_app.app_context():
        yield _worker_app


BATCH = 20  # outbox rows per job: one commit's rows travel together; a retry's backlog is spread over workers


def dispatch_outbox(ids: Iterable[int]) -> None:
    """Hand committed outbox rows to the job runner. Never raises: a lost dispatch is retried later."""
    ids = list(ids)
    if not ids:
        return
    if current_app.config.get("REDIS_URL"):
        try:
            from rq import Queue

            q, stamp = get_queue(), f"{datetime.now(UTC).timestamp():.0f}"
            # One job per commit (a submission's receipt and notice travel together: each job costs the request
            # about a quarter of a millisecond of CPU to build and send), all sent to Redis in one pipeline.
            q.enqueue_many([Queue.prepare_data(deliver_outbox_rows, (batch,), job_id=f"outbox-{batch[0]}-{stamp}")
                            for batch in (ids[i:i + BATCH] for i in range(0, len(ids), BATCH))])
            return
        except Exception as exc:  # Redis down: the rows stay pending and retry_outbox picks them up
            log.warning("could not enqueue outbox rows %s: %s", ids, type(exc).__name__)
            return
    _deliver_each(ids)  # embedded mode: in this process, right after the commit; a failure waits for the retry


def _deliver_each(ids: list[int]) -> tuple[list[str], Exception | None]:
    """Deliver rows one by one, each in its own transaction: a row that fails (the database went away, say) is
    logged and stays pending for ``retry_outbox``, and the others still go. Returns the statuses and the first
    failure."""
    from .services import outbox, unit

    statuses, first_failure = [], None
    for oid in ids:
        try:
            statuses.append(outbox.deliver(oid))
        except Exception as exc:
            log.exception("delivery of outbox row %s failed", oid)
            unit.rollback()  # the session may be unusable (the database went away); the row stays pending
            statuses.append("error")
            first_failure = first_failure or exc
    return statuses, first_failure


# -- job functions (run by RQ workers, or called in-process) --------------------------------------------------
def deliver_outbox_rows(outbox_ids: list[int]) -> list[str]:
    """Deliver one commit's rows. A failure fails the job after the other rows were tried, so it is listed
    among the failed jobs (the admin's ops page can retry it; delivery is idempotent)."""
    with app_context():
        statuses, failure = _deliver_each(outbox_ids)
        if failure is not None:
            raise failure
        return statuses


def deliver_outbox(outbox_id: int) -> str:
    """One row: the job of earlier versions, which may still be queued in Redis after an upgrade."""
    return deliver_outbox_rows([outbox_id])[0]


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
