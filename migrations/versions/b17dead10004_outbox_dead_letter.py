"""Outbox dead letter: a mail that can never be sent is marked failed

Revision ID: b17dead10004
Revises: b17se5510003
"""
import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision = 'b17dead10004'
down_revision = 'b17se5510003'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
