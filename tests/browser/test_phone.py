"""The phone (浙政钉's in-app browser, about 390 px wide) and the tablet: nothing is wider than
the screen, every page's main figures can be reached, the header folds into a menu and what
a finger presses is at least 44 px high."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.maps import PROJECT_JS
from tests.browser.regions import Region
from tests.browser.scrolling import scroll_through

pytestmark = pytest.mark.browser

PHONE, TABLET = {"width": 390, "height": 844}, {"width": 768, "height": 1024}
#: (address, its main figures): every page a reader opens on a phone.
PAGES = {
    "/": ["#region-map", "#region-ranking", "#region-trend"],
    "/risk": ["#risk-map"],
    "/problems": ["#problems-map", "#problems-funnel"],
    "/problems/1": [],
    "/tasks": ["#tasks-table"],
    "/tasks/ZD2026-015": ["#task-chain", "#task-map"],
    "/briefings": [],
}
TOUCH = 44

#: Everything in the page wider than the window, by its tag and class (none, or the page
#: scrolls sideways).
TOO_WIDE = """() => {
  const width = document.documentElement.clientWidth;
  const clipped = el => {  // inside a box that clips or scrolls what sticks out of it
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      if (getComputedStyle(up).overflowX !== 'visible') return true;
    }
    return false;
  };
  const wide = [];
  for (const el of document.querySelectorAll('body *')) {
    const box = el.getBoundingClientRect();
    if (box.width && box.right > width + 1 && !clipped(el)
        && !el.closest('.watermark')) {
      wide.push(`${el.tagName.toLowerCase()}.${el.getAttribute('class')}`.slice(0, 80));
    }
  }
  return {scroll: document.documentElement.scrollWidth, width, wide: wide.slice(0, 5)};
}"""


def fits(page: Page) -> None:
    measured = page.evaluate(TOO_WIDE)
    assert measured["scroll"] <= measured["width"], measured
    assert not measured["wide"], measured


def reachable(page: Page, selector: str) -> None:
    """The figure is on the page, inside the screen's width, and shows when scrolled to."""
    expect(page.locator(selector)).to_be_visible()
    # One step in the page (a chart may be drawn again meanwhile: no handle is kept).
    box = page.evaluate("""selector => {
      const el = document.querySelector(selector);
      el.scrollIntoView({block: 'center'});
      const r = el.getBoundingClientRect();
      return {x: r.x, y: r.y, width: r.width, height: r.height};
    }""", selector)
    width = page.viewport_size["width"]
    assert box is not None and box["width"] > 0.8 * (width - 40), (selector, box)
    assert box["x"] >= 0 and box["x"] + box["width"] <= width + 1, (selector, box)


@pytest.mark.parametrize(("size", "paths"), [
    (PHONE, list(PAGES)), (TABLET, ["/", "/problems"]),
], ids=["phone", "tablet"])
def test_pages_fit_the_screen_and_show_their_figures(page: Page, size: dict,
                                                     paths: list[str]) -> None:
    page.set_viewport_size(size)
    for path in paths:
        page.goto(path)
        page.wait_for_load_state("networkidle")
        expect(page.locator("._dash-loading")).to_have_count(0)
        for selector in PAGES[path]:
            reachable(page, selector)
        expect(page.locator("main h2, main h1, main .page-heading").first).to_be_visible()
        fits(page)


def test_on_a_phone_the_header_is_a_menu_and_targets_are_large(page: Page) -> None:
    page.set_viewport_size(PHONE)
    page.goto("/problems")
    page.wait_for_load_state("networkidle")
    menu, nav = page.locator(".menu-toggle"), page.locator(".app-header .nav")
    expect(menu).to_be_visible()
    expect(nav).to_be_hidden()
    assert menu.bounding_box()["height"] >= TOUCH
    header = page.locator(".app-header").bounding_box()
    assert header["height"] <= 60, header  # one line, not a name written down the page

    # What a finger presses in the page: controls and buttons, at least 44 px high.
    expect(page.locator("main .pb-filters .dash-dropdown").first).to_be_visible()
    targets = page.locator("main .dash-dropdown, main button, main .button")
    assert targets.count() >= 5
    small = [box for box in targets.evaluate_all(
        "els => els.filter(e => e.getClientRects().length)"
        "          .map(e => [e.className, Math.round(e.getBoundingClientRect().height)])")
        if box[1] < TOUCH]
    assert not small, small

    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    links = nav.locator(".nav-link")
    expect(links.first).to_be_visible()
    assert all(links.nth(i).bounding_box()["height"] >= TOUCH for i in range(links.count()))
    expect(nav.locator('[aria-current="page"]')).to_have_text("七张问题清单")
    nav.get_by_role("link", name="重大任务").click()
    expect(page).to_have_url(re.compile(r"/tasks$"))
    expect(nav).to_be_hidden()
    expect(nav.locator('[aria-current="page"]')).to_have_text("重大任务")
    fits(page)


def test_a_tap_on_a_phone_map_drills_down(browser: Browser, base_url: str, session_cookies,
                                          regions: dict[str, Region]) -> None:
    """A finger: plotly's geo map gives a click only after a hover, which a tap never makes."""
    context = browser.new_context(base_url=base_url, viewport=PHONE, has_touch=True,
                                  is_mobile=True, locale="zh-CN")
    context.add_cookies(session_cookies("leader"))
    try:
        page = context.new_page()
        page.goto("/")
        # The page is drawn once its content has arrived (the map's element may be replaced
        # meanwhile); below the cards on a phone, the map is drawn when scrolled to.
        page.wait_for_load_state("networkidle")
        expect(page.locator(".page-heading")).to_contain_text("浙江省")
        page.locator("#region-map").scroll_into_view_if_needed()
        cities = page.locator("#region-map path.choroplethlocation")
        expect(cities).to_have_count(11)
        point = page.evaluate(PROJECT_JS, ["region-map", *regions["330200"].label_point])
        assert point is not None
        page.touchscreen.tap(point["x"], point["y"])
        expect(page).to_have_url(re.compile(r"/region/330200"))
        expect(page.locator(".page-heading")).to_contain_text("宁波市")
    finally:
        context.close()


def test_on_a_phone_chart_titles_fit_and_table_rows_stay_low(page: Page) -> None:
    page.set_viewport_size(PHONE)
    page.goto("/problems")
    page.wait_for_load_state("networkidle")
    scroll_through(page)  # every chart drawn (those far below wait for the reader)
    expect(page.locator("#problems-map path.choroplethlocation").first).to_be_attached()
    cut = page.evaluate("""() => [...document.querySelectorAll('.js-plotly-plot .gtitle')]
      .map(t => [t.textContent, t.getBoundingClientRect().right,
                 t.closest('.js-plotly-plot').getBoundingClientRect().right])
      .filter(([, right, plot]) => right > plot + 1)""")
    assert not cut, cut
    heights = page.locator(".pb-common-table tbody tr").evaluate_all(
        "rows => rows.map(r => Math.round(r.getBoundingClientRect().height))")
    assert heights and max(heights) <= 80, heights
