"""A worker killed (SIGKILL) in the middle of an import or a briefing loses nothing and leaves
nothing half-done.

Each worker is a child process of the test's own, on a store of the test's own. It is held at
the worst moment — an import with every row written but not committed; a briefing with its
PDF half written into the briefing folder — and killed there. Then:

- the import's store is as it was (rows, batches, data version), on SQLite and PostgreSQL, and
  the same file imports cleanly afterwards;
- the briefing is marked failed once it has been silent too long, can be made again, and the
  half-written file is never served (and is swept away).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from data.imports_schema import ImportBatch
from data.schema import IndicatorValue
from data.store import data_version, read_connection
from tests.conftest import _TEST_INSTANCE
from tests.data.conftest import BACKENDS, migrated_app
from tests.imports_corpus import HEADER, csv_bytes

ROOT = Path(__file__).resolve().parents[2]
#: Long enough to be killed in, short enough that a test never waits on it.
HELD = 60

IMPORT_CHILD = """
import sys, time
import data.store
from tests.conftest import make_store_app
from data.imports.run import run_import
from pathlib import Path

def held(conn):  # every row is written; the commit would follow
    print("MIDWAY", flush=True)
    time.sleep({held})

data.store.bump_data_version = held
app = make_store_app(sys.argv[1])
with app.app_context():
    run_import(Path(sys.argv[2]), kind="indicator-values", channel="cli", actor="测试")
print("DONE", flush=True)
"""

BRIEFING_CHILD = """
import os, sys, time
from pathlib import Path
from briefing import files, jobs
from tests.conftest import make_store_app

real_replace = os.replace

def held(source, target):  # the PDF is in a temporary file of the folder, not yet renamed
    print("MIDWAY", flush=True)
    time.sleep({held})
    real_replace(source, target)

files.os.replace = held
os.environ["COCKPIT_INSTANCE_DIR"] = sys.argv[3]  # tests.conftest chose a folder of its own
app = make_store_app(sys.argv[1])
with app.app_context():
    jobs.produce(int(sys.argv[2]))
print("DONE", flush=True)
"""


def run_and_kill(script: str, *args: str, env_extra: dict | None = None) -> None:
    """Run ``script`` in a child process, wait until it says MIDWAY, kill it (SIGKILL)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), **(env_extra or {})}
    child = subprocess.Popen([sys.executable, "-c", script.replace("{held}", str(HELD)), *args],
                             cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True)
    try:
        line = child.stdout.readline()
        assert line.strip() == "MIDWAY", line + child.stderr.read()[-3000:]
        child.send_signal(signal.SIGKILL)
        assert child.wait(timeout=10) == -signal.SIGKILL
    finally:
        if child.poll() is None:
            child.kill()
            child.wait(timeout=10)
        child.stdout.close()
        child.stderr.close()


def store_state() -> tuple[int, int, int]:
    with read_connection() as conn:
        values = conn.execute(select(func.count()).select_from(IndicatorValue)).scalar_one()
        batches = conn.execute(select(func.count()).select_from(ImportBatch)).scalar_one()
    return values, batches, data_version()


@pytest.mark.parametrize("backend", BACKENDS)
def test_an_import_killed_before_its_commit_leaves_the_store_as_it_was(request, tmp_path,
                                                                       backend):
    app = migrated_app(backend, request, tmp_path)
    url = app.extensions["cockpit_store"].url.render_as_string(hide_password=False)
    rows = [["DG_ZLB_DAU", adcode, month, str(10 + i)]
            for i, (adcode, month) in enumerate(
                (a, m) for a in ("330106", "330102", "330105", "330108")
                for m in ("2026-07", "2026-08", "2026-09", "2026-10"))]
    upload = tmp_path / "values.csv"
    upload.write_bytes(csv_bytes(rows, header=HEADER))
    with app.app_context():
        before = store_state()
    run_and_kill(IMPORT_CHILD, url, str(upload))
    with app.app_context():
        assert store_state() == before  # no row, no batch, the same data version
        from data.imports.run import run_import

        outcome = run_import(upload, kind="indicator-values", channel="cli", actor="测试")
        assert outcome.accepted, outcome.message
        values, batches, version = store_state()
        assert (values, batches) == (before[0] + len(rows), before[1] + 1)
        assert version > before[2]
        from data.store import engine

        engine().dispose()


def test_a_briefing_killed_while_writing_its_file_is_failed_and_made_again(cockpit):
    from briefing import files, jobs
    from briefing.document import BriefingRequest
    from data import accounts
    from data import briefings as records
    from data.windows import Window
    from tests.auth_tools import signed_in_client

    url = cockpit.server.extensions["cockpit_store"].url.render_as_string(hide_password=False)
    with cockpit.server.app_context():
        briefing_id = jobs.queue(
            account=accounts.find_user("hangzhou"), requested_by="hangzhou", source="page",
            request=BriefingRequest(adcode="330100", window=Window.parse("2026-10"),
                                    sections=("summary", "indicators")))
        before = set(files.folder().iterdir())
    run_and_kill(BRIEFING_CHILD, url, str(briefing_id), str(_TEST_INSTANCE))
    with cockpit.server.app_context():
        record = records.get(briefing_id)
        assert record["status"] == "running" and not record["file_name"]
        partial = [p for p in set(files.folder().iterdir()) - before
                   if p.name.startswith(".partial-")]
        assert partial, "the child was not killed while writing its file"
        # Nothing of it is served meanwhile.
        client = signed_in_client(cockpit.server, "hangzhou")
        answer = client.get(f"/briefings/{briefing_id}/file")
        assert answer.status_code in (404, 409) and b"%PDF" not in answer.data  # not made yet
        assert files.stored(partial[0].name) is None
        # Silent too long: marked failed (as the page and the schedule command do), and the
        # leftover is swept away.
        later = accounts.now() + timedelta(minutes=60)
        assert records.sweep_stale(now=later, minutes=15) >= 1
        assert files.sweep_partial(older_than=timedelta(0)) >= 1
        assert not [p for p in files.folder().iterdir() if p.name.startswith(".partial-")]
        failed = records.get(briefing_id)
        assert failed["status"] == "failed" and "可以重新生成" in failed["message"]
        again = jobs.retry(briefing_id, account=accounts.find_user("hangzhou"))
        done = jobs.produce(again)
        assert done["status"] == "done" and files.stored(done["file_name"]) is not None
