"""config generation: in-memory configuration snapshots know when they are stale

Revision ID: e52416b40c17
Revises: 4e8f5509e95e
Create Date: 2026-11-27 18:46:07.066319

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e52416b40c17'
down_revision = '4e8f5509e95e'
branch_labels = None
depends_on = None


def upgrade():
    table = op.create_table(
        'config_generation',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('value', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_config_generation')),
    )
    op.bulk_insert(table, [{"id": 1, "value": 0}])


def downgrade():
    op.drop_table('config_generation')
