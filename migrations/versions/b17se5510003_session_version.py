"""Sessions that can be ended: per-user session version

Revision ID: b17se5510003
Revises: b17acce50002
"""
import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision = 'b17se5510003'
down_revision = 'b17acce50002'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
