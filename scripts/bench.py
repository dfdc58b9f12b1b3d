"""The cockpit's speed against its floors, printed as figures (nothing is asserted).

    make bench                      # or: python scripts/bench.py [--runs 3] [--no-lighthouse]
    python scripts/bench.py --code /path/to/another/checkout   # the same, for other code

One run starts, with gunicorn and the app's settings, the cockpit on a fresh demo store and the
floor app (scripts/bench_floor.py: an empty plotly page and a no-op Dash callback on the same
stack), then prints:

- each main page (/, /risk, /problems, /tasks) and the empty plotly page in headless Chromium:
  time until ready (content and charts drawn) and bytes on the wire, first and repeat visit;
- Lighthouse (desktop) performance and accessibility of the same pages (the npm CLI with
  Debian's Chromium: see the README);
- the drill-down (the page-content callback of /region/330100) at 1, 8 and 32 concurrent
  clients, warm and cold (the data version bumped before each round): p50/p95/p99 and
  requests/s, beside the no-op callback;

each as a ratio to its floor, against the targets of issue 11.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playwright.sync_api import sync_playwright  # noqa: E402

from briefing.environment import fontconfig_file  # noqa: E402
from scripts import bench_browser, bench_load, bench_stack  # noqa: E402
from scripts.bench_floor import NOOP_BODY  # noqa: E402
from scripts.shoot import CHROMIUM_ARGS, session_state  # noqa: E402

PAGES = ("/", "/risk", "/problems", "/tasks")
DRILL = "/region/330100"
CONCURRENCY = (1, 8, 32)
TARGETS = {"ready": 1.1, "first": 1.5e6, "repeat": 200e3, "performance": 90,
           "accessibility": 95, "drill_p95_8": 2.0}


def drill_call(browser, base: str, state: dict) -> tuple[dict, dict]:
    """The page-content callback as the browser sends it, made to build /region/330100."""
    context = browser.new_context(storage_state=state)
    page = context.new_page()
    def router(r) -> bool:
        return "_dash-update-component" in r.url and "_pages_location" in (r.post_data or "")

    # The router's call may be sent after the load's network went idle on a busy machine.
    with page.expect_request(router, timeout=60_000) as sent:
        page.goto(base + "/")
    request = sent.value
    payload = json.loads(request.post_data)
    for item in payload["inputs"]:
        if item.get("property") == "pathname":
            item["value"] = DRILL
    headers = {k: v for k, v in request.headers.items()
               if k.lower() in ("cookie", "origin", "referer", "x-csrftoken")}
    headers.setdefault("Cookie", "; ".join(f"{c['name']}={c['value']}"
                                           for c in context.cookies()))
    context.close()
    return payload, headers


def all_loads(browser, app: str, floor: str, state: dict, runs: int) -> dict:
    loads = {"floor": bench_browser.page_loads(browser, floor + "/", bench_browser.READY["floor"],
                                               storage_state=None, runs=runs)}
    for path in PAGES:
        loads[path] = bench_browser.page_loads(browser, app + path, bench_browser.READY[path],
                                               storage_state=state, runs=runs)
    return loads


def measure(code: Path, runs: int, with_lighthouse: bool, per_client: int) -> dict:
    app, instance = bench_stack.cockpit(code, workers=2)
    floor = bench_stack.floor(workers=2)
    bumper = bench_stack.VersionBumper(code, instance)
    results: dict = {"pages": {}, "lighthouse": {}, "load": {}}
    try:
        state = session_state(app.url)
        cookie = "; ".join(f"{c['name']}={c['value']}" for c in state["cookies"])
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=bench_browser.CHROMIUM,
                                        args=CHROMIUM_ARGS)
            # Warm the servers (compressed bundles, cached queries) before measuring.
            bench_browser.page_loads(browser, floor.url + "/", bench_browser.READY["floor"],
                                     storage_state=None, runs=1)
            for path in PAGES:
                bench_browser.page_loads(browser, app.url + path, bench_browser.READY[path],
                                         storage_state=state, runs=1)
            results["pages"] = all_loads(browser, app.url, floor.url, state, runs)
            payload, headers = drill_call(browser, app.url, state)
            browser.close()
            # An office machine has a Chinese font of its own: Noto Sans SC given to Chromium
            # through fontconfig (this machine has none).
            fonts = {**os.environ, "FONTCONFIG_FILE": str(fontconfig_file(instance / "fc"))}
            browser = p.chromium.launch(executable_path=bench_browser.CHROMIUM,
                                        args=CHROMIUM_ARGS, env=fonts)
            results["pages_with_font"] = all_loads(browser, app.url, floor.url, state, runs)
            browser.close()
        if with_lighthouse:
            results["lighthouse"]["floor"] = bench_browser.lighthouse(floor.url + "/",
                                                                      cookie=None)
            for path in PAGES:
                results["lighthouse"][path] = bench_browser.lighthouse(app.url + path,
                                                                       cookie=cookie)
        noop_headers = {"Origin": floor.url}
        for clients in CONCURRENCY:
            load = results["load"].setdefault(clients, {})
            load["noop"] = bench_load.run(floor.url, NOOP_BODY, noop_headers, clients=clients,
                                          per_client=per_client)
            # Warm every worker's cache (the default cache is per process).
            bench_load.run(app.url, payload, headers, clients=8, per_client=3)
            load["warm"] = bench_load.run(app.url, payload, headers, clients=clients,
                                          per_client=per_client)
            load["cold"] = bench_load.run(app.url, payload, headers, clients=clients,
                                          per_client=1, before_each_round=bumper.bump,
                                          rounds=max(2, 8 // clients))
    finally:
        bumper.close()
        app.stop()
        floor.stop()
    return results


def report(results: dict) -> None:
    for key, machine in (("pages", "no Chinese font on the machine: the served slices"),
                         ("pages_with_font", "a Chinese font on the machine (Noto Sans SC)")):
        print(f"\n== Pages in headless Chromium, {machine} ==")
        pages(results[key])
    print(f"(median; ready = content and charts drawn)\ntargets: ready ≤ {TARGETS['ready']}× "
          f"the empty plotly page; first visit ≤ {TARGETS['first'] / 1e6:.1f} MB, repeat ≤ "
          f"{TARGETS['repeat'] / 1e3:.0f} kB")
    lighthouse_and_load(results)


def pages(loads: dict) -> None:
    floor = loads["floor"]
    print(f"{'page':<16}{'ready s':>9}{'× floor':>9}{'first kB':>10}{'raw kB':>9}{'reqs':>6}"
          f"{'repeat s':>10}{'repeat kB':>11}")
    for name, page in loads.items():
        first, repeat = page["first"], page["repeat"]
        print(f"{'empty plotly' if name == 'floor' else name:<16}{first['ready']:>9.2f}"
              f"{first['ready'] / floor['first']['ready']:>9.2f}{first['wire'] / 1e3:>10.0f}"
              f"{first['raw'] / 1e3:>9.0f}{first['requests']:>6.0f}{repeat['ready']:>10.2f}"
              f"{repeat['wire'] / 1e3:>11.1f}")


def lighthouse_and_load(results: dict) -> None:
    if results["lighthouse"]:
        print("\n== Lighthouse (desktop preset) ==")
        for name, scores in results["lighthouse"].items():
            label = "empty plotly" if name == "floor" else name
            if isinstance(scores, str):
                print(f"{label:<16}{scores}")
                continue
            print(f"{label:<16}performance {scores['performance']:>3}  accessibility "
                  f"{scores['accessibility']:>3}  TBT {scores['tbt_ms']} ms  "
                  f"LCP {scores['lcp_s']} s")
        print(f"targets: performance ≥ {TARGETS['performance']}, accessibility ≥ "
              f"{TARGETS['accessibility']}")
    print(f"\n== Drill-down: the page-content callback of {DRILL} vs a no-op callback ==")
    print(f"{'clients':>7} {'call':<6}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'req/s':>8}"
          f"{'p95 × no-op':>13}{'errors':>8}{'bytes':>9}")
    for clients, load in results["load"].items():
        noop = load["noop"]
        for kind in ("noop", "warm", "cold"):
            row = load[kind]
            print(f"{clients:>7} {kind:<6}{row['p50'] * 1e3:>9.1f}{row['p95'] * 1e3:>9.1f}"
                  f"{row['p99'] * 1e3:>9.1f}{row['rps']:>8.1f}"
                  f"{row['p95'] / noop['p95']:>13.1f}{row['errors']:>8}{row['bytes']:>9.0f}")
    print(f"target: warm p95 at 8 clients ≤ {TARGETS['drill_p95_8']}× the no-op's")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--code", type=Path, default=bench_stack.ROOT,
                        help="the source tree of the cockpit to measure (default: this one)")
    parser.add_argument("--runs", type=int, default=3, help="page loads per page (median)")
    parser.add_argument("--calls", type=int, default=20, help="calls per client, warm")
    parser.add_argument("--no-lighthouse", action="store_true")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    results = measure(args.code.resolve(), args.runs, not args.no_lighthouse, args.calls)
    report(results)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
