"""Task rules, builders and page callbacks, without a browser."""

from __future__ import annotations

import base64
import io
from datetime import date, datetime

import openpyxl
import pandas as pd
import pytest

from components import tasks as view
from data import tasks_rules as rules
from data.scope import viewer_scope
from tests.layout_tools import text_of

START, DUE = date(2026, 1, 1), date(2026, 12, 31)


# --- the status rule ----------------------------------------------------------------------------

@pytest.mark.parametrize(("progress", "today", "expected"), [
    (100, date(2027, 3, 1), rules.DONE),  # done, even late
    (100, date(2026, 2, 1), rules.DONE),
    (99.9, date(2027, 1, 1), rules.OVERDUE),  # past due and not complete
    (0, date(2025, 12, 31), rules.NOT_STARTED),  # before the start
    (0, date(2026, 1, 20), rules.NOT_STARTED),  # nothing yet, elapsed within the threshold
    (0, date(2026, 3, 1), rules.LAGGING),  # nothing yet, 16 % of the time gone
    (40, date(2026, 7, 2), rules.IN_PROGRESS),  # 50 % elapsed, 10 points behind
    (34, date(2026, 7, 2), rules.LAGGING),  # 16 points behind
    (35, date(2026, 7, 2), rules.IN_PROGRESS),  # exactly at the threshold (not "more than")
    (90, date(2026, 7, 2), rules.IN_PROGRESS),  # ahead
])
def test_status_rule(progress, today, expected):
    assert rules.task_status(start=START, due=DUE, progress=progress, today=today) == expected


def test_time_elapsed_is_bounded():
    assert rules.time_elapsed(start=START, due=DUE, today=date(2025, 1, 1)) == 0
    assert rules.time_elapsed(start=START, due=DUE, today=date(2028, 1, 1)) == 100
    assert rules.time_elapsed(start=START, due=DUE, today=date(2026, 7, 2)) == pytest.approx(
        50.0, abs=0.2)


def test_at_risk():
    def risk(progress, today):
        status = rules.task_status(start=START, due=DUE, progress=progress, today=today)
        return rules.at_risk(status=status, start=START, due=DUE, progress=progress,
                             today=today)
    assert risk(30, date(2026, 7, 2))  # lagging
    assert risk(85, date(2026, 12, 10))  # behind the clock, due in 21 days
    assert not risk(97, date(2026, 12, 10))  # ahead of the clock
    assert not risk(45, date(2026, 7, 2))  # behind but not due soon
    assert not risk(50, date(2027, 1, 5))  # overdue is its own, worse, class


def test_chain_progress_rolls_up_direct_children_equally():
    parents = {"330000": None, "A": "330000", "B": "330000", "a1": "A", "a2": "A", "b1": "B"}
    nodes = rules.chain_progress({"a1": 100, "a2": 50, "b1": 0}, parents=parents,
                                 root="330000")
    assert nodes == {"330000": 37.5, "A": 75, "B": 0, "a1": 100, "a2": 50, "b1": 0}
    assert rules.chain_progress({}, parents=parents, root="330000", root_progress=20) == {
        "330000": 20}
    # A chain rooted at a city keeps to that city.
    assert rules.chain_progress({"a1": 60}, parents=parents, root="A") == {"A": 60, "a1": 60}


def test_answered_in_time():
    deadline = date(2026, 6, 10)
    assert rules.answered_in_time(deadline=deadline, replied_on=date(2026, 6, 10),
                                  today=date(2026, 7, 1)) == "on_time"
    assert rules.answered_in_time(deadline=deadline, replied_on=date(2026, 6, 11),
                                  today=date(2026, 7, 1)) == "late"
    assert rules.answered_in_time(deadline=deadline, replied_on=None,
                                  today=date(2026, 6, 1)) == "pending"
    assert rules.answered_in_time(deadline=deadline, replied_on=None,
                                  today=date(2026, 6, 11)) == "overdue"


