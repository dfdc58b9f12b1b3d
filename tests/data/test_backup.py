"""Backups on SQLite and PostgreSQL: a dump made while the store is in use, the store changed
and then restored from the dump holds the same rows as when it was dumped; a file that is
not a dump is refused and changes nothing; the data version moves on after a restore."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
from datetime import datetime

import pytest
from sqlalchemy import delete, func, select

from data.backup import BackupRefused, backup, restore
from data.imports.run import run_import
from data.schema import IndicatorValue
from data.store import data_version, engine, write_transaction
from tests.data.conftest import BACKENDS, migrated_app
from tests.data.test_imports import snapshot
from tests.data.test_imports_topics import write

AT = datetime(2026, 12, 1, 9, 0)
ROWS = [["DG_ZLB_DAU", "330106", "2026-10", "12"], ["DG_ZLB_DAU", "330106", "2026-09", "11"],
        ["DG_ONE_NET", "330100", "2026-10", "99.1"]]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_restored_dump_holds_the_rows_it_was_made_from(backend, request, tmp_path):
    app = migrated_app(backend, request, tmp_path)
    with app.app_context():
        imported = run_import(write(tmp_path, "f.csv", ["指标编码", "地区", "期间", "数值"], ROWS),
                              kind="indicator-values", channel="cli", actor="测试")
        assert imported.accepted, imported.issues
        before = snapshot()
        made = backup(engine(), tmp_path / "dumps" / "store.dump")
        assert made.size > 0 and made.path.exists()
        assert not (tmp_path / "dumps" / "store.dump.part").exists()
        with pytest.raises(BackupRefused, match="已存在"):  # never overwrites a backup
            backup(engine(), made.path)

        with write_transaction() as conn:  # lost after the dump
            conn.execute(delete(IndicatorValue))
        assert snapshot() != before
        version = data_version()
        assert restore(engine(), made.path) > version
        assert snapshot() == before
        with engine().connect() as conn:
            assert conn.execute(select(func.count()).select_from(IndicatorValue)
                                ).scalar_one() == 3
        engine().dispose()


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_file_that_is_not_a_dump_is_refused_and_nothing_changes(backend, request, tmp_path):
    app = migrated_app(backend, request, tmp_path)
    with app.app_context():
        before = snapshot()
        text = tmp_path / "notes.dump"
        text.write_text("这不是备份\n" * 100, encoding="utf-8")
        with pytest.raises(BackupRefused, match="不是"):
            restore(engine(), text)
        with pytest.raises(BackupRefused, match="找不到备份文件"):
            restore(engine(), tmp_path / "missing.dump")
        assert snapshot() == before
        engine().dispose()


def test_a_sqlite_dump_is_consistent_while_a_writer_works(request, tmp_path):
    """A writer adds rows in many small transactions while the dump is made: the dump holds
    a whole number of them (each transaction entirely or not at all)."""
    app = migrated_app("sqlite", request, tmp_path)
    with app.app_context():
        stop = threading.Event()

        def writer() -> None:
            with app.app_context():
                period = 0
                while not stop.is_set() and period < 400:
                    with write_transaction() as conn:
                        conn.execute(IndicatorValue.__table__.insert(), [
                            {"indicator_code": "DG_ZLB_DAU", "region_adcode": adcode,
                             "period": f"{2000 + period // 12}-{period % 12 + 1:02d}",
                             "value": 1.0, "updated_at": AT, "source": "import"}
                            for adcode in ("330106", "330102")])
                    period += 1

        thread = threading.Thread(target=writer)
        thread.start()
        try:
            made = backup(engine(), tmp_path / "busy.sqlite3")
        finally:
            stop.set()
            thread.join()
        copy = sqlite3.connect(made.path)
        rows = copy.execute("SELECT count(*) FROM indicator_values").fetchone()[0]
        copy.close()
        assert rows % 2 == 0  # never half a transaction
        engine().dispose()


def test_the_commands_back_up_and_restore(tmp_path):
    """``flask backup`` and ``flask restore --yes`` on a store of their own."""
    env = {"COCKPIT_INSTANCE_DIR": str(tmp_path / "instance"), "PATH": "/usr/bin:/bin"}
    flask = [sys.executable, "-m", "flask", "--app", "app:server"]

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([*flask, *args], capture_output=True, text=True, env=env,
                              timeout=120, check=False)

    assert run("init-db").returncode == 0
    made = run("backup", str(tmp_path / "one.sqlite3"))
    assert made.returncode == 0 and "已备份到" in made.stdout, made.stderr
    again = run("backup", str(tmp_path / "one.sqlite3"))
    assert again.returncode != 0 and "已存在" in again.stderr
    restored = run("restore", "--yes", str(tmp_path / "one.sqlite3"))
    assert restored.returncode == 0 and "已从" in restored.stdout, restored.stderr
    refused = run("restore", "--yes", str(tmp_path / "instance"))
    assert refused.returncode != 0 and "找不到备份文件" in refused.stderr
