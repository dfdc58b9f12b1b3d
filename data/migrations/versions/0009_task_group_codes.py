"""task groups as English codes (group_name → group_code); their names are labels

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 13:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

#: The groups' codes and the names they were stored under (config.labels.TASK_GROUPS).
GROUPS = {
    "key_instructions": "重要精神", "eight_eight": "八八战略", "common_prosperity": "共同富裕",
    "epidemic": "疫情防控", "emergency": "应急处突", "problem_lists": "问题清单",
    "supervision": "监督整改", "forefront": "勇立潮头", "major_projects": "重大项目",
}


def _rename(old: str, new: str, mapping: dict[str, str]) -> None:
    with op.batch_alter_table('tasks', schema=None) as batch_op:
        batch_op.drop_index(f'ix_tasks_{old}')
        batch_op.alter_column(old, new_column_name=new, existing_type=sa.String(length=20),
                              existing_nullable=False)
    with op.batch_alter_table('tasks', schema=None) as batch_op:
        batch_op.create_index(f'ix_tasks_{new}', [new], unique=False)
    tasks = sa.table('tasks', sa.column(new, sa.String(length=20)))
    for before, after in mapping.items():
        op.execute(tasks.update().where(tasks.c[new] == before).values({new: after}))


def upgrade() -> None:
    _rename('group_name', 'group_code', {name: code for code, name in GROUPS.items()})


def downgrade() -> None:
    _rename('group_code', 'group_name', GROUPS)
