"""Benchmark: one month's SLA report and the 12-month trend over a large PostgreSQL database.

    .venv/bin/python bench/bench_report.py postgresql://postgres@127.0.0.1:5432/caseflow_bench [YYYY-MM]

Live computation (no frozen snapshots) so every month is aggregated from the events; then the same trend when
the earlier months are published snapshots, which is how the trend page is normally read.
"""
from __future__ import annotations

import os
import sys
import time
from datetime import UTC, datetime

import sqlalchemy as sa

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from bench import machine  # noqa: E402


def main() -> None:
    url = sys.argv[1]
    machine.report("before")
    from caseflow import create_app
    from caseflow.extensions import db
    from caseflow.models import MonthlyReport, User
    from caseflow.services import reports

    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "REDIS_URL": None})
    with app.app_context():
        month = reports.parse_month(sys.argv[2]) if len(sys.argv) > 2 else \
            reports.previous_month(datetime.now(UTC).date())
        analyst = User(id=0, email="bench@x", name="bench", role="analyst", password_hash="x", active=True)
        analyst.is_authenticated  # noqa: B018 - UserMixin property
        db.session.execute(sa.delete(MonthlyReport))
        db.session.commit()
        cases = db.session.scalar(sa.text('SELECT count(*) FROM "case"'))
        timings = []
        for _ in range(3):
            t0 = time.perf_counter()
            rep = reports.compute(month)
            timings.append(time.perf_counter() - t0)
        print(f"{cases} cases, month {rep['month']}: received {rep['total']['received']}, "
              f"closed {rep['total']['closed']}, backlog {rep['total']['backlog']}; "
              f"compute {', '.join(f'{t:.3f}' for t in timings)} s")
        t0 = time.perf_counter()
        reports.trend(analyst, month, 12)
        live = time.perf_counter() - t0
        m = month
        for _ in range(11):
            m = reports.previous_month(m)
            reports.freeze(m, datetime.now(UTC))
        t0 = time.perf_counter()
        reports.trend(analyst, month, 12)
        frozen = time.perf_counter() - t0
        print(f"12-month trend: live {live:.2f} s; with 11 published months {frozen:.2f} s")
        machine.report("after")
        db.session.execute(sa.delete(MonthlyReport))
        db.session.commit()
        db.engine.dispose()


if __name__ == "__main__":
    main()
