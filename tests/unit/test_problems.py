"""The problem lists without a browser: the pure rules, the builders, and the pages'
functions and callbacks called as functions on the throw-away store."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta

import pandas as pd
import pytest
from dash import no_update
from openpyxl import load_workbook

from components import problems as view
from data import clock
from data import problems_rules as rules
from data.problems_queries import ProblemFilter
from tests.layout_tools import classes, find, text_of

TODAY = date(2026, 11, 22)


# --- rules -----------------------------------------------------------------------------------

@pytest.mark.parametrize(("stage", "deadline", "closed_on", "light", "reason"), [
    ("rectifying", TODAY - timedelta(days=1), None, "red", "overdue"),
    ("found", TODAY, None, "yellow", "near_due"),
    ("awaiting", TODAY + timedelta(days=7), None, "yellow", "near_due"),
    ("assigned", TODAY + timedelta(days=8), None, "green", "on_track"),
    ("closed", TODAY - timedelta(days=30), TODAY - timedelta(days=30), "green",
     "closed_on_time"),
    ("closed", TODAY - timedelta(days=30), TODAY - timedelta(days=29), "yellow", "closed_late"),
    ("closed", TODAY + timedelta(days=3), TODAY - timedelta(days=1), "green", "closed_on_time"),
])
def test_problem_light(stage, deadline, closed_on, light, reason):
    verdict = rules.problem_light(stage=stage, deadline=deadline, closed_on=closed_on,
                                  today=TODAY)
    assert (verdict.light, verdict.reason) == (light, reason)
    frame = pd.DataFrame([{"stage": stage, "deadline": deadline, "closed_on": closed_on,
                           "found_on": deadline - timedelta(days=60)}])
    assessed = rules.assess_problems(frame, today=TODAY)
    assert (assessed["light"].iloc[0], assessed["light_reason"].iloc[0]) == (light, reason)


def test_every_legal_move_is_one_step_forward():
    for current in rules.STAGES:
        for target in rules.STAGES:
            refusal = rules.move_refusal(current=current, target=target, mover="王伟",
                                         note="经核查整改到位")
            legal = rules.stage_index(target) == rules.stage_index(current) + 1
            assert (refusal is None) == legal, (current, target, refusal)


@pytest.mark.parametrize(("current", "target", "mover", "note", "words"), [
    ("rectifying", "assigned", "王伟", "", "不能退回：问题当前处于“整改中”阶段，不能回到“交办”。"),
    ("found", "awaiting", "王伟", "", "不能跳过阶段：“发现”之后应为“交办”，不能直接到“待验收”。"),
    ("awaiting", "closed", "王伟", "", "销号须填写验收意见"),
    ("found", "assigned", "", "", "请填写办理人姓名。"),
    ("found", "assigned", None, None, "请填写办理人姓名。"),
    ("found", "assigned", "王" * 51, "", "不能超过50个字"),
    ("closed", "found", "王伟", "", "已销号"),
])
def test_refusals_say_why_in_chinese(current, target, mover, note, words):
    assert words in rules.move_refusal(current=current, target=target, mover=mover, note=note)


def test_rates_of_nothing_are_empty_not_errors():
    empty = rules.assess_problems(pd.DataFrame(columns=["stage", "deadline", "closed_on",
                                                        "found_on"]), today=TODAY)
    rates = rules.closure_rates(empty)
    assert rates["total"] == 0 and rates["rectification_rate"] is None
    funnel = rules.stage_funnel(empty)
    assert list(funnel["stage_name"]) == ["发现", "交办", "整改中", "待验收", "已销号"]
    assert funnel["reached"].sum() == 0


def test_the_funnel_counts_the_stages_reached():
    frame = pd.DataFrame({"stage": ["found", "rectifying", "closed", "closed"]})
    funnel = rules.stage_funnel(frame).set_index("stage")
    assert list(funnel["reached"]) == [4, 3, 3, 2, 2]
    assert list(funnel["current"]) == [1, 0, 1, 0, 2]


# --- builders --------------------------------------------------------------------------------

def sample_frame() -> pd.DataFrame:
    frame = pd.DataFrame([{
        "id": 7, "code": "AQ-2026-0001", "list_name": "安全生产和自然灾害", "city_name": "宁波市",
        "region_name": "北仑区", "title": "北仑区危化品安全隐患 <b>", "category": "危化品安全隐患",
        "department_name": "省应急管理厅", "severity_name": "较重", "stage": "rectifying",
        "stage_name": "整改中", "found_on": date(2026, 9, 1), "deadline": date(2026, 11, 1),
        "assigned_on": date(2026, 9, 2), "rectifying_on": date(2026, 9, 4), "awaiting_on": None,
        "closed_on": None,
    }])
    return rules.assess_problems(frame, today=TODAY)


def test_a_light_badge_has_a_symbol_and_a_word():
    badge = view.light_badge("red", "逾期未销号")
    assert text_of(badge) == "■逾期未销号"
    assert badge.style["background"] == "#c62828"


def test_grid_rows_link_to_the_problem_and_say_the_light():
    row = view.grid_rows(sample_frame())[0]
    assert row["code"] == "[AQ-2026-0001](/problems/7)"
    assert row["light_text"] == "■ 逾期未销号" and row["days_left"] == -21
    assert row["region"] == "宁波市 · 北仑区"
    assert row["title"] == "北仑区危化品安全隐患 <b>"  # plain text; the grid escapes it


def test_exports_have_chinese_headers_and_every_row():
    from datetime import date

    from components.export import Export

    export = Export(topic="七张问题清单", region="宁波市", filters="全部问题",
                    as_of=date(2026, 11, 22), rows=view.export_rows(sample_frame()),
                    columns=view.EXPORT_COLUMNS, demo=False, unit="个问题")
    text = export.csv_bytes().decode("utf-8-sig")
    assert text.splitlines()[0].startswith("编号,清单,设区市,县（市、区）,问题")
    assert "逾期未销号" in text and "演示数据" not in text
    book = load_workbook(io.BytesIO(export.xlsx_bytes()))
    rows = list(book["七张问题清单"].iter_rows(values_only=True))
    assert rows[0][0] == "七张问题清单 · 宁波市 · 全部问题 · 截至2026-11-22 · 共 1 个问题"
    assert rows[1][0] == "编号" and rows[2][0] == "AQ-2026-0001"
    assert rows[2][rows[1].index("距时限天数")] == -21
    assert export.filename("csv") == "七张问题清单_宁波市_20261122.csv"


def test_stage_steps_mark_the_current_stage():
    steps = view.stage_steps(sample_frame().iloc[0].to_dict())
    states = [classes(li).split()[-1] for li in steps.children]
    assert states == ["is-done", "is-done", "is-current", "is-todo", "is-todo"]
    assert text_of(steps.children[2]) == "整改中2026-09-04"
    assert text_of(steps.children[3]) == "待验收—"


# --- pages, called as functions ------------------------------------------------------------------

def test_links_leave_out_the_defaults():
    from panels.addresses import problems_href

    assert problems_href(ProblemFilter()) == "/problems"
    assert problems_href(ProblemFilter(region="330200", list_code="SAFETY", light="red")) == \
        "/problems?region=330200&list=SAFETY&light=red"
    assert problems_href(ProblemFilter(category="河湖“四乱”问题")).startswith(
        "/problems?category=%E6%B2%B3")


def test_filters_navigate_and_the_map_drills(request_context):
    from pages.problems.page import FILTER_CONTROLS, ids, next_href

    current = vars(ProblemFilter(region="330200", list_code="ECOLOGY",
                                 category="工业废水超标排放"))
    values = {k: current[f] for k, f in FILTER_CONTROLS.items()}
    click = {"points": [{"location": "330212", "customdata": ["330212"]}]}
    assert next_href(ids.map, values=values, map_click=click, view_data=current) == \
        "/problems?region=330212&list=ECOLOGY&category=%E5%B7%A5%E4%B8%9A%E5%BA%9F%E6%B0%B4" \
        "%E8%B6%85%E6%A0%87%E6%8E%92%E6%94%BE"
    # Another list: the category (which belongs to the old list) is dropped.
    changed = values | {ids.list: "SAFETY"}
    assert next_href(ids.list, values=changed, map_click=None, view_data=current) == \
        "/problems?region=330200&list=SAFETY"
    assert next_href(ids.light, values=values, map_click=None, view_data=current) is no_update


def test_the_page_is_built_from_the_address(request_context):
    from pages.problems import page

    built = page.layout(region="330100", list="ECOLOGY")
    assert "problems-page" in classes(built)
    graphs = {c.id: c for c in find(built, lambda c: type(c).__name__ == "Graph")}
    assert set(graphs) == {"problems-funnel", "problems-bars", "problems-map"}
    assert len(graphs["problems-map"].figure.data[0].locations) == 13
    assert graphs["problems-map"].config["topojsonURL"].endswith("/assets/topojson/")
    grid = find(built, lambda c: type(c).__name__ == "AgGrid")[0]
    assert grid.rowData and {r["list_name"] for r in grid.rowData} == {"生态环保"}
    assert built.to_plotly_json()["props"]["data-count"] == str(len(grid.rowData))


@pytest.mark.parametrize(("params", "words"), [
    ({"region": "999999"}, "未找到行政区划代码"),
    ({"list": "NOPE"}, "未找到编码为“NOPE”的问题清单"),
    ({"dept": "NOPE"}, "责任部门"),
    ({"category": "不存在"}, "未找到问题类别"),
    ({"stage": "done"}, "阶段“done”无法识别"),
    ({"severity": "x"}, "严重程度"),
    ({"from": "2026-05", "to": "2026-01"}, "起始月份晚于截止月份"),
    ({"region": ["330100", "330200"]}, "只能出现一次"),
])
def test_wrong_parameters_get_a_message(request_context, params, words):
    from pages.problems import page

    built = page.layout(**params)
    assert "message-page" in classes(built)
    assert words in text_of(built)


def test_the_problem_page_and_a_refused_move_keep_the_form(request_context):
    from pages.problems import detail

    built = detail.layout(problem_id="1")
    assert "problem-page" in classes(built)
    stage = built.to_plotly_json()["props"]["data-stage"]
    assert find(built, lambda c: "pb-history" in classes(c))
    outputs = detail.submit_move(
        scope=detail.viewer_scope(), view_data={"id": 1, "stage": stage}, target="found",
        mover="王伟", note="退回", now=datetime(2026, 11, 22, 9, 0))
    assert outputs[0] is no_update and outputs[2] is no_update and outputs[4] is no_update
    assert "未能推进" in text_of(outputs[3])


def test_a_move_is_signed_by_the_session_and_audited(request_context):
    from data import audit
    from pages.problems import detail

    problem = detail.pq.problems(scope=detail.viewer_scope(), today=date(2026, 11, 22),
                                 filters=detail.ProblemFilter(stage="assigned")).iloc[0]
    before = audit.count(audit.AuditFilter(action="stage_move", username="leader"))
    outputs = detail.move(1, "rectifying", "整改方案已报送",
                          {"id": int(problem["id"]), "stage": "assigned"})
    assert "已由“交办”推进到“整改中”" in text_of(outputs[3])
    history = detail.pq.problem_history(scope=detail.viewer_scope(),
                                        problem_id=int(problem["id"]))
    assert history.iloc[-1]["moved_by"] == "省领导（演示）（省委改革办（省数字化改革办））"
    assert audit.count(audit.AuditFilter(action="stage_move", username="leader")) == before + 1
    event = audit.events(audit.AuditFilter(action="stage_move", username="leader")).iloc[0]
    assert event["target"] == f"问题 {problem['code']}" and event["detail"] == "交办 → 整改中"


def test_the_cockpit_panel_counts_the_region_subtree(request_context):
    from components.surfaces import desk
    from pages.region import page as region
    from panels import registry
    from panels.context import make_context

    model = registry.build(make_context(scope=detail_scope(), adcode="330200"), "problems")
    panel = desk.render(model)
    assert "topic-panel" in classes(panel)
    assert "宁波市" in text_of(panel) and "截至2026年11月22日" in text_of(panel)
    rows = find(panel, lambda c: type(c).__name__ == "Tr")
    assert len(rows) == 1 + 7 + 1  # header, seven lists, totals
    links = [c.href for c in find(panel, lambda c: type(c).__name__ == "Link")]
    assert "/problems?region=330200" in links
    assert "/problems?region=330200&list=INSPECTION" in links
    cockpit_page = region.layout(adcode="330200")
    assert find(cockpit_page, lambda c: "problems-panel" in classes(c))


def detail_scope():
    from data.scope import viewer_scope

    return viewer_scope()


def test_exports_are_made_on_the_server_from_the_view(request_context):
    import base64

    from pages.problems.page import export_file

    view_data = vars(ProblemFilter(region="330900", light="red"))
    sent = export_file("csv", scope=detail_scope(), view_data=view_data)
    assert sent["filename"].startswith("七张问题清单_舟山市_") and sent["filename"].endswith(".csv")
    text = base64.b64decode(sent["content"]).decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[0].startswith("编号,") and lines[0].endswith(",数据说明,导出标记")
    assert all(",逾期," in line and ",演示数据,省领导（演示） · " in line for line in lines[1:])
    assert sent["filename"].endswith("_演示数据.csv")
    sent = export_file("xlsx", scope=detail_scope(), view_data=view_data)
    book = load_workbook(io.BytesIO(base64.b64decode(sent["content"])))
    assert "舟山市" in book.active["A1"].value and "演示数据" in book.active["A1"].value


def test_closing_a_problem_replaces_the_form(request_context):
    from data import problems_queries as pq
    from pages.problems import detail

    scope = detail_scope()
    waiting = pq.problems(scope=scope, filters=ProblemFilter(stage="awaiting"),
                          today=clock.today(scope=scope))
    pid = int(waiting["id"].iloc[0])
    outputs = detail.submit_move(scope=scope, view_data={"id": pid, "stage": "awaiting"},
                                 target="closed", mover="王伟", note="经现场核查，整改到位",
                                 now=datetime(2026, 11, 22, 9, 0))
    summary, history, form, message, view_data = outputs
    assert view_data == {"id": pid, "stage": "closed"}
    assert "推进到“已销号”" in text_of(message)
    assert "闭环已完成" in text_of(form[0])
    assert "经现场核查，整改到位" in text_of(history)


def test_the_pages_say_when_the_store_is_down(request_context, database_down):
    from pages.problems import detail, page

    for built in (page.layout(), detail.layout(problem_id="1")):
        assert "message-page" in classes(built)
        assert "暂时无法连接数据库" in text_of(built)
