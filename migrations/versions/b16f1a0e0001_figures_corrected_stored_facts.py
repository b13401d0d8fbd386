"""Figures as the definitions say: breach instants on clocks and cases; corrected stored clock verdicts and
event hours of existing data

Schema: ``sla_clock.breach_at`` and ``case.next_breach_at`` (a clock is breached past its breach instant, not
its due), and the sweep's pending-breach index on ``breach_at``. Data: see ``correct_stored_facts``.

Revision ID: b16f1a0e0001
Revises: 6a1f0c2d9b31
"""
import sqlalchemy as sa
from alembic import op

from caseflow.models.types import UTCDateTime

revision = 'b16f1a0e0001'
down_revision = '6a1f0c2d9b31'
branch_labels = None
depends_on = None

_PENDING = "stopped_at IS NULL AND breached_at IS NULL"


def upgrade():
    with op.batch_alter_table('sla_clock', schema=None) as batch_op:
        batch_op.add_column(sa.Column('breach_at', UTCDateTime(), nullable=True))
    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.add_column(sa.Column('next_breach_at', UTCDateTime(), nullable=True))
    op.drop_index('ix_sla_clock_breach_pending', table_name='sla_clock',
                  postgresql_where=sa.text(_PENDING), sqlite_where=sa.text(_PENDING))
    op.create_index('ix_sla_clock_breach_pending', 'sla_clock', ['breach_at'], unique=False,
                    postgresql_where=sa.text(_PENDING), sqlite_where=sa.text(_PENDING))
    correct_stored_facts(op.get_bind())


def correct_stored_facts(conn) -> None:
    """Filled in by the data-correction commit."""


def downgrade():
    op.drop_index('ix_sla_clock_breach_pending', table_name='sla_clock',
                  postgresql_where=sa.text(_PENDING), sqlite_where=sa.text(_PENDING))
    op.create_index('ix_sla_clock_breach_pending', 'sla_clock', ['due_at'], unique=False,
                    postgresql_where=sa.text(_PENDING), sqlite_where=sa.text(_PENDING))
    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.drop_column('next_breach_at')
    with op.batch_alter_table('sla_clock', schema=None) as batch_op:
        batch_op.drop_column('breach_at')
