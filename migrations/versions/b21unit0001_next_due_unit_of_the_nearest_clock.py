"""The unit of the nearest clock on the case (``case.next_due_unit``), beside ``next_due_at``: the queue states a
case's time left in that clock's own terms (a PBL case's statutory weeks in days, a first response in working
hours or days) without looking its clocks up, row by row.

Open cases are filled from their running clocks (``backfill``, also used by the bench's generator): of the running
clocks with a due instant, the one due first, the first by id among those due at the same instant, as
``services.sla.refresh_case`` chooses it.

Revision ID: b21unit0001
Revises: b20measure0001
"""
import sqlalchemy as sa
from alembic import op

revision = 'b21unit0001'
down_revision = 'b20measure0001'
branch_labels = None
depends_on = None

BACKFILL = ["""
UPDATE "case" SET next_due_unit = (
  SELECT c.unit FROM sla_clock c
  WHERE c.case_id = "case".id AND c.stopped_at IS NULL AND c.due_at IS NOT NULL
  ORDER BY c.due_at, c.id LIMIT 1)
WHERE next_due_at IS NOT NULL
"""]


def backfill(conn) -> None:
    for statement in BACKFILL:
        conn.execute(sa.text(statement))


def upgrade():
    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.add_column(sa.Column('next_due_unit', sa.String(length=20), nullable=True))
    backfill(op.get_bind())


def downgrade():
    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.drop_column('next_due_unit')
