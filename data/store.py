"""The store: one SQLAlchemy engine and one flask-caching cache per Flask server.

Query functions find both through ``current_app`` so that a test can run the same functions
against SQLite and PostgreSQL side by side, each in its own app. Every write to the store goes
through :func:`write_transaction`, which bumps the data version in the same transaction;
cached results are keyed by that version, so no worker ever serves figures older than the
store, whichever cache backend is configured.
"""

from __future__ import annotations

import copy
import functools
import hashlib
import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any, ParamSpec, TypeVar

from flask import Flask, current_app, g, has_request_context
from flask_caching import Cache
from sqlalchemy import Connection, Engine, create_engine, event, select, update
from sqlalchemy.exc import DBAPIError

from config.settings import Settings
from data.schema import DataVersion

EXTENSION = "cockpit_store"
log = logging.getLogger(__name__)
cache = Cache()

P = ParamSpec("P")
R = TypeVar("R")


class StoreUnavailable(RuntimeError):
    """The database cannot be reached; pages show a message instead of a traceback."""


class StoreBusy(StoreUnavailable):
    """A write waited too long for another write (SQLite's one writer, a PostgreSQL lock) or
    lost a race with it: nothing was written, and the user is told to try again."""


#: How long connecting to PostgreSQL may take before the store counts as unreachable (s).
PG_CONNECT_TIMEOUT = 3
#: How long a write waits for another one on SQLite before it is refused (seconds).
SQLITE_BUSY_TIMEOUT = 5
#: How long the cache waits for Redis, to connect and for each answer, before it is bypassed (s).
REDIS_TIMEOUT = 0.5
#: After the cache failed, how long it is bypassed before it is tried again (seconds).
CACHE_RETRY_AFTER = 15.0
#: Where an app keeps the state of its cache (:class:`CacheGuard`).
CACHE_GUARD = "cockpit_cache_guard"


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.close()

        return engine
    # A database that accepts connections and never answers must not hold a request for
    # long: connecting gives up after a few seconds (the answer is then the store-down message).
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=5, pool_timeout=10,
                         connect_args={"connect_timeout": PG_CONNECT_TIMEOUT})


def cache_config(settings: Settings) -> dict[str, Any]:
    base = {
        "CACHE_DEFAULT_TIMEOUT": settings.cache_timeout,
        "CACHE_KEY_PREFIX": settings.cache_key_prefix,
    }
    if settings.cache_type == "redis":
        return base | {"CACHE_TYPE": "RedisCache", "CACHE_REDIS_URL": settings.redis_url,
                       "CACHE_OPTIONS": redis_options()}
    if settings.cache_type == "filesystem":
        return base | {
            "CACHE_TYPE": "FileSystemCache",
            "CACHE_DIR": str(settings.resolved_cache_dir),
            "CACHE_THRESHOLD": 2000,
        }
    if settings.cache_type == "null":
        return base | {"CACHE_TYPE": "NullCache"}
    return base | {"CACHE_TYPE": "SimpleCache", "CACHE_THRESHOLD": 2000}


def redis_options() -> dict[str, Any]:
    """redis-py's options for a service the app must never wait on: short timeouts, no
    retries (redis-py retries three times by default, with back-off)."""
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    return {"socket_connect_timeout": REDIS_TIMEOUT, "socket_timeout": REDIS_TIMEOUT,
            "retry": Retry(NoBackoff(), 0)}


class CacheGuard:
    """The cache of one app, bypassed while it is down: a failed call marks it down for
    :data:`CACHE_RETRY_AFTER` seconds, during which no call is tried (every result comes from
    the store); then one call tries again. The log gets one line when the cache goes away and
    one when it is back, never a traceback per request."""

    def __init__(self, retry_after: float = CACHE_RETRY_AFTER) -> None:
        self.retry_after = retry_after
        self.down_until = 0.0
        self.down = False
        self._lock = threading.Lock()

    def available(self) -> bool:
        return time.monotonic() >= self.down_until

    def failed(self, error: Exception) -> None:
        with self._lock:
            self.down_until = time.monotonic() + self.retry_after
            if not self.down:
                self.down = True
                log.warning("cache unreachable (%s: %s); reading from the store, trying the "
                            "cache again every %.0f s", type(error).__name__,
                            str(error)[:200], self.retry_after)

    def worked(self) -> None:
        if self.down:
            with self._lock:
                if self.down:
                    self.down = False
                    log.warning("cache reachable again")


