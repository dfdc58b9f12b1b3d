"""/briefings in a real browser: choose a region and a window, press 生成简报, see the progress
while the job runs in the background (Dash's disk-cache manager, a process of its own), and
download the PDF from the page and from the list; a county user sees only its own."""

from __future__ import annotations

import io
import re

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

pytestmark = pytest.mark.browser

JOB_TIMEOUT = 120_000  # ms: a cold Chromium and a busy shared machine


def choose(page: Page, control: str, option: str) -> None:
    page.locator(control).click()
    search = page.locator("input.dash-dropdown-search")
    expect(search).to_be_visible()
    search.fill(option)
    page.get_by_role("option", name=option, exact=True).click()


def test_produce_a_briefing_see_its_progress_and_download_it(page: Page) -> None:
    page.goto("/briefings")
    expect(page.get_by_role("heading", name=re.compile("^简报"))).to_be_visible()
    choose(page, "#briefings-region", "杭州市")
    page.get_by_label("季度").check()
    # The latest quarter that is over is chosen; the one under way is offered too.
    expect(page.locator("#briefings-window")).to_contain_text("2026年第三季度")
    page.locator("#briefings-window").click()
    expect(page.get_by_role("option", name="2026年第四季度（进行中）")).to_be_visible()
    page.keyboard.press("Escape")
    page.get_by_role("button", name="生成简报").click()
    # The job runs in the background: the button waits, the bar and its words move.
    expect(page.get_by_role("button", name="生成简报")).to_be_disabled()
    expect(page.locator("#briefings-progress-text")).to_contain_text("%", timeout=JOB_TIMEOUT)
    seen = set()
    link = page.locator(".brief-download-now")
    while not link.is_visible():
        seen.add(page.locator("#briefings-progress-text").inner_text())
        page.wait_for_timeout(150)
        assert len(seen) < 10_000
    assert any(re.match(r"\d+% ", s) for s in seen), seen
    expect(page.get_by_role("button", name="生成简报")).to_be_enabled()
    expect(page.locator("#briefings-message")).to_contain_text("已生成")
    with page.expect_download() as info:
        link.click()
    download = info.value
    assert download.suggested_filename == "杭州市数字化改革季报-2026-Q3.pdf"
    reader = PdfReader(io.BytesIO(download.path().read_bytes()))
    text = "".join(p.extract_text() for p in reader.pages)
    assert len(reader.pages) >= 7 and "杭州市数字化改革季报" in text and "西湖区" in text
    # The list shows it, done, with its size and a download of its own.
    row = page.locator(".brief-row.is-done").first
    expect(row).to_contain_text("杭州市")
    expect(row).to_contain_text("2026年第三季度")
    expect(row).to_contain_text("页")
    with page.expect_download() as again:
        row.get_by_role("link", name="下载").click()
    assert again.value.path().read_bytes()[:4] == b"%PDF"


def test_a_county_user_chooses_only_within_its_scope(page: Page, sign_in) -> None:
    sign_in(page, "xihu")
    page.goto("/briefings")
    page.locator("#briefings-region").click()
    options = page.locator(".dash-dropdown-options").get_by_role("option").all_inner_texts()
    assert [o.strip() for o in options] == ["西湖区"]
    page.keyboard.press("Escape")
    # Briefings of regions beyond Xihu made by others are not listed.
    expect(page.locator("#briefings-list")).not_to_contain_text("杭州市")
