"""Benchmark: importing indicator values from CSV into PostgreSQL — rows per second and the
peak memory of the importing process, for a small and a large file (flat memory means the
two peaks are about the same).

    python scripts/bench_import.py                 # 100,000 and 1,000,000 rows
    python scripts/bench_import.py --rows 1000000  # one size only
    python scripts/bench_import.py --url postgresql+psycopg://127.0.0.1:5432/test

It makes a throw-away database on the server of ``--url`` (dropped afterwards), migrates it,
loads the reference data and adds enough synthetic county-level indicators (``BENCH_001``…)
for a million distinct keys, writes the CSV (GB18030, as Chinese Excel saves it), and runs the
import in a fresh process, the way ``flask --app app import`` does, timing it from the
command's start to its end (reading, checking every row, COPY, merge, commit). The same file is
then imported again (every row unchanged). Nothing is asserted: the figures are printed.
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DEFAULT_URL = "postgresql+psycopg://127.0.0.1:5432/test"
PERIODS = [f"{y}-{m:02d}" for y in range(2021, 2027) for m in range(1, 13)][:70]


def child(url: str, path: Path) -> None:
    """Run one import and print its figures (in a process of its own)."""
    from flask import Flask

    from config.settings import Settings
    from data.imports.run import run_import
    from data.store import init_store

    started = time.perf_counter()
    server = Flask("bench")
    init_store(server, Settings(database_url=url, cache_type="null",
                                instance_dir=Path(tempfile.mkdtemp())))
    with server.app_context():
        outcome = run_import(path, kind="indicator-values", channel="cli", actor="bench",
                             filename=path.name)
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if not outcome.accepted:
        print("REFUSED", outcome.message, [i.sentence() for i in outcome.issues[:5]])
        sys.exit(1)
    print(f"{outcome.rows} {outcome.inserted} {outcome.updated} {outcome.unchanged} "
          f"{seconds:.3f} {peak_mb:.1f}")


def make_database(url: str) -> str:
    name = f"cockpit_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return url.rsplit("/", 1)[0] + f"/{name}"


def drop_database(url: str, bench_url: str) -> None:
    name = bench_url.rsplit("/", 1)[1]
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def prepare(bench_url: str, indicators: int) -> list[str]:
    """Migrate, load the reference data, add the synthetic indicators; the counties."""
    from flask import Flask

    from config.settings import Settings
    from data.migrate import upgrade_to_head
    from data.reference import load_reference
    from data.schema import Indicator
    from data.store import engine, init_store, write_transaction

    server = Flask("bench-prepare")
    init_store(server, Settings(database_url=bench_url, cache_type="null",
                                instance_dir=Path(tempfile.mkdtemp())))
    with server.app_context():
        upgrade_to_head(engine())
        with write_transaction() as conn:
            load_reference(conn)
            conn.execute(Indicator.__table__.insert(), [
                {"code": f"BENCH_{i:03d}", "name": f"基准测试指标{i:03d}",
                 "system_code": "DIGITAL_GOV", "unit": "个", "direction": "higher",
                 "owner_department": "BIGDATA", "frequency": "monthly", "target_kind": "stock",
                 "aggregation": "sum", "decimals": 1, "alert_threshold": 90.0,
                 "excellent_threshold": 100.0, "sort_order": 1000 + i,
                 "lowest_level": "county", "target_rule": "none"}
                for i in range(indicators)])
        with engine().connect() as conn:
            regions = [r[0] for r in conn.execute(
                text("SELECT adcode FROM regions ORDER BY adcode")).all()]
        engine().dispose()
    return regions


def write_csv(path: Path, rows: int, regions: list[str]) -> None:
    per_indicator = len(regions) * len(PERIODS)
    with open(path, "w", encoding="gb18030", newline="") as f:
        out = csv.writer(f)
        out.writerow(["指标编码", "地区", "期间", "数值"])
        for n in range(rows):
            indicator, rest = divmod(n, per_indicator)
            region, period = divmod(rest, len(PERIODS))
            out.writerow([f"BENCH_{indicator:03d}", regions[region], PERIODS[period],
                          f"{(n * 7919) % 100000 / 10:.1f}"])


def run_child(bench_url: str, path: Path) -> list[str]:
    done = subprocess.run([sys.executable, __file__, "--child", bench_url, str(path)],
                          capture_output=True, text=True, check=False, cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    if done.returncode:
        raise SystemExit(f"import failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout.split()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default=DEFAULT_URL, help="a PostgreSQL server (any database)")
    parser.add_argument("--rows", type=int, action="append",
                        help="rows per file (repeatable; default 100,000 and 1,000,000)")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], Path(args.child[1]))
        return 0
    sizes = args.rows or [100_000, 1_000_000]
    print(f"Import benchmark: indicator values from CSV (GB18030) into PostgreSQL ({args.url})")
    print(f"{'rows':>10} {'MB':>6} {'run':<10} {'inserted':>9} {'unchanged':>9} "
          f"{'seconds':>8} {'rows/s':>9} {'peak RSS MB':>11}")
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            bench_url = make_database(args.url)
            try:
                per_indicator = 102 * len(PERIODS)
                regions = prepare(bench_url, -(-size // per_indicator))
                path = Path(tmp) / f"values-{size}.csv"
                write_csv(path, size, regions)
                megabytes = path.stat().st_size / 1048576
                for run in ("first", "again"):
                    rows, inserted, _, unchanged, seconds, peak = run_child(bench_url, path)
                    rate = int(rows) / float(seconds)
                    print(f"{int(rows):>10,} {megabytes:>6.1f} {run:<10} {int(inserted):>9,} "
                          f"{int(unchanged):>9,} {float(seconds):>8.2f} {rate:>9,.0f} "
                          f"{float(peak):>11.1f}")
            finally:
                drop_database(args.url, bench_url)
    return 0


if __name__ == "__main__":
    sys.exit(main())
