"""The Redis connection and the RQ queue the background jobs go through: shared by ``jobs`` (which enqueues),
the worker, and the operations page and readiness check (``services.ops``, which only look). Imports nothing of
caseflow, so services can read the queue's state without importing job code."""
from __future__ import annotations

from flask import current_app

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
    """The app's RQ queue (``RQ_QUEUE`` on ``REDIS_URL``)."""
    from rq import Queue

    cfg = current_app.config
    return Queue(cfg["RQ_QUEUE"], connection=redis_client(cfg["REDIS_URL"]))
