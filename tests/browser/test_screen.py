"""The large screen in a real browser: the canvas fits any display without scroll bars, the
rotation, a write to the store showing by itself, the idle return, a tap on a touch screen, and
the server going away and coming back."""

from __future__ import annotations

import re
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select, update

from data.schema import IndicatorValue
from data.store import bump_data_version, make_engine
from tests.browser.maps import PROJECT_JS, click_map_region
from tests.browser.regions import Region
from tests.browser.server import (
    SESSION_COOKIE,
    login_cookie,
    start_gunicorn,
    wait_until_healthy,
)

pytestmark = pytest.mark.browser

PROVINCE, HANGZHOU = "330000", "330100"
CITY_COUNT, HANGZHOU_COUNTY_COUNT = 11, 13
MAP_PATHS = "#screen-map path.choroplethlocation"
MAP_NAMES = "#screen-map .scattergeo text"
#: A screen builds every panel at once: on a busy machine its first drawing takes a while.
LOAD = 45_000
SIZES = [(1920, 1080), (3840, 2160), (1366, 768), (2560, 1080), (1080, 1920)]

FIT_JS = """() => {
    const r = document.querySelector('.screen-canvas').getBoundingClientRect();
    const d = document.documentElement;
    return {x: r.x, y: r.y, w: r.width, h: r.height, scrollW: d.scrollWidth,
            scrollH: d.scrollHeight, bodyW: document.body.scrollWidth,
            bodyH: document.body.scrollHeight};
}"""
#: The smallest text on the canvas (CSS px before the canvas is scaled), and the text.
SMALLEST_TEXT_JS = """() => {
    const walker = document.createTreeWalker(document.querySelector('.screen-canvas'),
                                             NodeFilter.SHOW_TEXT);
    let smallest = [1000, ''];
    while (walker.nextNode()) {
        const text = walker.currentNode.textContent.trim();
        if (!text) continue;
        const size = parseFloat(getComputedStyle(walker.currentNode.parentElement).fontSize);
        if (size < smallest[0]) smallest = [size, text];
    }
    return smallest;
}"""


def stage(page: Page):
    return page.locator(".screen-stage")


def current(page: Page, slot: str):
    return page.locator(f'.screen-slot[data-slot="{slot}"] .screen-frame.is-current')


