"""Queue: indexes for the changed cases, an officer's own open cases and the unassigned ones a company wrote on, each
in due order (services.finding reads them as two index ranges instead of the office's open cases; bench/README.md,
"Queue markers on the case")

Revision ID: b22queue0001
Revises: b21unit0001
"""
import sqlalchemy as sa
from alembic import op

revision = 'b22queue0001'
down_revision = 'b21unit0001'
branch_labels = None
depends_on = None

OPEN = "status IN ('new', 'assigned', 'in_progress', 'awaiting_customer', 'decided')"
UNASSIGNED_ANSWERED = f"{OPEN} AND assignee_id IS NULL AND last_company_message_at IS NOT NULL"


def upgrade():
    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.create_index('ix_case_open_assignee', ['assignee_id', 'next_due_at', 'created_at', 'id'],
                              unique=False, postgresql_where=sa.text(OPEN), sqlite_where=sa.text(OPEN))
        batch_op.create_index('ix_case_open_unassigned_answered', ['office_id', 'next_due_at', 'created_at', 'id'],
                              unique=False, postgresql_where=sa.text(UNASSIGNED_ANSWERED),
                              sqlite_where=sa.text(UNASSIGNED_ANSWERED))


def downgrade():
    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.drop_index('ix_case_open_unassigned_answered')
        batch_op.drop_index('ix_case_open_assignee')
