"""Outbox dead letter: a mail that can never be sent is marked failed

Outbox rows get ``failed_reason``/``failed_at`` (the dead letter: why and when) and ``retry_at`` (the backoff of a
transient failure). ``idempotency_key.case_id`` may be empty inside the transaction that claims a key before it
makes the case (the unique (token_id, key) constraint then holds a parallel request with the same key).

Revision ID: b17dead10004
Revises: b17se5510003
"""
import sqlalchemy as sa
from alembic import op

revision = 'b17dead10004'
down_revision = 'b17se5510003'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('retry_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('failed_reason', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('failed_at', sa.DateTime(timezone=True), nullable=True))
    # rows that failed before this revision had run out of attempts (the only way to fail then)
    op.execute("UPDATE outbox SET failed_reason = 'attempts_exhausted' WHERE status = 'failed'")
    with op.batch_alter_table('idempotency_key', schema=None) as batch_op:
        batch_op.alter_column('case_id', existing_type=sa.Integer(), nullable=True)


def downgrade():
    op.execute("DELETE FROM idempotency_key WHERE case_id IS NULL")
    with op.batch_alter_table('idempotency_key', schema=None) as batch_op:
        batch_op.alter_column('case_id', existing_type=sa.Integer(), nullable=False)
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_column('failed_at')
        batch_op.drop_column('failed_reason')
        batch_op.drop_column('retry_at')