def test_validate_directive_lists_every_problem():
    problems = rules.validate_directive(
        task_exists=True, kind="note", author_name=" ", author_role="", body="",
        receiver="dept:X", known_receivers={"dept:Y"}, deadline="2026-05-01",
        today=date(2026, 6, 1))
    assert problems == ["请选择类型（批示或督办单）。", "请填写签发人姓名。", "请填写签发人职务。",
                        "请填写批示或督办内容。", "接收单位不存在，请从列表中选择部门或地区。",
                        "办理期限不能早于今天（2026-06-01）。"]
    fine = rules.validate_directive(
        task_exists=True, kind="supervision", author_name="甲", author_role="乙",
        body="<b>加快</b>", receiver="dept:Y", known_receivers={"dept:Y"},
        deadline="2026-06-01", today=date(2026, 6, 1))
    assert fine == []
    assert "办理期限不是有效日期。" in rules.validate_directive(
        task_exists=True, kind="instruction", author_name="甲", author_role="乙", body="x",
        receiver="dept:Y", known_receivers={"dept:Y"}, deadline="2026-13-45",
        today=date(2026, 6, 1))


# --- builders -----------------------------------------------------------------------------------

def sample_tasks() -> pd.DataFrame:
    rows = []
    for i, (status, progress) in enumerate([(rules.OVERDUE, 80.0), (rules.LAGGING, 30.0),
                                            (rules.IN_PROGRESS, 60.0), (rules.DONE, 100.0)]):
        rows.append({
            "id": i + 1, "code": f"ZD2026-00{i + 1}", "name": f"任务<b>{i}</b>",
            "group_code": "common_prosperity", "group_name": "共同富裕",
            "system_code": "PLATFORM", "system_name": "平台",
            "domain": "公共服务" if i else None, "reform": None, "lead_department": "BIGDATA",
            "lead_name": "省大数据发展管理局", "unit_names": "", "unit_codes": [],
            "region_adcode": "330000", "region_name": "浙江省", "start_date": START,
            "due_date": date(2026, 10, 31) if i == 0 else DUE, "progress": progress,
            "status": status, "elapsed": 88.0, "at_risk": status == rules.LAGGING,
            "days_left": -22 if i == 0 else 39, "chain_adcodes": ["330000"],
            "last_reported_on": date(2026, 11, 20)})
    return pd.DataFrame(rows)


def test_status_badge_has_symbol_word_and_the_cockpit_colours():
    badge = view.status_badge(rules.OVERDUE)
    assert badge.children[1] == "逾期" and badge.children[0].children == "■"
    assert badge.style["backgroundColor"] == "#c62828"  # LIGHTS["red"]


def test_grid_rows_carry_text_as_text():
    rows = view.grid_rows(sample_tasks())
    assert rows[0]["name"] == "任务<b>0</b>"  # the renderer gives it to React as text
    assert rows[0]["href"] == "/tasks/ZD2026-001"
    assert [r["status_rank"] for r in rows] == [0, 1, 2, 4]
    assert not any(c.get("cellRenderer") == "markdown" for c in view.grid_columns())


