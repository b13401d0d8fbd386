"""The RQ worker and the periodic-job scheduler of a production deployment.

Run as ``caseflow worker`` (or ``python -m caseflow.worker``): processes jobs until stopped; ``--burst``
processes what is queued, then exits; ``--cron`` runs RQ's cron scheduler for the periodic jobs instead (one
such process per deployment is enough). The repository's ``worker.py`` is a shim for checkouts.
"""
from __future__ import annotations

import argparse
import gc

from flask import Flask


def run(app: Flask, burst: bool = False, cron: bool = False) -> None:
    """Work the app's queue (or, with ``cron``, schedule the periodic jobs) until stopped."""
    from redis import Redis
    from rq import Queue, SimpleWorker
    from rq.cron import CronScheduler

    from . import jobs

    url = app.config["REDIS_URL"]
    if not url:
        raise SystemExit("REDIS_URL is not set: without Redis, jobs run inside the web process.")
    redis = Redis.from_url(url)
    queue_name = app.config["RQ_QUEUE"]
    jobs._worker_app = app  # job functions push this app's context for each job

    if cron:
        scheduler = CronScheduler(connection=redis, name=f"caseflow-cron-{queue_name}")
        for func, interval in jobs.PERIODIC:
            if func is jobs.retry_outbox:
                interval = app.config["OUTBOX_RETRY_INTERVAL_SECONDS"]
            scheduler.register(func, queue_name=queue_name, interval=interval)
        scheduler.start()
        return
    # Jobs run in the worker process itself (no fork per job): templates, compiled queries and the connection
    # pool stay warm, which makes a mail job ~10x cheaper. A job that hangs is stopped by RQ's job timeout;
    # a worker that dies is restarted by the process manager, and its job is retried from the outbox.
    worker = SimpleWorker([Queue(queue_name, connection=redis)], connection=redis)
    worker.work(burst=burst)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="caseflow worker", description=__doc__)
    parser.add_argument("--burst", action="store_true", help="process what is queued, then exit")
    parser.add_argument("--cron", action="store_true", help="run the periodic-job scheduler instead of a worker")
    args = parser.parse_args(argv)

    from . import create_app

    app = create_app()
    gc.freeze()  # start-up objects live as long as the process: keep them out of every collection
    run(app, burst=args.burst, cron=args.cron)


if __name__ == "__main__":
    main()
