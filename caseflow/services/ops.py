"""Operations: readiness of the engines the app depends on."""
from __future__ import annotations

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
            from redis import Redis

            checks["redis"] = bool(Redis.from_url(current_app.config["REDIS_URL"], socket_timeout=2).ping())
        except Exception:  # noqa: BLE001
            checks["redis"] = False
    return checks
