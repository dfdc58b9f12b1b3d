"""The /data page in Chromium: a refused upload shows its reasons, an accepted one shows its
batch and its figures at once on the cockpit (two workers, shared cache), and withdrawing it
takes them away. The session's demo data is put back afterwards (``flask seed-demo``)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.server import flask_command
from tests.imports_corpus import csv_bytes

pytestmark = pytest.mark.browser


def upload(page: Page, path: Path) -> None:
    page.set_input_files("#data-file", str(path))
    page.click("#data-upload-button")


def test_the_data_page_is_for_administrators(page: Page):
    page.goto("/data")  # the leader: no
    expect(page.locator("div.message-page")).to_contain_text("无权限")
    expect(page.locator("nav.nav a", has_text="数据导入")).to_have_count(0)


def test_upload_refused_then_accepted_then_withdrawn(page: Page, server_instance: Path,
                                                     tmp_path: Path, artifacts_dir: Path,
                                                     sign_in):
    sign_in(page, "admin")
    try:
        page.goto("/data?kind=indicator-values")
        expect(page.locator("nav.nav a", has_text="数据导入")).to_have_count(1)
        expect(page.locator(".data-page h2")).to_contain_text("数据导入")
        expect(page.locator("#data-file")).to_be_attached()
        # The browser's own "Choose File" is replaced by a Chinese label naming the file.
        expect(page.locator("label.dt-file-pick")).to_have_text("选择文件")
        expect(page.locator("#data-file-name")).to_have_text("未选择文件")
        assert page.locator("#data-file").evaluate("e => e.getBoundingClientRect().width") <= 1
        expect(page.get_by_role("link", name="Excel 模板（.xlsx）")).to_have_attribute(
            "href", "/data/template/indicator-values.xlsx")
        expect(page.locator(".dt-warning")).to_contain_text("演示数据将被清除")

        bad = tmp_path / "十月指标（有错）.csv"
        bad.write_bytes(csv_bytes([["DG_ZLB_DAU", "火星区", "2026-10", "12"]],
                                  encoding="gb18030"))
        page.set_input_files("#data-file", str(bad))
        expect(page.locator("#data-file-name")).to_contain_text("十月指标（有错）.csv")
        upload(page, bad)
        expect(page).to_have_url(re.compile(r"/data\?kind=indicator-values&batch=\d+$"))
        batch = page.locator("#data-batch")
        expect(batch.locator(".dt-status")).to_have_text("已拒收")
        expect(batch.locator(".dt-issues")).to_contain_text("没有这个地区")
        expect(batch).to_contain_text("十月指标（有错）.csv")

        good = tmp_path / "十月指标.csv"
        good.write_bytes(csv_bytes([["DG_ZLB_DAU", "330106", "2026-10", "77.7"],
                                    ["DG_ZLB_DAU", "330106", "2026-09", "70"]],
                                   encoding="utf-8-sig"))
        upload(page, good)
        expect(batch.locator(".dt-status")).to_have_text("已导入")
        expect(batch.locator(".dt-facts")).to_contain_text("新增2")
        expect(batch.locator(".dt-rows tbody tr")).to_have_count(2)
        page.screenshot(path=artifacts_dir / "data-accepted.png", full_page=True)
        accepted_url = page.url

        # The cockpit shows the new figure at once, and where it came from.
        page.goto("/region/330106?indicator=DG_ZLB_DAU&period=2026-10")
        card = page.locator("a.kpi-card.is-selected")
        expect(card.locator(".kpi-number")).to_have_text("77.7")
        title = card.get_attribute("title") or ""
        assert "十月指标.csv" in title and "(admin)" in title.replace("（", "(").replace(
            "）", ")") and "第2行" in title, title
        expect(page.locator("header.app-header .freshness")).to_contain_text("数据更新于")

        page.goto(accepted_url)
        page.once("dialog", lambda dialog: dialog.accept())
        page.click("#data-withdraw-button")
        expect(batch.locator(".dt-status")).to_have_text("已撤销")
        expect(batch).to_contain_text("admin")
        page.goto("/region/330106?indicator=DG_ZLB_DAU&period=2026-10")
        # The demo went when real figures came; with them withdrawn nothing is left.
        expect(page.locator("div.message-page")).to_contain_text("还没有指标数据")
    finally:
        flask_command(server_instance, "seed-demo")
