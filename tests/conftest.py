"""Shared test fixtures: which services are reachable, and a seeded store per backend.

A test that needs PostgreSQL, Redis or Chromium and cannot reach it fails under CI=true and
skips with the reason elsewhere.
"""

from __future__ import annotations

import os
import socket
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

# The Dash app reads its settings from the environment when ``app`` is imported: point it at
# a throw-away SQLite file so that no test ever touches a developer's own store.
_TEST_INSTANCE = Path(tempfile.mkdtemp(prefix="cockpit-test-"))
os.environ["COCKPIT_INSTANCE_DIR"] = str(_TEST_INSTANCE)
os.environ["COCKPIT_DATABASE_URL"] = ""
os.environ["COCKPIT_CACHE_TYPE"] = "simple"

PG_HOST, PG_PORT = "127.0.0.1", 5432
PG_ADMIN_URL = f"postgresql+psycopg://{PG_HOST}:{PG_PORT}/test"
REDIS_URL = "redis://127.0.0.1:6379"


def port_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def require(available: bool, reason: str) -> None:
    """Skip (or, under CI, fail) a test whose service is missing."""
    if available:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (required under CI=true)")
    pytest.skip(reason)


def make_store_app(url: str, *, cache_type: str = "simple", key_prefix: str | None = None,
                   cache_dir: Path | None = None, redis_url: str = f"{REDIS_URL}/0"):
    """A bare Flask app with the cockpit's store attached (no Dash)."""
    from flask import Flask

    from config.settings import Settings
    from data.store import init_store

    settings = Settings(
        instance_dir=_TEST_INSTANCE,
        database_url=url,
        cache_type=cache_type,
        redis_url=redis_url,
        cache_key_prefix=key_prefix or f"cockpit-test-{uuid.uuid4().hex[:8]}:",
        cache_dir=cache_dir or _TEST_INSTANCE / f"cache-{uuid.uuid4().hex[:8]}",
    )
    server = Flask("cockpit-test")
    init_store(server, settings)
    return server


class PostgresDatabases:
    """Creates uniquely named databases on the shared server and drops them afterwards."""

    def __init__(self) -> None:
        self.created: list[str] = []

    def create(self, template: str | None = None) -> str:
        """A new empty database, or a copy of the database ``template`` (nobody connected)."""
        from sqlalchemy import create_engine, text

        name = f"cockpit_test_{uuid.uuid4().hex[:12]}"
        copied = f' TEMPLATE "{template}"' if template else ""
        admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"{copied}'))
        admin.dispose()
        self.created.append(name)
        return f"postgresql+psycopg://{PG_HOST}:{PG_PORT}/{name}"

    def drop_all(self) -> None:
        from sqlalchemy import create_engine, text

        admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            for name in self.created:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresDatabases]:
    require(port_open(PG_HOST, PG_PORT), f"PostgreSQL is not reachable on {PG_HOST}:{PG_PORT}")
    databases = PostgresDatabases()
    yield databases
    databases.drop_all()


@pytest.fixture(scope="session")
def store_templates(tmp_path_factory):
    """The migrated stores every test's new store is copied from (``tests.data.conftest``)."""
    from tests.data.conftest import StoreTemplates

    return StoreTemplates(tmp_path_factory.mktemp("templates"))


def new_database_url(backend: str, request: pytest.FixtureRequest, tmp_dir: Path) -> str:
    if backend == "sqlite":
        return f"sqlite:///{tmp_dir / f'store-{uuid.uuid4().hex[:8]}.sqlite3'}"
    return request.getfixturevalue("postgres").create()
