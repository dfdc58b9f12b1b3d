"""What every page loads (``components/lazy_scripts.py``): AG Grid's bundle only where a grid is
drawn, Dash's small chunks of the main pages with the page, no core-js polyfill."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def scripts_of(html: str) -> list[str]:
    return re.findall(r'<script src="([^"]+)"', html)


def test_a_page_leaves_the_grid_bundle_out_and_names_where_it_is(client):
    page = client.get("/").get_data(as_text=True)
    scripts = scripts_of(page)
    assert not [s for s in scripts if "dash_ag_grid" in s]
    assert any("06-lazy-grid.js" in s for s in scripts)
    src = re.search(r'<meta name="cockpit-grid-src" content="([^"]+)"', page).group(1)
    assert re.fullmatch(r"/_dash-component-suites/dash_ag_grid/dash_ag_grid\.v[\w]+\.min\.js", src)
    bundle = client.get(src)
    assert bundle.status_code == 200
    assert b"window.dash_ag_grid=" in bundle.get_data()
    assert "max-age=31536000" in bundle.headers["Cache-Control"]


def test_the_grid_chunks_are_still_served(client):
    assert client.get("/_dash-component-suites/dash_ag_grid/async-community.js").status_code == 200


def test_the_main_pages_chunks_come_with_the_page(client):
    scripts = scripts_of(client.get("/").get_data(as_text=True))
    for chunk in ("async-graph", "async-dropdown", "async-slider"):
        assert any(f"dcc/{chunk}." in s for s in scripts), chunk
    # the others stay lazy: a page that needs one fetches it
    assert not any("async-datepicker" in s or "async-markdown" in s for s in scripts)


def test_no_core_js_polyfill_but_the_regenerator_runtime(client):
    scripts = scripts_of(client.get("/").get_data(as_text=True))
    assert not any("polyfill" in s for s in scripts)
    runtime = next(s for s in scripts if "regenerator-runtime" in s)
    # before the renderer and Dash's component bundles, which call regeneratorRuntime
    assert scripts.index(runtime) < min(i for i, s in enumerate(scripts) if "dash-renderer" in s
                                        or "dash_core_components" in s)
    assert "globalThis.regeneratorRuntime = runtime" in (
        ROOT / "assets/01-regenerator-runtime.js").read_text()


def test_the_frame_draws_each_lazy_kind_once_hidden(request_context, cockpit):
    from tests.layout_tools import find

    frame = cockpit.shell_layout()
    warmers = find(frame, lambda c: "component-warmers" in (getattr(c, "className", "") or ""))
    assert len(warmers) == 1 and warmers[0].hidden is True
    kinds = {type(c).__name__ for c in warmers[0].children}
    assert kinds == {"Dropdown", "Slider", "Graph"}


def test_plotly_js_is_not_a_script_of_the_page_but_named_for_the_charts(client):
    page = client.get("/").get_data(as_text=True)
    scripts = scripts_of(page)
    assert not [s for s in scripts if "plotly" in s and "plotly-draws" not in s], scripts
    assert any("02-plotly-draws.js" in s for s in scripts)
    src = re.search(r'<meta name="cockpit-plotly-src" content="([^"]+)"', page).group(1)
    assert re.fullmatch(r"/assets/plotly-cockpit\.min\.js\?m=[\d.]+", src)
    bundle = client.get(src)
    assert bundle.status_code == 200
    assert b"var Plotly=" in bundle.get_data()
    assert "immutable" in bundle.headers["Cache-Control"]


def test_the_watermark_is_one_copy_that_the_browser_repeats(request_context, cockpit):
    from tests.layout_tools import find

    frame = cockpit.shell_layout()
    marks = find(frame, lambda c: (getattr(c, "className", "") or "") == "watermark")
    assert len(marks) == 1
    copies = marks[0].to_plotly_json()["props"]["data-copies"]
    assert int(copies) >= 40
    assert len(find(marks[0], lambda c: getattr(c, "className", "") == "watermark-mark")) == 1
