"""The cockpit in a real browser: the province page, drilling down on the map, the
breadcrumb and the back button, the controls, and the messages for wrong addresses."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
from playwright.sync_api import Page, expect

from data.reference import read_indicators
from data.rules import applies_at
from tests.browser.maps import click_map_region
from tests.browser.regions import Region
from tests.browser.server import REPO_ROOT

pytestmark = pytest.mark.browser

PROVINCE, HANGZHOU, NINGBO, XIHU = "330000", "330100", "330200", "330106"
DEFAULT_INDICATOR, DEFAULT_PERIOD = "PDP_SHARE_SAT", "2026-10"
CITY_COUNT, HANGZHOU_COUNTY_COUNT, NINGBO_COUNTY_COUNT = 11, 13, 10
#: Cards per level: an indicator not counted at a level is named in a line, not a card.
CARDS = {level: sum(applies_at(lowest, level) for lowest in read_indicators()["lowest_level"])
         for level in ("province", "city", "county")}
KPI_COUNT = CARDS["province"]

MAP_PATHS = "#region-map path.choroplethlocation"
MAP_NAMES = "#region-map .scattergeo text"

def region_page(page: Page, adcode: str):
    return page.locator(f'div.region-page[data-adcode="{adcode}"]')


def wait_for_region(page: Page, adcode: str, *, level: str, map_paths: int) -> None:
    """The region's page is built and its map drawn."""
    expect(region_page(page, adcode)).to_be_visible()
    expect(region_page(page, adcode)).to_have_attribute("data-level", level)
    expect(page.locator("a.kpi-card")).to_have_count(CARDS[level])
    expect(page.locator(MAP_PATHS)).to_have_count(map_paths)


def children(regions: dict[str, Region], parent: str) -> list[str]:
    return sorted(r.name for r in regions.values() if r.parent_adcode == parent)


def click_region_on_map(page: Page, region: Region) -> None:
    click_map_region(page, "region-map", region)


def click_bar(page: Page, adcode: str) -> None:
    """Click the ranking chart's bar of ``adcode`` (the bars carry [adcode] as customdata)."""
    ranking = page.locator("#region-ranking")
    ranking.scroll_into_view_if_needed()
    index = page.evaluate(
        """adcode => document.querySelector('#region-ranking .js-plotly-plot')
               .data[0].customdata.findIndex(c => String(c[0]) === adcode)""", adcode)
    assert index >= 0, f"no bar for {adcode}"
    box = ranking.locator(".barlayer .point path").nth(index).bounding_box()
    assert box is not None
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(1, 1)  # from outside the chart, so that moving onto the bar is a move
    page.mouse.move(x, y, steps=4)
    page.wait_for_function(
        """adcode => ((document.querySelector('#region-ranking .js-plotly-plot')._hoverdata)
               || []).some(p => p.customdata && String(p.customdata[0]) === adcode)""",
        arg=adcode, timeout=5_000)
    page.mouse.click(x, y)


def query_of(page: Page) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(page.url).query))


def path_of(page: Page) -> str:
    return urlsplit(page.url).path


READY_JS = f"""() => document.querySelectorAll('a.kpi-card').length === {KPI_COUNT}
    && document.querySelectorAll('{MAP_PATHS}').length === {CITY_COUNT}
    && performance.now()"""


def ready_seconds(page: Page, navigate) -> tuple[float, float]:
    """(in-page seconds from navigation start to ready, wall-clock seconds incl. navigate)."""
    started = time.perf_counter()
    navigate()
    ready_ms = page.wait_for_function(READY_JS, polling="raf", timeout=30_000).json_value()
    return ready_ms / 1000, time.perf_counter() - started


