"""Sessions that can be ended: per-user session version; failed logins per account name and client address

Revision ID: b17se5510003
Revises: b17acce50002
"""
import sqlalchemy as sa
from alembic import op

revision = 'b17se5510003'
down_revision = 'b17acce50002'
branch_labels = None
depends_on = None


def upgrade():
    for table in ('user', 'company_account'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('session_version', sa.Integer(), nullable=False,
                                          server_default=sa.text('0')))
            # The lockout moved to login_failure (per account name and client address): a count on the
            # account let anyone lock an officer out, and only real accounts ever showed "locked".
            batch_op.drop_column('locked_until')
            batch_op.drop_column('failed_logins')

    op.create_table('login_failure',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('last_failed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_login_failure')),
    sa.UniqueConstraint('key', name=op.f('uq_login_failure_key'))
    )
    with op.batch_alter_table('login_failure', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_login_failure_last_failed_at'), ['last_failed_at'], unique=False)


def downgrade():
    with op.batch_alter_table('login_failure', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_login_failure_last_failed_at'))
    op.drop_table('login_failure')

    for table in ('company_account', 'user'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('failed_logins', sa.Integer(), nullable=False, server_default=sa.text('0')))
            batch_op.add_column(sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True))
            batch_op.drop_column('session_version')
