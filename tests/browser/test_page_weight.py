"""What keeps a main page light in the browser: one callback per load, charts drawn one at a
time and those far below when the reader gets there, the watermark repeated by the browser, and
Dash's dropdown reached by its own button (assets/02-plotly-draws.js, 05-session.js,
09-dropdown-focus.js; components/frame.py)."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

TREND = "#region-trend .js-plotly-plot"

#: Dash's dropdowns' hidden stand-ins (aria-hidden inputs) that a keyboard still reaches (axe:
#: aria-hidden-focus), and dropdown buttons that it does not reach.
UNREACHABLE_OR_HIDDEN = """() => Array.from(
    document.querySelectorAll('.dash-dropdown-focus-target'))
  .filter(stand => !stand.closest('[hidden]'))
  .flatMap(stand => {
    const button = stand.nextElementSibling;
    const wrong = [];
    if (stand.tabIndex >= 0 && !stand.inert) wrong.push('stand-in: ' + stand.outerHTML);
    if (button && !button.disabled && button.tabIndex < 0) wrong.push('button: ' + button.id);
    return wrong;
  })"""


def callbacks_of_a_load(page: Page, path: str, ready: str) -> list[str]:
    """The outputs of the callbacks the page at ``path`` calls (the list grows while the page
    stays open), once ``ready`` is on the page and the network is idle."""
    calls: list[str] = []
    page.on("request", lambda r: calls.append(json.loads(r.post_data)["output"])
            if "_dash-update-component" in r.url else None)
    page.goto(path)
    expect(page.locator(ready).first).to_be_attached()
    page.wait_for_load_state("networkidle")
    return calls


@pytest.mark.parametrize("path, ready", [
    ("/", "#region-map path.choroplethlocation"),
    ("/risk", "#risk-map path.choroplethlocation"),
    ("/problems", "#problems-funnel .main-svg"),
    ("/tasks", "#tasks-table .ag-row"),
])
def test_a_main_page_makes_one_callback_and_hides_nothing_focusable(
        page: Page, path: str, ready: str) -> None:
    calls = callbacks_of_a_load(page, path, ready)
    assert len(calls) == 1 and "_pages_content" in calls[0], calls
    assert page.evaluate(UNREACHABLE_OR_HIDDEN) == []


@pytest.mark.parametrize("path, ready, user, also", [
    ("/rankings", "#rankings-level", None, ["rankings-history.figure"]),
    ("/appeals", "#appeals-category", None, []),
    ("/apps", "#apps-system", None, []),
    ("/audit", "#audit-action", "admin", []),
    ("/data", ".data-page h2", "admin", []),
    ("/screen", "#screen-map path.choroplethlocation", None, []),
])
def test_another_page_calls_nothing_in_vain(page: Page, sign_in, path: str, ready: str,
                                            user: str | None, also: list[str]) -> None:
    """Their navigation goes through an address bar of their own (components/frame.navigator):
    Dash does not call it when the page is drawn. The only other callback is one the page
    asks for (the rankings' year of ranks, computed after the page is drawn)."""
    if user is not None:
        sign_in(page, user)
    calls = callbacks_of_a_load(page, path, ready)
    page.wait_for_timeout(300)
    assert "_pages_content" in calls[0] and calls[1:] == also, calls


def test_tab_reaches_a_dropdown_by_its_own_button(page: Page) -> None:
    page.goto("/tasks")
    expect(page.locator("#tasks-status")).to_be_visible()
    page.locator("#tasks-system").focus()
    page.evaluate("""() => { window.__focused = [];
        document.addEventListener('focusin', e => window.__focused.push(
            e.target.id || e.target.className)); }""")
    page.keyboard.press("Tab")
    focused = page.evaluate("window.__focused")
    # straight to the next dropdown's button: never to a hidden stand-in first
    assert len(focused) == 1 and focused[0].startswith("tasks-"), focused
    assert page.evaluate("document.activeElement.getAttribute('aria-haspopup')") == "listbox"
    page.keyboard.press("ArrowDown")
    expect(page.locator("[role=listbox]").first).to_be_visible()
    page.keyboard.press("Escape")


def test_the_watermark_covers_the_page_from_one_copy(page: Page) -> None:
    page.goto("/")
    marks = page.locator(".watermark .watermark-mark")
    expect(marks).to_have_count(40)
    expect(marks.nth(39)).to_contain_text("省领导（演示）")


def test_a_chart_far_below_is_drawn_when_the_reader_gets_there(page: Page) -> None:
    page.set_viewport_size({"width": 1350, "height": 700})
    page.goto("/")
    expect(page.locator("a.kpi-card").first).to_be_visible()
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(300)
    assert page.locator(TREND).count() == 0  # some five screens down: not drawn yet
    page.locator("#region-trend").scroll_into_view_if_needed()
    expect(page.locator(TREND)).to_have_count(1)
    expect(page.locator("#region-trend .scatterlayer .trace").first).to_be_attached()


def test_plotly_evaluates_itself_in_steps_and_then_draws(page: Page) -> None:
    """When its script has run, plotly.js is a stand-in that waits (the rest of it is evaluated
    in later tasks: scripts/plotly_bundle/build.mjs); then it is the whole plotly.js and the
    charts are drawn."""
    page.add_init_script("""document.addEventListener('load', event => {
        if ((event.target.src || '').includes('plotly-cockpit')) {
            window.__atLoad = {pending: !!window.Plotly.cockpitPending,
                               register: typeof window.Plotly.register};
        }
    }, true);""")
    page.goto("/risk")
    expect(page.locator("#risk-map path.choroplethlocation").first).to_be_attached()
    assert page.evaluate("window.__atLoad") == {"pending": True, "register": "undefined"}
    assert page.evaluate("""() => [window.Plotly.cockpitPending, typeof window.Plotly.register,
        typeof window.Plotly.Plots.resize, window.Plotly.react.cockpitQueued]""") == [
        None, "function", "function", True]


def test_every_chart_is_drawn_before_printing(page: Page) -> None:
    page.set_viewport_size({"width": 1350, "height": 700})
    page.goto("/")
    expect(page.locator("a.kpi-card").first).to_be_visible()
    page.wait_for_load_state("networkidle")
    page.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")
    expect(page.locator(TREND)).to_have_count(1)
    expect(page.locator("#region-map path.choroplethlocation")).to_have_count(11)
    expect(page.locator("#region-risk-map path.choroplethlocation").first).to_be_attached()