def test_province_page(page: Page, regions: dict[str, Region], artifacts_dir: Path) -> None:
    # Navigation start to ready (cards and map drawn), measured in the page: first with an
    # empty browser cache, then on reload (bundles from the cache). Printed, not asserted.
    first = ready_seconds(page, lambda: page.goto("/"))
    again = ready_seconds(page, page.reload)
    print(f"\n[timing] / ready ({KPI_COUNT} KPI cards + {CITY_COUNT} map regions) after "
          f"navigation start: first visit {first[0]:.2f} s ({first[1]:.2f} s wall clock), "
          f"reload {again[0]:.2f} s ({again[1]:.2f} s wall clock)")

    wait_for_region(page, PROVINCE, level="province", map_paths=CITY_COUNT)
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    cards = page.locator("a.kpi-card")
    for i in range(KPI_COUNT):
        expect(cards.nth(i)).to_be_visible()
    groups = page.locator("section.system-group")
    assert groups.count() >= 6
    titles = page.locator("section.system-group h3.system-title")
    expect(titles).to_have_count(groups.count())
    title_texts = titles.all_inner_texts()
    assert any(t.startswith("数字政府") for t in title_texts), title_texts
    assert any(t.startswith("数字经济") for t in title_texts), title_texts
    # Every card is inside a group, and each group has at least one.
    expect(page.locator("section.system-group a.kpi-card")).to_have_count(KPI_COUNT)
    for i in range(groups.count()):
        assert groups.nth(i).locator("a.kpi-card").count() >= 1
    # The default indicator's card is the selected one.
    selected = page.locator("a.kpi-card.is-selected")
    expect(selected).to_have_count(1)
    expect(selected.locator(".kpi-name")).to_have_text("公共数据平台数据共享需求满足率")
    expect(page.locator("header.app-header .demo-badge")).to_have_text("演示数据")
    expect(page.locator("header.app-header .demo-badge")).to_be_visible()
    expect(page.locator("header.app-header .freshness")).to_contain_text("数据更新于")
    expect(page.locator("nav.breadcrumb span.crumb-current")).to_have_text("浙江省")
    expect(page.locator("nav.breadcrumb a.crumb-link")).to_have_count(0)
    expect(page).to_have_title(re.compile("浙江省"))
    # The 11 cities are on the map, with their names.
    city_names = children(regions, PROVINCE)
    assert len(city_names) == CITY_COUNT
    expect(page.locator(MAP_NAMES)).to_have_count(CITY_COUNT)
    assert sorted(page.locator(MAP_NAMES).all_text_contents()) == city_names
    page.screenshot(path=artifacts_dir / "province.png", full_page=True)


def test_map_click_opens_city(page: Page, regions: dict[str, Region],
                              artifacts_dir: Path) -> None:
    page.goto("/")
    wait_for_region(page, PROVINCE, level="province", map_paths=CITY_COUNT)

    click_region_on_map(page, regions[HANGZHOU])

    expect(page).to_have_url(re.compile(rf"/region/{HANGZHOU}\?"))
    wait_for_region(page, HANGZHOU, level="city", map_paths=HANGZHOU_COUNTY_COUNT)
    assert path_of(page) == f"/region/{HANGZHOU}"
    assert query_of(page) == {"indicator": DEFAULT_INDICATOR, "period": DEFAULT_PERIOD}
    expect(page.locator("nav.breadcrumb a.crumb-link")).to_have_text(["浙江省"])
    expect(page.locator("nav.breadcrumb span.crumb-current")).to_have_text("杭州市")
    expect(page.locator("nav.breadcrumb")).to_have_text(re.compile(r"^\s*浙江省\s*›\s*杭州市\s*$"))
    expect(page.locator("h2.page-heading")).to_contain_text("杭州市")
    county_names = children(regions, HANGZHOU)
    assert len(county_names) == HANGZHOU_COUNTY_COUNT
    # Names that would overlap in the city's centre are left out (each still names itself on
    # hover); the others are written.
    expect(page.locator(MAP_NAMES).filter(has_text="淳安县")).to_have_count(1)
    shown = [t for t in page.locator(MAP_NAMES).all_text_contents() if t]
    assert set(shown) <= set(county_names), shown
    assert HANGZHOU_COUNTY_COUNT - 3 <= len(shown) < HANGZHOU_COUNTY_COUNT, shown
    expect(page).to_have_title(re.compile("杭州市"))
    page.screenshot(path=artifacts_dir / "city.png", full_page=True)


def test_ranking_bar_click_opens_city(page: Page) -> None:
    page.goto("/?indicator=DG_ZLB_DAU&period=2026-09")
    wait_for_region(page, PROVINCE, level="province", map_paths=CITY_COUNT)
    expect(page.locator("#region-ranking .barlayer .point path")).to_have_count(CITY_COUNT)

    click_bar(page, NINGBO)

    expect(page).to_have_url(re.compile(rf"/region/{NINGBO}\?"))
    wait_for_region(page, NINGBO, level="city", map_paths=NINGBO_COUNTY_COUNT)
    assert query_of(page) == {"indicator": "DG_ZLB_DAU", "period": "2026-09"}
    expect(page.locator("nav.breadcrumb span.crumb-current")).to_have_text("宁波市")
    # Now the ranking compares Ningbo's counties.
    expect(page.locator("#region-ranking .barlayer .point path")).to_have_count(
        NINGBO_COUNTY_COUNT)


