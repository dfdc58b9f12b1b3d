"""The cockpit's queries at 1×, 10× and 100× the demo's indicator values, on PostgreSQL.

    make bench-volume                          # or: python scripts/bench_volume.py
    python scripts/bench_volume.py --scales 1 10 --url postgresql+psycopg://127.0.0.1:5432/x

The demo holds 86,976 indicator values (26 indicators × 102 regions, monthly, 2020-12 to
2026-10). The volume grows the way a real store grows, by history: each further ×1 is the
demo's values again, 72 months earlier (100× reaches back about 600 years: synthetic, but the
rows, their spread over the keys and the pages' questions are those of a store that has
collected figures for a long time). 100× is 8.7 million rows, about 1.5 GB with its indexes on
this machine's disk (76 GB free), made in a few minutes by the database itself
(INSERT … SELECT … generate_series); 1,000× would need 15 GB and an hour.

For each volume, a throw-away database (dropped afterwards) is migrated and seeded with the
demo once; the larger ones are copies of it (CREATE DATABASE … TEMPLATE) with the history
added and ANALYZEd. Then, with no cache (every call reads the store), the median of
``--repeat`` calls of:

- the months with figures, and the data's freshness (what every page's header asks);
- the status of every indicator of Hangzhou and its 13 counties (the cards and the map);
- one indicator's trend for Hangzhou;
- the rank history of the province's 90 counties (/rankings?of=county: a year of boards);
- the whole cockpit of Hangzhou built from the store (every panel: the cold drill-down), once
  outside a request (``registry.build_all`` reads each query once: :func:`data.store.query_memo`;
  before it, each query asked again read the store again) and once as a request builds it (a
  fresh application and request context: each query read once per request, and nothing kept
  between builds);

and the plan (EXPLAIN ANALYZE) of every statement on ``indicator_values`` they send, at the
largest volume. Nothing is asserted: the figures are printed.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import uuid
import warnings
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DEFAULT_URL = "postgresql+psycopg://127.0.0.1:5432/postgres"
CITY, COUNTY = "330100", "330106"
#: Months between one copy of the demo's history and the next.
SHIFT_MONTHS = 72

INFLATE = """
INSERT INTO indicator_values (indicator_code, region_adcode, period, value, updated_at, source)
SELECT v.indicator_code, v.region_adcode,
       to_char(to_date(v.period, 'YYYY-MM')
               - make_interval(months => s * CAST(:shift AS integer)), 'YYYY-MM'),
       v.value * (0.9 + 0.2 * random()),
       v.updated_at - make_interval(months => s * CAST(:shift AS integer)),
       v.source
FROM indicator_values v
     CROSS JOIN generate_series(CAST(:first AS integer), CAST(:last AS integer)) AS s
WHERE v.period >= :demo_first
"""


def server_url(url: str, database: str) -> str:
    return make_url(url).set(database=database).render_as_string(hide_password=False)


def admin(url: str, *statements: str) -> None:
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        for statement in statements:
            conn.execute(text(statement))
    engine.dispose()


def store_app(url: str):
    from flask import Flask

    from config.settings import Settings
    from data.store import init_store

    server = Flask("bench-volume")
    warnings.filterwarnings("ignore", message=".*NullCache.*")
    init_store(server, Settings(database_url=url, cache_type="null",
                                instance_dir=Path(tempfile.mkdtemp(prefix="bench-volume-"))))
    return server


def seed(url: str) -> None:
    from data.migrate import upgrade_to_head
    from data.reference import load_reference
    from data.seeding import seed_all
    from data.store import engine, write_transaction

    with store_app(url).app_context():
        upgrade_to_head(engine())
        with write_transaction() as conn:
            load_reference(conn)
        with write_transaction() as conn:
            seed_all(conn)
        engine().dispose()  # no connection left open: the database is copied next


def inflate(url: str, scale: int) -> tuple[int, float]:
    """Add ``scale - 1`` copies of the demo's history, earlier; (rows, seconds)."""
    engine = create_engine(url)
    started = time.perf_counter()
    with engine.begin() as conn:
        first = conn.execute(text("SELECT min(period) FROM indicator_values")).scalar()
        if scale > 1:
            conn.execute(text(INFLATE), {"shift": SHIFT_MONTHS, "first": 1, "last": scale - 1,
                                         "demo_first": first})
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("ANALYZE"))
        rows = conn.execute(text("SELECT count(*) FROM indicator_values")).scalar()
    engine.dispose()
    return rows, time.perf_counter() - started


def questions(server) -> dict[str, Callable[[], object]]:
    """The questions, each asked as the pages ask it (what they need beforehand, the latest
    month and the catalogue, is read once here, not timed)."""
    from data import queries, ranking_queries
    from data.reference import PROVINCE
    from data.scope import EVERYTHING, Scope
    from panels import registry
    from panels.context import make_context

    latest = queries.periods(scope=EVERYTHING)[-1]
    tree = queries.regions(scope=EVERYTHING)
    adcodes = (CITY, *tree.loc[tree["parent_adcode"] == CITY, "adcode"])
    first_indicator = queries.indicators(scope=EVERYTHING)["code"].iloc[0]
    county_user = Scope(regions=(COUNTY,))

    def one_request():
        with server.app_context(), server.test_request_context(f"/region/{CITY}"):
            return registry.build_all(make_context(scope=EVERYTHING, adcode=CITY),
                                      surface=registry.DESK)

    return {
        "months with figures": lambda: queries.periods(scope=EVERYTHING),
        "months, a county's user": lambda: queries.periods(scope=county_user),
        "data freshness": lambda: queries.dataset_status(scope=EVERYTHING),
        "freshness, county user": lambda: queries.dataset_status(scope=county_user),
        "city + counties status": lambda: queries.indicator_status(
            scope=EVERYTHING, adcodes=adcodes, period=latest),
        "one indicator's trend": lambda: queries.indicator_trend(
            scope=EVERYTHING, adcode=CITY, indicator=first_indicator, period=latest),
        "city cockpit, cold": lambda: registry.build_all(
            make_context(scope=EVERYTHING, adcode=CITY), surface=registry.DESK),
        "city cockpit, one request": one_request,
        "rank history, 90 counties": lambda: ranking_queries.rank_history(
            scope=EVERYTHING, region=PROVINCE, level="county", period=latest),
    }