def test_exports_hold_exactly_the_rows_with_chinese_headers():
    from components.export import Export

    export = Export(topic="重大任务", region="浙江省", filters="全部任务", as_of=date(2026, 11, 22),
                    rows=view.export_rows(sample_tasks().iloc[[0, 2]]),
                    columns=view.EXPORT_COLUMNS, demo=True, unit="项任务")
    csv = export.csv_bytes()
    assert csv.startswith("\ufeff".encode())
    frame = pd.read_csv(io.BytesIO(csv), encoding="utf-8-sig")
    assert list(frame.columns) == [c.header for c in view.EXPORT_COLUMNS] + ["数据说明"]
    assert list(frame["编号"]) == ["ZD2026-001", "ZD2026-003"]
    assert list(frame["截止日期"]) == ["2026-10-31", "2026-12-31"]
    assert list(frame["状态"]) == ["逾期", "推进中"] and set(frame["数据说明"]) == {"演示数据"}
    book = openpyxl.load_workbook(io.BytesIO(export.xlsx_bytes()))
    values = list(book["重大任务"].values)
    assert values[0][0] == "重大任务 · 浙江省 · 全部任务 · 截至2026-11-22 · 共 2 项任务 · " \
        "演示数据（非真实统计数据）"
    assert list(values[1]) == [c.header for c in view.EXPORT_COLUMNS]
    assert [row[0] for row in values[2:]] == ["ZD2026-001", "ZD2026-003"]
    assert values[2][1] == "任务<b>0</b>"
    assert export.filename("xlsx") == "重大任务_浙江省_20261122_演示数据.xlsx"


def test_gantt_marks_today_and_milestones():
    milestones = pd.DataFrame({"code": ["ZD2026-001", "ZD2026-001"], "name": ["方案", "验收"],
                               "due_date": [date(2026, 2, 1), date(2026, 10, 31)],
                               "done_on": [date(2026, 2, 3), None]})
    figure = view.gantt(sample_tasks(), milestones, today=date(2026, 11, 22), title="t")
    assert figure.layout.shapes[0].x0 == pd.Timestamp("2026-11-22")
    assert "今天" in figure.layout.annotations[0].text
    names = [t.name for t in figure.data]
    assert "里程碑（已完成）" in names and "里程碑（未完成）" in names
    empty = view.gantt(sample_tasks().iloc[0:0], milestones, today=date(2026, 11, 22), title="t")
    assert empty.layout.annotations[0].text == "没有符合条件的任务"


def test_a_directive_card_shows_script_as_plain_text():
    row = {"id": 7, "kind": "instruction", "kind_name": "批示", "author_name": "甲",
           "author_role": "乙", "body": "<script>alert(1)</script>", "created_at":
           datetime(2026, 11, 1, 9, 0), "receiver_name": "省教育厅",
           "deadline": date(2026, 11, 30), "answered": "pending", "corrects_id": None,
           "reply": None}
    card = view.directive_card(row, code_of={})
    bodies = [c for c in card.children if getattr(c, "className", "") == "directive-body"]
    assert bodies[0].children == "<script>alert(1)</script>"  # a string child: escaped


def test_the_cockpit_panel_lists_overdue_and_at_risk_tasks_with_links(request_context):
    from components.surfaces import desk
    from data.scope import EVERYTHING
    from panels import registry
    from panels.context import make_context

    model = registry.build(make_context(scope=EVERYTHING, adcode="330100"), "tasks")
    assert [s.code for s in model.stats] == list(rules.STATUSES)
    assert model.rows and {r["status"] for r in model.rows} <= {rules.OVERDUE, rules.LAGGING,
                                                               rules.IN_PROGRESS}
    panel = desk.render(model)
    assert "card topic-panel" in panel.className
    title = panel.children[0]
    assert "杭州市" in title.children[0] and "截至2026年11月22日" in title.children[1].children
    lines = panel.children[3].children
    assert [line.children[0].href for line in lines] == [r["href"] for r in model.rows]
    assert all(href.startswith("/tasks/ZD2026-") for href in (r["href"] for r in model.rows))


# --- page helpers -------------------------------------------------------------------------------

def test_the_address_is_the_filter_and_round_trips(request_context):
    from data.tasks_queries import TaskFilter
    from pages.tasks.page import resolve_filters
    from panels.addresses import tasks_href

    filters = TaskFilter(group="common_prosperity", region="330100", due_within=30,
                         status="overdue", department="BIGDATA", system="DIGITAL_GOV")
    href = tasks_href(filters)
    assert href == ("/tasks?group=common_prosperity&system=DIGITAL_GOV&dept=BIGDATA"
                    "&region=330100&status=overdue&due=30")
    params = dict(p.split("=") for p in href.split("?")[1].split("&"))
    assert resolve_filters(scope=viewer_scope(), params=params, today=date(2026, 11, 22)) == \
        filters
    assert tasks_href(TaskFilter(region="330000")) == "/tasks"


