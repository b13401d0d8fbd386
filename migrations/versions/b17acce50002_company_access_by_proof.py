"""Company access by proof: grants instead of links by contact address

Revision ID: b17acce50002
Revises: b16f1a0e0001
"""
import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision = 'b17acce50002'
down_revision = 'b16f1a0e0001'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
