"""Backups (data/backup.py, ``flask backup`` / ``flask restore``): a store with every topic's
demo data is backed up while a connection holds it open, restored into an empty store, and the
restored store holds the same rows, table by table; on SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import MetaData, select

from data.backup import BackupFailed, backup_store, restore_store
from data.schema import DataVersion
from data.seeding import seed_all
from data.store import ACCOUNTS_ROW, FIGURES_ROW, engine, write_transaction
from tests.data.conftest import BACKENDS, migrated_app


def fingerprint(app) -> dict[str, tuple[int, str]]:
    """Each table's row count and a digest of its rows (sorted), the data version aside."""
    found = {}
    with app.app_context(), engine().connect() as conn:
        tables = MetaData()
        tables.reflect(conn)
        for name, table in sorted(tables.tables.items()):
            if name in ("data_version", "alembic_version"):
                continue
            rows = sorted(repr(tuple(r)) for r in conn.execute(select(table)))
            digest = hashlib.sha256("\n".join(rows).encode()).hexdigest()
            found[name] = (len(rows), digest)
    return found


def version_of(app, row: int = FIGURES_ROW) -> int:
    with app.app_context(), engine().connect() as conn:
        return int(conn.execute(select(DataVersion.version)
                                .where(DataVersion.id == row)).scalar() or 0)


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_backup_restores_the_same_rows(request, tmp_path, backend):
    source = migrated_app(backend, request, tmp_path)
    with source.app_context(), write_transaction() as conn:
        seed_all(conn)
    target = migrated_app(backend, request, tmp_path)
    dump = tmp_path / f"cockpit.{backend}.backup"
    with source.app_context():
        with engine().connect() as held:  # the app is running: a connection is open
            held.execute(select(DataVersion.version)).scalar()
            backup_store(engine(), dump)
        engine().dispose()
    assert dump.stat().st_size > 100_000
    expected = fingerprint(source)
    assert expected["problems"][0] > 100 and expected["users"][0] > 3
    assert fingerprint(target) != expected
    seen = version_of(target) + 1000  # the target's app has seen a later version than the dump
    with target.app_context():
        with write_transaction(figures=False, accounts=True):
            pass  # an accounts version too (a user changed, a session ended)
        with write_transaction(figures=False) as conn:
            conn.execute(DataVersion.__table__.update().values(version=seen))
        version = restore_store(engine(), dump)
    assert fingerprint(target) == expected
    assert version == version_of(target) > seen  # no cache can serve a pre-restore figure
    # nor can a worker take a session it keeps in memory for one of the restored store
    assert version_of(target, ACCOUNTS_ROW) > seen
    for app in (source, target):
        with app.app_context():
            engine().dispose()


def test_a_file_that_is_no_backup_is_refused_and_the_store_kept(request, tmp_path):
    app = migrated_app("sqlite", request, tmp_path)
    before = fingerprint(app)
    junk = tmp_path / "junk.backup"
    junk.write_bytes(b"not a database" * 100)
    with app.app_context(), pytest.raises(BackupFailed):
        restore_store(engine(), junk)
    assert fingerprint(app) == before

