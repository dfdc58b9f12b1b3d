"""A cold build of a city's cockpit and the counties' rank history on the demo store.

    python scripts/bench_cold.py                      # a fresh SQLite demo store (made once)
    python scripts/bench_cold.py --url postgresql+psycopg://127.0.0.1:5432/some_seeded_db

With no cache (every query reads the store), ``--repeat`` times each of:

- the cockpit of Hangzhou (every desk panel: the page-content of ``/region/330100``) built as a
  request builds it: a fresh application and request context, so each query is read once per
  build (the request's query memo) and nothing is kept between builds;
- the same outside a request (as a briefing builds panels): ``registry.build_all`` reads each
  query once too (:func:`data.store.query_memo`; before it, each query asked again was read
  again);
- the rank history of the province's 90 counties (``/rankings?of=county``);

and prints the median and range of the wall time and of this process's CPU time, the Python
garbage collector's share (full collections walk every object the process holds: their cost
grows with the process, not with the page), and the machine's load average. Nothing is
asserted. ``scripts/bench_volume.py`` asks the same questions of PostgreSQL at 1×–100× the data.
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CITY = "330100"


def store_app(url: str):
    from flask import Flask

    from config.settings import Settings
    from data.store import init_store

    server = Flask("bench-cold")
    warnings.filterwarnings("ignore", message=".*NullCache.*")
    init_store(server, Settings(database_url=url, cache_type="null",
                                instance_dir=Path(tempfile.mkdtemp(prefix="bench-cold-"))))
    return server


def seed(server) -> None:
    from data.migrate import upgrade_to_head
    from data.reference import load_reference
    from data.seeding import seed_all
    from data.store import engine, write_transaction

    with server.app_context():
        upgrade_to_head(engine())
        with write_transaction() as conn:
            load_reference(conn)
        with write_transaction() as conn:
            seed_all(conn)


class CollectorClock:
    """Time spent in the garbage collector, per generation."""

    def __init__(self) -> None:
        self.seconds = [0.0, 0.0, 0.0]
        self.counts = [0, 0, 0]
        self._started = 0.0

    def __call__(self, phase: str, info: dict) -> None:
        if phase == "start":
            self._started = time.perf_counter()
        else:
            self.seconds[info["generation"]] += time.perf_counter() - self._started
            self.counts[info["generation"]] += 1


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", help="a seeded store (default: a fresh SQLite demo store)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--freeze", action="store_true",
                        help="gc.freeze() once warm, as a server could after start-up: the "
                             "objects of the start-up are no longer walked by each collection")
    args = parser.parse_args()

    url = args.url
    if url is None:
        path = Path(tempfile.gettempdir()) / "cockpit-bench-cold-demo.sqlite"
        url = f"sqlite:///{path}"
        fresh = not path.exists()
    else:
        fresh = False
    server = store_app(url)
    if fresh:
        started = time.perf_counter()
        seed(server)
        print(f"demo store made in {time.perf_counter() - started:.1f} s ({url})", flush=True)

    from data import queries, ranking_queries
    from data.reference import PROVINCE
    from data.scope import EVERYTHING
    from panels import registry
    from panels.context import make_context

    def one_request():
        with server.app_context(), server.test_request_context(f"/region/{CITY}"):
            return registry.build_all(make_context(scope=EVERYTHING, adcode=CITY),
                                      surface=registry.DESK)

    def no_request():
        return registry.build_all(make_context(scope=EVERYTHING, adcode=CITY),
                                  surface=registry.DESK)

    with server.app_context():
        latest = queries.periods(scope=EVERYTHING)[-1]
        questions = {
            "city cockpit, one request": one_request,
            "city cockpit, no request": no_request,
            "rank history, 90 counties": lambda: ranking_queries.rank_history(
                scope=EVERYTHING, region=PROVINCE, level="county", period=latest),
        }
        clock = CollectorClock()
        gc.callbacks.append(clock)
        if args.freeze:
            for ask in questions.values():
                ask()
            gc.collect()
            gc.freeze()
        print(f"store: {url.split('@')[-1]}; gc.freeze: {args.freeze}; "
              f"load average before: {os.getloadavg()}")
        print(f"{'question':<28}{'wall median (range) ms':>28}{'cpu median ms':>15}"
              f"{'gc ms/run':>11}")
        for name, ask in questions.items():
            ask()  # warm: imports, the database's buffers
            walls, cpus = [], []
            clock.seconds, clock.counts = [0.0, 0.0, 0.0], [0, 0, 0]
            for _ in range(args.repeat):
                wall, cpu = time.perf_counter(), time.process_time()
                ask()
                walls.append(time.perf_counter() - wall)
                cpus.append(time.process_time() - cpu)
            collected = sum(clock.seconds) / args.repeat * 1e3
            spread = f"{statistics.median(walls) * 1e3:.0f} ({min(walls) * 1e3:.0f}–" \
                     f"{max(walls) * 1e3:.0f})"
            print(f"{name:<28}{spread:>28}{statistics.median(cpus) * 1e3:>15.0f}"
                  f"{collected:>11.0f}", flush=True)
        gc.callbacks.remove(clock)
        print(f"load average after: {os.getloadavg()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
