"""The seven problem lists in a real browser: filtering, drilling down the map, the region
table, exports, opening a problem and moving it a stage (refused and accepted moves), the
cockpit panel, and the messages for wrong addresses."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from tests.browser.maps import click_map_region

pytestmark = pytest.mark.browser

NINGBO, HANGZHOU = "330200", "330100"
MAP_PATHS = "#problems-map path.choroplethlocation"


def query_of(page: Page) -> dict[str, str]:
    return dict(re.findall(r"[?&]([^=&]+)=([^&#]*)", page.url))


def wait_for_problems(page: Page, href: str, *, map_paths: int):
    """The view of ``href`` (e.g. ``/problems?list=SAFETY``) is built and its map drawn."""
    view = page.locator(f'div.problems-page[data-href="{href}"]')
    expect(view).to_be_visible()
    expect(page.locator(MAP_PATHS)).to_have_count(map_paths)
    expect(page.locator("#problems-grid .ag-row").first).to_be_visible()
    return view


def choose(page: Page, control: str, option: str) -> None:
    page.locator(f"#{control}").click()
    page.get_by_role("option", name=option, exact=True).click()


def test_filter_and_drill_down(page: Page, regions, artifacts_dir: Path) -> None:
    page.goto("/problems")
    view = wait_for_problems(page, "/problems", map_paths=11)
    total = int(view.get_attribute("data-count"))
    assert 2500 <= total <= 5000
    expect(page.locator("nav.breadcrumb span.crumb-current")).to_have_text("浙江省")
    expect(page.locator(".pb-region-table tbody tr")).to_have_count(11)
    expect(page.locator(".pb-common-table tbody tr").first).to_be_visible()
    page.screenshot(path=artifacts_dir / "problems.png", full_page=True)

    choose(page, "problems-list", "安全生产和自然灾害")
    expect(page).to_have_url(re.compile(r"/problems\?list=SAFETY$"))
    view = wait_for_problems(page, "/problems?list=SAFETY", map_paths=11)
    safety = int(view.get_attribute("data-count"))
    assert 0 < safety < total
    expect(page.locator("h2.page-heading .heading-sub")).to_contain_text("安全生产和自然灾害清单")

    click_map_region(page, "problems-map", regions[NINGBO])
    expect(page).to_have_url(re.compile(r"region=330200"))
    assert query_of(page) == {"region": NINGBO, "list": "SAFETY"}
    view = wait_for_problems(page, "/problems?region=330200&list=SAFETY", map_paths=10)
    assert 0 < int(view.get_attribute("data-count")) < safety
    expect(page.locator("nav.breadcrumb")).to_have_text(re.compile(r"^\s*浙江省\s*›\s*宁波市\s*$"))
    # Every row of the table is a Ningbo safety problem.
    regions = page.locator("#problems-grid .ag-row [col-id='region']").all_inner_texts()
    lists = page.locator("#problems-grid .ag-row [col-id='list_name']").all_inner_texts()
    assert regions and all(r.startswith("宁波市") for r in regions)
    assert set(lists) == {"安全生产和自然灾害"}

    # The region table drills to a county (shown among the counties of its city).
    page.locator(".pb-region-table a", has_text="鄞州区").click()
    expect(page).to_have_url(re.compile(r"region=330212"))
    wait_for_problems(page, "/problems?region=330212&list=SAFETY", map_paths=10)
    expect(page.locator("nav.breadcrumb span.crumb-current")).to_have_text("鄞州区")
    expect(page.locator(".pb-region-table th.is-current")).to_have_text("鄞州区")

    page.go_back()
    wait_for_problems(page, "/problems?region=330200&list=SAFETY", map_paths=10)

    choose(page, "problems-light", "■ 逾期")
    expect(page).to_have_url(re.compile(r"light=red"))
    wait_for_problems(page, "/problems?region=330200&list=SAFETY&light=red", map_paths=10)
    rows = page.locator("#problems-grid .ag-row [col-id='light_text']")
    expect(rows.first).to_contain_text("逾期未销号")
    assert set(rows.all_inner_texts()) == {"■ 逾期未销号"}
    page.screenshot(path=artifacts_dir / "problems-ningbo.png", full_page=True)


def test_exports_hold_the_filtered_rows(page: Page) -> None:
    page.goto(f"/problems?region={HANGZHOU}&list=ECOLOGY")
    view = wait_for_problems(page, f"/problems?region={HANGZHOU}&list=ECOLOGY", map_paths=13)
    count = int(view.get_attribute("data-count"))
    with page.expect_download() as download:
        page.get_by_role("button", name="导出 Excel").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    sheet = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert "杭州市" in rows[0][0] and "生态环保清单" in rows[0][0]
    assert rows[1][:2] == ("编号", "清单")
    assert len(rows) - 2 == count
    assert {r[1] for r in rows[2:]} == {"生态环保"} and {r[2] for r in rows[2:]} == {"杭州市"}

    with page.expect_download() as download:
        page.get_by_role("button", name="导出 CSV").click()
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    table = list(csv.reader(io.StringIO(text)))
    assert table[0][0] == "编号" and len(table) - 1 == count


def test_open_a_problem_and_move_it_a_stage(page: Page, artifacts_dir: Path) -> None:
    page.goto("/problems?stage=assigned")
    wait_for_problems(page, "/problems?stage=assigned", map_paths=11)
    link = page.locator("#problems-grid .ag-row [col-id='code'] a").first
    code = link.inner_text()
    link.click()
    expect(page).to_have_url(re.compile(r"/problems/\d+$"))
    detail = page.locator('div.problem-page[data-stage="assigned"]')
    expect(detail).to_be_visible()
    expect(page.locator("h2.page-heading")).to_contain_text(code)
    expect(page.locator(".pb-step.is-current .pb-step-name")).to_have_text("交办")
    history = page.locator(".pb-history tbody tr")
    before = history.count()
    assert before == 2  # 登记：发现, 发现 → 交办

    # The mover is the signed-in user: nobody types a name.
    expect(page.locator("#problem-mover")).to_have_text("省领导（演示）（省委改革办（省数字化改革办））")

    # Skipping a stage: refused, and what was typed stays.
    page.get_by_label("办理说明（销号时须填写验收意见）").fill("整改方案已报送")
    choose(page, "problem-target", "待验收")
    page.get_by_role("button", name="提交").click()
    expect(page.locator(".pb-message-refused")).to_contain_text("不能跳过阶段")
    expect(page.get_by_label("办理说明（销号时须填写验收意见）")).to_have_value("整改方案已报送")

    # Backwards: refused.
    choose(page, "problem-target", "发现")
    page.get_by_role("button", name="提交").click()
    expect(page.locator(".pb-message-refused")).to_contain_text("不能退回")
    expect(history).to_have_count(before)

    # The next stage: done, and kept in the history.
    choose(page, "problem-target", "整改中")
    page.get_by_role("button", name="提交").click()
    expect(page.locator(".pb-message-done")).to_contain_text("推进到“整改中”")
    expect(history).to_have_count(before + 1)
    last = history.nth(before)
    expect(last).to_contain_text("交办 → 整改中")
    expect(last).to_contain_text("省领导（演示）")
    expect(last).to_contain_text("整改方案已报送")
    expect(page.locator(".pb-step.is-current .pb-step-name")).to_have_text("整改中")
    expect(page.locator(".pb-facts")).to_contain_text("整改中")
    # The form now proposes the stage after, and closing needs a verification note.
    expect(page.locator("#problem-target")).to_contain_text("待验收")
    page.screenshot(path=artifacts_dir / "problem-moved.png", full_page=True)

    page.reload()
    expect(page.locator('div.problem-page[data-stage="rectifying"]')).to_be_visible()
    expect(history).to_have_count(before + 1)


def test_the_cockpit_panel_links_to_the_region_problems(page: Page) -> None:
    page.goto(f"/region/{HANGZHOU}")
    panel = page.locator("section.problems-panel")
    expect(panel).to_be_visible()
    expect(panel.locator("h3")).to_contain_text("杭州市")
    expect(panel.locator("tbody tr")).to_have_count(7)
    panel.get_by_role("link", name="查看杭州市全部问题 →").click()
    expect(page).to_have_url(re.compile(r"/problems\?region=330100$"))
    wait_for_problems(page, f"/problems?region={HANGZHOU}", map_paths=13)


@pytest.mark.parametrize(("address", "message"), [
    ("/problems?region=999999", "未找到行政区划代码为“999999”的地区"),
    ("/problems?light=purple", "亮灯“purple”无法识别"),
    ("/problems?from=2026-13", "格式不正确"),
    ("/problems/abc", "问题编号“abc”不正确"),
    ("/problems/99999999", "未找到编号为 99999999 的问题"),
])
def test_wrong_addresses_get_a_message(page: Page, address: str, message: str) -> None:
    page.goto(address)
    expect(page.locator(".message-page")).to_contain_text(message)
    expect(page.locator(".message-page a")).to_have_attribute("href", "/")


def test_a_cut_cell_shows_its_whole_text_on_hover(page: Page) -> None:
    """A grid cell too narrow for its text (cut with "…") shows all of it on hover."""
    page.goto("/problems")
    cells = page.locator("#problems-grid .ag-center-cols-container "
                         ".ag-cell[col-id='department_name'] .ag-cell-value")
    expect(cells.first).to_be_visible()
    cut = [i for i in range(cells.count())
           if cells.nth(i).evaluate("c => c.scrollWidth > c.clientWidth")]
    assert cut, "no department's name is cut in the grid: the test needs one"
    cell = cells.nth(cut[0])
    text = cell.text_content()  # the whole text (the cut is drawn by CSS: text-overflow)
    cell.hover()
    tooltip = page.locator(".ag-tooltip")
    expect(tooltip).to_be_visible()
    expect(tooltip).to_have_text(text)
