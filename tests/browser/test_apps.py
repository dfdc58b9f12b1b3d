"""The ledger of major applications (一本账) in a real browser: filtering, sorting, the chosen
application's adoption, the export."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def choose(page: Page, control: str, option: str) -> None:
    page.locator(f"#{control}").click()
    page.get_by_role("option", name=option, exact=True).click()


def test_the_ledger_filters_sorts_and_shows_adoption(page: Page) -> None:
    page.goto("/apps")
    view = page.locator("div.apps-page")
    expect(view).to_have_attribute("data-count", "20")
    expect(page.locator("#apps-grid .ag-center-cols-container .ag-row")).to_have_count(20)
    choose(page, "apps-level", "设区市特色应用")
    expect(page).to_have_url(re.compile(r"/apps\?level=city$"))
    expect(page.locator("div.apps-page")).to_have_attribute("data-count", "7")
    # Sort by users, most first (twice: ascending, then descending).
    header = page.locator('#apps-grid .ag-header-cell[col-id="users"]')
    header.click()
    header.click()
    first = page.locator('#apps-grid .ag-row[row-index="0"] [col-id="name"]').first
    expect(first).to_have_text("亲清在线")
    choose(page, "apps-app", "嘉兴未来社区")
    expect(page).to_have_url(re.compile(r"app=JXWL"))
    view = page.locator("div.apps-page")
    expect(view).to_have_attribute("data-app", "JXWL")
    assert int(view.get_attribute("data-adopted")) > 7  # beyond Jiaxing's own counties
    expect(page.locator("#apps-map path.choroplethlocation")).to_have_count(90)
    with page.expect_download() as download:
        page.locator("#apps-export-csv").click()
    assert download.value.suggested_filename.endswith(".csv")
