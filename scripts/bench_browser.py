"""Page loads in headless Chromium (Debian's) and Lighthouse scores, for the benchmark."""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
from pathlib import Path

from scripts.bench_stack import ROOT
from scripts.shoot import CHROMIUM_ARGS

CHROMIUM = "/usr/bin/chromium"
#: What "ready" means on each page: its main content and its charts drawn.
READY = {
    "floor": "document.querySelector('.js-plotly-plot .main-svg')",
    "/": "document.querySelectorAll('.region-page .kpi-card').length >= 20"
         " && document.querySelectorAll('#region-map path.choroplethlocation').length >= 11",
    "/risk": "document.querySelectorAll('#risk-map path.choroplethlocation').length >= 90",
    "/problems": "document.querySelector('#problems-funnel .main-svg')"
                 " && document.querySelectorAll('#problems-map path.choroplethlocation').length",
    "/tasks": "document.querySelector('#tasks-table .ag-row')"
              " && document.querySelector('#tasks-gantt .main-svg')",
}
SIZES = """() => performance.getEntriesByType('navigation')
    .concat(performance.getEntriesByType('resource'))
    .reduce((a, e) => [a[0] + e.transferSize, a[1] + e.decodedBodySize, a[2] + 1], [0, 0, 0])"""


def _visit(page, url: str, ready: str) -> dict:
    page.goto(url)
    ready_ms = page.wait_for_function(f"() => ({ready}) ? performance.now() : false",
                                      polling="raf", timeout=60_000).json_value()
    page.wait_for_load_state("networkidle")
    wire, raw, requests = page.evaluate(SIZES)
    return {"ready": ready_ms / 1000, "wire": wire, "raw": raw, "requests": requests}


def page_loads(browser, url: str, ready: str, *, storage_state: dict | None, runs: int) -> dict:
    """Median of ``runs`` first visits (a fresh browser profile) and repeat visits (the same
    profile, a new navigation)."""
    first, repeat = [], []
    for _ in range(runs):
        context = browser.new_context(viewport={"width": 1600, "height": 1000},
                                      storage_state=storage_state)
        page = context.new_page()
        first.append(_visit(page, url, ready))
        repeat.append(_visit(page, url, ready))
        context.close()
    return {"first": {k: statistics.median(r[k] for r in first) for k in first[0]},
            "repeat": {k: statistics.median(r[k] for r in repeat) for k in repeat[0]}}


def lighthouse_command() -> list[str] | None:
    """The Lighthouse CLI: $LIGHTHOUSE, tools/lighthouse (see the README), or on the PATH."""
    for candidate in (os.environ.get("LIGHTHOUSE"),
                      str(ROOT / "tools/lighthouse/node_modules/.bin/lighthouse"),
                      shutil.which("lighthouse")):
        if candidate and Path(candidate).exists():
            return [candidate]
    return None


def lighthouse(url: str, *, cookie: str | None,
               save: Path | None = None) -> dict[str, float] | str:
    """Desktop performance and accessibility scores (0–100), or why there are none; ``save``:
    where to keep Lighthouse's whole report (JSON)."""
    command = lighthouse_command()
    if command is None:
        return "Lighthouse 未安装（见 README：tools/lighthouse）"
    headers = json.dumps({"Cookie": cookie}) if cookie else None
    args = [*command, url, "--quiet", "--output=json", "--output-path=stdout",
            "--only-categories=performance,accessibility", "--preset=desktop",
            "--chrome-flags=" + " ".join(CHROMIUM_ARGS)]
    if headers:
        args.append(f"--extra-headers={headers}")
    done = subprocess.run(args, capture_output=True, text=True, timeout=300,
                          env={**os.environ, "CHROME_PATH": CHROMIUM}, check=False)
    if done.returncode:
        return f"Lighthouse failed: {done.stderr.strip()[-300:]}"
    report = json.loads(done.stdout)
    if save is not None:
        save.write_text(done.stdout)
    scores = {name: round(100 * category["score"])
              for name, category in report["categories"].items()}
    audits = report["audits"]
    scores["tbt_ms"] = round(audits["total-blocking-time"]["numericValue"])
    scores["lcp_s"] = round(audits["largest-contentful-paint"]["numericValue"] / 1000, 2)
    scores["si_s"] = round(audits["speed-index"]["numericValue"] / 1000, 2)
    scores["long_tasks_ms"] = sorted((round(t["duration"]) for t in
                                      audits["long-tasks"]["details"]["items"]), reverse=True)
    scores["failed_accessibility"] = [ref["id"] for ref in
                                      report["categories"]["accessibility"]["auditRefs"]
                                      if audits[ref["id"]]["score"] == 0]
    return scores
