"""The load test (``make loadtest``; not part of ``make test``): 50 simulated desk users browse,
filter and drill down for 5 minutes against the deployment the README describes for many
users — gunicorn (``config/gunicorn.conf.py``) on PostgreSQL with the Redis cache — all on
loopback, with a database and Redis keys of its own that are removed afterwards.

    python scripts/loadtest.py [--users 50] [--minutes 5] [--workers 2] [--default]

``--default`` runs it against the default set-up instead (``make run``: SQLite in the
instance folder, each worker's own in-process cache). ``--after-sign-in`` counts only what
follows the last user's sign-in (locust's ``--reset-stats``): the 50 sign-ins within 10 s cost
about 0.2 s of argon2id each and hold both cores for that time, which is not browsing.

It prints the machine's load before and after (the figures depend on what else runs), the
requests, the errors (the target is zero) and p50/p95/p99 per kind of request and in all, from
locust's own statistics (``scripts/locustfile.py``). Exit status 1 if any request failed.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts.bench_stack import free_port  # noqa: E402

PG_ADMIN = "postgresql+psycopg://127.0.0.1:5432/postgres"
REDIS = "redis://127.0.0.1:6379/0"


def environment(instance: Path, database_url: str | None, prefix: str, port: int,
                workers: int) -> dict[str, str]:
    """The server's settings: PostgreSQL and Redis, or (``database_url`` None) the defaults."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("COCKPIT_")}
    env.update(COCKPIT_INSTANCE_DIR=str(instance), COCKPIT_HOST="127.0.0.1",
               COCKPIT_PORT=str(port), COCKPIT_WORKERS=str(workers),
               # Every simulated user signs in from this one address.
               COCKPIT_LOGIN_ATTEMPTS="1000", PYTHONPATH=str(ROOT))
    if database_url is not None:
        env.update(COCKPIT_DATABASE_URL=database_url, COCKPIT_CACHE_TYPE="redis",
                   COCKPIT_REDIS_URL=REDIS, COCKPIT_CACHE_KEY_PREFIX=prefix)
    return env


def database(action: str, name: str) -> None:
    from sqlalchemy import create_engine, text

    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if action == "create":
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        else:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def remove_keys(prefix: str) -> int:
    import redis

    client = redis.Redis.from_url(REDIS)
    keys = list(client.scan_iter(f"{prefix}*", count=1000))
    for start in range(0, len(keys), 500):
        client.delete(*keys[start:start + 500])
    return len(keys)


def wait_healthy(url: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("gunicorn did not start (see its log)")
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=5) as answer:  # noqa: S310
                if json.loads(answer.read()).get("cache") in ("ok", "local"):
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError("gunicorn did not answer within 180 s")


def percentiles(stats_csv: Path) -> list[dict[str, str]]:
    with stats_csv.open(encoding="utf-8") as rows:
        return list(csv.DictReader(rows))


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} / {five:.2f} / {fifteen:.2f} on {os.cpu_count()} cores"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--minutes", type=float, default=5)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--default", action="store_true",
                        help="the default set-up (SQLite, in-process cache), not PostgreSQL+Redis")
    parser.add_argument("--after-sign-in", action="store_true",
                        help="count only requests after every user has signed in")
    args = parser.parse_args()

    run_id = uuid.uuid4().hex[:10]
    name, prefix = f"cockpit_load_{run_id}", f"cockpit-load-{run_id}:"
    instance = Path(tempfile.mkdtemp(prefix="cockpit-load-"))
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    database_url = f"postgresql+psycopg://127.0.0.1:5432/{name}"
    env = environment(instance, None if args.default else database_url, prefix, port,
                      args.workers)
    if not args.default:
        database("create", name)
    server = None
    try:
        for command in ("init-db", "seed-demo"):
            subprocess.run([sys.executable, "-m", "flask", "--app", "app:server", command],
                           cwd=ROOT, env=env, check=True, capture_output=True)
        log = (instance / "gunicorn.log").open("w")
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "config/gunicorn.conf.py"),
             "app:server"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        wait_healthy(url, server)
        where = "SQLite, in-process cache" if args.default else "PostgreSQL and Redis"
        print(f"gunicorn ({args.workers} workers × 4 threads) on {where} at {url}")
        print(f"before: {load()}", flush=True)
        out = instance / "locust"
        started = time.monotonic()
        subprocess.run(
            [sys.executable, "-m", "locust", "-f", str(ROOT / "scripts/locustfile.py"),
             "--headless", "--users", str(args.users), "--spawn-rate", "5",
             "--run-time", f"{int(args.minutes * 60)}s", "--host", url, "--csv", str(out),
             "--only-summary", "--loglevel", "WARNING", "--stop-timeout", "30",
             *(["--reset-stats"] if args.after_sign_in else [])],
            cwd=ROOT, check=False)
        took = time.monotonic() - started
        print(f"after:  {load()} ({took / 60:.1f} min)")
        rows = percentiles(Path(f"{out}_stats.csv"))
        failures = sum(int(r["Failure Count"]) for r in rows if r["Name"] == "Aggregated")
        print(f"\n{'request':<16}{'count':>8}{'errors':>8}{'p50 ms':>9}{'p95 ms':>9}"
              f"{'p99 ms':>9}{'req/s':>8}")
        for row in rows:
            print(f"{row['Name'][:15]:<16}{row['Request Count']:>8}{row['Failure Count']:>8}"
                  f"{row['50%']:>9}{row['95%']:>9}{row['99%']:>9}"
                  f"{float(row['Requests/s']):>8.1f}")
        errors_csv = Path(f"{out}_failures.csv")
        if failures and errors_csv.exists():
            print("\nfailures:\n" + errors_csv.read_text(encoding="utf-8")[:3000])
        tracebacks = len(re.findall(r"Traceback", (instance / "gunicorn.log").read_text(
            encoding="utf-8", errors="replace")))
        print(f"\nerrors: {failures}; tracebacks in the server's log: {tracebacks}")
        return 1 if failures or tracebacks else 0
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
        if not args.default:
            database("drop", name)
            remove_keys(prefix)


if __name__ == "__main__":
    sys.exit(main())
