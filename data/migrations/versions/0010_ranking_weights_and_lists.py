"""the horse-race board: indicator weights and the red, yellow and black lists

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 15:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('ranking_lists',
    sa.Column('code', sa.String(length=10), nullable=False),
    sa.Column('name', sa.String(length=20), nullable=False),
    sa.Column('meaning', sa.Text(), nullable=False),
    sa.Column('match', sa.String(length=3), nullable=False),
    sa.Column('precedence', sa.Integer(), nullable=False),
    sa.Column('score_at_least', sa.Float(), nullable=True),
    sa.Column('score_below', sa.Float(), nullable=True),
    sa.Column('red_lights_at_least', sa.Integer(), nullable=True),
    sa.Column('red_lights_at_most', sa.Integer(), nullable=True),
    sa.Column('updated_by', sa.String(length=40), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_ranking_lists'))
    )
    op.create_table('ranking_weights',
    sa.Column('indicator_code', sa.String(length=40), nullable=False),
    sa.Column('weight', sa.Float(), nullable=False),
    sa.Column('updated_by', sa.String(length=40), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['indicator_code'], ['indicators.code'],
                            name=op.f('fk_ranking_weights_indicator_code_indicators')),
    sa.PrimaryKeyConstraint('indicator_code', name=op.f('pk_ranking_weights'))
    )


def downgrade() -> None:
    op.drop_table('ranking_weights')
    op.drop_table('ranking_lists')
