"""backlog index: (closed_at, created_at) replaces closed_at alone

Revision ID: 6a1f0c2d9b31
Revises: e52416b40c17
Create Date: 2026-11-28 02:55:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '6a1f0c2d9b31'
down_revision = 'e52416b40c17'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_case_closed_created', 'case', ['closed_at', 'created_at'], unique=False)
    op.drop_index('ix_case_closed_at', table_name='case')


def downgrade():
    op.create_index('ix_case_closed_at', 'case', ['closed_at'], unique=False)
    op.drop_index('ix_case_closed_created', table_name='case')
