"""provenance: import batches and the rows a batch replaced; every imported figure knows
its batch and the row of its file.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 13:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('import_batches',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('channel', sa.String(length=10), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=True),
    sa.Column('system_name', sa.String(length=80), nullable=True),
    sa.Column('actor', sa.String(length=80), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('rows', sa.Integer(), nullable=False),
    sa.Column('inserted', sa.Integer(), nullable=False),
    sa.Column('updated', sa.Integer(), nullable=False),
    sa.Column('unchanged', sa.Integer(), nullable=False),
    sa.Column('demo_cleared', sa.Integer(), nullable=False),
    sa.Column('message', sa.Text(), nullable=True),
    sa.Column('errors', sa.Text(), nullable=True),
    sa.Column('error_count', sa.Integer(), nullable=False),
    sa.Column('size_bytes', sa.Integer(), nullable=True),
    sa.Column('sha256', sa.String(length=64), nullable=True),
    sa.Column('withdrawn_at', sa.DateTime(), nullable=True),
    sa.Column('withdrawn_by', sa.String(length=80), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_batches'))
    )
    with op.batch_alter_table('import_batches', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_import_batches_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_import_batches_status'), ['status'], unique=False)

    op.create_table('import_replaced',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.Column('table_name', sa.String(length=40), nullable=False),
    sa.Column('replaced_batch_id', sa.Integer(), nullable=True),
    sa.Column('row', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['batch_id'], ['import_batches.id'], name=op.f('fk_import_replaced_batch_id_import_batches')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_replaced'))
    )
    with op.batch_alter_table('import_replaced', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_import_replaced_batch_id'), ['batch_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_import_replaced_replaced_batch_id'), ['replaced_batch_id'], unique=False)


    with op.batch_alter_table('indicator_values', schema=None) as batch_op:
        # Checked by the importer; the database's row-by-row checks would double a bulk load.
        batch_op.drop_constraint('fk_indicator_values_indicator_code_indicators',
                                 type_='foreignkey')
        batch_op.drop_constraint('fk_indicator_values_region_adcode_regions',
                                 type_='foreignkey')
        batch_op.add_column(sa.Column('batch_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('source_row', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_indicator_values_batch_id'), ['batch_id'], unique=False)
    with op.batch_alter_table('indicator_targets', schema=None) as batch_op:
        batch_op.add_column(sa.Column('batch_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('source_row', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_indicator_targets_batch_id'), ['batch_id'], unique=False)
    with op.batch_alter_table('tasks', schema=None) as batch_op:
        batch_op.add_column(sa.Column('batch_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('source_row', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_tasks_batch_id'), ['batch_id'], unique=False)
    with op.batch_alter_table('task_reports', schema=None) as batch_op:
        batch_op.add_column(sa.Column('batch_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('source_row', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_task_reports_batch_id'), ['batch_id'], unique=False)
    with op.batch_alter_table('problems', schema=None) as batch_op:
        batch_op.add_column(sa.Column('batch_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('source_row', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_problems_batch_id'), ['batch_id'], unique=False)
    with op.batch_alter_table('problem_moves', schema=None) as batch_op:
        batch_op.add_column(sa.Column('batch_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('source_row', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_problem_moves_batch_id'), ['batch_id'], unique=False)
    with op.batch_alter_table('risk_events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('batch_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('source_row', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_risk_events_batch_id'), ['batch_id'], unique=False)
    with op.batch_alter_table('risk_assessments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('batch_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('source_row', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_risk_assessments_batch_id'), ['batch_id'], unique=False)
    with op.batch_alter_table('risk_notices', schema=None) as batch_op:
        batch_op.add_column(sa.Column('batch_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('source_row', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_risk_notices_batch_id'), ['batch_id'], unique=False)
    with op.batch_alter_table('evacuations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('batch_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('source_row', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_evacuations_batch_id'), ['batch_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('indicator_values', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_indicator_values_batch_id'))
        batch_op.drop_column('source_row')
        batch_op.drop_column('batch_id')
        batch_op.create_foreign_key('fk_indicator_values_indicator_code_indicators',
                                    'indicators', ['indicator_code'], ['code'])
        batch_op.create_foreign_key('fk_indicator_values_region_adcode_regions',
                                    'regions', ['region_adcode'], ['adcode'])
    with op.batch_alter_table('indicator_targets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_indicator_targets_batch_id'))
        batch_op.drop_column('source_row')
        batch_op.drop_column('batch_id')
    with op.batch_alter_table('tasks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tasks_batch_id'))
        batch_op.drop_column('source_row')
        batch_op.drop_column('batch_id')
    with op.batch_alter_table('task_reports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_task_reports_batch_id'))
        batch_op.drop_column('source_row')
        batch_op.drop_column('batch_id')
    with op.batch_alter_table('problems', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_problems_batch_id'))
        batch_op.drop_column('source_row')
        batch_op.drop_column('batch_id')
    with op.batch_alter_table('problem_moves', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_problem_moves_batch_id'))
        batch_op.drop_column('source_row')
        batch_op.drop_column('batch_id')
    with op.batch_alter_table('risk_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_risk_events_batch_id'))
        batch_op.drop_column('source_row')
        batch_op.drop_column('batch_id')
    with op.batch_alter_table('risk_assessments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_risk_assessments_batch_id'))
        batch_op.drop_column('source_row')
        batch_op.drop_column('batch_id')
    with op.batch_alter_table('risk_notices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_risk_notices_batch_id'))
        batch_op.drop_column('source_row')
        batch_op.drop_column('batch_id')
    with op.batch_alter_table('evacuations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evacuations_batch_id'))
        batch_op.drop_column('source_row')
        batch_op.drop_column('batch_id')
    with op.batch_alter_table('import_replaced', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_import_replaced_replaced_batch_id'))
        batch_op.drop_index(batch_op.f('ix_import_replaced_batch_id'))
    op.drop_table('import_replaced')
    with op.batch_alter_table('import_batches', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_import_batches_status'))
        batch_op.drop_index(batch_op.f('ix_import_batches_kind'))
    op.drop_table('import_batches')
