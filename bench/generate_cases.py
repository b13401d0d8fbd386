"""Data generator: fill a PostgreSQL database with N cases over three years, with their SLA clocks and events.

    .venv/bin/python bench/generate_cases.py postgresql://postgres@127.0.0.1:5432/caseflow_bench 1000000

Drops and recreates the database, builds the schema by the migrations, seeds the demo configuration, then
bulk-inserts with set-based SQL (generate_series): cases (about 2 % still open, spread over the last weeks),
two clocks per case (first response, resolution) with due/warn/breach instants (the breach instant is the due:
the generated dues are not on working time either), the first public reply as a message,
and about eight events per case: received, routed, the reply and the first response, clock stops with their
verdict, decisions for errands, closure; 3 % rerouted once, 2 % closed, reopened (the resolution clock
restarted, as services.sla.on_reopened records it) and closed again; the working
hours of first responses and resolutions on their events (by the backfill of the migration that added them); the
channel (70 % web form, 20 % e-mail, 8 % API, 2 % Open311); five officers per office, each open case that is not
'new' assigned to one of them and every closed case claimed (an ``assigned`` event), the assignee's last view
(``case_view``) of 9 in 10 of their open cases, and a later message from the company (``company_message``) on a
quarter of the open cases and a tenth of the closed ones, so the queue's markers have something to find. Realistic
in what the sweep, the queue and the monthly report see: most clocks stopped long ago, open ones recently due
or still running.
"""
from __future__ import annotations

import sys
import time

import sqlalchemy as sa


