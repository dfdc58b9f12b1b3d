"""民呼我为 in a real browser: the province's figures, drilling the heat map into a city, and a
trend warning turned into a problem on the 群众信访 list with one click."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.maps import click_map_region

pytestmark = pytest.mark.browser

HANGZHOU, XIHU = "330100", "330106"


def test_appeals_drill_and_a_warning_becomes_a_problem(page: Page, regions,
                                                       artifacts_dir: Path) -> None:
    page.goto("/appeals")
    view = page.locator("div.appeals-page")
    expect(view).to_have_attribute("data-region", "330000")
    assert int(view.get_attribute("data-received")) > 10_000
    expect(page.locator(".ap-card")).to_have_count(4)
    expect(page.locator("#appeals-map path.choroplethlocation")).to_have_count(11)
    expect(page.locator("table.ap-hot tbody tr")).to_have_count(8)
    expect(page.locator(".ap-warnings-card")).to_contain_text("z = (x − m)")
    expect(page.locator("table.ap-warnings")).to_contain_text("西湖区")
    page.screenshot(path=artifacts_dir / "appeals.png", full_page=True)

    click_map_region(page, "appeals-map", regions[HANGZHOU])
    expect(page).to_have_url(re.compile(r"/appeals\?region=330100$"))
    expect(page.locator("div.appeals-page")).to_have_attribute("data-region", HANGZHOU)
    expect(page.locator("#appeals-map path.choroplethlocation")).to_have_count(13)

    row = page.locator(f'table.ap-warnings tr[data-unit="{XIHU}"][data-category="HOUSING"]')
    row.get_by_role("button", name="转为问题").click()
    answer = page.locator("#appeals-raised")
    expect(answer).to_contain_text("已在“群众信访”清单中生成问题")
    expect(answer).to_contain_text("省领导（演示）")
    answer.get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"/problems/\d+$"))
    expect(page.locator("body")).to_contain_text("西湖区住房保障和物业类诉求激增")
    page.go_back()
    row = page.locator(f'table.ap-warnings tr[data-unit="{XIHU}"][data-category="HOUSING"]')
    row.get_by_role("button", name="转为问题").click()
    expect(page.locator("#appeals-raised")).to_contain_text("未重复生成")
