"""Benchmark: the SLA sweep over a large PostgreSQL database (see generate_cases.py).

    .venv/bin/python bench/bench_sweep.py postgresql://postgres@127.0.0.1:5432/caseflow_bench [crossing]

Makes ``crossing`` (default 500) running clocks newly cross their warning instant and as many their due and
breach instants, then times one sweep (which records each once and writes the notification outbox rows), and
a second sweep with nothing to do. Outbox delivery is not part of it (it runs in workers).
"""
from __future__ import annotations

import sys
import time
from datetime import UTC, datetime

import sqlalchemy as sa


def main() -> None:
    url = sys.argv[1]
    crossing = int(sys.argv[2]) if len(sys.argv) > 2 else 500
    from caseflow import create_app
    from caseflow.extensions import db
    from caseflow.services import dispatch, sla

    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "REDIS_URL": None})
    dispatch.set_dispatcher(app, lambda ids: None)  # measure the sweep (commits included), not mail delivery
    with app.app_context():
        cases = db.session.scalar(sa.select(sa.func.count()).select_from(sa.table("case")))
        with db.engine.begin() as conn:
            conn.execute(sa.text(f"""
                UPDATE sla_clock SET warned_at = NULL, breached_at = NULL,
                    warn_at = now() - interval '1 minute', due_at = now() - interval '1 minute',
                    breach_at = now() - interval '1 minute'
                WHERE id IN (SELECT id FROM sla_clock WHERE stopped_at IS NULL AND paused_since IS NULL
                             ORDER BY id LIMIT {crossing})"""))
        t0 = time.perf_counter()
        counts = sla.sweep(datetime.now(UTC))
        t1 = time.perf_counter()
        idle = sla.sweep(datetime.now(UTC))
        t2 = time.perf_counter()
        print(f"{cases} cases: sweep recorded {counts} in {t1 - t0:.3f} s; idle sweep {idle} in {t2 - t1:.3f} s")
        with db.engine.connect() as conn:
            for label, stamp, instant, op in (("warn", "warned_at", "warn_at", "<="),
                                              ("breach", "breached_at", "breach_at", "<")):
                plan = conn.execute(sa.text(
                    f"EXPLAIN SELECT id FROM sla_clock WHERE stopped_at IS NULL AND {stamp} IS NULL "
                    f"AND {instant} {op} now() AND paused_since IS NULL ORDER BY {instant} LIMIT 1000")).scalars().all()
                print(f"{label} plan:", plan[0].strip(), "|", next((p.strip() for p in plan if "Index" in p), ""))
        db.engine.dispose()


if __name__ == "__main__":
    main()