def recreate_database(url: str) -> None:
    u = sa.make_url(url)
    admin = sa.create_engine(u.set(drivername="postgresql+psycopg", database="postgres"),
                             isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(sa.text(f'DROP DATABASE IF EXISTS "{u.database}" WITH (FORCE)'))
        c.execute(sa.text(f'CREATE DATABASE "{u.database}"'))
    admin.dispose()


def migration(pattern: str):
    """The migration whose file name matches ``pattern``: its backfill is the one definition of the values it
    fills (``*_case_event_hours_*``: the working hours events end; ``*_queue_markers_*``: the queue's markers;
    ``*_next_due_unit_*``: the unit of each open case's nearest clock)."""
    import importlib.util
    from pathlib import Path

    path = next((Path(__file__).parent.parent / "migrations" / "versions").glob(pattern))
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main() -> None:
    url = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
    recreate_database(url)
    from flask_migrate import upgrade

    from caseflow import create_app
    from caseflow.extensions import db
    from caseflow.services import seed

    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        seed.seed_configuration()
        t0 = time.perf_counter()
        sql = [
            # cases: ids 1..n, received over three years ending now; the newest 2 % are open
            f"""
            INSERT INTO "case" (id, reference, year, number, kind, priority, status, category_id, office_id,
                route_reason, company_name, contact_name, contact_email, contact_phone, subject, description,
                language, tracking_salt, tracking_token_hash, created_at, first_response_at, closed_at,
                next_due_at, next_warn_at, first_response_due_at, channel)
            SELECT g, 'CF-B-' || g, 2026, g, (ARRAY['errand','question','complaint','feedback'])[1 + g % 4],
                CASE WHEN g % 10 = 0 THEN 'high' ELSE 'normal' END,
                CASE WHEN g > {n} * 0.98 THEN (ARRAY['new','assigned','in_progress','awaiting_customer'])[1 + g % 4]
                     ELSE 'closed' END,
                1 + g % 11, 1 + g % 7, 'rule', 'Bolag ' || (g % 5000), 'Kontakt ' || g, 'k' || g || '@example.se',
                '', 'Ärende ' || g, 'Beskrivning av ärende ' || g, 'sv', md5(g::text), md5('t' || g::text),
                now() - ((({n} - g)::float / {n}) * interval '1095 days'),
                CASE WHEN g > {n} * 0.99 THEN NULL
                     ELSE now() - ((({n} - g)::float / {n}) * interval '1095 days') + interval '20 hours' END,
                CASE WHEN g > {n} * 0.98 THEN NULL
                     ELSE now() - ((({n} - g)::float / {n}) * interval '1095 days') + interval '9 days' END,
                NULL, NULL, NULL,
                -- how cases came in: 70 % web form, 20 % e-mail, 8 % REST API, 2 % Open311
                CASE WHEN g % 50 < 35 THEN 'web' WHEN g % 50 < 45 THEN 'email' WHEN g % 50 < 49 THEN 'api'
                     ELSE 'open311' END
            FROM generate_series(1, {n}) g
            """,
            "SELECT setval(pg_get_serial_sequence('case', 'id'), (SELECT max(id) FROM \"case\"))",
            # the case-number sequence continues after the generated numbers
            f"INSERT INTO case_sequence (year, last_number) VALUES (2026, {n}) "
            f"ON CONFLICT (year) DO UPDATE SET last_number = {n}",
            # clocks: first response (stopped when answered) and resolution (stopped when closed)
            """
            INSERT INTO sla_clock (case_id, name, unit, target, warn_percent, pausable, started_at, due_at, warn_at,
                pauses, stopped_at, stop_reason, in_time, warned_at, breached_at, extension_weeks, breach_at)
            SELECT c.id, 'first_response', 'working_days', 2, 80, false, c.created_at,
                c.created_at + interval '2 days', c.created_at + interval '38 hours', '[]'::json,
                c.first_response_at, CASE WHEN c.first_response_at IS NULL THEN NULL ELSE 'responded' END,
                CASE WHEN c.first_response_at IS NULL THEN NULL ELSE true END,
                CASE WHEN c.first_response_at IS NULL AND c.created_at + interval '38 hours' < now() - interval '1 hour'
                     THEN now() - interval '1 hour' END,
                CASE WHEN c.first_response_at IS NULL AND c.created_at + interval '2 days' < now() - interval '1 hour'
                     THEN now() - interval '1 hour' END, 0, c.created_at + interval '2 days'
            FROM "case" c
            """,
            """
            INSERT INTO sla_clock (case_id, name, unit, target, warn_percent, pausable, started_at, due_at, warn_at,
                pauses, stopped_at, stop_reason, in_time, warned_at, breached_at, extension_weeks, breach_at)
            SELECT c.id, 'resolution', 'working_days', 10, 80, true, c.created_at,
                c.created_at + interval '14 days', c.created_at + interval '11 days', '[]'::json,
                c.closed_at, CASE WHEN c.closed_at IS NULL THEN NULL ELSE 'closed' END,
                CASE WHEN c.closed_at IS NULL THEN NULL ELSE c.closed_at <= c.created_at + interval '14 days' END,
                CASE WHEN c.closed_at IS NULL AND c.created_at + interval '11 days' < now() - interval '1 hour'
                     THEN now() - interval '1 hour' END,
                CASE WHEN c.closed_at IS NULL AND c.created_at + interval '14 days' < now() - interval '1 hour'
                     THEN now() - interval '1 hour' END, 0, c.created_at + interval '14 days'
            FROM "case" c
            """,
            # denormalised queue columns for open cases
            """
            UPDATE "case" c SET next_due_at = s.due, next_warn_at = s.warn, next_breach_at = s.breach
            FROM (SELECT case_id, min(due_at) AS due, min(warn_at) AS warn, min(breach_at) AS breach FROM sla_clock
                  WHERE stopped_at IS NULL GROUP BY case_id) s
            WHERE s.case_id = c.id
            """,
            # the first public reply of every answered case, as a message
            """
            INSERT INTO message (case_id, at, author_kind, author_name, internal, body)
            SELECT id, first_response_at, 'staff', 'Handläggare', false, 'Tack för ditt ärende. Vi återkommer.'
            FROM "case" WHERE first_response_at IS NOT NULL
            """,
            # events. Every 33rd case was first routed to another office and rerouted after two hours; every 50th
            # closed case was closed three days early (its resolution clock stopped), reopened a day later (the clock
            # restarted) and closed again (its closed_at);
            # errands are decided an hour before closure; clocks stop with their in-time verdict.
            """
            INSERT INTO case_event (case_id, at, kind, actor_kind, office_id, data)
            SELECT id, created_at, 'received', 'company',
                   CASE WHEN id % 33 = 5 THEN 1 + (office_id % 7) ELSE office_id END, '{}'::json FROM "case"
            UNION ALL SELECT id, created_at, 'routed', 'system',
                   CASE WHEN id % 33 = 5 THEN 1 + (office_id % 7) ELSE office_id END, '{}'::json FROM "case"
            UNION ALL SELECT id, created_at + interval '2 hours', 'rerouted', 'staff', 1 + (office_id % 7),
                   json_build_object('from_office_id', 1 + (office_id % 7), 'to_office_id', office_id,
                                     'reason', 'Fel kontor')
                      FROM "case" WHERE id % 33 = 5
            UNION ALL SELECT c.id, c.first_response_at, 'public_reply', 'staff', c.office_id,
                   json_build_object('message_id', m.id)
                      FROM "case" c JOIN message m ON m.case_id = c.id
            UNION ALL SELECT id, first_response_at, 'first_response', 'staff', office_id, '{}'::json
                      FROM "case" WHERE first_response_at IS NOT NULL
            UNION ALL SELECT id, first_response_at, 'clock_stopped', 'staff', office_id,
                   '{"clock": "first_response", "reason": "responded", "in_time": true}'::json
                      FROM "case" WHERE first_response_at IS NOT NULL
            UNION ALL SELECT id, closed_at - interval '1 hour', 'decided', 'staff', office_id,
                   '{"outcome": "granted"}'::json FROM "case" WHERE closed_at IS NOT NULL AND kind = 'errand'
            UNION ALL SELECT id, closed_at - interval '3 days', 'closed', 'staff', office_id,
                   '{"outcome": "answered"}'::json FROM "case" WHERE closed_at IS NOT NULL AND id % 50 = 7
            UNION ALL SELECT id, closed_at - interval '2 days', 'reopened', 'staff', office_id,
                   '{"reason": "Nya uppgifter"}'::json FROM "case" WHERE closed_at IS NOT NULL AND id % 50 = 7
            UNION ALL SELECT id, closed_at - interval '3 days', 'clock_stopped', 'staff', office_id,
                   json_build_object('clock', 'resolution', 'reason', 'closed',
                                     'in_time', closed_at - interval '3 days' <= created_at + interval '14 days')
                      FROM "case" WHERE closed_at IS NOT NULL AND id % 50 = 7
            UNION ALL SELECT id, closed_at - interval '2 days', 'clock_restarted', 'staff', office_id,
                   json_build_object('clock', 'resolution', 'due_at', created_at + interval '14 days')
                      FROM "case" WHERE closed_at IS NOT NULL AND id % 50 = 7
            UNION ALL SELECT id, closed_at, 'clock_stopped', 'staff', office_id,
                   json_build_object('clock', 'resolution', 'reason', 'closed',
                                     'in_time', closed_at <= created_at + interval '14 days')
                      FROM "case" WHERE closed_at IS NOT NULL
            UNION ALL SELECT id, closed_at, 'closed', 'staff', office_id, '{"outcome": "answered"}'::json
                      FROM "case" WHERE closed_at IS NOT NULL
            """,
            # five officers per office (no usable password); the open cases not 'new' are assigned to one of them
            """
            INSERT INTO "user" (email, name, password_hash, role, office_id, active, session_version, created_at)
            SELECT 'officer-' || o.id || '-' || k || '@bench.invalid', 'Handläggare ' || o.id || '-' || k, '!',
                   'officer', o.id, true, 0, now() - interval '3 years'
            FROM office o CROSS JOIN generate_series(0, 4) k
            """,
            """
            UPDATE "case" c SET assignee_id = u.id
            FROM "user" u
            WHERE c.status IN ('assigned', 'in_progress', 'awaiting_customer') AND u.office_id = c.office_id
              AND u.email = 'officer-' || c.office_id || '-' || (c.id / 7) % 5 || '@bench.invalid'
            """,
            # every closed case and every assigned open one was claimed by its officer an hour after receipt
            """
            INSERT INTO case_event (case_id, at, kind, actor_kind, actor_user_id, office_id, data)
            SELECT c.id, least(now() - interval '90 minutes', c.created_at + interval '1 hour'), 'assigned', 'staff',
                   u.id, c.office_id, json_build_object('assignee_id', u.id, 'assignee_name', u.name)
            FROM "case" c
            JOIN "user" u ON u.email = 'officer-' || c.office_id || '-' || (c.id / 7) % 5 || '@bench.invalid'
            WHERE c.assignee_id IS NOT NULL OR c.closed_at IS NOT NULL
            """,
            # the assignee opened 9 in 10 of their open cases, two hours after receipt (case_view)
            """
            INSERT INTO case_view (user_id, case_id, viewed_at)
            SELECT assignee_id, id, least(now() - interval '1 hour', created_at + interval '2 hours')
            FROM "case" WHERE assignee_id IS NOT NULL AND id % 10 <> 3
            """,
            # the company wrote again (a message through the tracking page or by mail): a quarter of the open cases
            # a day after receipt, so after the assignee's last view, and every tenth closed case before closure
            """
            INSERT INTO message (case_id, at, author_kind, author_name, internal, body)
            SELECT id, least(now() - interval '30 minutes', created_at + interval '1 day'), 'company', contact_name,
                   false, 'Här kommer kompletteringen.'
            FROM "case" WHERE (closed_at IS NULL AND id % 4 = 1) OR (closed_at IS NOT NULL AND id % 10 = 1)
            """,
            """
            INSERT INTO case_event (case_id, at, kind, actor_kind, office_id, data)
            SELECT m.case_id, m.at, 'company_message', 'company', c.office_id, json_build_object('message_id', m.id)
            FROM message m JOIN "case" c ON c.id = m.case_id WHERE m.author_kind = 'company'
            """,
        ]
        for stmt in sql:
            with db.engine.begin() as conn:
                conn.execute(sa.text(stmt))
        with db.engine.begin() as conn:  # the working hours the events end and the queue's markers, as the
            migration("*_case_event_hours_*.py").backfill(conn)  # migrations compute them
            migration("*_queue_markers_*.py").backfill(conn)
            migration("*_next_due_unit_*.py").backfill(conn)  # the unit of each open case's nearest clock
            conn.execute(sa.text("ANALYZE"))
        print(f"generated {n} cases in {time.perf_counter() - t0:.1f} s")
        db.engine.dispose()


if __name__ == "__main__":
    main()
