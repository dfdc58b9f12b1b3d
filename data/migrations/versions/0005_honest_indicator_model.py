"""the honest indicator model: levels, target rules and definitions of indicators; due
month, wording and basis of targets. Merges the topic branches into one chain.

Revision ID: 0005
Revises: 0002, 0003, 0004
Create Date: 2026-12-01 10:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = ('0002', '0003', '0004')
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('indicators', schema=None) as batch_op:
        batch_op.add_column(sa.Column('lowest_level', sa.String(length=10), nullable=False,
                                      server_default='county'))
        batch_op.add_column(sa.Column('target_rule', sa.String(length=20), nullable=False,
                                      server_default='interpolate'))
        batch_op.add_column(sa.Column('definition', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('source', sa.String(length=20), nullable=True))
        batch_op.drop_column('note')
    with op.batch_alter_table('indicators', schema=None) as batch_op:
        batch_op.alter_column('lowest_level', server_default=None)
        batch_op.alter_column('target_rule', server_default=None)

    with op.batch_alter_table('indicator_targets', schema=None) as batch_op:
        batch_op.add_column(sa.Column('due_month', sa.Integer(), nullable=False,
                                      server_default='12'))
        batch_op.add_column(sa.Column('wording', sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column('basis', sa.Text(), nullable=True))
    with op.batch_alter_table('indicator_targets', schema=None) as batch_op:
        batch_op.alter_column('due_month', server_default=None)


def downgrade() -> None:
    with op.batch_alter_table('indicator_targets', schema=None) as batch_op:
        batch_op.drop_column('basis')
        batch_op.drop_column('wording')
        batch_op.drop_column('due_month')
    with op.batch_alter_table('indicators', schema=None) as batch_op:
        batch_op.add_column(sa.Column('note', sa.Text(), nullable=True))
        batch_op.drop_column('source')
        batch_op.drop_column('definition')
        batch_op.drop_column('target_rule')
        batch_op.drop_column('lowest_level')
