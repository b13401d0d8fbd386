"""case_event hours: working time the event ends, kept for the reports; case_event data as JSONB on PostgreSQL

The monthly report sums these instead of recomputing working time for every case of the month. Existing
events get their value here, by the same definitions (docs/domain.md "Report definitions"): the first response
from receipt; the first decision, or the closures of a case never decided, from receipt minus the resolution
clock's paused working time. On PostgreSQL the event data becomes JSONB, which the report reads fields of.

Revision ID: 4e8f5509e95e
Revises: ba835e5c7e13
Create Date: 2026-11-27 18:31:31.962765

"""
import json
from datetime import datetime, timedelta

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

from caseflow.domain.calendar import BusinessCalendar
from caseflow.models.types import UTCDateTime

# revision identifiers, used by Alembic.
revision = '4e8f5509e95e'
down_revision = 'ba835e5c7e13'
branch_labels = None
depends_on = None

HOUR = timedelta(hours=1)
BATCH = 5000


def upgrade():
    with op.batch_alter_table('case_event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('hours', sa.Float(), nullable=True))
    if op.get_bind().dialect.name == "postgresql":
        op.alter_column("case_event", "data", type_=JSONB(), postgresql_using="data::jsonb")
    backfill(op.get_bind())


def backfill(conn) -> None:
    meta = sa.MetaData()
    ev = sa.Table("case_event", meta, sa.Column("id", sa.Integer), sa.Column("case_id", sa.Integer),
                  sa.Column("kind", sa.String), sa.Column("at", UTCDateTime), sa.Column("hours", sa.Float))
    case = sa.Table("case", meta, sa.Column("id", sa.Integer), sa.Column("created_at", UTCDateTime))
    clock = sa.Table("sla_clock", meta, sa.Column("case_id", sa.Integer), sa.Column("name", sa.String),
                     sa.Column("pauses", sa.JSON), sa.Column("paused_since", UTCDateTime))
    settings = conn.execute(sa.text("SELECT hours, include_de_facto, extra_closed FROM calendar_settings "
                                    "WHERE id = 1")).first()
    if settings is None:
        cal = BusinessCalendar()
    else:  # JSON columns read as text on SQLite, decoded on PostgreSQL
        hours, de_facto, extra = (json.loads(v) if isinstance(v, str) else v for v in settings)
        cal = BusinessCalendar.from_settings(hours, bool(de_facto), extra)
    first_decision = sa.select(sa.func.min(ev.c.id)).where(ev.c.kind == "decided").group_by(ev.c.case_id)
    decided_at = sa.select(ev.c.case_id, sa.func.min(ev.c.at).label("at")).where(
        ev.c.kind == "decided").group_by(ev.c.case_id).subquery()
    rows = conn.execute(
        sa.select(ev.c.id, ev.c.kind, ev.c.at, case.c.created_at, decided_at.c.at, clock.c.pauses,
                  clock.c.paused_since)
        .join(case, case.c.id == ev.c.case_id)
        .outerjoin(decided_at, decided_at.c.case_id == ev.c.case_id)
        .outerjoin(clock, sa.and_(clock.c.case_id == ev.c.case_id, clock.c.name == "resolution"))
        .where(sa.or_(ev.c.kind == "first_response", ev.c.id.in_(first_decision),
                      sa.and_(ev.c.kind == "closed", decided_at.c.at.is_(None))))
    ).all()
    updates = []
    for event_id, kind, at, created, _decided, raw_pauses, paused_since in rows:
        if kind == "first_response":
            value = cal.working_time_between(created, at) / HOUR
        else:
            pauses = [(datetime.fromisoformat(a), datetime.fromisoformat(b)) for a, b in raw_pauses or []]
            if paused_since is not None:
                pauses.append((paused_since, None))
            value = cal.working_time_outside(created, at, pauses) / HOUR
        updates.append({"event_id": event_id, "value": value})
        if len(updates) >= BATCH:
            _write(conn, ev, updates)
    _write(conn, ev, updates)


def _write(conn, ev, updates: list) -> None:
    if updates:
        conn.execute(ev.update().where(ev.c.id == sa.bindparam("event_id")).values(hours=sa.bindparam("value")),
                     updates)
        updates.clear()


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.alter_column("case_event", "data", type_=sa.JSON(), postgresql_using="data::json")
    with op.batch_alter_table('case_event', schema=None) as batch_op:
        batch_op.drop_column('hours')
