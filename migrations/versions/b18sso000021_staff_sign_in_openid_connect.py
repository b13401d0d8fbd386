"""Staff sign-in through an OpenID Provider: group mappings, identities, the break-glass TOTP secret

Revision ID: b18sso000021
Revises: b18view0001
"""
import sqlalchemy as sa
from alembic import op

revision = 'b18sso000021'
down_revision = 'b18view0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'sso_group_mapping',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('provider', sa.String(length=40), nullable=False),
        sa.Column('group', sa.String(length=255), nullable=False),
        sa.Column('role', sa.String(length=20), nullable=False),
        sa.Column('office_id', sa.Integer(), nullable=True),
        sa.Column('active', sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(['office_id'], ['office.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('provider', 'group', name='uq_sso_group_mapping_provider_group'),
    )
    op.create_table(
        'sso_identity',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('provider', sa.String(length=40), nullable=False),
        sa.Column('subject', sa.String(length=255), nullable=False),
        sa.Column('groups', sa.JSON(), nullable=False),
        sa.Column('deactivated_by_provider', sa.Boolean(), nullable=False),
        sa.Column('last_sign_in_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['user.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('user_id'),
        sa.UniqueConstraint('provider', 'subject', name='uq_sso_identity_provider_subject'),
    )
    op.create_table(
        'totp_secret',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('secret', sa.String(length=64), nullable=False),
        sa.Column('last_step', sa.BigInteger(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['user.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('user_id'),
    )


def downgrade():
    op.drop_table('totp_secret')
    op.drop_table('sso_identity')
    op.drop_table('sso_group_mapping')