def test_the_screen_fills_every_display_without_scroll_bars(page: Page, artifacts_dir: Path,
                                                             regions: dict[str, Region]):
    cities = sorted(r.name for r in regions.values() if r.parent_adcode == PROVINCE)
    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        page.goto("/screen?rotate=0")
        expect(page.locator(MAP_PATHS)).to_have_count(CITY_COUNT, timeout=LOAD)
        assert sorted(page.locator(MAP_NAMES).all_text_contents()) == cities
        box = page.evaluate(FIT_JS)
        scale = min(width / 1920, height / 1080)
        size = f"{width}×{height}"
        # Scaled uniformly (16:9 kept), centred, filling one side: letterboxed on the other.
        assert box["w"] == pytest.approx(1920 * scale, abs=1), size
        assert box["h"] == pytest.approx(1080 * scale, abs=1), size
        assert box["x"] == pytest.approx((width - box["w"]) / 2, abs=1), size
        assert box["y"] == pytest.approx((height - box["h"]) / 2, abs=1), size
        assert (box["w"] == pytest.approx(width, abs=1)
                or box["h"] == pytest.approx(height, abs=1)), size
        for extent, limit in (("scrollW", width), ("bodyW", width), ("scrollH", height),
                              ("bodyH", height)):
            assert box[extent] <= limit, (size, box)
        page.screenshot(path=artifacts_dir / f"screen-{width}x{height}.png")
    smallest, text = page.evaluate(SMALLEST_TEXT_JS)
    assert smallest >= 18, f"“{text}” is {smallest} px on the canvas"
    expect(page.locator(".screen-header .sh-demo")).to_have_text("演示数据")
    expect(page.locator(".screen-header .sh-fresh")).to_contain_text("数据更新于")
    expect(page.locator(".screen-header .sh-clock")).to_have_text(
        re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$"))
    # Every panel of the screen is there: the headline figures, the map, the side panels.
    for key in ("overview", "map", "indicators", "ranking", "tasks", "problems"):
        expect(page.locator(f'.sp[data-panel="{key}"]')).to_have_count(1)


def test_the_side_panels_rotate_and_the_keys_move_and_pause_them(page: Page):
    page.goto("/screen?rotate=1")
    expect(current(page, "left-top")).to_have_attribute("data-panel", "indicators")
    expect(stage(page)).to_have_attribute("data-step", "1", timeout=5_000)  # by itself
    expect(current(page, "left-top")).to_have_attribute("data-panel", "red_lights")
    expect(current(page, "right-top")).to_have_attribute("data-panel", "problems")
    page.keyboard.press(" ")
    expect(page.locator(".sh-rotation")).to_contain_text("已暂停")
    paused_at = stage(page).get_attribute("data-step")
    page.wait_for_timeout(2_500)
    assert stage(page).get_attribute("data-step") == paused_at
    page.keyboard.press("ArrowRight")
    expect(stage(page)).not_to_have_attribute("data-step", paused_at)
    page.keyboard.press("ArrowLeft")
    expect(stage(page)).to_have_attribute("data-step", paused_at)


@contextmanager
def indicator_value(instance: Path, *, indicator: str, adcode: str, period: str
                    ) -> Iterator:
    """``write(value)`` stores a figure as any write does (bumping the data version); the
    figure is put back afterwards (the server is shared by the session's tests)."""
    engine = make_engine(f"sqlite:///{instance / 'cockpit.sqlite3'}")
    where = (IndicatorValue.indicator_code == indicator, IndicatorValue.region_adcode == adcode,
             IndicatorValue.period == period)
    with engine.begin() as conn:
        old = conn.execute(select(IndicatorValue.value).where(*where)).scalar_one()

    def write(value: float) -> None:
        with engine.begin() as conn:
            conn.execute(update(IndicatorValue).where(*where).values(value=value))
            bump_data_version(conn)

    try:
        yield write
    finally:
        write(old)
        engine.dispose()


def sent_parts(response: dict) -> set[tuple[str, str]]:
    """What a refresh's answer changes: (the panel's key, or a chart's own id; the property)."""
    sent = set()
    for output, props in response.items():
        key = re.search(r'"key":"([^"]+)"', output)
        sent |= {(key.group(1) if key else output, prop) for prop in props}
    return sent


def test_a_write_to_the_store_shows_within_the_refresh_interval(page: Page,
                                                                server_instance: Path):
    calls: list[str] = []
    page.on("request", lambda r: calls.append(r.post_data or "")
            if "_dash-update-component" in r.url else None)
    page.goto("/screen?rotate=0&refresh=1")
    expect(page.locator(MAP_PATHS)).to_have_count(CITY_COUNT, timeout=LOAD)
    page.keyboard.press("ArrowRight")  # the rotation's place, which a refresh keeps
    expect(stage(page)).to_have_attribute("data-step", "1")
    ranking = page.locator('.screen-frame[data-panel="ranking"]')
    # The map's chart on the screen now: a refresh must change its figure, not replace it.
    page.evaluate("document.querySelector('#screen-map .js-plotly-plot').__mark = 1")
    with indicator_value(server_instance, indicator="PDP_SHARE_SAT", adcode=HANGZHOU,
                         period="2026-10") as write:
        before = len(calls)
        with page.expect_response(lambda r: "_dash-update-component" in r.url,
                                  timeout=LOAD) as answer:
            written = time.monotonic()
            write(55.5)
        expect(ranking).to_contain_text("55.5")
        page.wait_for_timeout(1_500)
        # One request for the change: the refresh. The map's drill is not called with an
        # empty click, neither when the page was drawn nor after the refresh.
        drills = [c for c in calls if "screen-nav.href" in c or "app-url.href" in c]
        assert not drills, drills
        assert len(calls) - before == 1, calls[before:]
        print(f"\n[timing] a write showed on the screen {time.monotonic() - written:.2f} s "
              f"later (refresh=1)")
        sent = sent_parts(answer.value.json()["response"])
        # Only the panels the figure is on came back, and their charts changed in place (a
        # new figure for the chart on the screen); the tasks and problems did not.
        assert {("screen-map", "figure"), ("ranking", "figure")} <= sent, sent
        assert not {key for key, _ in sent} & {"tasks", "problems", "risk", "map"}, sent
    expect(page.locator("#screen-map .js-plotly-plot")).to_have_js_property("__mark", 1)
    expect(stage(page)).to_have_attribute("data-step", "1")
    expect(ranking).not_to_contain_text("55.5", timeout=LOAD)  # put back, and shown again


def test_a_click_drills_and_the_screen_returns_home_when_idle(page: Page,
                                                              regions: dict[str, Region]):
    page.goto("/screen?rotate=0&idle=10")
    expect(page.locator(MAP_PATHS)).to_have_count(CITY_COUNT, timeout=LOAD)
    click_map_region(page, "screen-map", regions[HANGZHOU])
    expect(page).to_have_url(re.compile(r"/screen/330100\?rotate=0&idle=10$"))
    expect(page.locator(MAP_PATHS)).to_have_count(HANGZHOU_COUNTY_COUNT, timeout=LOAD)
    expect(page.locator(".sh-crumbs .crumb-current")).to_have_text("杭州市")
    # Nobody touches it: back to where it was opened.
    expect(page).to_have_url(re.compile(r"/screen\?rotate=0&idle=10$"), timeout=LOAD)
    expect(page.locator(MAP_PATHS)).to_have_count(CITY_COUNT, timeout=LOAD)


def console_errors(page: Page) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    return errors


def test_a_tap_drills_on_the_wall_screens_own_account(browser: Browser, base_url: str,
                                                     regions: dict[str, Region]):
    """Signed in with the wall screen's device token, on a touch screen."""
    context = browser.new_context(base_url=base_url, viewport={"width": 1366, "height": 768},
                                  has_touch=True, locale="zh-CN")
    try:
        page = context.new_page()
        errors = console_errors(page)
        page.goto("/login/device#token=dev_Demo-2026-screen&next=/screen%3Frotate%3D0")
        expect(page).to_have_url(re.compile(r"/screen\?rotate=0$"))
        expect(page.locator(MAP_PATHS)).to_have_count(CITY_COUNT, timeout=LOAD)
        point = page.evaluate(PROJECT_JS, ["screen-map", *regions[HANGZHOU].label_point])
        page.touchscreen.tap(point["x"], point["y"])
        expect(page).to_have_url(re.compile(r"/screen/330100\?rotate=0$"))
        expect(page.locator(MAP_PATHS)).to_have_count(HANGZHOU_COUNTY_COUNT, timeout=LOAD)
        assert not errors, errors
    finally:
        context.close()


def test_the_screen_waits_for_its_server_and_recovers(browser: Browser, server_instance: Path,
                                                      tmp_path: Path):
    """A server of its own (the session's is shared), stopped and started again."""
    source = sqlite3.connect(server_instance / "cockpit.sqlite3")
    copy = sqlite3.connect(tmp_path / "cockpit.sqlite3")
    with copy:
        source.backup(copy)
    source.close()
    copy.close()
    server = start_gunicorn(tmp_path, workers=1, log_name="gunicorn.log")
    context = None
    try:
        wait_until_healthy(server)
        host = urlsplit(server.url).hostname
        context = browser.new_context(
            base_url=server.url, viewport={"width": 1600, "height": 900}, locale="zh-CN",
            storage_state={"cookies": [{"name": SESSION_COOKIE, "value": login_cookie(server.url),
                                        "domain": host, "path": "/", "expires": -1,
                                        "httpOnly": True, "secure": False, "sameSite": "Lax"}],
                           "origins": []})
        page = context.new_page()
        errors = console_errors(page)
        page.goto("/screen?rotate=0&refresh=1")
        expect(page.locator(MAP_PATHS)).to_have_count(CITY_COUNT, timeout=LOAD)
        banner = page.locator(".screen-banner")
        expect(banner).to_be_hidden()

        server.stop()
        expect(banner).to_be_visible(timeout=10_000)
        expect(banner).to_have_text("连接中断，正在重试")
        expect(page.locator(MAP_PATHS)).to_have_count(CITY_COUNT)  # the figures stay
        expect(page.locator(".sp-overview .ss-number").first).not_to_be_empty()

        server = start_gunicorn(tmp_path, workers=1, log_name="gunicorn.log",
                                port=int(urlsplit(server.url).port))
        wait_until_healthy(server)
        expect(banner).to_be_hidden(timeout=LOAD)
        expect(stage(page)).to_have_attribute("data-connection", "up")
        expect(page.locator(MAP_PATHS)).to_have_count(CITY_COUNT, timeout=LOAD)
        # The only errors are the browser's own notes of the refused requests.
        assert all("ERR_CONNECTION_REFUSED" in e for e in errors), errors
    finally:
        if context is not None:
            context.close()
        server.stop()


def test_the_screen_reloads_itself_after_the_hours_asked(page: Page):
    """``?reload=HOURS``: a full reload of the same address (its settings kept) once that long
    has passed, and not before. The page's clock is Playwright's, moved forward by hand:
    0.01 hours (the least the address allows) is 36 seconds."""
    page.clock.install()
    page.goto("/screen/330100?rotate=0&reload=0.01")
    expect(page.locator(MAP_PATHS)).to_have_count(HANGZHOU_COUNTY_COUNT, timeout=LOAD)
    page.evaluate("window.__loaded_once = true")
    page.clock.fast_forward(30_000)
    page.wait_for_timeout(1_000)
    assert page.evaluate("window.__loaded_once") is True  # not yet
    with page.expect_event("load", timeout=LOAD):
        page.clock.fast_forward(7_000)
    assert page.evaluate("window.__loaded_once") is None  # a new document
    expect(page).to_have_url(re.compile(r"/screen/330100\?rotate=0&reload=0\.01$"))
    expect(page.locator(MAP_PATHS)).to_have_count(HANGZHOU_COUNTY_COUNT, timeout=LOAD)
    expect(stage(page)).to_have_attribute("data-reload", "0.01")


#: Table cells whose content sticks out of their cell, and side panels whose last row falls
#: below the panel (the badge cut at the right, the last list cut at the bottom).
CUT_JS = """() => {
    const out = [];
    for (const el of document.querySelectorAll('.screen-side .ss-table td > *')) {
        const cell = el.closest('td').getBoundingClientRect(), box = el.getBoundingClientRect();
        if (box.right > cell.right + 1) out.push(`wide: ${el.textContent}`);
    }
    for (const panel of document.querySelectorAll('.screen-side .sp')) {
        const rows = panel.querySelectorAll('.ss-table tbody tr');
        if (!rows.length) continue;
        const last = rows[rows.length - 1].getBoundingClientRect();
        if (last.bottom > panel.getBoundingClientRect().bottom + 1)
            out.push(`below: ${panel.dataset.panel}`);
    }
    return out;
}"""


def test_side_panels_show_their_rows_whole(page: Page):
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto("/screen?rotate=0&panels=directives,problems,appeals,race")
    for key in ("directives", "problems", "appeals"):
        expect(page.locator(f'.sp[data-panel="{key}"] .ss-table tbody tr').first
               ).to_be_visible(timeout=LOAD)
    assert page.evaluate(CUT_JS) == []
    # The hot list's rank is narrow and its category wide enough for the name.
    ranks, names = page.evaluate("""() => {
        const heads = document.querySelectorAll('.sp[data-panel="appeals"] thead th');
        return [heads[0].getBoundingClientRect().width, heads[1].getBoundingClientRect().width];
    }""")
    assert ranks < names