def test_a_filter_choice_becomes_a_new_address():
    from dash import no_update

    from pages.tasks.page import FILTER_CONTROLS, ids, next_href

    view_data = {"group": None, "system": None, "department": None, "region": "330100",
                 "status": None, "due_within": None}
    values = {c: None for c in FILTER_CONTROLS} | {ids.region: "330100"}
    assert next_href(values, view_data) is no_update
    assert next_href(values | {ids.status: "lagging"}, view_data) == \
        "/tasks?region=330100&status=lagging"
    assert next_href(values | {ids.region: None, ids.due: "7"}, view_data) == "/tasks?due=7"


def test_export_download_sends_the_filtered_rows(request_context):
    from data.tasks_queries import TaskFilter
    from pages.tasks.page import export_download

    sent = export_download("xlsx", TaskFilter(status="overdue"), scope=viewer_scope())
    assert sent["filename"].endswith("_演示数据.xlsx") and sent["base64"]
    book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(sent["content"])))
    rows = list(book.active.values)
    assert "逾期" in rows[0][0] and "演示数据" in rows[0][0]
    statuses = {row[13] for row in rows[2:]}
    assert statuses == {"逾期"}
    csv = export_download("csv", TaskFilter(status="overdue"), scope=viewer_scope())
    assert csv["filename"].endswith(".csv")
    lines = base64.b64decode(csv["content"]).decode("utf-8-sig").splitlines()
    assert len(lines) == len(rows) - 1  # no note line: the headers, then the same rows


def test_an_export_is_marked_with_who_made_it_and_audited(request_context):
    from data import audit
    from data.tasks_queries import TaskFilter
    from pages.tasks.page import export_download

    before = audit.count(audit.AuditFilter(action="export", username="leader"))
    sent = export_download("xlsx", TaskFilter(status="overdue"), scope=viewer_scope())
    sheet = openpyxl.load_workbook(io.BytesIO(base64.b64decode(sent["content"]))).active
    mark = "省领导（演示） · 省委改革办（省数字化改革办） · 导出于 "
    assert mark in sheet["A1"].value
    assert mark in sheet.oddHeader.right.text and mark in sheet.oddFooter.left.text
    csv = export_download("csv", TaskFilter(status="overdue"), scope=viewer_scope())
    frame = pd.read_csv(io.BytesIO(base64.b64decode(csv["content"])), encoding="utf-8-sig")
    assert frame["导出标记"].str.startswith(mark).all() and len(frame) > 0
    events = audit.events(audit.AuditFilter(action="export", username="leader"))
    assert audit.count(audit.AuditFilter(action="export", username="leader")) == before + 2
    assert set(events["target"].head(2)) == {sent["filename"], csv["filename"]}


def test_pages_answer_unknown_tasks_and_params_politely(request_context):
    from pages.tasks import detail, page

    missing = detail.layout(code="ZD2026-999")
    assert "message-page" in missing.className
    assert "ZD2026-999" in missing.children[1].children
    assert "只能出现一次" in text_of(page.layout(status=["overdue", "lagging"]))
    wrong = page.layout(status="<x>")
    assert "message-page" in wrong.className
    assert wrong.children[1].children == "筛选条件“状态”的取值“<x>”不存在。"
    assert "message-page" in page.layout(region="999999").className
    shown = page.layout(status="overdue", region="330100", due="30")
    assert "tasks-page" in shown.className


def test_a_refused_form_keeps_every_value(request_context):
    from dash import no_update

    from pages.tasks.detail import submit

    outputs = submit(1, "ZD2026-001", "instruction", "dept:BIGDATA",
                     "2020-01-01", "请尽快完成", None)
    listed, message, css, body, options, reply_options = outputs
    assert listed is no_update and body is no_update  # the typed text stays in the form
    assert "is-error" in css
    assert "办理期限不能早于今天（2026-11-22）。" in [li.children for li in message.children]


