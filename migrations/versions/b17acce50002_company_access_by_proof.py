"""Company access by proof: grants instead of links by contact address

An account used to be "linked" to a company by filing a case naming it or by being the contact of one of its
cases, and then saw every case of that company. Neither proves anything about the company, so no link becomes a
grant: grants (company_grant) are made by staff or by an invitation from a holder from now on. What the links did
prove is kept: the case an account filed while logged in (the link was written in the same transaction as that
case, with the same instant) becomes an account_case row. Cases with the account's verified address as contact
stay visible without any row.

Revision ID: b17acce50002
Revises: b16f1a0e0001
"""
import sqlalchemy as sa
from alembic import op

revision = 'b17acce50002'
down_revision = 'b16f1a0e0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('company_invitation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('inviter_account_id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('accepted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('accepted_by_account_id', sa.Integer(), nullable=True),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['accepted_by_account_id'], ['company_account.id'], name=op.f('fk_company_invitation_accepted_by_account_id_company_account')),
    sa.ForeignKeyConstraint(['company_id'], ['company.id'], name=op.f('fk_company_invitation_company_id_company')),
    sa.ForeignKeyConstraint(['inviter_account_id'], ['company_account.id'], name=op.f('fk_company_invitation_inviter_account_id_company_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_company_invitation'))
    )
    with op.batch_alter_table('company_invitation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_company_invitation_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_company_invitation_inviter_account_id'), ['inviter_account_id'], unique=False)

    op.create_table('company_grant',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('granted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('granted_by_user_id', sa.Integer(), nullable=True),
    sa.Column('invitation_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.String(length=500), nullable=True),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_by_user_id', sa.Integer(), nullable=True),
    sa.Column('revoked_by_account_id', sa.Integer(), nullable=True),
    sa.Column('revoke_reason', sa.String(length=500), nullable=True),
    sa.ForeignKeyConstraint(['account_id'], ['company_account.id'], name=op.f('fk_company_grant_account_id_company_account')),
    sa.ForeignKeyConstraint(['company_id'], ['company.id'], name=op.f('fk_company_grant_company_id_company')),
    sa.ForeignKeyConstraint(['granted_by_user_id'], ['user.id'], name=op.f('fk_company_grant_granted_by_user_id_user')),
    sa.ForeignKeyConstraint(['invitation_id'], ['company_invitation.id'], name=op.f('fk_company_grant_invitation_id_company_invitation')),
    sa.ForeignKeyConstraint(['revoked_by_account_id'], ['company_account.id'], name=op.f('fk_company_grant_revoked_by_account_id_company_account')),
    sa.ForeignKeyConstraint(['revoked_by_user_id'], ['user.id'], name=op.f('fk_company_grant_revoked_by_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_company_grant'))
    )
    with op.batch_alter_table('company_grant', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_company_grant_account_id'), ['account_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_company_grant_company_id'), ['company_id'], unique=False)

    op.create_table('account_case',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('filed_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['company_account.id'], name=op.f('fk_account_case_account_id_company_account')),
    sa.ForeignKeyConstraint(['case_id'], ['case.id'], name=op.f('fk_account_case_case_id_case')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_account_case')),
    sa.UniqueConstraint('case_id', name=op.f('uq_account_case_case_id'))
    )
    with op.batch_alter_table('account_case', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_account_case_account_id'), ['account_id'], unique=False)

    # Data: a "filed_case" link was written with the case the account filed, at the same instant; that case is
    # the account's own. Nothing else of the old links is kept: no grant comes from them.
    op.execute(sa.text(
        'INSERT INTO account_case (account_id, case_id, filed_at) '
        'SELECT MIN(l.account_id), c.id, MIN(l.linked_at) FROM account_company l '
        'JOIN "case" c ON c.company_id = l.company_id AND c.created_at = l.linked_at '
        "WHERE l.how = 'filed_case' GROUP BY c.id"))

    with op.batch_alter_table('account_company', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_account_company_account_id'))
        batch_op.drop_index(batch_op.f('ix_account_company_company_id'))

    op.drop_table('account_company')


def downgrade():
    op.create_table('account_company',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('linked_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('how', sa.String(length=20), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['company_account.id'], name=op.f('fk_account_company_account_id_company_account')),
    sa.ForeignKeyConstraint(['company_id'], ['company.id'], name=op.f('fk_account_company_company_id_company')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_account_company')),
    sa.UniqueConstraint('account_id', 'company_id', name='uq_account_company_pair')
    )
    with op.batch_alter_table('account_company', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_account_company_account_id'), ['account_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_account_company_company_id'), ['company_id'], unique=False)

    # Back to links: the companies of the cases an account filed, and the grants in force.
    op.execute(sa.text(
        'INSERT INTO account_company (account_id, company_id, linked_at, how) '
        'SELECT account_id, company_id, MIN(at), MIN(how) FROM ('
        "  SELECT a.account_id AS account_id, c.company_id AS company_id, a.filed_at AS at, 'filed_case' AS how "
        '  FROM account_case a JOIN "case" c ON c.id = a.case_id WHERE c.company_id IS NOT NULL '
        '  UNION ALL '
        "  SELECT account_id, company_id, granted_at, 'grant' FROM company_grant WHERE revoked_at IS NULL"
        ') pairs GROUP BY account_id, company_id'))

    with op.batch_alter_table('account_case', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_account_case_account_id'))

    op.drop_table('account_case')
    with op.batch_alter_table('company_grant', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_company_grant_company_id'))
        batch_op.drop_index(batch_op.f('ix_company_grant_account_id'))

    op.drop_table('company_grant')
    with op.batch_alter_table('company_invitation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_company_invitation_inviter_account_id'))
        batch_op.drop_index(batch_op.f('ix_company_invitation_company_id'))

    op.drop_table('company_invitation')
