"""Clicking a region on a plotly ``geo`` map as a person would."""

from __future__ import annotations

from playwright.sync_api import Page

from tests.browser.regions import Region

# The screen position of a (lon, lat) on the plotly geo map: plotly's own projection gives the
# position in the geo subplot's frame, whose screen transform maps it to the viewport.
PROJECT_JS = """([graph, lon, lat]) => {
    const gd = document.querySelector(`#${graph} .js-plotly-plot`);
    const geo = gd && gd._fullLayout && gd._fullLayout.geo && gd._fullLayout.geo._subplot;
    if (!geo || !geo.projection) return null;
    const [x, y] = geo.projection([lon, lat]);
    const p = new DOMPoint(x, y).matrixTransform(geo.framework.node().getScreenCTM());
    return {x: p.x, y: p.y};
}"""
HOVERED_JS = """([graph, adcode]) => {
    const gd = document.querySelector(`#${graph} .js-plotly-plot`);
    const points = (gd && gd._hoverdata) || [];
    return points.some(p => p.location === adcode);
}"""


def click_map_region(page: Page, graph: str, region: Region) -> None:
    """Click inside ``region``'s polygon on the map of the graph with id ``graph`` (at the
    region's label point, which is always inside it)."""
    page.locator(f"#{graph}").scroll_into_view_if_needed()
    point = page.evaluate(PROJECT_JS, [graph, *region.label_point])
    assert point is not None, f"#{graph} has no geo subplot"
    viewport = page.viewport_size
    assert 0 <= point["x"] < viewport["width"] and 0 <= point["y"] < viewport["height"], point
    # plotly geo finds the region under the pointer itself: move there, check that it hovers
    # the region we mean, then click.
    page.mouse.move(point["x"], point["y"])
    page.wait_for_function(HOVERED_JS, arg=[graph, region.adcode], timeout=5_000)
    page.mouse.click(point["x"], point["y"])
