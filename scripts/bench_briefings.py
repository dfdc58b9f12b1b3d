"""Seconds and bytes of the PDF briefings: a province, a city and a county briefing (all
sections, the month 2026-10 of the demo data), each cold (a fresh process: Chromium to start,
no cached query) and warm (the same briefing again in that process, median of three).

    python scripts/bench_briefings.py            # make bench-briefings

It makes its own throw-away store (init-db and seed-demo in a temp folder) and prints one line
per briefing; nothing is asserted (speed is measured, not tested).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CASES = [("province", "330000"), ("city", "330100"), ("county", "330106")]
WINDOW = "2026-10"


def env(instance: Path) -> dict[str, str]:
    found = {k: v for k, v in os.environ.items() if not k.startswith("COCKPIT_")}
    found.update(COCKPIT_INSTANCE_DIR=str(instance), COCKPIT_DATABASE_URL="",
                 COCKPIT_CACHE_TYPE="simple")
    return found


def one_process(adcode: str) -> dict:
    """Run in a fresh process: the cold briefing, then three warm ones."""
    sys.path.insert(0, str(ROOT))
    from app import server
    from briefing import jobs
    from briefing.document import BriefingRequest, Viewer
    from data.scope import EVERYTHING
    from data.windows import Window

    request = BriefingRequest(adcode=adcode, window=Window.parse(WINDOW))
    viewer = Viewer("基准测试", "驾驶舱")
    times, made = [], None
    with server.app_context():
        for _ in range(4):
            started = time.perf_counter()
            made = jobs.make_pdf(request, scope=EVERYTHING, viewer=viewer)
            times.append(time.perf_counter() - started)
    return {"cold": times[0], "warm": statistics.median(times[1:]), "bytes": len(made.data),
            "pages": made.pages}


def main() -> int:
    if len(sys.argv) == 3 and sys.argv[1] == "--one":
        print(json.dumps(one_process(sys.argv[2])))
        return 0
    with tempfile.TemporaryDirectory(prefix="cockpit-bench-briefings-") as folder:
        instance = Path(folder)
        for command in ("init-db", "seed-demo"):
            subprocess.run([sys.executable, "-m", "flask", "--app", "app:server", command],
                           cwd=ROOT, env=env(instance), check=True, capture_output=True)
        print(f"briefing (all sections, {WINDOW})   cold s   warm s   bytes      pages")
        for name, adcode in CASES:
            done = subprocess.run([sys.executable, __file__, "--one", adcode], cwd=ROOT,
                                  env=env(instance), check=True, capture_output=True,
                                  text=True)
            result = json.loads(done.stdout.strip().splitlines()[-1])
            print(f"{name:<9} {adcode}                 {result['cold']:6.2f}   "
                  f"{result['warm']:6.2f}   {result['bytes']:>9,}  {result['pages']:>3}")
        print(f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
