"""Case view: when each member of staff last opened each case

One row per (user, case), moved forward on every view; the queue marks what changed on a case since.

Revision ID: b18view0001
Revises: b18mail20001
"""
import sqlalchemy as sa
from alembic import op

revision = 'b18view0001'
down_revision = 'b18mail20001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'case_view',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('viewed_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['case_id'], ['case.id'], name=op.f('fk_case_view_case_id_case')),
        sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_case_view_user_id_user')),
        sa.PrimaryKeyConstraint('user_id', 'case_id', name=op.f('pk_case_view')),
    )


def downgrade():
    op.drop_table('case_view')
