"""Redis down or hung: the cockpit keeps answering from the store with the cache bypassed, says
so in one log line (not a traceback per request), tries the cache again by itself, and a
background job says it cannot start instead of hanging.

Redis here is the test's own: a private ``redis-server`` on a free port that the test stops
and starts, or a listener that accepts connections and never answers.
"""

from __future__ import annotations

import logging
import shutil
import time

import pytest

from data import queries
from data.scope import EVERYTHING
from data.store import CACHE_GUARD, cache
from tests.conftest import make_store_app
from tests.data.conftest import migrated_app
from tests.faults import PrivateRedis, SilentListener

#: Queries read per round (a page reads about as many).
ROUNDS = 15


def store_url(app) -> str:
    return app.extensions["cockpit_store"].url.render_as_string(hide_password=False)


@pytest.fixture
def sqlite_store(request, tmp_path):
    return store_url(migrated_app("sqlite", request, tmp_path))


@pytest.fixture
def private_redis(tmp_path):
    if not shutil.which("redis-server"):
        pytest.skip("redis-server is not installed")
    server = PrivateRedis(tmp_path)
    server.start()
    yield server
    server.stop()


def cache_lines(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if "cache" in r.getMessage()]


def read_regions(rounds: int = ROUNDS) -> float:
    """Seconds to read the regions ``rounds`` times, each right (102 regions)."""
    started = time.monotonic()
    for _ in range(rounds):
        assert len(queries.regions.uncached(scope=EVERYTHING)) == 102
        assert len(queries.regions(scope=EVERYTHING)) == 102
    return time.monotonic() - started


def test_a_redis_that_stops_is_bypassed_with_one_log_line_and_used_again_when_back(
        sqlite_store, private_redis, caplog):
    app = make_store_app(sqlite_store, cache_type="redis", redis_url=private_redis.url)
    caplog.set_level(logging.WARNING)
    with app.app_context():
        read_regions(2)
        client = cache.cache._write_client
        assert client.dbsize() > 0  # results are kept in Redis while it is up
        private_redis.stop()
        elapsed = read_regions()
        guard = app.extensions[CACHE_GUARD]
        assert guard.down
        assert elapsed < 5, f"{ROUNDS} rounds took {elapsed:.1f} s with Redis stopped"
        lines = cache_lines(caplog)
        assert len(lines) == 1, [r.getMessage() for r in lines]
        assert "cache unreachable" in lines[0].getMessage()
        assert lines[0].exc_info is None  # one line, no traceback
        private_redis.start()
        guard.down_until = 0  # the retry delay has passed
        read_regions(1)
        assert not guard.down
        assert "cache reachable again" in cache_lines(caplog)[-1].getMessage()
        assert cache.cache._write_client.dbsize() > 0  # kept in Redis again


def test_a_hung_redis_costs_half_a_second_once_not_on_every_call(sqlite_store, caplog):
    caplog.set_level(logging.WARNING)
    with SilentListener() as hung:
        app = make_store_app(sqlite_store, cache_type="redis",
                             redis_url=f"redis://127.0.0.1:{hung.port}/0")
        with app.app_context():
            started = time.monotonic()
            read_regions()
            elapsed = time.monotonic() - started
    assert elapsed < 3, f"{ROUNDS} rounds took {elapsed:.1f} s with Redis hung"
    lines = cache_lines(caplog)
    assert len(lines) == 1 and lines[0].exc_info is None, [r.getMessage() for r in lines]
    assert "Timeout" in lines[0].getMessage()


def test_health_says_degraded_within_a_second_when_redis_hangs(sqlite_store):
    from data.health import cache_state

    with SilentListener() as hung:
        app = make_store_app(sqlite_store, cache_type="redis",
                             redis_url=f"redis://127.0.0.1:{hung.port}/0")
        with app.app_context():
            started = time.monotonic()
            assert cache_state(app) == "unreachable"
            assert time.monotonic() - started < 1.5


def test_a_briefing_cannot_start_while_the_job_broker_is_down_or_hung(tmp_path):
    from briefing.background import JOBS_DOWN, jobs_unavailable
    from config.settings import Settings
    from tests.faults import free_port

    stopped = Settings(instance_dir=tmp_path, jobs="celery",
                       celery_broker_url=f"redis://127.0.0.1:{free_port()}/0")
    with SilentListener() as hung:
        hanging = Settings(instance_dir=tmp_path, jobs="celery",
                           celery_broker_url=f"redis://127.0.0.1:{hung.port}/0")
        for settings in (stopped, hanging):
            started = time.monotonic()
            assert jobs_unavailable(settings) == JOBS_DOWN
            assert time.monotonic() - started < 1.5
    assert jobs_unavailable(Settings(instance_dir=tmp_path, jobs="diskcache")) is None


def test_a_briefing_can_start_when_the_job_broker_answers(tmp_path, private_redis):
    from briefing.background import jobs_unavailable
    from config.settings import Settings

    assert jobs_unavailable(Settings(instance_dir=tmp_path, jobs="celery",
                                     celery_broker_url=private_redis.url)) is None


def test_health_says_ok_with_a_redis_that_answers(sqlite_store, private_redis):
    from data.health import cache_state

    app = make_store_app(sqlite_store, cache_type="redis", redis_url=private_redis.url)
    with app.app_context():
        assert cache_state(app) == "ok"
        private_redis.stop()
        assert cache_state(app) == "unreachable"
