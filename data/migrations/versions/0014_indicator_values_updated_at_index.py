"""an index on indicator_values.updated_at: the data's freshness read from the index's end

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01 18:20:00
"""

from alembic import op

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(op.f('ix_indicator_values_updated_at'), 'indicator_values',
                    ['updated_at'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_indicator_values_updated_at'), table_name='indicator_values')
