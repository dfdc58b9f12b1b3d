"""The data-layer tests run once on SQLite and once on the real PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask

from data.migrate import upgrade_to_head
from data.reference import load_reference
from data.seeding import seed_all
from data.store import engine, write_transaction
from tests.conftest import make_store_app, new_database_url

BACKENDS = ["sqlite", "postgresql"]


def migrated_app(backend: str, request: pytest.FixtureRequest, tmp_dir, **options) -> Flask:
    app = make_store_app(new_database_url(backend, request, tmp_dir), **options)
    with app.app_context():
        upgrade_to_head(engine())
        with write_transaction() as conn:
            load_reference(conn)
    return app


@pytest.fixture(scope="session", params=BACKENDS)
def seeded_app(request, tmp_path_factory) -> Iterator[Flask]:
    """A store with the reference data and every topic's demo data, for read-only tests."""
    app = migrated_app(request.param, request, tmp_path_factory.mktemp("seeded"))
    with app.app_context(), write_transaction() as conn:
        seed_all(conn)
    yield app
    with app.app_context():
        engine().dispose()


@pytest.fixture
def seeded(seeded_app) -> Iterator[Flask]:
    with seeded_app.app_context():
        yield seeded_app


@pytest.fixture(params=BACKENDS)
def fresh(request, tmp_path) -> Iterator[Flask]:
    """A migrated store with reference data only, for tests that write."""
    app = migrated_app(request.param, request, tmp_path)
    with app.app_context():
        yield app
        engine().dispose()


@pytest.fixture(scope="module", params=BACKENDS)
def store_app(request, tmp_path_factory) -> Iterator[Flask]:
    """A migrated store with the reference data (no demo), shared by one module's tests (the
    import tests: each leaves what it imported, the next builds on it)."""
    app = migrated_app(request.param, request, tmp_path_factory.mktemp("store"))
    yield app
    with app.app_context():
        engine().dispose()


@pytest.fixture
def store(store_app) -> Iterator[Flask]:
    with store_app.app_context():
        yield store_app
