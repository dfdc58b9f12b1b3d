"""Backups of the store: a dump made while the app runs, and a restore from one.

- **SQLite** (the default store): SQLite's own online backup copies the database page by page
  under its locks, so the copy is consistent even while workers write (the WAL included); a
  restore copies a dump back into the live file the same way.
- **PostgreSQL**: ``pg_dump`` in its custom format; a restore is ``pg_restore --clean
  --if-exists`` in one transaction (all or nothing).

A dump is checked before anything is restored (a file that is not a backup of this store is
refused with the reason, the store untouched). After a restore the data version moves past
the one before it, so that nothing cached from either state is served as current.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import click
from flask import Flask
from sqlalchemy import Engine, select, update
from sqlalchemy.engine import make_url

from data.schema import DataVersion

#: Tables every dump of this store holds (a file without them is not one).
REQUIRED_TABLES = ("alembic_version", "regions", "indicators", "data_version")
PG_TIMEOUT = 600  # seconds a pg_dump or pg_restore may take


class BackupRefused(Exception):
    """Why a backup or a restore was not made (in Chinese; nothing was changed)."""


@dataclass(frozen=True)
class Backup:
    path: Path
    size: int
    kind: str  #: ``sqlite`` or ``postgresql``

    def summary(self) -> str:
        return f"已备份到 {self.path}（{self.size / 1048576:.1f} MB，{self.kind}）"


def _kind(engine: Engine) -> str:
    name = engine.dialect.name
    if name not in ("sqlite", "postgresql"):
        raise BackupRefused(f"不支持备份 {name} 数据库。")
    return name


def _libpq_url(engine: Engine) -> str:
    """The store's address as pg_dump and pg_restore read it (no SQLAlchemy driver name)."""
    return make_url(engine.url).set(drivername="postgresql").render_as_string(
        hide_password=False)


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupRefused(f"找不到 {name}：请安装 PostgreSQL 客户端（Debian：apt-get install -y "
                            "postgresql-client）。")
    return found


def backup(engine: Engine, target: Path) -> Backup:
    """Dump the store to ``target`` (a new file; an existing one is not overwritten)."""
    kind = _kind(engine)
    target = Path(target)
    if target.exists():
        raise BackupRefused(f"{target} 已存在：请换一个文件名（备份不会覆盖已有文件）。")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".part")  # never a half-written backup
    try:
        if kind == "sqlite":
            source = sqlite3.connect(make_url(engine.url).database)
            copy = sqlite3.connect(partial)
            try:
                with copy:
                    source.backup(copy)
            finally:
                copy.close()
                source.close()
        else:
            done = subprocess.run(
                [_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges",
                 f"--file={partial}", _libpq_url(engine)],
                capture_output=True, text=True, timeout=PG_TIMEOUT, check=False)
            if done.returncode != 0:
                raise BackupRefused(f"pg_dump 失败：{done.stderr.strip()[:500]}")
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    return Backup(path=target, size=target.stat().st_size, kind=kind)


def _check_sqlite_dump(source: Path) -> None:
    try:
        dump = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        try:
            ok = dump.execute("PRAGMA quick_check").fetchone()[0]
            tables = {row[0] for row in dump.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'")}
        finally:
            dump.close()
    except sqlite3.DatabaseError as bad:
        raise BackupRefused(f"{source.name} 不是本系统的 SQLite 备份文件（{bad}）。") from bad
    if ok != "ok":
        raise BackupRefused(f"{source.name} 已损坏（完整性检查：{ok}）。")
    missing = [t for t in REQUIRED_TABLES if t not in tables]
    if missing:
        raise BackupRefused(f"{source.name} 不是本系统的备份文件（缺少表：{'、'.join(missing)}）。")


def _check_pg_dump(source: Path) -> None:
    listed = subprocess.run([_tool("pg_restore"), "--list", str(source)], capture_output=True,
                            text=True, timeout=PG_TIMEOUT, check=False)
    if listed.returncode != 0:
        raise BackupRefused(f"{source.name} 不是 pg_dump 的备份文件（自定义格式）："
                            f"{listed.stderr.strip()[:300]}")
    missing = [t for t in REQUIRED_TABLES if f"TABLE public {t} " not in listed.stdout]
    if missing:
        raise BackupRefused(f"{source.name} 不是本系统的备份文件（缺少表：{'、'.join(missing)}）。")


def _version(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(DataVersion.version).where(DataVersion.id == 1))
                   .scalar() or 0)


def restore(engine: Engine, source: Path) -> int:
    """Replace the store's content with the dump ``source``; return the new data version."""
    kind = _kind(engine)
    source = Path(source)
    if not source.is_file():
        raise BackupRefused(f"找不到备份文件 {source}。")
    (_check_sqlite_dump if kind == "sqlite" else _check_pg_dump)(source)
    before = _version(engine)
    if kind == "sqlite":
        engine.dispose()  # no pooled connection holds an old view of the file
        dump = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        live = sqlite3.connect(make_url(engine.url).database, timeout=30)
        try:
            with live:
                dump.backup(live)
        finally:
            live.close()
            dump.close()
    else:
        engine.dispose()
        done = subprocess.run(
            [_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-privileges",
             "--single-transaction", f"--dbname={_libpq_url(engine)}", str(source)],
            capture_output=True, text=True, timeout=PG_TIMEOUT, check=False)
        if done.returncode != 0:
            raise BackupRefused(f"pg_restore 失败，数据库未改动：{done.stderr.strip()[:500]}")
    after = max(before, _version(engine)) + 1
    now = datetime.now(UTC).replace(tzinfo=None)
    with engine.begin() as conn:
        moved = conn.execute(update(DataVersion).where(DataVersion.id == 1)
                             .values(version=after, changed_at=now)).rowcount
        if not moved:
            conn.execute(DataVersion.__table__.insert().values(id=1, version=after,
                                                               changed_at=now))
    return after


def register(server: Flask) -> None:
    """``flask backup FILE`` and ``flask restore FILE --yes``."""
    from data.store import engine

    @server.cli.command("backup")
    @click.argument("target", type=click.Path(path_type=Path))
    def backup_command(target: Path) -> None:
        """Dump the store to TARGET while the app runs (SQLite: a consistent copy;
        PostgreSQL: pg_dump, custom format)."""
        try:
            click.echo(backup(engine(), target).summary())
        except BackupRefused as refused:
            raise click.ClickException(str(refused)) from refused

    @server.cli.command("restore")
    @click.argument("source", type=click.Path(path_type=Path))
    @click.option("--yes", is_flag=True, help="Replace the store's content without asking.")
    def restore_command(source: Path, yes: bool) -> None:
        """Replace the store's content with the dump SOURCE (checked first; all or nothing)."""
        if not yes:
            click.confirm(f"用 {source} 替换当前数据库的全部内容？", abort=True)
        try:
            version = restore(engine(), source)
        except BackupRefused as refused:
            raise click.ClickException(str(refused)) from refused
        click.echo(f"已从 {source} 恢复（数据版本 {version}）。各进程的缓存按新版本重新计算。")
