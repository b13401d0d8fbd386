"""Inbound mail: the case's channel, a failing contact address, and every incoming mail registered

``case.channel`` says how a case came in (web, email, api, open311); cases filed before this revision through an
API token are counted as ``api`` (the REST API and Open311 were not told apart then), the others as ``web``.
``inbound_mail`` registers each incoming mail on arrival, unique by its Message-ID.

Revision ID: b18mail20001
Revises: b17dead10004
"""
import sqlalchemy as sa
from alembic import op

revision = 'b18mail20001'
down_revision = 'b17dead10004'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.add_column(sa.Column('channel', sa.String(length=10), server_default='web', nullable=False))
        batch_op.add_column(sa.Column('contact_failing_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('contact_failure', sa.String(length=300), nullable=True))
    op.execute("UPDATE \"case\" SET channel = 'api' WHERE api_token_id IS NOT NULL")
    op.create_table(
        'inbound_mail',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('message_key', sa.String(length=64), nullable=False),
        sa.Column('message_id', sa.String(length=300), nullable=False),
        sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('envelope_from', sa.String(length=254), nullable=False),
        sa.Column('recipient', sa.String(length=254), nullable=False),
        sa.Column('from_address', sa.String(length=254), nullable=False),
        sa.Column('from_name', sa.String(length=200), nullable=False),
        sa.Column('subject', sa.String(length=300), nullable=False),
        sa.Column('outcome', sa.String(length=20), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=True),
        sa.Column('case_message_id', sa.Integer(), nullable=True),
        sa.Column('sender_mismatch', sa.Boolean(), nullable=False),
        sa.Column('storage_name', sa.String(length=64), nullable=True),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('last_error', sa.Text(), nullable=True),
        sa.Column('detail', sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(['case_id'], ['case.id'], name=op.f('fk_inbound_mail_case_id_case')),
        sa.ForeignKeyConstraint(['case_message_id'], ['message.id'],
                                name=op.f('fk_inbound_mail_case_message_id_message')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_inbound_mail')),
        sa.UniqueConstraint('message_key', name=op.f('uq_inbound_mail_message_key')),
    )
    with op.batch_alter_table('inbound_mail', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inbound_mail_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_inbound_mail_received_at'), ['received_at'], unique=False)
        batch_op.create_index('ix_inbound_mail_sender_at', ['from_address', 'received_at'], unique=False)


def downgrade():
    op.drop_table('inbound_mail')
    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.drop_column('contact_failure')
        batch_op.drop_column('contact_failing_at')
        batch_op.drop_column('channel')
