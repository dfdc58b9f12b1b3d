"""Migration 0009 turns the task groups stored as Chinese names into codes, and back."""

from __future__ import annotations

from datetime import date

import pytest
from alembic import command
from sqlalchemy import text

from data import reference
from data.migrate import alembic_config
from data.store import engine
from tests.conftest import make_store_app, new_database_url

BACKENDS = ["sqlite", "postgresql"]


def migrate(target: str, *, down: bool = False) -> None:
    config = alembic_config()
    with engine().begin() as connection:
        config.attributes["connection"] = connection
        (command.downgrade if down else command.upgrade)(config, target)


def load_places(conn) -> None:
    """The reference rows a task of 0008 points at (regions, systems, departments): the whole
    ``load_reference`` also fills tables that later migrations add."""
    ref = reference
    ref._upsert(conn, ref.Region, ref._records(
        ref.read_regions(), [c.name for c in ref.Region.__table__.c]), ("adcode",))
    ref._upsert(conn, ref.System, ref._records(ref.read_systems(), ["code", "name", "sort_order"]),
                ("code",))
    ref._upsert(conn, ref.Department, ref._records(ref.read_departments(), ["code", "name"]),
                ("code",))


@pytest.mark.parametrize("backend", BACKENDS)
def test_task_groups_become_codes_and_back(backend, request, tmp_path):
    app = make_store_app(new_database_url(backend, request, tmp_path))
    with app.app_context():
        migrate("0008")
        with engine().begin() as conn:
            load_places(conn)
            conn.execute(text(
                "INSERT INTO tasks (id, code, name, group_name, system_code, lead_department,"
                " region_adcode, start_date, due_date, source) VALUES (1, 'T-1', '测试',"
                " '共同富裕', 'PLATFORM', 'BIGDATA', '330000', :start, :due, 'import')"),
                {"start": date(2026, 1, 1), "due": date(2026, 12, 31)})
        migrate("0009")
        with engine().connect() as conn:
            assert conn.execute(text("SELECT group_code FROM tasks")).scalar() == \
                "common_prosperity"
        migrate("0008", down=True)
        with engine().connect() as conn:
            assert conn.execute(text("SELECT group_name FROM tasks")).scalar() == "共同富裕"
        engine().dispose()
