"""The health check (``/healthz``): answers within a second whatever the services do.

The store and the cache are probed in one background thread per process; a request waits at
most :data:`ANSWER_WITHIN` seconds for the probe. A probe still running from an earlier request
(a database that accepts connections and never answers) is waited on, never doubled: a hung
service costs one thread, not one per request, and the answer says it gave no answer.
"""

from __future__ import annotations

import logging
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as ProbeTimeout

from flask import Flask
from sqlalchemy import select

from data.schema import DataVersion
from data.store import FIGURES_ROW, StoreUnavailable, cache, read_connection

log = logging.getLogger(__name__)

#: The longest a health request waits for the probe (seconds).
ANSWER_WITHIN = 1.0

_probes = ThreadPoolExecutor(max_workers=1, thread_name_prefix="health")
_lock = threading.Lock()
_running: Future | None = None


def probe(app: Flask) -> dict:
    """What the store and the cache say now (may block as long as they do)."""
    found: dict = {}
    with app.app_context():
        try:
            with read_connection() as conn:
                version = conn.execute(select(DataVersion.version)
                                       .where(DataVersion.id == FIGURES_ROW)).scalar()
            found |= {"database": "ok", "data_version": int(version or 0)}
        except StoreUnavailable as down:
            log.warning("health check: store unreachable: %s", down)
            found["database"] = "unreachable"
        found["cache"] = cache_state(app)
    return found


def cache_state(app: Flask) -> str:
    """``ok``, ``unreachable`` or ``local`` (a cache inside the process needs no check)."""
    backend = app.extensions.get("cache", {}).get(cache)  # flask-caching's backend of ``app``
    client = getattr(backend, "_write_client", None)  # a Redis client (RedisCache)
    if client is None:
        return "local"
    try:
        client.ping()  # short timeouts, no retries (data.store.redis_options)
    except Exception as down:  # noqa: BLE001 - any client error means the same here
        log.warning("health check: cache unreachable: %s", down)
        return "unreachable"
    return "ok"


def health(app: Flask) -> tuple[dict, int]:
    """The answer of ``/healthz`` and its HTTP status (200, or 503 when the store cannot
    be read or does not answer in time; a cache that is down is 200 ``degraded``)."""
    global _running
    with _lock:
        if _running is None or _running.done():
            _running = _probes.submit(probe, app)
        running = _running
    try:
        found = running.result(timeout=ANSWER_WITHIN)
    except ProbeTimeout:
        log.warning("health check: no answer from the store within %.0f s", ANSWER_WITHIN)
        return {"status": "error", "database": "no_answer"}, 503
    if found["database"] != "ok":
        return {"status": "error", **found}, 503
    return {"status": "degraded" if found["cache"] == "unreachable" else "ok", **found}, 200
