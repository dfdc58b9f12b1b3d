"""The first page load after the server starts: what a browser asks of a fresh worker.

A browser asks for the page's scripts all at once, several per connection pool; a gunicorn
worker (``gthread``, 4 threads) that has just booted receives them together. Each of them
must be served.

Regression test: Dash sets itself up on a process's first request and marks that done before
it is, so parallel first requests got HTTP 500 ("dash" is not a registered library) until
``post_worker_init`` in config/gunicorn.conf.py finished the set-up before the worker takes
requests.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.server import (
    Server,
    bundle_paths,
    fetch_all,
    start_gunicorn,
    wait_for_worker_boot,
)

pytestmark = pytest.mark.browser


def test_fresh_worker_serves_parallel_first_requests(live_server: Server,
                                                     server_instance: Path) -> None:
    # The bundles' URLs come from the warmed-up session server (same code, same URLs).
    urls = bundle_paths(live_server.url)
    assert urls, "the index page names no Dash bundles"
    cold = start_gunicorn(server_instance, workers=1, log_name="gunicorn-cold.log")
    try:
        wait_for_worker_boot(cold)
        statuses = fetch_all([cold.url + url for url in urls], parallel=len(urls))
        failed = [url for url, status in zip(urls, statuses, strict=True) if status != 200]
        log = cold.output()
    finally:
        cold.stop()
    assert not failed, (f"{len(failed)} of {len(urls)} bundles failed on a fresh worker: "
                        f"{failed}\n{log[-3000:]}")
