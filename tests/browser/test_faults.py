"""Faults seen from the browser: a callback answered 503 (the store is away, so the guard
cannot check the session — tests/unit/test_database_down.py makes the real fault) shows the
server's words in the notice bar, leaves the page as it was, and the next callback works again
when the store is back.

The 503 is made by the test in the browser (a route on ``/_dash-update-component``); the
shared session server keeps running.
"""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Page, Route, expect

pytestmark = pytest.mark.browser

BANNER = "数据源暂不可用"
COUNT = "#tasks-count"


def test_a_callback_answered_503_shows_the_banner_and_the_page_stays(
        page: Page, page_problems) -> None:
    page.goto("/tasks")
    expect(page.locator(COUNT)).to_contain_text("共 60 项")
    refused: list[str] = []

    def store_away(route: Route) -> None:
        refused.append(route.request.url)
        route.fulfill(status=503, content_type="application/json",
                      body=json.dumps({"error": f"{BANNER}：暂时无法连接数据库，请稍后再试。"}))

    page.route("**/_dash-update-component*", store_away)
    page.get_by_role("button", name="导出 CSV").click()
    notice = page.locator("#app-notice")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text(BANNER)
    assert refused
    expect(page.locator(COUNT)).to_contain_text("共 60 项")  # the page is as it was
    page.unroute("**/_dash-update-component*")
    page.get_by_role("button", name="知道了").click()
    expect(notice).to_be_hidden()
    with page.expect_download() as download:  # the store is back: the export works
        page.get_by_role("button", name="导出 CSV").click()
    assert download.value.suggested_filename.endswith(".csv")
    # Chromium logs each refused answer as "Failed to load resource … 503": expected here.
    page_problems.console_errors[:] = [
        e for e in page_problems.console_errors
        if not ("status of 503" in e and "_dash-update-component" in e)]


def test_a_callback_refused_as_malformed_says_so_and_the_page_stays(
        page: Page, page_problems) -> None:
    """A page older than the server (after an upgrade) sends a callback the server refuses
    with 400: the notice bar says so and advises a reload, instead of nothing."""
    page.goto("/tasks")
    expect(page.locator(COUNT)).to_contain_text("共 60 项")

    def refused(route: Route) -> None:
        route.fulfill(status=400, content_type="application/json",
                      body=json.dumps({"error": "请求格式不正确：回调的输入未声明。"}))

    page.route("**/_dash-update-component*", refused)
    page.get_by_role("button", name="导出 CSV").click()
    notice = page.locator("#app-notice")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("请求格式不正确")
    expect(notice).to_contain_text("请刷新页面")
    expect(page.locator(COUNT)).to_contain_text("共 60 项")
    page.unroute("**/_dash-update-component*")
    page_problems.console_errors[:] = [
        e for e in page_problems.console_errors
        if not ("status of 400" in e and "_dash-update-component" in e)]
