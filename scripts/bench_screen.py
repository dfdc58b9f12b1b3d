"""The large screen left running: its JS heap through many refresh cycles with data changes,
and the bytes and time of one refresh. Printed as figures (nothing is asserted).

``python scripts/bench_screen.py [--cycles 1000] [--refresh 0.2] [--write-every 2]``
(``make bench-screen``) starts a server of its own (gunicorn, two workers) on a throw-away
SQLite store seeded with the demo data, opens ``/screen?rotate=0&refresh=…`` in headless
Chromium and:

1. one refresh with no change: the poll of ``/data-version`` (request and answer, headers
   included) and its time;
2. one refresh with one change: a figure written to the store (Hangzhou's value of the map's
   indicator), then the poll that sees it and the callback that brings the changed panels:
   bytes, the panels sent, and the time from the write to the figure on the screen;
3. the run: ``--cycles`` refresh cycles (polls every ``--refresh`` seconds) while a writer
   changes that figure every ``--write-every`` seconds; the JS heap (after a forced garbage
   collection) at the start, every 100 cycles, and at the end, and how many redraws arrived.
   A write waits until the last one is on the screen (a redraw costs the server seconds: every
   cached query is keyed by the data version), so the server is never buried. The heap is read
   at rest (the last write on the screen), after two forced collections.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402
from sqlalchemy import select, update  # noqa: E402

from data.schema import IndicatorValue  # noqa: E402
from data.store import bump_data_version, make_engine  # noqa: E402
from scripts.shoot import CHROMIUM_ARGS, session_state  # noqa: E402

INDICATOR, REGION = "PDP_SHARE_SAT", "330100"
CALLBACK = "_dash-update-component"


def environment(instance: Path, port: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("COCKPIT_")}
    env.update(COCKPIT_INSTANCE_DIR=str(instance), COCKPIT_CACHE_TYPE="filesystem",
               COCKPIT_PORT=str(port), COCKPIT_WORKERS="2", PYTHONUNBUFFERED="1")
    return env


def start_server(instance: Path) -> tuple[subprocess.Popen, str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = environment(instance, port)
    for command in ("init-db", "seed-demo"):
        subprocess.run([sys.executable, "-m", "flask", "--app", "app:server", command],
                       cwd=ROOT, env=env, check=True, capture_output=True)
    log = (instance / "gunicorn.log").open("w")
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.conf.py",
                               "app:server"], cwd=ROOT, env=env, stdout=log,
                              stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    for _ in range(240):
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2):  # noqa: S310 - local
                return server, base
        except OSError:
            time.sleep(0.5)
    server.terminate()
    raise SystemExit("the server did not start")


class Writer:
    """Writes a new value of the figure (as every write does, bumping the data version)."""

    def __init__(self, instance: Path) -> None:
        self.engine = make_engine(f"sqlite:///{instance / 'cockpit.sqlite3'}")
        with self.engine.connect() as conn:
            self.period = conn.execute(
                select(IndicatorValue.period).where(IndicatorValue.indicator_code == INDICATOR,
                                                    IndicatorValue.region_adcode == REGION)
                .order_by(IndicatorValue.period.desc())).scalars().first()
        self.count = 0

    def write(self) -> str:
        """A value no other region shows (40.0 … 59.9); returns its text on the ranking."""
        self.count += 1
        value = 40 + (self.count * 7 % 200) / 10
        with self.engine.begin() as conn:
            conn.execute(update(IndicatorValue).where(
                IndicatorValue.indicator_code == INDICATOR, IndicatorValue.region_adcode == REGION,
                IndicatorValue.period == self.period).values(value=value))
            bump_data_version(conn)
        return f"{value:.1f}"


def output_name(output: str, prop: str) -> str:
    """A callback output as words: a panel replaced whole (``race``), a part of a panel changed
    in place (``ranking figure 0``, ``race text 1``), or a component by its own id."""
    if not output.startswith("{"):
        return f"{output}.{prop}"
    found = json.loads(output)
    kind = found["type"].removeprefix("screen-")
    if kind == "panel":
        return f"{found['key']} (whole)"
    return f"{found['key']} {kind} {found['n']}"


def heap(cdp, page) -> float:
    """The JS heap in use after two forced garbage collections, read while the screen is at
    rest (a redraw in flight holds its answer and plotly's work for a moment)."""
    page.wait_for_timeout(500)
    for _ in range(2):
        cdp.send("HeapProfiler.collectGarbage")
        page.wait_for_timeout(200)
    return cdp.send("Runtime.getHeapUsage")["usedSize"] / 1e6


def sizes(request) -> int:
    s = request.sizes()
    return (s["requestHeadersSize"] + s["requestBodySize"] + s["responseHeadersSize"]
            + s["responseBodySize"])


SHOWN_JS = ("t => document.querySelector('.screen-frame[data-panel=\"ranking\"]')"
            ".textContent.includes(t)")


def shows(page, text: str, timeout: float = 300_000) -> None:
    page.wait_for_function(SHOWN_JS, arg=text, timeout=timeout)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cycles", type=int, default=1000)
    parser.add_argument("--refresh", type=float, default=0.2)
    parser.add_argument("--write-every", type=float, default=2.0)
    parser.add_argument("--jitless", action="store_true",
                        help="V8 without its compilers (no optimised code in the heap): what "
                             "the page itself keeps, apart from the JIT's warming up")
    args = parser.parse_args()
    instance = Path(tempfile.mkdtemp(prefix="cockpit-bench-screen-"))
    print(f"server: a throw-away store in {instance} (seeding the demo data) …", flush=True)
    server, base = start_server(instance)
    writer = Writer(instance)
    polls: list = []
    redraws: list = []
    try:
        with sync_playwright() as p:
            flags = ["--js-flags=--jitless"] if args.jitless else []
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
                                        args=[*CHROMIUM_ARGS, *flags])
            context = browser.new_context(viewport={"width": 1920, "height": 1080},
                                          storage_state=session_state(base))
            page = context.new_page()
            page.on("requestfinished", lambda r: polls.append(r) if "/data-version" in r.url
                    else redraws.append(r) if CALLBACK in r.url else None)
            page.goto(f"{base}/screen?rotate=0&refresh={args.refresh:g}")
            page.wait_for_selector("#screen-map path.choroplethlocation", timeout=120_000)
            cdp = context.new_cdp_session(page)

            # 1. one refresh with no change
            page.wait_for_timeout(2000)
            poll = polls[-1]
            timing = poll.timing
            print(f"\none refresh, no change: 1 request (GET /data-version), {sizes(poll)} bytes "
                  f"(answer body {poll.sizes()['responseBodySize']} bytes), "
                  f"{timing['responseEnd'] - timing['requestStart']:.1f} ms")

            # 2. one refresh with one change
            before = len(redraws)
            started = time.perf_counter()
            shows(page, writer.write())
            shown = time.perf_counter() - started
            page.wait_for_timeout(200)
            callback = redraws[before]
            answer = callback.response().json()["response"]
            sent = sorted(output_name(k, prop) for k, props in answer.items() for prop in props)
            print(f"one refresh, one change: GET /data-version {sizes(polls[-1])} bytes + "
                  f"POST {CALLBACK} {sizes(callback)} bytes "
                  f"(answer {callback.sizes()['responseBodySize']:,} bytes: {', '.join(sent)}); "
                  f"on the screen {shown:.2f} s after the write "
                  f"(the server's redraw {callback.timing['responseEnd']:.0f} ms)")

            # 3. the long run: a write every --write-every seconds, once the last one shows
            loaded = heap(cdp, page)
            for _ in range(10):  # warm up: plotly's and Dash's first redraws fill caches
                shows(page, writer.write())
            first = heap(cdp, page)
            print(f"\nJS heap after GC: {loaded:.1f} MB when loaded, {first:.1f} MB after 10 "
                  f"redraws (the start of the run)", flush=True)
            start_polls, start_redraws, t0 = len(polls), len(redraws), time.perf_counter()
            writes, text, written = 0, writer.write(), time.perf_counter()
            mark = 100
            marks: dict[int, tuple[float, int]] = {}
            while len(polls) - start_polls < args.cycles:
                page.wait_for_timeout(250)
                if time.perf_counter() - written >= args.write_every and page.evaluate(
                        SHOWN_JS, text):
                    text, written, writes = writer.write(), time.perf_counter(), writes + 1
                if len(polls) - start_polls >= mark:
                    shows(page, text)  # at rest: the last write is on the screen
                    at = heap(cdp, page)
                    marks[mark] = (at, len(redraws) - start_redraws)
                    print(f"  after {mark:>5} cycles ({len(redraws) - start_redraws} redraws, "
                          f"{writes} writes): {at:.1f} MB", flush=True)
                    mark += 100
            last_text = writer.write()
            shows(page, last_text)
            last = heap(cdp, page)
            count = len(redraws) - start_redraws
            print(f"JS heap after GC, end: {last:.1f} MB after {len(polls) - start_polls} "
                  f"refresh cycles, {count} redraws, {writes + 2} "
                  f"writes, {time.perf_counter() - t0:.0f} s "
                  f"(change {last - first:+.1f} MB, {(last - first) / first * 100:+.1f} %)")
            if 100 in marks and count > marks[100][1]:
                at, then = marks[100]
                print(f"from 100 cycles to the end: {(last - at) * 1e3:+.0f} KB over "
                      f"{count - then} redraws ({(last - at) * 1e6 / (count - then) / 1e3:+.1f} KB "
                      "per redraw)")
            browser.close()
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
    return 0


if __name__ == "__main__":
    sys.exit(main())
