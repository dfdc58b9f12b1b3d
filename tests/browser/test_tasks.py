"""The task pages in a real browser: filtering the table, exporting it, opening a task from
the table, writing an instruction (refused input keeps the form; a good one is listed at
once, shown as plain text), and the cockpit's task panel."""

from __future__ import annotations

import csv
import io
import re
import uuid

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

COUNT = "#tasks-count"
ROWS = "#tasks-table .ag-center-cols-container .ag-row"


def total_in(text: str) -> int:
    found = re.search(r"共 (\d+) 项", text)
    assert found, text
    return int(found.group(1))


def choose(page: Page, control: str, option: str) -> None:
    page.locator(control).click()
    search = page.locator("input.dash-dropdown-search")  # the open dropdown's search box
    expect(search).to_be_visible()
    search.fill(option)  # long lists are only partly drawn: search for the option
    page.get_by_role("option", name=option, exact=True).click()


def test_filter_the_task_table_and_export_the_filtered_rows(page: Page) -> None:
    page.goto("/tasks")
    expect(page.locator(COUNT)).to_contain_text("共 60 项（全部 60 项）")
    expect(page.locator(ROWS).first).to_be_visible()
    expect(page.locator("#tasks-gantt .js-plotly-plot")).to_be_visible()

    choose(page, "#tasks-status", "逾期")
    expect(page.locator(COUNT)).not_to_contain_text("共 60 项")
    overdue = total_in(page.locator(COUNT).inner_text())
    assert 0 < overdue < 60
    expect(page.locator(ROWS)).to_have_count(overdue)
    statuses = page.locator(f"{ROWS} [col-id='status_rank']").all_inner_texts()
    assert statuses and all("逾期" in s for s in statuses)

    expect(page).to_have_url(re.compile(r"/tasks\?status=overdue$"))

    choose(page, "#tasks-region", "宁波市")
    expect(page).to_have_url(re.compile(r"/tasks\?region=330200&status=overdue$"))
    expect(page.locator(COUNT)).not_to_contain_text(f"共 {overdue} 项")
    both = total_in(page.locator(COUNT).inner_text())
    assert both <= overdue

    # Every filter is an address: Back undoes the region, then the status.
    page.go_back()
    expect(page).to_have_url(re.compile(r"/tasks\?status=overdue$"))
    expect(page.locator(COUNT)).to_contain_text(f"共 {overdue} 项")
    expect(page.locator("#tasks-region")).not_to_contain_text("宁波市")
    page.go_back()
    expect(page).to_have_url(re.compile(r"/tasks$"))
    expect(page.locator(COUNT)).to_contain_text("共 60 项（全部 60 项）")
    page.go_forward()
    page.go_forward()
    expect(page).to_have_url(re.compile(r"region=330200"))
    expect(page.locator(COUNT)).to_contain_text(f"共 {both} 项")

    with page.expect_download() as download_info:
        page.get_by_role("button", name="导出 CSV").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".csv")
    text = download.path().read_bytes().decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == both and {r["状态"] for r in rows} <= {"逾期"}

    with page.expect_download() as download_info:
        page.get_by_role("button", name="导出 Excel").click()
    assert download_info.value.suggested_filename.endswith(".xlsx")


def test_open_a_task_from_the_table(page: Page) -> None:
    page.goto("/tasks?status=lagging")
    link = page.locator(f"{ROWS} a.task-grid-link").first
    expect(link).to_be_visible()
    name = link.inner_text()
    link.click()
    expect(page).to_have_url(re.compile(r"/tasks/ZD2026-\d{3}$"))
    expect(page.locator(".task-page h2")).to_contain_text(name)
    expect(page.locator(".task-page h2")).to_contain_text("滞后")
    expect(page.locator("#task-chain .ag-row").first).to_be_visible()
    expect(page.locator(".reports .report").first).to_be_visible()
    # Back to the list with the browser's back button.
    page.go_back()
    expect(page.locator(COUNT)).to_be_visible()


def test_write_an_instruction_and_see_it_listed(page: Page) -> None:
    page.goto("/tasks/ZD2026-015")
    expect(page.locator(".task-page")).to_be_visible()
    before = page.locator(".directive-card").count()
    marker = uuid.uuid4().hex[:6]
    text = f"<script>window.pwned=1</script>请加快托育机构接入 {marker}"

    # Signed by the signed-in user: nobody types a name.
    expect(page.locator("#task-form-author")).to_have_text("省领导（演示）（主任）")
    # Refused: no deadline. Every typed value stays in the form.
    page.locator("#task-form-body").fill(text)
    page.get_by_role("button", name="提交", exact=True).click()
    expect(page.locator("#task-form-message")).to_contain_text("请选择办理期限")
    expect(page.locator("#task-form-body")).to_have_value(text)
    assert page.locator(".directive-card").count() == before

    # Refused: a deadline in the past.
    page.locator("#task-form-deadline").fill("2026-01-05")
    page.get_by_role("button", name="提交", exact=True).click()
    expect(page.locator("#task-form-message")).to_contain_text("办理期限不能早于今天")
    expect(page.locator("#task-form-body")).to_have_value(text)

    page.locator("#task-form-deadline").fill("2026-12-20")
    page.locator("label", has_text="督办单").click()
    page.get_by_role("button", name="提交", exact=True).click()
    expect(page.locator("#task-form-message")).to_contain_text("已保存")
    expect(page.locator(".directive-card")).to_have_count(before + 1)
    newest = page.locator(".directive-card").first
    expect(newest).to_contain_text("督办单")
    expect(newest).to_contain_text("省领导（演示）（主任）")
    expect(newest.locator(".directive-body")).to_have_text(text)  # shown as text
    assert page.evaluate("() => window.pwned") is None
    expect(page.locator("#task-form-body")).to_have_value("")

    # It is stored: a fresh load of the page lists it.
    page.reload()
    expect(page.locator(".directive-card").first.locator(".directive-body")).to_have_text(text)

    # The receiving unit replies; the reply shows on the order, which counts as answered.
    page.locator("#task-reply-to").click()
    page.get_by_role("option", name=re.compile("督办单 · 省卫生健康委 · 待回复")).first.click()
    expect(page.locator("#task-reply-by")).to_have_text("省委改革办（省数字化改革办）")
    page.locator("#task-reply-body").fill(f"已部署加快接入 {marker}")
    page.get_by_role("button", name="提交回复").click()
    expect(page.locator("#task-reply-message")).to_contain_text("回复已保存")
    newest = page.locator(".directive-card").first
    expect(newest.locator(".directive-reply")).to_contain_text(f"已部署加快接入 {marker}")
    expect(newest).to_contain_text("按时办结")

    # The receiving unit (the lead department, chosen by default) finds it in its list.
    page.goto("/tasks?department=HEALTH")
    listed = page.locator(".directive-table tbody tr", has_text=marker)
    expect(listed).to_have_count(1)
    expect(listed).to_contain_text("督办单")
    expect(listed).to_contain_text("省卫生健康委")


def test_the_cockpit_panel_links_to_tasks(page: Page) -> None:
    page.goto("/region/330100")
    panel = page.locator(".task-panel")
    expect(panel).to_contain_text("重大任务 · 杭州市")
    first = panel.locator("a.task-link").first
    expect(first).to_be_visible()
    code = first.inner_text().split()[0]
    first.click()
    expect(page).to_have_url(re.compile(f"/tasks/{code}$"))
    expect(page.locator(".task-page")).to_be_visible()