def test_county_breadcrumb_and_back_button(page: Page, regions: dict[str, Region],
                                           artifacts_dir: Path) -> None:
    page.goto(f"/region/{HANGZHOU}?indicator={DEFAULT_INDICATOR}&period={DEFAULT_PERIOD}")
    wait_for_region(page, HANGZHOU, level="city", map_paths=HANGZHOU_COUNTY_COUNT)

    click_region_on_map(page, regions[XIHU])

    expect(page).to_have_url(re.compile(rf"/region/{XIHU}\?"))
    # A county is compared with its city's counties: the same 13 regions on the map.
    wait_for_region(page, XIHU, level="county", map_paths=HANGZHOU_COUNTY_COUNT)
    assert query_of(page) == {"indicator": DEFAULT_INDICATOR, "period": DEFAULT_PERIOD}
    crumbs = page.locator("nav.breadcrumb a.crumb-link")
    expect(crumbs).to_have_text(["浙江省", "杭州市"])
    expect(page.locator("nav.breadcrumb span.crumb-current")).to_have_text("西湖区")
    expect(page.locator("nav.breadcrumb")).to_have_text(
        re.compile(r"^\s*浙江省\s*›\s*杭州市\s*›\s*西湖区\s*$"))
    page.screenshot(path=artifacts_dir / "county.png", full_page=True)

    crumbs.filter(has_text="杭州市").click()
    expect(page).to_have_url(re.compile(rf"/region/{HANGZHOU}\?"))
    wait_for_region(page, HANGZHOU, level="city", map_paths=HANGZHOU_COUNTY_COUNT)
    assert query_of(page) == {"indicator": DEFAULT_INDICATOR, "period": DEFAULT_PERIOD}
    expect(page.locator("nav.breadcrumb span.crumb-current")).to_have_text("杭州市")

    page.go_back()
    expect(page).to_have_url(re.compile(rf"/region/{XIHU}\?"))
    wait_for_region(page, XIHU, level="county", map_paths=HANGZHOU_COUNTY_COUNT)
    expect(page.locator("nav.breadcrumb span.crumb-current")).to_have_text("西湖区")

    # The first crumb goes up to the province, which lives at "/".
    page.locator("nav.breadcrumb a.crumb-link", has_text="浙江省").click()
    wait_for_region(page, PROVINCE, level="province", map_paths=CITY_COUNT)
    assert path_of(page) == "/"


def test_indicator_and_period_controls(page: Page) -> None:
    page.goto(f"/region/{HANGZHOU}")
    wait_for_region(page, HANGZHOU, level="city", map_paths=HANGZHOU_COUNTY_COUNT)
    selected = page.locator("a.kpi-card.is-selected")
    expect(selected).to_have_count(1)
    # a city's default is an indicator its counties count (its map shows them)
    expect(selected.locator(".kpi-name")).to_have_text("依申请政务服务事项“一网通办”率")
    expect(page.locator(".map-card .chart-title")).to_contain_text("一网通办")

    page.locator("#region-indicator").click()
    page.get_by_role("option", name="数字政府 · “浙里办”日活跃用户数").click()

    expect(page).to_have_url(re.compile(r"[?&]indicator=DG_ZLB_DAU(&|$)"))
    expect(page.locator("#region-indicator")).to_contain_text("“浙里办”日活跃用户数")
    expect(selected).to_have_count(1)
    expect(selected.locator(".kpi-name")).to_have_text("“浙里办”日活跃用户数")
    expect(page.locator(".map-card .chart-title")).to_contain_text("“浙里办”日活跃用户数")
    wait_for_region(page, HANGZHOU, level="city", map_paths=HANGZHOU_COUNTY_COUNT)
    assert path_of(page) == f"/region/{HANGZHOU}"
    assert query_of(page) == {"indicator": "DG_ZLB_DAU", "period": DEFAULT_PERIOD}

    page.locator("#region-period").click()
    page.get_by_role("option", name="2025年12月", exact=True).click()

    expect(page).to_have_url(re.compile(r"[?&]period=2025-12(&|$)"))
    expect(page.locator("h2.page-heading .heading-sub")).to_have_text("2025年12月 · 核心指标")
    expect(page.locator("#region-period")).to_contain_text("2025年12月")
    expect(selected.locator(".kpi-name")).to_have_text("“浙里办”日活跃用户数")
    wait_for_region(page, HANGZHOU, level="city", map_paths=HANGZHOU_COUNTY_COUNT)
    assert query_of(page) == {"indicator": "DG_ZLB_DAU", "period": "2025-12"}

    # Both choices are in the URL: the back button undoes the period only.
    page.go_back()
    expect(page).to_have_url(re.compile(r"[?&]period=2026-10(&|$)"))
    expect(page.locator("h2.page-heading .heading-sub")).to_have_text("2026年10月 · 核心指标")
    expect(selected.locator(".kpi-name")).to_have_text("“浙里办”日活跃用户数")


