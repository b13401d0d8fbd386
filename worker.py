"""RQ worker for caseflow: ``python worker.py`` (production), ``--burst`` (drain and exit), ``--cron``
(run RQ's cron scheduler for the periodic jobs: one such process per deployment is enough)."""
from __future__ import annotations

import argparse
import gc

from redis import Redis
from rq import Queue, SimpleWorker
from rq.cron import CronScheduler

from caseflow import create_app, jobs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--burst", action="store_true", help="process what is queued, then exit")
    parser.add_argument("--cron", action="store_true", help="run the periodic-job scheduler instead of a worker")
    args = parser.parse_args()

    app = create_app()
    gc.freeze()  # start-up objects live as long as the process: keep them out of every collection
    url = app.config["REDIS_URL"]
    if not url:
        raise SystemExit("REDIS_URL is not set: without Redis, jobs run inside the web process.")
    redis = Redis.from_url(url)
    queue_name = app.config["RQ_QUEUE"]
    jobs._worker_app = app  # job functions push this app's context for each job

    if args.cron:
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
    worker.work(burst=args.burst)


if __name__ == "__main__":
    main()