def cache_guard() -> CacheGuard:
    return current_app.extensions.setdefault(CACHE_GUARD, CacheGuard())


def cache_get(key: str) -> Any:
    """What the cache holds under ``key``; ``None`` when it holds nothing or is down."""
    guard = cache_guard()
    if not guard.available():
        return None
    try:
        found = cache.get(key)
    except Exception as error:  # noqa: BLE001 - a cache that is down costs speed, never an answer
        guard.failed(error)
        return None
    guard.worked()
    return found


def cache_set(key: str, value: Any) -> None:
    """Keep ``value`` under ``key`` if the cache is up (else nothing)."""
    guard = cache_guard()
    if not guard.available():
        return
    try:
        cache.set(key, value)
    except Exception as error:  # noqa: BLE001 - as in cache_get
        guard.failed(error)
    else:
        guard.worked()


def init_store(server: Flask, settings: Settings) -> None:
    """Attach the engine and the cache to ``server``."""
    settings.instance_dir.mkdir(parents=True, exist_ok=True)
    server.extensions[EXTENSION] = make_engine(settings.resolved_database_url)
    server.extensions[CACHE_GUARD] = CacheGuard()
    cache.init_app(server, config=cache_config(settings))


def engine() -> Engine:
    return current_app.extensions[EXTENSION]


@contextmanager
def read_connection() -> Iterator[Connection]:
    try:
        with engine().connect() as conn:
            yield conn
    except StoreUnavailable:
        raise
    except Exception as exc:  # the driver's own error types differ per database
        if _is_connection_error(exc):
            raise StoreUnavailable(str(exc)) from exc
        raise


def _is_busy(exc: DBAPIError) -> bool:
    """Another write holds the store: SQLite's "database is locked", PostgreSQL's lock
    timeouts, deadlocks and serialization failures."""
    words = str(exc.orig).lower()
    code = getattr(exc.orig, "sqlstate", None)
    return "database is locked" in words or code in {"40001", "40P01", "55P03"}


def _is_connection_error(exc: Exception) -> bool:
    from sqlalchemy.exc import DBAPIError, OperationalError

    if isinstance(exc, OperationalError):
        return True
    return isinstance(exc, DBAPIError) and exc.connection_invalidated


@contextmanager
def write_transaction(*, figures: bool = True, accounts: bool = False) -> Iterator[Connection]:
    """A transaction that bumps the data version when it commits.

    ``figures=False`` is for writes that change no figure a page shows (users, sessions,
    tokens, the audit log): they leave the data version, and so every cached result, alone.
    ``accounts=True`` is for writes that change who a live session is or what it may see (a
    user changed or made inactive, a session or token revoked): they bump the accounts
    version, which every session kept in memory is checked against (:func:`versions`).
    """
    try:
        with engine().begin() as conn:
            yield conn
            if figures:
                bump_data_version(conn)
            if accounts:
                bump_data_version(conn, row=ACCOUNTS_ROW)
    except DBAPIError as exc:  # the caller's own refusals pass through as they are
        if _is_busy(exc):
            raise StoreBusy(str(exc)) from exc
        if _is_connection_error(exc):
            raise StoreUnavailable(str(exc)) from exc
        raise
    if (figures or accounts) and has_request_context():  # the request reads its own write
        g.pop(_VERSIONS_KEY, None)
    elif (figures or accounts) and _memo.get() is not None:  # as must the rest of a query_memo
        _memo.get().pop(_VERSION, None)


#: The rows of ``data_version``: the figures' version (every cached result is keyed by it) and
#: the accounts' version (users, sessions and tokens; see :func:`write_transaction`).
FIGURES_ROW = 1
ACCOUNTS_ROW = 2
_VERSIONS_KEY = "cockpit_versions"
#: Both versions in one statement, built once (a request reads it before anything else).
_READ_VERSIONS = select(DataVersion.id, DataVersion.version).where(
    DataVersion.id <= ACCOUNTS_ROW)  # not IN (…): SQLAlchemy expands that anew on every call


