"""the ledger of major applications (一本账) and their adoption by regions

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 15:45:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('apps',
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('system_code', sa.String(length=40), nullable=False),
    sa.Column('lead_department', sa.String(length=40), nullable=False),
    sa.Column('level', sa.String(length=10), nullable=False),
    sa.Column('home_region', sa.String(length=6), nullable=False),
    sa.Column('launched_on', sa.Date(), nullable=False),
    sa.Column('users', sa.Integer(), nullable=False),
    sa.Column('active_rate', sa.Float(), nullable=False),
    sa.Column('real_active_rate', sa.Float(), nullable=False),
    sa.Column('satisfaction', sa.Float(), nullable=False),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.ForeignKeyConstraint(['home_region'], ['regions.adcode'],
                            name=op.f('fk_apps_home_region_regions')),
    sa.ForeignKeyConstraint(['lead_department'], ['departments.code'],
                            name=op.f('fk_apps_lead_department_departments')),
    sa.ForeignKeyConstraint(['system_code'], ['systems.code'],
                            name=op.f('fk_apps_system_code_systems')),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_apps'))
    )
    op.create_table('app_adoptions',
    sa.Column('app_code', sa.String(length=20), nullable=False),
    sa.Column('region_adcode', sa.String(length=6), nullable=False),
    sa.Column('adopted_on', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['app_code'], ['apps.code'],
                            name=op.f('fk_app_adoptions_app_code_apps')),
    sa.ForeignKeyConstraint(['region_adcode'], ['regions.adcode'],
                            name=op.f('fk_app_adoptions_region_adcode_regions')),
    sa.PrimaryKeyConstraint('app_code', 'region_adcode', name=op.f('pk_app_adoptions'))
    )


def downgrade() -> None:
    op.drop_table('app_adoptions')
    op.drop_table('apps')