@pytest.mark.parametrize(
    ("address", "fragment"),
    [
        ("/region/999999", "未找到行政区划代码为“999999”的地区"),
        ("/?period=2026-13", "格式不正确"),
        ("/?indicator=NOPE", "未找到编码为“NOPE”的指标"),
        ("/?period=2019-01", "没有数据"),
        ("/nowhere", "页面不存在"),
    ],
    ids=["unknown-region", "bad-period", "unknown-indicator", "period-without-data",
         "unknown-path"],
)
def test_wrong_address_shows_message(page: Page, address: str, fragment: str) -> None:
    page.goto(address)
    message = page.locator('div.message-page[role="alert"]')
    expect(message).to_be_visible()
    expect(message).to_contain_text(fragment)
    expect(page.locator("div.region-page")).to_have_count(0)
    home = message.get_by_role("link", name="返回全省驾驶舱")
    expect(home).to_have_attribute("href", "/")

    home.click()
    wait_for_region(page, PROVINCE, level="province", map_paths=CITY_COUNT)
    assert path_of(page) == "/"
    expect(page.locator("div.message-page")).to_have_count(0)


def test_outside_requests_are_caught(page: Page, page_problems) -> None:
    """The guard of every test works: a request to another host is aborted and recorded.
    From a blank page: the app's own Content-Security-Policy would refuse the request before
    it is made (connect-src 'self'), and the guard would have nothing to catch."""
    page.goto("about:blank")
    outside = "https://cdn.plot.ly/plotly-latest.min.js"
    with page.expect_console_message(lambda m: m.type == "error"):
        outcome = page.evaluate("url => fetch(url).then(() => 'loaded', () => 'blocked')",
                                outside)
    assert outcome == "blocked"
    assert page_problems.outside_requests == [outside]
    # Expected here, so that the guard's own check at teardown passes.
    page_problems.outside_requests.clear()
    page_problems.console_errors.clear()


def test_charts_draw_with_the_apps_own_plotly(page: Page) -> None:
    """The pages load the app's plotly.js (only the traces it draws, and the zh-CN locale),
    never Dash's full bundle; every trace on the page is one the bundle has."""
    requested: list[str] = []
    page.on("request", lambda r: requested.append(urlsplit(r.url).path))
    page.goto("/")
    wait_for_region(page, PROVINCE, level="province", map_paths=CITY_COUNT)
    expect(page.locator("#region-ranking .barlayer .point")).to_have_count(CITY_COUNT)
    assert "/assets/plotly-cockpit.min.js" in requested
    assert not [path for path in requested if path.endswith("/plotly.min.js")], requested
    spec = json.loads((REPO_ROOT / "scripts/plotly_bundle/traces.json").read_text())
    registered = page.evaluate("() => Object.keys(Plotly.PlotSchema.get().traces)")
    assert sorted(registered) == sorted(spec["traces"])
    drawn = page.evaluate("""() => Array.from(document.querySelectorAll('.js-plotly-plot'))
        .flatMap(graph => graph._fullData.map(trace => trace.type))""")
    assert {"choropleth", "scattergeo", "bar"} <= set(drawn) <= set(registered)
    # The zh-CN locale is in the bundle: the toolbar speaks Chinese.
    titles = page.locator("#region-map .modebar-btn").evaluate_all(
        "buttons => buttons.map(b => b.getAttribute('data-title'))")
    assert titles == ["下载图表为PNG格式", "重置视图"]
