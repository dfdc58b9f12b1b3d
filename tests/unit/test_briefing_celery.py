"""A briefing produced through a real Celery worker on the machine's Redis (``COCKPIT_JOBS=
celery``): the page's background callback is handed to Dash's CeleryManager, a worker started
here (``celery -A app:celery_app worker``, the README's command) runs it, reports progress
through Redis and stores the briefing. The worker has a queue of its own and a Redis database
of its own (and its task keys under the queue's name), so it collides with no other run."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from briefing import jobs
from briefing.background import make_manager
from briefing.document import BriefingRequest
from config.settings import Settings
from data import accounts
from data import briefings as records
from data.windows import Window
from tests.conftest import _TEST_INSTANCE, REDIS_URL, port_open, require

ROOT = Path(__file__).resolve().parents[2]
#: The Redis database of this test's broker and results (the cache tests use 0 with prefixes).
REDIS_DB = 13
READY_TIMEOUT = 90.0
JOB_TIMEOUT = 120.0


@pytest.fixture
def celery_worker(cockpit, tmp_path):
    require(port_open("127.0.0.1", 6379), "Redis is not reachable on 127.0.0.1:6379")
    queue = f"cockpit-test-{uuid.uuid4().hex[:10]}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("COCKPIT_")}
    env.update(COCKPIT_INSTANCE_DIR=str(_TEST_INSTANCE), COCKPIT_DATABASE_URL="",
               COCKPIT_CACHE_TYPE="simple", COCKPIT_JOBS="celery", COCKPIT_CELERY_QUEUE=queue,
               COCKPIT_CELERY_BROKER_URL=f"{REDIS_URL}/{REDIS_DB}", PYTHONUNBUFFERED="1")
    log = tmp_path / "celery.log"
    with log.open("w", encoding="utf-8") as out:
        worker = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "app:celery_app", "worker", "--queues", queue,
             "--concurrency", "1", "--pool", "solo", "--loglevel", "INFO", "--without-gossip",
             "--without-mingle", "--without-heartbeat", "--hostname", f"{queue}@%h"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + READY_TIMEOUT
        while "ready." not in log.read_text(encoding="utf-8", errors="replace"):
            if worker.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the Celery worker did not start:\n{log.read_text()}",
                            pytrace=False)
            time.sleep(0.2)
        settings = Settings(instance_dir=_TEST_INSTANCE, jobs="celery", celery_queue=queue,
                            celery_broker_url=f"{REDIS_URL}/{REDIS_DB}")
        manager, celery_app = make_manager(settings)
        yield manager, celery_app, log
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait(timeout=10)


def test_a_briefing_is_produced_by_a_celery_worker(cockpit, pages_loaded, celery_worker):
    from pages import briefings as page

    manager, celery_app, log = celery_worker
    assert celery_app.conf.task_default_queue.startswith("cockpit-test-")
    with cockpit.server.app_context():
        briefing_id = jobs.queue(
            account=accounts.find_user("hangzhou"), requested_by="hangzhou", source="page",
            request=BriefingRequest(adcode="330100", window=Window.parse("2026-10"),
                                    sections=("summary", "indicators")))
        job = {"id": briefing_id, "token": page.job_token(briefing_id, "hangzhou")}
    # The page's background callback, as Dash registers it with every manager.
    key = next(k for k, fn in manager.func_registry.items()
               if fn.name.startswith("background_callback_"))
    cache_key = f"{uuid.uuid4().hex}"
    task = manager.call_job_fn(cache_key, manager.func_registry[key], [job],
                               {"args": {}, "args_grouping": [], "inputs_list": [],
                                "states_list": [], "outputs_list": [], "triggered_inputs": [],
                                "cookies": {}, "headers": {}, "path": "/briefings"})
    progress, deadline = [], time.monotonic() + JOB_TIMEOUT
    while not manager.result_ready(cache_key):
        found = manager.get_progress(cache_key)
        if found:
            progress.append(found)
        assert time.monotonic() < deadline, log.read_text()
        time.sleep(0.1)
    message, done = manager.get_result(cache_key, task)
    assert done == briefing_id, (message, log.read_text())
    assert "已生成" in str(message)
    assert f"Task background_callback_{key}" in log.read_text() or "succeeded" in log.read_text()
    with cockpit.server.app_context():
        record = records.get(briefing_id)
        assert record["status"] == "done" and record["size_bytes"] > 10_000
        from briefing import files

        assert files.stored(record["file_name"]).read_bytes().startswith(b"%PDF")
    assert progress, "no progress reached the page through Redis"
