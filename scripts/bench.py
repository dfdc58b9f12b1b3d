"""Benchmarks of the cockpit, printed as figures (nothing is asserted).

Start the server first (``make run``), then: ``python scripts/bench.py [BASE_URL] [--runs N]``.

- bytes on the wire and uncompressed for a cold load of ``/`` in headless Chromium;
- time for ``/`` to become ready (KPI cards and the map's regions drawn), cold cache;
- time for a drill-down click to show the city's page;
- /risk: time to ready and the cost of one step of the time slider;
- the map figure's JSON bytes per level (computed in-process from the same store).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playwright.sync_api import sync_playwright  # noqa: E402

from scripts.shoot import CHROMIUM_ARGS, session_state  # noqa: E402

READY = ".region-page .kpi-card >> nth=21"


def page_load(browser, base: str) -> dict:
    context = browser.new_context(viewport={"width": 1600, "height": 1000},
                                  storage_state=session_state(base))
    page = context.new_page()
    start = time.perf_counter()
    page.goto(base + "/")
    page.wait_for_selector(READY)
    page.wait_for_selector("#region-map path.choroplethlocation")
    ready = time.perf_counter() - start
    page.wait_for_load_state("networkidle")
    sizes = page.evaluate("""() => performance.getEntriesByType('resource')
        .concat(performance.getEntriesByType('navigation'))
        .reduce((a, e) => [a[0] + e.transferSize, a[1] + e.decodedBodySize, a[2] + 1],
                [0, 0, 0])""")
    start = time.perf_counter()
    page.goto(base + "/region/330100")
    page.wait_for_selector('.region-page[data-adcode="330100"] #region-map path.choroplethlocation')
    city = time.perf_counter() - start
    context.close()
    return {"ready": ready, "wire": sizes[0], "raw": sizes[1], "requests": sizes[2],
            "city": city}


def risk_load(browser, base: str) -> dict:
    """/risk for the whole province: ready time, and what one step of the time slider costs."""
    context = browser.new_context(viewport={"width": 1600, "height": 1000},
                                  storage_state=session_state(base))
    page = context.new_page()
    start = time.perf_counter()
    page.goto(base + "/risk?event=1&at=2021-07-25T12:00")
    page.wait_for_selector("#risk-map path.choroplethlocation >> nth=89")
    ready = time.perf_counter() - start
    page.wait_for_load_state("networkidle")
    page.evaluate("() => performance.clearResourceTimings()")
    page.locator("#risk-time [role=slider]").focus()
    start = time.perf_counter()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => document.querySelector('#risk-time-label').innerText"
                           " === '2021年7月25日 18:00'")
    step = time.perf_counter() - start
    page.wait_for_load_state("networkidle")
    step_bytes = page.evaluate("""() => performance.getEntriesByType('resource')
        .filter(e => e.name.includes('_dash-update-component'))
        .reduce((a, e) => a + e.decodedBodySize, 0)""")
    context.close()
    return {"ready": ready, "step": step, "step_bytes": step_bytes}


def map_payloads() -> dict[str, int]:
    import os
    import tempfile

    os.environ.setdefault("COCKPIT_INSTANCE_DIR", tempfile.mkdtemp(prefix="cockpit-bench-"))
    import app as cockpit
    from pages.region import page as region
    from tests.auth_tools import signed_in

    runner = cockpit.server.test_cli_runner()
    runner.invoke(args=["init-db"])
    runner.invoke(args=["seed-demo"])
    sizes = {}
    with signed_in(cockpit.server, "leader"):
        for level, adcode in (("province", "330000"), ("city 杭州市", "330100"),
                              ("city 宁波市", "330200"), ("county 西湖区", "330106")):
            page = region.layout(adcode=adcode)
            graph = _find(page, "region-map")
            sizes[level] = len(graph.figure.to_json())
    return sizes


def _find(component, component_id):
    if getattr(component, "id", None) == component_id:
        return component
    children = getattr(component, "children", None)
    for child in children if isinstance(children, list) else [children]:
        if hasattr(child, "to_plotly_json"):
            found = _find(child, component_id)
            if found is not None:
                return found
    return None


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("base", nargs="?", default="http://127.0.0.1:8050")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    base = args.base.rstrip("/")

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page_load(browser, base)  # warm the server's caches and compressed bundles
        runs = [page_load(browser, base) for _ in range(args.runs)]
        risk_runs = [risk_load(browser, base) for _ in range(args.runs)]
        browser.close()
    median = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
    print(f"/ cold load, median of {args.runs} runs (fresh browser context each):")
    print(f"  ready (22 KPI cards + map drawn): {median['ready']:.2f} s")
    print(f"  bytes on the wire: {median['wire'] / 1e6:.2f} MB "
          f"(uncompressed {median['raw'] / 1e6:.2f} MB, {median['requests']:.0f} requests)")
    print(f"  / → /region/330100 (browser cache warm), ready: {median['city']:.2f} s")
    risk = {k: statistics.median(r[k] for r in risk_runs) for k in risk_runs[0]}
    print(f"/risk (90 counties), median of {args.runs} runs:")
    print(f"  ready (map drawn): {risk['ready']:.2f} s")
    print(f"  one step of the time slider: {risk['step']:.2f} s, "
          f"{risk['step_bytes'] / 1000:.1f} kB from the server (a Patch, no boundaries)")
    print("map figure JSON (boundaries + values) per level:")
    for level, size in map_payloads().items():
        print(f"  {level}: {size / 1000:.1f} kB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
