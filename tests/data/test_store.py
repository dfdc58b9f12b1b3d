"""Writes, the data version, caching and migrations, on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from datetime import datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, select, update

from data import queries
from data.demo import ImportedDataPresent, demo_dataset, seed_demo
from data.schema import Base, IndicatorValue
from data.scope import EVERYTHING
from data.store import StoreUnavailable, data_version, engine, write_transaction
from tests.conftest import REDIS_URL, make_store_app, port_open, require
from tests.data.conftest import migrated_app


def store_url(app) -> str:
    return app.extensions["cockpit_store"].url.render_as_string(hide_password=False)


def count_values() -> int:
    with engine().connect() as conn:
        return conn.execute(select(func.count()).select_from(IndicatorValue)).scalar_one()


def test_migrations_create_exactly_the_schema(fresh):
    with engine().connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert differences == []


def test_seed_demo_is_idempotent(fresh):
    with write_transaction() as conn:
        first = seed_demo(conn)
    assert first.startswith("已写入演示数据")
    seeded = count_values()
    assert seeded == len(demo_dataset()[0])
    with write_transaction() as conn:
        second = seed_demo(conn)
    assert "未改动" in second
    assert count_values() == seeded


def test_demo_data_is_never_written_over_imported_figures(fresh):
    with write_transaction() as conn:
        conn.execute(IndicatorValue.__table__.insert().values(
            indicator_code="DG_ONE_NET", region_adcode="330000", period="2026-10", value=99.0,
            updated_at=datetime(2026, 11, 1, 8, 0), source="import"))
    with pytest.raises(ImportedDataPresent), write_transaction() as conn:
        seed_demo(conn)
    assert count_values() == 1


def change_value(adcode: str, code: str, period: str, value: float) -> None:
    with write_transaction() as conn:
        conn.execute(update(IndicatorValue).where(
            IndicatorValue.region_adcode == adcode, IndicatorValue.indicator_code == code,
            IndicatorValue.period == period).values(value=value))


def province_one_net() -> float:
    status = queries.indicator_status(scope=EVERYTHING, adcodes=("330000",), period="2026-10",
                                      indicator="DG_ONE_NET")
    return float(status["value"].iloc[0])


def insert_value(adcode: str, code: str, period: str, value: float) -> None:
    with write_transaction() as conn:
        conn.execute(IndicatorValue.__table__.insert().values(
            indicator_code=code, region_adcode=adcode, period=period, value=value,
            updated_at=datetime(2026, 11, 10, 9, 30), source="import"))


def test_every_write_bumps_the_data_version_and_shows_at_once(fresh):
    insert_value("330000", "DG_ONE_NET", "2026-10", 97.5)
    before = data_version()
    assert province_one_net() == 97.5  # now cached
    change_value("330000", "DG_ONE_NET", "2026-10", 12.5)
    assert data_version() == before + 1
    assert province_one_net() == 12.5


@pytest.mark.parametrize("cache_type", ["filesystem", "redis"])
def test_a_shared_cache_never_serves_figures_older_than_the_store(
        cache_type, request, tmp_path):
    """Two workers (two apps) share one store and one cache; a write by one is seen by both."""
    if cache_type == "redis":
        require(port_open("127.0.0.1", 6379), f"Redis is not reachable at {REDIS_URL}")
    shared = {"cache_type": cache_type, "key_prefix": f"cockpit-test-{uuid.uuid4().hex}:",
              "cache_dir": tmp_path / "cache"}
    first = migrated_app("sqlite", request, tmp_path, **shared)
    second = make_store_app(store_url(first), **shared)
    with first.app_context():
        insert_value("330000", "DG_ONE_NET", "2026-10", 97.5)
        original = province_one_net()
    with second.app_context():
        assert province_one_net() == original == 97.5
        change_value("330000", "DG_ONE_NET", "2026-10", 42.0)
    with first.app_context():
        assert province_one_net() == 42.0
        engine().dispose()
    with second.app_context():
        engine().dispose()


def test_an_unreachable_database_raises_store_unavailable(tmp_path):
    app = make_store_app("postgresql+psycopg://127.0.0.1:1/nowhere?connect_timeout=2")
    with app.app_context(), pytest.raises(StoreUnavailable):
        queries.periods(scope=EVERYTHING)
    missing = make_store_app(f"sqlite:///{tmp_path / 'no' / 'such' / 'dir.sqlite3'}")
    with missing.app_context(), pytest.raises(StoreUnavailable):
        queries.periods(scope=EVERYTHING)


def test_a_cache_that_is_down_costs_speed_not_answers(tmp_path, request):
    app = migrated_app("sqlite", request, tmp_path)
    app_down = make_store_app(store_url(app), cache_type="redis",
                              redis_url="redis://127.0.0.1:1/0")
    with app_down.app_context():
        assert len(queries.regions(scope=EVERYTHING)) == 102


def test_a_request_that_writes_reads_its_own_write(fresh):
    insert_value("330000", "DG_ONE_NET", "2026-10", 97.5)
    with fresh.test_request_context("/"):
        assert province_one_net() == 97.5  # the version is now remembered for the request
        change_value("330000", "DG_ONE_NET", "2026-10", 88.0)
        assert province_one_net() == 88.0


def test_a_build_outside_a_request_reads_each_query_once_and_its_own_writes(fresh):
    """query_memo (a briefing's build, the benchmarks): one read per query and one data
    version, as within a request; a write inside it is read back."""
    from sqlalchemy import event

    from data.store import query_memo

    insert_value("330000", "DG_ONE_NET", "2026-10", 97.5)
    statements = []

    def count(conn, cursor, statement, *args):  # noqa: ARG001
        statements.append(statement)

    event.listen(engine(), "before_cursor_execute", count)
    try:
        with query_memo():
            assert province_one_net() == 97.5
            read = len(statements)
            assert province_one_net() == 97.5
            queries.regions(scope=EVERYTHING)
            queries.regions(scope=EVERYTHING)
            assert len(statements) <= read + 1  # the regions once; the status and version not again
            change_value("330000", "DG_ONE_NET", "2026-10", 88.0)
            assert province_one_net() == 88.0
        statements.clear()
        province_one_net()
        province_one_net()
    finally:
        event.remove(engine(), "before_cursor_execute", count)
    assert len([s for s in statements if "data_version" in s]) >= 2  # outside: read each time