def bump_data_version(conn: Connection, *, row: int = FIGURES_ROW) -> None:
    now = datetime.now(UTC).replace(tzinfo=None)
    updated = conn.execute(
        update(DataVersion)
        .where(DataVersion.id == row)
        .values(version=DataVersion.version + 1, changed_at=now)
    )
    if updated.rowcount == 0:
        conn.execute(DataVersion.__table__.insert().values(id=row, version=1, changed_at=now))


def versions() -> tuple[int, int]:
    """The store's data version and accounts version, read together once per request (or per
    :func:`query_memo`): ``(figures, accounts)``, 0 for a version never bumped."""
    if has_request_context() and _VERSIONS_KEY in g:
        return g.get(_VERSIONS_KEY)
    memo = _outside_request_memo()
    if memo is not None and _VERSION in memo:
        return memo[_VERSION]
    with read_connection() as conn:
        found = dict(conn.execute(_READ_VERSIONS).all())
    both = (int(found.get(FIGURES_ROW) or 0), int(found.get(ACCOUNTS_ROW) or 0))
    if has_request_context():
        setattr(g, _VERSIONS_KEY, both)
    elif memo is not None:
        memo[_VERSION] = both
    return both


def data_version() -> int:
    """The store's current data version (read once per request, or per :func:`query_memo`)."""
    return versions()[0]


#: Results already read within :func:`query_memo` (outside a request), by cache key.
_memo: ContextVar[dict | None] = ContextVar("cockpit_query_memo", default=None)
_VERSION = "data-version"


def _outside_request_memo() -> dict | None:
    """The :func:`query_memo` in force, never within a request: a request reads its own
    version and queries (``flask.g``), even if a memo entered elsewhere in this thread was
    left open (a request must never see a data version read before it began)."""
    return None if has_request_context() else _memo.get()


@contextmanager
def query_memo() -> Iterator[None]:
    """Within it, outside a request (a briefing, the benchmarks), each cached query is read
    once and the data version once, as within one request: a build of many panels reads each
    table once, from one version of the store. Within a request it changes nothing."""
    if has_request_context() or _memo.get() is not None:
        yield
        return
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def current_memo() -> dict | None:
    """The memo of this request (``flask.g``) or of the :func:`query_memo` in force; ``None``
    outside both. What a build computes once and shares among its panels is kept there, under
    keys that name the data version."""
    if has_request_context():
        return g.setdefault("cockpit_query_memo", {})
    return _outside_request_memo()


def _own_copy(result: R) -> R:
    """A copy the caller may change without changing what the next caller gets."""
    copy_method = getattr(result, "copy", None)
    if callable(copy_method) and hasattr(result, "to_numpy"):  # a DataFrame or a Series
        return copy_method(deep=True)
    return copy.deepcopy(result)


def cached_query(fn: Callable[P, R]) -> Callable[P, R]:
    """Cache a query function's result under (its name, the data version, its arguments).

    The arguments are keyword-only scalars, strings or :class:`data.scope.Scope`, whose
    ``repr`` is stable; the key is built from their sorted ``repr``, never from a DataFrame.
    """
    name = f"{fn.__module__}.{fn.__qualname__}"

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        if args:
            raise TypeError(f"{fn.__name__} takes keyword arguments only")
        arguments = repr(sorted(kwargs.items()))
        digest = hashlib.blake2b(arguments.encode(), digest_size=16).hexdigest()
        key = f"q:{name}:v{data_version()}:{digest}"
        # Within one request (one page build), each result is read from the cache once.
        memo = current_memo()
        if memo is not None and key in memo:
            return _own_copy(memo[key])
        found = cache_get(key)  # None also while the cache is down: read from the store
        result = found if found is not None else fn(**kwargs)
        if found is None:
            cache_set(key, result)
        if memo is None:
            return result
        memo[key] = result
        return _own_copy(result)

    wrapper.uncached = fn  # type: ignore[attr-defined]
    return wrapper
