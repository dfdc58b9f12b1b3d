"""Lighthouse alone, repeated: the quick loop for the pages' scores (issue 11's target is
performance ≥ 90 and accessibility ≥ 95 on every run, not on some).

    python scripts/bench_lighthouse.py [--runs 2] [--code /path/to/another/checkout]
                                       [--port N] [--save DIR] [PATH ...]

Starts the cockpit as ``scripts/bench.py`` does (gunicorn, the app's settings, a fresh demo store),
then runs Lighthouse (desktop preset) ``--runs`` times over the pages (``/``, ``/risk``,
``/problems``, ``/tasks`` by default), one page after the other, and prints each run's
performance, accessibility, total blocking time, largest contentful paint, speed index, the long
tasks (ms) and the failing accessibility audits, with the machine's load average (Lighthouse's
figures follow the load: on a shared machine, repeat and compare runs made at like loads).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scripts import bench_browser, bench_stack  # noqa: E402
from scripts.bench import PAGES  # noqa: E402
from scripts.shoot import session_state  # noqa: E402


def load_average() -> str:
    return Path("/proc/loadavg").read_text().split()[0]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("paths", nargs="*", default=list(PAGES))
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--code", type=Path, default=bench_stack.ROOT,
                        help="the source tree of the cockpit to measure (default: this one)")
    parser.add_argument("--port", type=int, help="the cockpit's port (default: a free one)")
    parser.add_argument("--save", type=Path, help="a folder to keep each run's whole report in "
                        "(JSON: the long tasks' scripts, the main thread's work by kind)")
    args = parser.parse_args()
    app, _instance = bench_stack.cockpit(args.code.resolve(), workers=2, port=args.port)
    try:
        state = session_state(app.url)
        cookie = "; ".join(f"{c['name']}={c['value']}" for c in state["cookies"])
        for run in range(1, args.runs + 1):
            for path in args.paths:
                before = load_average()
                save = None
                if args.save:
                    args.save.mkdir(parents=True, exist_ok=True)
                    save = args.save / f"run{run}{path.replace('/', '-')}.json"
                s = bench_browser.lighthouse(app.url + path, cookie=cookie, save=save)
                if isinstance(s, str):
                    print(f"run {run} {path:<10} {s}", flush=True)
                    continue
                print(f"run {run} {path:<10} performance {s['performance']:>3}  accessibility "
                      f"{s['accessibility']:>3}  TBT {s['tbt_ms']:>4} ms  LCP {s['lcp_s']:.2f} s  "
                      f"SI {s['si_s']:.2f} s  long tasks {s['long_tasks_ms'][:6]}  "
                      f"failed {s['failed_accessibility']}  load {before}→{load_average()}",
                      flush=True)
    finally:
        app.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