def test_a_good_form_is_stored_signed_by_the_session_and_audited(request_context):
    from data import audit
    from data import tasks_queries as tq
    from data.scope import EVERYTHING
    from pages.tasks.detail import submit

    before = audit.count(audit.AuditFilter(action="directive", username="leader"))
    outputs = submit(1, "ZD2026-001", "supervision", "region:330100",
                     "2026-12-31", "<b>请杭州市</b>按周报送", None)
    listed, message, css, body, options, reply_options = outputs
    assert "is-ok" in css and body == ""
    assert reply_options[0]["label"].endswith("待回复")
    newest = listed.children[0]
    assert "<b>请杭州市</b>按周报送" in [getattr(c, "children", None) for c in newest.children]
    assert len(options) == len(listed.children)
    stored = tq.directives(scope=EVERYTHING, today=date(2026, 11, 22)).sort_values("id").iloc[-1]
    assert (stored["author_name"], stored["author_role"]) == ("省领导（演示）", "主任")
    assert audit.count(audit.AuditFilter(action="directive", username="leader")) == before + 1
    event = audit.events(audit.AuditFilter(action="directive", username="leader")).iloc[0]
    assert event["target"] == "任务 ZD2026-001"


def test_a_wall_screen_cannot_write_a_directive(cockpit):
    from dash import no_update

    from pages.tasks.detail import submit
    from tests.auth_tools import signed_in

    with signed_in(cockpit.server, "screen"):
        outputs = submit(1, "ZD2026-001", "supervision", "region:330100",
                         "2026-12-31", "大屏不能写", None)
    assert outputs[0] is no_update and "只读" in outputs[1] and "is-error" in outputs[2]


def test_the_panel_leaves_room_for_at_risk_tasks():
    from panels.topics import attention

    tasks = pd.concat([sample_tasks().iloc[[0]]] * 9 + [sample_tasks().iloc[[1]]] * 3,
                      ignore_index=True)
    shown, hidden = attention(tasks, limit=8)
    assert list(shown["status"]) == [rules.OVERDUE] * 5 + [rules.LAGGING] * 3
    assert hidden == 4


def test_directives_for_a_receiving_unit():
    from data.tasks_queries import directives_for_receiver

    directives = pd.DataFrame({"id": [1, 2, 3], "receiver_department": ["EDUCATION", None, None],
                               "receiver_region": [None, "330102", "330200"]})
    regions = pd.DataFrame({"adcode": ["330000", "330100", "330102", "330200"],
                            "ancestors": [[], ["330000"], ["330000", "330100"], ["330000"]]})
    pick = lambda **kw: list(directives_for_receiver(directives, regions=regions, **kw)["id"])  # noqa: E731
    assert pick(department=None, region=None) == [1, 2, 3]
    assert pick(department="EDUCATION", region=None) == [1]
    assert pick(department=None, region="330100") == [2]
    assert pick(department="EDUCATION", region="330200") == [1, 3]
    assert pick(department=None, region="330000") == [2, 3]


def test_task_text_in_plotly_labels_and_tooltips_is_escaped():
    tasks = sample_tasks()
    tasks.loc[0, "name"] = '<a href="javascript:alert(1)">点我</a>'
    figure = view.gantt(tasks, pd.DataFrame(columns=["code", "name", "due_date", "done_on"]),
                        today=date(2026, 11, 22), title="t")
    bar = figure.data[0]
    assert all("<a" not in label for label in bar.y)
    assert "&lt;a href=" in bar.hovertext[-1] or "&lt;a href=" in "".join(bar.hovertext)


