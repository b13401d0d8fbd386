"""Queue markers on the case: the instants of the last company message, the last company file and the last
assignment (and who made it), so the queue marks what changed since an officer last looked with one comparison
per case instead of three subqueries (bench/README.md, "Queue markers on the case").

Existing cases are filled from their events and files (``backfill``, also used by the bench's generator).

Revision ID: b19marks0002
Revises: b19appeal0001
"""
import sqlalchemy as sa
from alembic import op

revision = 'b19marks0002'
down_revision = 'b19appeal0001'
branch_labels = None
depends_on = None

# The values services.events.record keeps on a live case, read back from what it recorded, in one pass over the
# cases that have such an event (each case row is rewritten once).
_LAST_ASSIGNED = """(SELECT e.{column} FROM case_event e WHERE e.case_id = "case".id AND e.kind = 'assigned'
                     ORDER BY e.at DESC, e.id DESC LIMIT 1)"""
BACKFILL = [f"""
UPDATE "case" SET
  last_company_message_at = (SELECT max(e.at) FROM case_event e
                             WHERE e.case_id = "case".id AND e.kind = 'company_message'),
  last_company_file_at = (SELECT max(a.uploaded_at) FROM attachment a
                          WHERE a.case_id = "case".id AND a.uploader_kind = 'company'),
  last_assigned_at = {_LAST_ASSIGNED.format(column="at")},
  last_assigned_by_id = {_LAST_ASSIGNED.format(column="actor_user_id")}
WHERE id IN (SELECT case_id FROM case_event WHERE kind IN ('company_message', 'assigned'))
"""]


def backfill(conn) -> None:
    for statement in BACKFILL:
        conn.execute(sa.text(statement))


def upgrade():
    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_company_message_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('last_company_file_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('last_assigned_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('last_assigned_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_case_last_assigned_by_id_user'), 'user',
                                    ['last_assigned_by_id'], ['id'])
    backfill(op.get_bind())


def downgrade():
    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_case_last_assigned_by_id_user'), type_='foreignkey')
        batch_op.drop_column('last_assigned_by_id')
        batch_op.drop_column('last_assigned_at')
        batch_op.drop_column('last_company_file_at')
        batch_op.drop_column('last_company_message_at')
