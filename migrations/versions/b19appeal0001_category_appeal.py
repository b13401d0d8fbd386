"""Category: whether its decisions can be appealed, to which body, within how many weeks

``appealable`` is left empty (not configured) on existing categories: a decision then tells the company to ask
how it can be appealed, never that it cannot. An administrator sets it per category.

Revision ID: b19appeal0001
Revises: b18sso000021
"""
import sqlalchemy as sa
from alembic import op

revision = 'b19appeal0001'
down_revision = 'b18sso000021'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('category', schema=None) as batch_op:
        batch_op.add_column(sa.Column('appealable', sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column('appeal_body', sa.String(length=200), server_default='', nullable=False))
        batch_op.add_column(sa.Column('appeal_weeks', sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table('category', schema=None) as batch_op:
        batch_op.drop_column('appeal_weeks')
        batch_op.drop_column('appeal_body')
        batch_op.drop_column('appealable')