def test_a_reply_is_stored_and_shown_on_its_directive(request_context):
    from dash import no_update

    from data import clock
    from data import tasks_queries as tq
    from data.scope import EVERYTHING
    from pages.tasks.detail import submit_reply

    today = clock.today(scope=EVERYTHING)
    detail = tq.task_detail(scope=EVERYTHING, code="ZD2026-002", today=today)
    refused = submit_reply(1, "ZD2026-002", None, "")
    assert refused[0] is no_update and refused[3] is no_update and "is-error" in refused[2]
    assert [li.children for li in refused[1].children] == [
        "请选择要回复的批示或督办单。", "请填写回复内容。"]
    target = tq.add_directive(scope=EVERYTHING, task_code="ZD2026-002", kind="instruction",
                              author_name="甲", author_role="乙", body="请报告",
                              receiver="dept:REFORM_OFFICE", deadline=today, today=today)
    listed, message, css, body, options = submit_reply(1, "ZD2026-002", target, "已落实")
    assert "is-ok" in css and body == ""
    row = tq.directives(scope=EVERYTHING, today=today, task_id=int(detail["task"]["id"]))
    row = row.set_index("id").loc[target]
    assert row["reply"] == "已落实" and row["answered"] == "on_time"
    assert row["replied_by"] == "省委改革办（省数字化改革办）"  # the signed-in user's unit
    assert any(o["value"] == target and o["label"].endswith("已回复") for o in options)


def test_a_tasks_progress_and_its_lead_units_latest_report_agree_or_say_why():
    day = date(2026, 11, 20)
    agree, words = rules.progress_against_report(progress=62.0, report=62, reported_on=day,
                                                 chained=False)
    assert agree and "2026-11-20" in words and "一致" in words
    agree, words = rules.progress_against_report(progress=48.3, report=70, reported_on=day,
                                                 chained=True)
    assert not agree and "70%" in words and "48.3%" in words and "平均值" in words
    agree, words = rules.progress_against_report(progress=48.3, report=55, reported_on=day,
                                                 chained=True, report_region="杭州市",
                                                 task_region="浙江省")
    assert not agree and "杭州市" in words and "浙江省的进度" in words
    agree, words = rules.progress_against_report(progress=0.0, report=None, reported_on=None,
                                                 chained=False)
    assert not agree and "尚无进展报告" in words


def test_the_task_page_puts_the_latest_report_beside_the_progress(request_context):
    from data import tasks_queries as tq
    from data.scope import EVERYTHING
    from pages.tasks import detail
    from tests.layout_tools import find

    today = date(2026, 11, 22)
    for code in tq.task_table(scope=EVERYTHING, today=today)["code"][:12]:
        page = detail.layout(code=code)
        found = find(page, lambda c: "task-progress-source" in (getattr(c, "className", "")
                                                                or ""))
        assert len(found) == 1, code
        task = tq.task_detail(scope=EVERYTHING, code=code, today=today)
        reports = task["reports"]
        said = text_of(found[0])
        if len(reports):
            assert f"{float(reports.iloc[0]['progress']):g}%" in said
        agrees = found[0].to_plotly_json()["props"]["data-agree"] == "yes"
        assert agrees == (len(reports) > 0 and abs(float(task["task"]["progress"])
                                                    - float(reports.iloc[0]["progress"])) < 0.05)


def test_a_city_user_reads_its_own_regions_name_over_the_tasks_indicators(cockpit):
    from pages.tasks import detail
    from tests.auth_tools import signed_in
    from tests.layout_tools import find

    def headings(username: str) -> list[str]:
        with signed_in(cockpit.server, username):
            page = detail.layout(code="ZD2026-025")  # a province task carried by 杭州市
        return [text_of(h) for h in find(page, lambda c: type(c).__name__ == "H3")
                if text_of(h).startswith("关联指标")]

    assert headings("leader") == ["关联指标（2026年10月，浙江省）"]
    assert headings("hangzhou") == ["关联指标（2026年10月，杭州市）"]
