"""The five-colour risk map in a real browser: pick a hazard, move the time, play, click a
county and see its history, drill to a city."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlsplit

import pytest
from playwright.sync_api import Page, expect

from tests.browser.maps import click_map_region
from tests.browser.regions import Region

pytestmark = pytest.mark.browser

IN_FA = "/risk?event=1&at=2021-07-25T12:00"
XIANGSHAN, NINGBO = "330225", "330200"
MAP_PATHS = "#risk-map path.choroplethlocation"


def open_risk(page: Page, url: str, *, counties: int) -> None:
    page.goto(url)
    expect(page.locator("div.risk-page")).to_be_visible()
    expect(page.locator(MAP_PATHS)).to_have_count(counties)


def map_fills(page: Page) -> list[str]:
    return page.eval_on_selector_all(MAP_PATHS, "ps => ps.map(p => getComputedStyle(p).fill)")


def test_the_map_shows_every_county_with_a_five_colour_legend(page: Page, artifacts_dir):
    open_risk(page, IN_FA, counties=90)
    legend = page.locator("#risk-legend .legend-item")
    expect(legend).to_have_count(6)
    expect(legend.first).to_contain_text("红色（高风险）")
    expect(legend.last).to_contain_text("无数据")
    expect(page.locator("#risk-time-label")).to_have_text("2021年7月25日 12:00")
    assert len(set(map_fills(page))) >= 4  # the typhoon shows several levels at once
    expect(page.locator(".risk-table tbody tr").first).to_contain_text("红")
    page.screenshot(path=str(artifacts_dir / "risk-province.png"), full_page=True)


def test_choosing_a_hazard_changes_the_url_and_greys_places_without_sea_walls(page: Page):
    open_risk(page, IN_FA, counties=90)
    page.locator("#risk-hazard").click()
    page.get_by_role("option", name="海塘（风暴潮）").click()
    expect(page).to_have_url(re.compile(r"[?&]hazard=SEAWALL"))
    assert dict(parse_qsl(urlsplit(page.url).query))["event"] == "1"
    expect(page.locator(MAP_PATHS)).to_have_count(90)
    no_data = page.locator('#risk-legend .legend-item[data-level="NONE"] .legend-count')
    expect(no_data).not_to_have_text("0")  # inland counties have no sea walls: 无数据
    # A filter is an address: Back undoes it.
    page.go_back()
    expect(page).not_to_have_url(re.compile(r"hazard="))
    expect(page.locator("#risk-hazard")).to_contain_text("综合")
    expect(no_data).to_have_text("0")


def test_moving_the_time_changes_the_map_and_the_label(page: Page):
    open_risk(page, IN_FA, counties=90)
    before = map_fills(page)
    handle = page.locator("#risk-time [role=slider]")
    handle.focus()
    for _ in range(8):  # two days earlier, at six hours a step
        page.keyboard.press("ArrowLeft")
    expect(page.locator("#risk-time-label")).to_have_text("2021年7月23日 12:00")
    page.wait_for_function(
        "before => { const now = [...document.querySelectorAll("
        "'#risk-map path.choroplethlocation')].map(p => getComputedStyle(p).fill);"
        " return now.join() !== before.join(); }", arg=before)
    expect(page.locator("#risk-warned-title")).to_contain_text("2021年7月23日 12:00")
    # The address states the moment shown (replaced: the slider's steps are not pages).
    expect(page).to_have_url(re.compile(r"[?&]at=2021-07-23T12(%3A|:)00"))


def test_play_advances_the_time_and_pause_stops_it(page: Page):
    open_risk(page, "/risk?event=1&at=2021-07-22T00:00", counties=90)
    label = page.locator("#risk-time-label")
    expect(label).to_have_text("2021年7月22日 00:00")
    page.locator("#risk-play").click()
    expect(page.locator("#risk-play")).to_have_text("⏸ 暂停")
    expect(label).not_to_have_text("2021年7月22日 00:00", timeout=10_000)
    page.locator("#risk-play").click()
    expect(page.locator("#risk-play")).to_have_text("▶ 播放")
    stopped = label.inner_text()
    page.wait_for_timeout(2_500)
    assert label.inner_text() == stopped


def test_clicking_a_county_shows_its_history_and_notices(page: Page,
                                                        regions: dict[str, Region],
                                                        artifacts_dir):
    open_risk(page, f"/risk?event=1&region={NINGBO}&at=2021-07-25T12:00", counties=10)
    click_map_region(page, "risk-map", regions[XIANGSHAN])
    expect(page).to_have_url(re.compile(rf"[?&]county={XIANGSHAN}"))
    detail = page.locator("#risk-detail")
    expect(detail).to_contain_text("象山县 · 各灾种风险等级变化")
    expect(detail.locator("#risk-history .scatterlayer .trace")).not_to_have_count(0)
    expect(detail.locator(".notice-list li").first).to_contain_text("告知函")
    page.screenshot(path=str(artifacts_dir / "risk-city.png"), full_page=True)
    page.go_back()  # the county was an address too
    expect(page).not_to_have_url(re.compile(r"county="))
    expect(detail).to_contain_text("点击地图上的县（市、区）")


def test_a_city_chip_drills_to_the_citys_counties(page: Page):
    open_risk(page, IN_FA, counties=90)
    page.locator(".city-chips").get_by_role("link", name="宁波市").click()
    expect(page.locator(f'div.risk-page[data-region="{NINGBO}"]')).to_be_visible()
    expect(page.locator(MAP_PATHS)).to_have_count(10)
    expect(page.locator("nav.breadcrumb")).to_contain_text("浙江省")
    page.go_back()
    expect(page.locator('div.risk-page[data-region="330000"]')).to_be_visible()


def test_a_wrong_risk_address_gets_a_message(page: Page):
    page.goto("/risk?event=999")
    expect(page.locator("div.message-page")).to_contain_text("未找到编号为“999”的灾害过程")


def test_a_countys_detail_is_beside_the_map_and_an_unassessed_hazard_says_so(page: Page) -> None:
    page.goto("/risk?region=330200&county=330225")
    detail, map_card = page.locator("#risk-detail"), page.locator("#risk-map")
    expect(detail).to_contain_text("象山县")
    expect(page.locator("#risk-map .choroplethlayer path").first).to_be_attached()
    beside, drawn = detail.bounding_box(), map_card.bounding_box()
    assert beside["x"] >= drawn["x"] + drawn["width"] - 1, (beside, drawn)
    assert beside["y"] < drawn["y"] + drawn["height"], (beside, drawn)
    expect(page.locator(".risk-unassessed")).to_have_count(0)

    page.goto("/risk?hazard=TYPHOON")  # the default event (梅汛期强降雨) assessed no typhoon
    expect(page.locator(".risk-unassessed")).to_contain_text("本次过程未对“台风”作风险研判")
