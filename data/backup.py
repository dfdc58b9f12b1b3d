"""Backups of the store, and restoring one (``flask --app app:server backup`` / ``restore``).

- **SQLite**: copied with SQLite's own backup API, page by page, while the app runs (readers
  and writers go on; the copy is one consistent moment). Restoring copies the file back the
  same way, in one step.
- **PostgreSQL**: ``pg_dump --format=custom`` (consistent while the app runs) and
  ``pg_restore --clean --if-exists --single-transaction`` (all or nothing). The client tools
  must be installed (Debian: ``postgresql-client``) and of the server's version or newer.

After a restore the data version is moved past every version the running app has seen, so no
worker's cache can serve a figure of the store as it was before the restore.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine, select, update
from sqlalchemy.engine import URL

from data.schema import DataVersion
from data.store import ACCOUNTS_ROW, FIGURES_ROW


class BackupFailed(RuntimeError):
    """The backup or restore could not be done; the message says why (in Chinese)."""


def _sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupFailed("内存中的 SQLite 数据库无法备份。")
    return Path(url.database)


def _libpq(url: URL) -> tuple[str, dict[str, str]]:
    """The address ``pg_dump``/``pg_restore`` take (no password in it: that goes in the
    environment, not on a command line others can read) and their environment."""
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise BackupFailed(f"找不到 {name}：请安装 PostgreSQL 客户端（Debian：apt-get install "
                           "postgresql-client），版本不低于数据库服务器。")
    return found


def _run(args: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupFailed(f"{Path(args[0]).name} 失败：{done.stderr.strip()[-2000:]}")


def backup_store(engine: Engine, target: Path) -> Path:
    """Write a backup of the store behind ``engine`` to ``target``; ``target``."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    url = engine.url
    if url.get_backend_name() == "sqlite":
        source = sqlite3.connect(_sqlite_path(url))
        partial = target.with_name(f".{target.name}.partial")
        copy = sqlite3.connect(partial)
        try:
            source.backup(copy)
        finally:
            copy.close()
            source.close()
        partial.replace(target)
        return target
    if url.get_backend_name() == "postgresql":
        address, env = _libpq(url)
        _run([_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(target),
              address], env)
        return target
    raise BackupFailed(f"不支持备份 {url.get_backend_name()} 数据库。")


def restore_store(engine: Engine, source: Path) -> int:
    """Replace the store behind ``engine`` with the backup ``source``; the data version now
    (past every version seen before the restore)."""
    source = Path(source)
    if not source.is_file():
        raise BackupFailed(f"备份文件不存在：{source}")
    before = _version(engine)
    url = engine.url
    engine.dispose()
    if url.get_backend_name() == "sqlite":
        try:
            backup = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
            backup.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.DatabaseError as bad:
            raise BackupFailed(f"不是有效的 SQLite 备份：{bad}") from bad
        store = sqlite3.connect(_sqlite_path(url))
        try:
            backup.backup(store)
        finally:
            store.close()
            backup.close()
    elif url.get_backend_name() == "postgresql":
        address, env = _libpq(url)
        _run([_tool("pg_restore"), "--clean", "--if-exists", "--no-owner",
              "--single-transaction", "--dbname", address, str(source)], env)
    else:
        raise BackupFailed(f"不支持恢复 {url.get_backend_name()} 数据库。")
    return _move_version_past(engine, before)


def _version(engine: Engine) -> dict[int, int]:
    """Each row of ``data_version`` (the figures' and the accounts' versions)."""
    try:
        with engine.connect() as conn:
            return dict(conn.execute(select(DataVersion.id, DataVersion.version)).all())
    except Exception:  # noqa: BLE001 - an empty store (no table yet) has seen no version
        return {}


def _move_version_past(engine: Engine, before: dict[int, int]) -> int:
    """Both versions past every one seen (no kept figure or session of the store as it was is
    taken for the restored one); returns the figures' version."""
    with engine.begin() as conn:
        restored = dict(conn.execute(select(DataVersion.id, DataVersion.version)).all())
        for row in (FIGURES_ROW, ACCOUNTS_ROW):
            version = max(restored.get(row) or 0, before.get(row) or 0) + 1
            if row in restored:
                conn.execute(update(DataVersion).where(DataVersion.id == row)
                             .values(version=version))
            else:
                conn.execute(DataVersion.__table__.insert().values(
                    id=row, version=version, changed_at=datetime.now(UTC).replace(tzinfo=None)))
    return max(restored.get(FIGURES_ROW) or 0, before.get(FIGURES_ROW) or 0) + 1