def panel_timings(server, repeat: int) -> dict[str, float]:
    """Median seconds of each desk panel within one request's build, in the desk's order (a
    query two panels share is paid by the first that asks it), and of making the context."""
    from data.scope import EVERYTHING
    from panels import registry
    from panels.context import make_context

    runs: dict[str, list[float]] = {}
    for _ in range(repeat + 1):  # the first is a warm-up
        with server.app_context(), server.test_request_context(f"/region/{CITY}"):
            started = time.perf_counter()
            ctx = make_context(scope=EVERYTHING, adcode=CITY)
            runs.setdefault("panel: (context)", []).append(time.perf_counter() - started)
            for key in registry.keys(registry.DESK):
                started = time.perf_counter()
                registry.build(ctx, key)
                runs.setdefault(f"panel: {key}", []).append(time.perf_counter() - started)
    return {name: statistics.median(times[1:]) for name, times in runs.items()}


def measure(url: str, repeat: int) -> tuple[dict[str, float], dict[str, list[tuple]]]:
    """Median seconds per question, and the statements on indicator_values each sent."""
    from data.store import engine

    timings: dict[str, float] = {}
    sent: dict[str, list[tuple]] = {}
    server = store_app(url)
    with server.app_context():
        recorded: list[tuple] = []

        def record(conn, cursor, statement, parameters, context, executemany):  # noqa: ARG001
            if "indicator_values" in statement and not executemany:
                recorded.append((statement, parameters))

        event.listen(engine(), "before_cursor_execute", record)
        for name, ask in questions(server).items():
            recorded.clear()
            ask()  # warm: the database's own buffers, Python's imports
            sent[name] = list({statement: (statement, parameters)
                               for statement, parameters in reversed(recorded)}.values())
            runs = []
            for _ in range(repeat):
                started = time.perf_counter()
                ask()
                runs.append(time.perf_counter() - started)
            timings[name] = statistics.median(runs)
        timings |= panel_timings(server, repeat)
        event.remove(engine(), "before_cursor_execute", record)
        engine().dispose()
    return timings, sent


def explain(url: str, sent: dict[str, list[tuple]]) -> None:
    engine = create_engine(url)
    raw = engine.raw_connection()
    try:
        seen = set()
        for name, statements in sent.items():
            for statement, parameters in statements:
                if statement in seen:
                    continue
                seen.add(statement)
                print(f"\n-- {name}:\n{' '.join(statement.split())[:600]}")
                with raw.cursor() as cursor:
                    cursor.execute("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + statement,
                                   parameters)
                    for (line,) in cursor.fetchall():
                        print("   ", line)
    finally:
        raw.close()
        engine.dispose()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", default=DEFAULT_URL,
                        help="a PostgreSQL server (its database is only used to create others)")
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10, 100])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--prefix", default="cockpit_volume",
                        help="the throw-away databases' names begin with it")
    args = parser.parse_args()

    tag = uuid.uuid4().hex[:8]
    base = f"{args.prefix}_{tag}_1"
    made = [base]
    results: dict[int, tuple[int, float, dict[str, float]]] = {}
    sent: dict[str, list[tuple]] = {}
    try:
        admin(args.url, f'CREATE DATABASE "{base}"')
        started = time.perf_counter()
        seed(server_url(args.url, base))
        print(f"demo seeded in {time.perf_counter() - started:.1f} s", flush=True)
        for scale in sorted(args.scales):
            name = base if scale == 1 else f"{args.prefix}_{tag}_{scale}"
            if scale != 1:
                admin(args.url, f'CREATE DATABASE "{name}" TEMPLATE "{base}"')
                made.append(name)
            url = server_url(args.url, name)
            rows, seconds = inflate(url, scale)
            print(f"{scale}×: {rows:,} indicator values (made in {seconds:.1f} s)", flush=True)
            timings, sent = measure(url, args.repeat)
            results[scale] = (rows, seconds, timings)
        report(results)
        largest = max(results)
        print(f"\n== Plans at {largest}× (EXPLAIN ANALYZE) ==")
        explain(server_url(args.url, made[-1] if largest != 1 else base), sent)
    finally:
        for name in made:
            admin(args.url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    return 0


def report(results: dict[int, tuple[int, float, dict[str, float]]]) -> None:
    scales = sorted(results)
    print("\n== The cockpit's questions, no cache, PostgreSQL (median ms) ==")
    print(f"{'question':<26}" + "".join(f"{f'{s}×':>10}" for s in scales)
          + f"{'largest ÷ 1×':>14}")
    print(f"{'indicator values':<26}" + "".join(f"{results[s][0]:>10,}" for s in scales))
    for name in results[scales[0]][2]:
        row = [results[s][2][name] * 1e3 for s in scales]
        print(f"{name:<26}" + "".join(f"{v:>10.1f}" for v in row) + f"{row[-1] / row[0]:>14.2f}")


if __name__ == "__main__":
    sys.exit(main())
