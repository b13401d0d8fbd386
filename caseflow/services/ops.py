"""Operations: readiness of the engines the app depends on."""
from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from flask import current_app

from ..extensions import db


def readiness() -> dict[str, bool]:
    checks = {"database": False}
    try:
        db.session.execute(sa.text("SELECT 1"))
        checks["database"] = True
    except Exception:  # noqa: BLE001 - any failure means "not ready"
        db.session.rollback()
    if current_app.config.get("REDIS_URL"):
        try:
            from ..redis_queue import redis_client

            checks["redis"] = bool(redis_client(current_app.config["REDIS_URL"]).ping())
        except Exception:  # noqa: BLE001
            checks["redis"] = False
    return checks


def overview(user) -> dict:
    """For administrators: outbox rows by status, the dead letters (with why), the pending rows that are overdue,
    and the RQ queue (when Redis is used)."""
    from datetime import timedelta

    from ..models import Outbox
    from ..models.outbox import FAILED, PENDING
    from .authorization import require_administrator

    require_administrator(user)
    counts = dict(db.session.execute(sa.select(Outbox.status, sa.func.count()).group_by(Outbox.status)).all())
    stale = datetime.now(UTC) - timedelta(seconds=current_app.config["OUTBOX_RETRY_AFTER_SECONDS"])
    dead = list(db.session.scalars(sa.select(Outbox).where(Outbox.status == FAILED)
                                   .order_by(Outbox.failed_at.desc().nulls_last(), Outbox.id.desc()).limit(100)))
    stuck = list(db.session.scalars(sa.select(Outbox).where(Outbox.status == PENDING, Outbox.created_at <= stale)
                                    .order_by(Outbox.id.desc()).limit(100)))
    queue = None
    if current_app.config.get("REDIS_URL"):
        try:
            from ..redis_queue import get_queue

            q = get_queue()
            queue = {"name": q.name, "queued": len(q), "failed": q.failed_job_registry.count,
                     "started": q.started_job_registry.count}
        except Exception:  # noqa: BLE001 - Redis down is shown, not raised
            queue = {"name": current_app.config["RQ_QUEUE"], "error": "Redis unreachable"}
    from . import inbound

    return {"outbox": counts, "dead": dead, "stuck": stuck, "queue": queue, "inbound_failed": inbound.failures()}


def retry_outbox_row(user, outbox_id: int) -> None:
    """Put a dead letter or a stuck outbox row back in line and dispatch it again once committed (delivery stays
    idempotent). An administrator's decision, after mending what made it fail: nothing retries a dead letter
    by itself."""
    from ..models import Outbox
    from ..models.outbox import PENDING, SENT
    from .authorization import require_administrator
    from .dispatch import dispatch_after_commit
    from .errors import NotFound
    from .unit import transaction

    require_administrator(user)
    with transaction():
        row = db.session.get(Outbox, outbox_id)
        if row is None:
            raise NotFound("outbox")
        if row.status == SENT:
            return
        row.status, row.attempts, row.last_error, row.retry_at = PENDING, 0, None, None
        row.failed_reason = row.failed_at = None
        row.enqueued_at = datetime.now(UTC)
        dispatch_after_commit([row.id])
