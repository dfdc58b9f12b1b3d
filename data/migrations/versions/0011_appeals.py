"""the public's appeals (民呼我为): categories, channels and weekly counts

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 15:20:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('appeal_categories',
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('department_code', sa.String(length=40), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['department_code'], ['departments.code'],
                            name=op.f('fk_appeal_categories_department_code_departments')),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_appeal_categories'))
    )
    op.create_table('appeal_channels',
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_appeal_channels'))
    )
    op.create_table('appeal_weeks',
    sa.Column('region_adcode', sa.String(length=6), nullable=False),
    sa.Column('week_start', sa.Date(), nullable=False),
    sa.Column('category_code', sa.String(length=20), nullable=False),
    sa.Column('received', sa.Integer(), nullable=False),
    sa.Column('handled', sa.Integer(), nullable=False),
    sa.Column('on_time', sa.Integer(), nullable=False),
    sa.Column('rated', sa.Integer(), nullable=False),
    sa.Column('satisfied', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.ForeignKeyConstraint(['category_code'], ['appeal_categories.code'],
                            name=op.f('fk_appeal_weeks_category_code_appeal_categories')),
    sa.ForeignKeyConstraint(['region_adcode'], ['regions.adcode'],
                            name=op.f('fk_appeal_weeks_region_adcode_regions')),
    sa.PrimaryKeyConstraint('region_adcode', 'week_start', 'category_code',
                            name=op.f('pk_appeal_weeks'))
    )
    op.create_index(op.f('ix_appeal_weeks_week_start'), 'appeal_weeks', ['week_start'],
                    unique=False)
    op.create_table('appeal_channel_weeks',
    sa.Column('region_adcode', sa.String(length=6), nullable=False),
    sa.Column('week_start', sa.Date(), nullable=False),
    sa.Column('channel_code', sa.String(length=20), nullable=False),
    sa.Column('received', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.ForeignKeyConstraint(['channel_code'], ['appeal_channels.code'],
                            name=op.f('fk_appeal_channel_weeks_channel_code_appeal_channels')),
    sa.ForeignKeyConstraint(['region_adcode'], ['regions.adcode'],
                            name=op.f('fk_appeal_channel_weeks_region_adcode_regions')),
    sa.PrimaryKeyConstraint('region_adcode', 'week_start', 'channel_code',
                            name=op.f('pk_appeal_channel_weeks'))
    )
    op.create_index(op.f('ix_appeal_channel_weeks_week_start'), 'appeal_channel_weeks',
                    ['week_start'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_appeal_channel_weeks_week_start'), table_name='appeal_channel_weeks')
    op.drop_table('appeal_channel_weeks')
    op.drop_index(op.f('ix_appeal_weeks_week_start'), table_name='appeal_weeks')
    op.drop_table('appeal_weeks')
    op.drop_table('appeal_channels')
    op.drop_table('appeal_categories')
