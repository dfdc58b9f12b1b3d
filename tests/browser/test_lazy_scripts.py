"""AG Grid's bundle is fetched only where a table is drawn, and the main pages do not move while
they load (components/lazy_scripts.py, assets/06-lazy-grid.js)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

GRID_BUNDLE = "dash_ag_grid/dash_ag_grid."
TASK_ROWS = "#tasks-table .ag-center-cols-container .ag-row"

#: Sums the page's layout shifts (what Lighthouse calls CLS), from the first paint on.
SHIFTS = """
window.__shift = 0;
new PerformanceObserver(list => {
  for (const e of list.getEntries()) { if (!e.hadRecentInput) { window.__shift += e.value; } }
}).observe({type: 'layout-shift', buffered: true});
"""


def test_the_grid_bundle_comes_only_with_a_grid(page: Page) -> None:
    fetched: list[str] = []
    page.on("request", lambda r: fetched.append(r.url) if GRID_BUNDLE in r.url else None)
    page.goto("/")
    expect(page.locator("a.kpi-card").first).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert fetched == []

    page.locator('.app-header a.nav-link[href="/tasks"]').click()
    expect(page.locator(TASK_ROWS).first).to_be_visible()
    assert len(fetched) == 1
    # A grid box never stays beside the drawn grid.
    expect(page.locator("#tasks-table")).to_have_count(1)
    expect(page.locator(".lazy-grid-box")).to_be_hidden()

    # Back to the cockpit and to the tasks again: the grid is drawn, the bundle not fetched anew.
    page.go_back()
    expect(page.locator("a.kpi-card").first).to_be_visible()
    page.go_forward()
    expect(page.locator(TASK_ROWS).first).to_be_visible()
    assert len(fetched) == 1


@pytest.mark.parametrize("path, ready", [
    ("/", "#region-map .js-plotly-plot"),
    ("/tasks", TASK_ROWS),
    ("/problems", ".pb-grid .ag-row"),
    ("/risk", "#risk-map .js-plotly-plot"),
])
def test_a_main_page_does_not_move_while_it_loads(page: Page, path: str, ready: str) -> None:
    page.set_viewport_size({"width": 1350, "height": 940})
    page.add_init_script(SHIFTS)
    page.goto(path)
    expect(page.locator(ready).first).to_be_visible()
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(500)
    assert page.evaluate("window.__shift") < 0.05
