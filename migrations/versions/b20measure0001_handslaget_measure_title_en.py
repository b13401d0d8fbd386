"""Handslaget measure: the action point's English title, for the English follow-up page and export

The measures seeded with the default Swedish titles get their English ones; a title an administrator changed is
left without one (the English page shows the Swedish title until an English one is written).

Revision ID: b20measure0001
Revises: b19marks0002
"""
import sqlalchemy as sa
from alembic import op

revision = 'b20measure0001'
down_revision = 'b19marks0002'
branch_labels = None
depends_on = None

# (code, Swedish title as seeded, English title) — fixed here: a migration never reads the application's code
DEFAULTS = [
    ("1.1", "Servicegaranti: andel svar och beslut inom utlovad tid",
     "Service guarantee: share of answers and decisions within the promised time"),
    ("1.2", "Tydlig klagomålsprocess: klagomål per 100 ärenden", "Clear complaints process: complaints per 100 cases"),
    ("1.3", "Digital kundresa: svarsfrekvens i uppföljningen",
     "Digital customer journey: response rate of the follow-up survey"),
    ("1.4", "Nöjd kund (NKI) i företagsärenden", "Customer satisfaction (NKI) in business cases"),
    ("1.5", "Snabb handläggning: median första svar (arbetstimmar)",
     "Fast handling: median first response (working hours)"),
    ("2.1", "En väg in: andel ärenden rätt styrda från början (1 − felstyrning)",
     "One way in: share of cases routed right the first time (1 − misrouting)"),
]


def upgrade():
    with op.batch_alter_table('handslaget_measure', schema=None) as batch_op:
        batch_op.add_column(sa.Column('title_en', sa.String(length=200), server_default='', nullable=False))
    measure = sa.table('handslaget_measure', sa.column('code', sa.String), sa.column('title', sa.String),
                       sa.column('title_en', sa.String))
    for code, title, title_en in DEFAULTS:
        op.execute(measure.update().where(measure.c.code == code, measure.c.title == title)
                   .values(title_en=title_en))


def downgrade():
    with op.batch_alter_table('handslaget_measure', schema=None) as batch_op:
        batch_op.drop_column('title_en')
