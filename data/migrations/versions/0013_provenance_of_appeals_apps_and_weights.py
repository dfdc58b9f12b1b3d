"""provenance of the incentive layer's imports: appeals, the applications ledger and the
board's weights know their import batch and the row of its file.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01 18:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None

TABLES = ('appeal_weeks', 'appeal_channel_weeks', 'apps', 'app_adoptions', 'ranking_weights')


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('batch_id', sa.Integer(), nullable=True))
            batch_op.add_column(sa.Column('source_row', sa.Integer(), nullable=True))
            batch_op.create_index(batch_op.f(f'ix_{table}_batch_id'), ['batch_id'],
                                  unique=False)


def downgrade() -> None:
    for table in reversed(TABLES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f'ix_{table}_batch_id'))
            batch_op.drop_column('source_row')
            batch_op.drop_column('batch_id')
