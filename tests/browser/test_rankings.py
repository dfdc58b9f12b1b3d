"""The horse-race board in a real browser: the board of the cities with its lists, choosing the
counties and a region's rank over time, the export, and a city user's own board."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def choose(page: Page, control: str, option: str) -> None:
    page.locator(f"#{control}").click()
    page.get_by_role("option", name=option, exact=True).click()


def test_the_board_its_lists_history_and_export(page: Page, artifacts_dir: Path) -> None:
    page.goto("/rankings")
    view = page.locator("div.rankings-page")
    expect(view).to_have_attribute("data-level", "city")
    expect(page.locator("table.rk-board tbody tr")).to_have_count(11)
    expect(view).to_have_attribute("data-count", "11")
    # Ranks ascend (ties share one); the formula and the tie rule are on the page.
    ranks = [int(t) for t in page.locator("table.rk-board tbody tr td:nth-child(1)")
             .all_inner_texts()]
    assert ranks == sorted(ranks) and ranks[0] == 1
    top = page.locator("table.rk-board tbody tr th").first.inner_text()
    expect(page.locator(".rk-formula")).to_contain_text("综合得分 = Σ(权重")
    expect(page.locator(".rk-rules")).to_contain_text("名次并列")
    for name in ("红榜", "黄榜", "黑榜"):
        expect(page.locator(".rk-lists")).to_contain_text(name)
    expect(page.locator("table.rk-weekly").first.locator("tbody tr")).to_have_count(11)
    # The same week for each lead unit, beside the regions.
    expect(page.locator("table.rk-weekly").nth(1).locator("tbody tr[data-code]").first
           ).to_be_attached()
    expect(page.locator("#rankings-history .scatterlayer .trace")).to_have_count(1)
    page.screenshot(path=artifacts_dir / "rankings.png", full_page=True)

    with page.expect_download() as download:
        page.locator("#rankings-export-csv").click()
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 11 and rows[0]["名次"] == "1"
    assert {"综合得分", "较上月名次", "榜单", "上榜理由"} <= set(rows[0])
    assert download.value.suggested_filename.startswith("赛马榜_浙江省各设区市_")

    choose(page, "rankings-focus", "宁波市")
    expect(page).to_have_url(re.compile(r"focus=330200"))
    expect(page.locator("#rankings-history")).to_contain_text("宁波市 · 近12个月名次")
    page.go_back()
    expect(page).not_to_have_url(re.compile(r"focus="))
    # The page of the address before is built again before its controls are used.
    expect(page.locator("div.rankings-page")).not_to_have_attribute(
        "data-href", re.compile(r"focus="))
    expect(page.locator("#rankings-history")).to_contain_text(f"{top} · 近12个月名次")

    choose(page, "rankings-level", "县（市、区）")
    expect(page).to_have_url(re.compile(r"of=county"))
    expect(page.locator("div.rankings-page")).to_have_attribute("data-count", "90",
                                                                timeout=40_000)
    expect(page.locator("h2.page-heading")).to_contain_text("浙江省各县（市、区）")


def test_a_city_user_sees_its_counties_only(page: Page, sign_in) -> None:
    sign_in(page, "hangzhou")
    page.goto("/rankings")
    expect(page.locator("div.rankings-page")).to_have_attribute("data-region", "330100")
    expect(page.locator("table.rk-board tbody tr")).to_have_count(13)
    expect(page.locator("table.rk-board")).not_to_contain_text("宁波")
    page.goto("/rankings?region=330000")
    expect(page.locator(".message-page")).to_contain_text("无权限")
