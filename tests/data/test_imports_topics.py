"""Imports of tasks and their reports, problems and their stage moves, disaster events with
their assessments, notices and evacuations — on SQLite and PostgreSQL: accepted and again
unchanged, refused with the reason (the store unchanged), withdrawn with what they replaced
put back, and shown by the topic's own queries at once."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from data import problems_queries as pq
from data import risk_queries as rq
from data import tasks_queries as tq
from data.imports.batches import WithdrawRefused, withdraw
from data.imports.run import run_import
from data.problems_schema import Problem, ProblemMove
from data.scope import EVERYTHING
from data.seeding import seed_all
from data.store import engine, write_transaction
from data.tasks_schema import Task, TaskRegion, TaskUnit
from tests.data.conftest import BACKENDS, migrated_app
from tests.data.test_imports import snapshot
from tests.imports_corpus import csv_bytes

TODAY = date(2026, 12, 1)

TASK_HEADER = ["任务编码", "任务名称", "任务组", "所属系统", "主要领域", "牵头单位", "责任单位",
               "地区", "承担地区", "开始日期", "完成日期"]
TASKS = [
    ["ZJ2026-001", "驾驶舱全省贯通", "重大项目", "数字政府", "机关运行", "省大数据发展管理局",
     "省发展改革委、省财政厅", "330000", "杭州市、宁波市", "2026-02-01", "2026-12-31"],
    ["ZJ2026-002", "西湖区基层治理试点", "共同富裕", "基层治理系统", "", "BIGDATA", "", "西湖区",
     "", "2026-03-01", "2026-11-30"],
]
REPORT_HEADER = ["任务编码", "地区", "报告日期", "进度", "进展情况", "报告人"]
PROBLEM_HEADER = ["问题编号", "清单", "问题标题", "地区", "责任单位", "问题类别", "严重程度",
                  "发现日期", "整改期限", "交办日期", "整改日期"]
PROBLEMS = [
    ["SJ-2026-0001", "审计", "专项资金未按期拨付", "330106", "省财政厅", "资金管理", "较重",
     "2026-09-01", "2026-12-31", "2026-09-03", ""],
    ["XS-2026-0002", "巡视", "台账不全", "杭州市", "省委组织部", "基础管理", "一般", "2026-08-01",
     "2026-10-31", "2026-08-02", "2026-08-10"],
]
MOVE_HEADER = ["问题编号", "推进到", "时间", "经办人", "说明"]


def write(tmp_path: Path, name: str, header: list[str], rows: list[list]) -> Path:
    path = tmp_path / name
    path.write_bytes(csv_bytes(rows, header=header, encoding="utf-8-sig"))
    return path


def do(tmp_path: Path, kind: str, header: list[str], rows: list[list], name: str = "f.csv"):
    return run_import(write(tmp_path, name, header, rows), kind=kind, channel="cli",
                      actor="测试", filename=name)


def children(code: str) -> tuple[set[str], set[str]]:
    with engine().connect() as conn:
        task_id = conn.execute(select(Task.id).where(Task.code == code)).scalar_one()
        units = set(conn.execute(select(TaskUnit.department_code)
                                 .where(TaskUnit.task_id == task_id)).scalars())
        regions = set(conn.execute(select(TaskRegion.region_adcode)
                                   .where(TaskRegion.task_id == task_id)).scalars())
    return units, regions


# --- tasks and reports -------------------------------------------------------------------------

def test_tasks_with_their_units_and_regions_and_their_reports(store, tmp_path):
    first = do(tmp_path, "tasks", TASK_HEADER, TASKS)
    assert first.accepted, first.issues
    assert first.inserted == 2
    assert children("ZJ2026-001") == ({"DRC", "FINANCE"}, {"330100", "330200"})
    assert do(tmp_path, "tasks", TASK_HEADER, TASKS).unchanged == 2
    table = tq.task_table(scope=EVERYTHING, today=TODAY).set_index("code")
    assert table.loc["ZJ2026-001", "name"] == "驾驶舱全省贯通"

    changed = [list(TASKS[0]), TASKS[1]]
    changed[0][6] = "省财政厅"  # one unit fewer: the task counts as updated
    second = do(tmp_path, "tasks", TASK_HEADER, changed)
    assert (second.updated, second.unchanged) == (1, 1)
    assert children("ZJ2026-001")[0] == {"FINANCE"}
    withdraw(second.batch_id, actor="测试", scope=EVERYTHING)
    assert children("ZJ2026-001") == ({"DRC", "FINANCE"}, {"330100", "330200"})

    reports = do(tmp_path, "task-reports", REPORT_HEADER, [
        ["ZJ2026-001", "杭州市", "2026-10-31", "60%", "杭州完成部署", "市大数据局"],
        ["ZJ2026-001", "330200", "2026-10-31", "45", "宁波推进中", "市大数据局"],
        ["ZJ2026-002", "西湖区", "2026-11-15", "30", "试点启动", "区大数据局"]])
    assert reports.accepted and reports.inserted == 3, reports.issues
    detail = tq.task_detail(scope=EVERYTHING, code="ZJ2026-001", today=TODAY)
    assert detail is not None
    # The task's first batch cannot go while reports depend on the tasks it added.
    with pytest.raises(WithdrawRefused, match="进展报告"):
        withdraw(first.batch_id, actor="测试", scope=EVERYTHING)


@pytest.mark.parametrize(("row", "column", "words"), [
    ({2: "大项目"}, "任务组", "任务组应为"),
    ({5: "不存在的局"}, "牵头单位", "没有这个单位"),
    ({8: "温州市"}, "承担地区", "不在任务所属地区"),
    ({9: "2026-12-31", 10: "2026-01-01"}, "完成日期", "早于开始日期"),
    ({6: "省大数据发展管理局"}, "责任单位", "牵头单位不必再列为责任单位"),
])
def test_a_bad_task_is_refused_with_its_reason(store, tmp_path, row, column, words):
    bad = list(TASKS[1])
    bad[0] = "ZJ2026-099"
    for position, value in row.items():
        bad[position] = value
    if 8 in row:
        bad[7] = "杭州市"
    before = snapshot()
    outcome = do(tmp_path, "tasks", TASK_HEADER, [bad])
    assert not outcome.accepted
    assert any(i.column == column and words in i.reason for i in outcome.issues), outcome.issues
    assert snapshot() == before


def test_bad_reports_are_refused(store, tmp_path):
    do(tmp_path, "tasks", TASK_HEADER, TASKS)
    before = snapshot()
    outcome = do(tmp_path, "task-reports", REPORT_HEADER, [
        ["ZJ2026-404", "杭州市", "2026-10-31", "60", "x", "y"],
        ["ZJ2026-002", "杭州市", "2026-10-31", "60", "x", "y"],
        ["ZJ2026-001", "杭州市", "2026-10-31", "120", "x", "y"],
        ["ZJ2026-001", "杭州市", "2026-01-15", "10", "x", "y"]])
    reasons = {(i.row, i.reason.split("（")[0]) for i in outcome.issues}
    assert (2, "没有这个任务") in reasons
    assert any(r == 3 and "不在该任务所属地区" in text for r, text in reasons)
    assert (4, "进度应在0至100之间") in reasons
    assert any(r == 5 and "早于任务开始日期" in text for r, text in reasons)
    assert snapshot() == before


# --- problems and their moves ------------------------------------------------------------------

def stage_of(code: str) -> str:
    with engine().connect() as conn:
        return conn.execute(select(Problem.stage).where(Problem.code == code)).scalar_one()


def history(code: str) -> list[str]:
    with engine().connect() as conn:
        problem_id = conn.execute(select(Problem.id).where(Problem.code == code)).scalar_one()
        return list(conn.execute(select(ProblemMove.to_stage)
                                 .where(ProblemMove.problem_id == problem_id)
                                 .order_by(ProblemMove.moved_at, ProblemMove.id)).scalars())


def test_problems_with_their_stages_then_moved_on_and_withdrawn(store, tmp_path):
    first = do(tmp_path, "problems", PROBLEM_HEADER, PROBLEMS)
    assert first.accepted, first.issues
    assert stage_of("SJ-2026-0001") == "assigned" and stage_of("XS-2026-0002") == "rectifying"
    assert history("XS-2026-0002") == ["found", "assigned", "rectifying"]
    assert do(tmp_path, "problems", PROBLEM_HEADER, PROBLEMS).unchanged == 2
    shown = pq.problem(scope=EVERYTHING, problem_id=_id("SJ-2026-0001"), today=TODAY)
    assert shown["title"] == "专项资金未按期拨付"

    moves = do(tmp_path, "problem-moves", MOVE_HEADER, [
        ["SJ-2026-0001", "整改中", "2026-09-20 10:00", "张三", "已制定整改方案"],
        ["XS-2026-0002", "待验收", "2026-09-01 09:00", "李四", "整改完成，申请验收"],
        ["XS-2026-0002", "已销号", "2026-09-15 16:00", "王五", "经核查整改到位，同意销号"]])
    assert moves.accepted and moves.inserted == 3, moves.issues
    assert stage_of("XS-2026-0002") == "closed"
    assert history("XS-2026-0002")[-2:] == ["awaiting", "closed"]
    again = do(tmp_path, "problem-moves", MOVE_HEADER, [
        ["XS-2026-0002", "已销号", "2026-09-15 16:00", "王五", "经核查整改到位，同意销号"]])
    assert again.accepted and again.unchanged == 1

    # The problems' batch cannot go while the moves' batch has changed its problems.
    with pytest.raises(WithdrawRefused, match=f"第{moves.batch_id}批"):
        withdraw(first.batch_id, actor="测试", scope=EVERYTHING)
    withdraw(moves.batch_id, actor="测试", scope=EVERYTHING)
    assert stage_of("XS-2026-0002") == "rectifying" and stage_of("SJ-2026-0001") == "assigned"
    assert history("XS-2026-0002") == ["found", "assigned", "rectifying"]
    withdraw(first.batch_id, actor="测试", scope=EVERYTHING)
    with engine().connect() as conn:
        assert conn.execute(select(Problem.id).where(Problem.code.in_(
            ["SJ-2026-0001", "XS-2026-0002"]))).first() is None


def _id(code: str) -> int:
    with engine().connect() as conn:
        return conn.execute(select(Problem.id).where(Problem.code == code)).scalar_one()


@pytest.mark.parametrize(("move", "words"), [
    (["SJ-2026-0010", "待验收", "2026-09-20 10:00", "张三", ""], "不能跳过阶段"),
    (["SJ-2026-0010", "整改中", "2026-08-20 10:00", "张三", ""], "早于问题的发现日期"),
    (["SJ-2026-0010", "整改中", "2026-09-02 10:00", "张三", ""], "早于该问题到达“交办”"),
    (["SJ-2026-0010", "发现", "2026-09-20 10:00", "张三", ""], "起点"),
    (["SJ-2026-0404", "整改中", "2026-09-20 10:00", "张三", ""], "没有这个问题"),
    (["SJ-2026-0010", "整改中", "2099-01-01 10:00", "张三", ""], "晚于今天"),
])
def test_a_move_the_stage_machine_refuses_is_refused(store, tmp_path, move, words):
    problem = list(PROBLEMS[0])
    problem[0], problem[9] = "SJ-2026-0010", "2026-09-05"
    assert do(tmp_path, "problems", PROBLEM_HEADER, [problem]).accepted
    before = snapshot()
    outcome = do(tmp_path, "problem-moves", MOVE_HEADER, [move])
    assert not outcome.accepted
    assert any(words in i.reason for i in outcome.issues), outcome.issues
    assert snapshot() == before


def test_closing_needs_a_verification_note_and_stages_never_go_back(store, tmp_path):
    problem = list(PROBLEMS[1])
    problem[0] = "XS-2026-0020"
    assert do(tmp_path, "problems", PROBLEM_HEADER, [problem]).accepted
    assert do(tmp_path, "problem-moves", MOVE_HEADER, [
        ["XS-2026-0020", "待验收", "2026-09-01 09:00", "李四", ""]]).accepted
    # A record of a stage reached may be corrected, but not put out of order.
    late = do(tmp_path, "problem-moves", MOVE_HEADER, [
        ["XS-2026-0020", "交办", "2026-08-20 09:00", "李四", ""]])
    assert not late.accepted and "晚于“整改中”的日期" in late.message
    fixed = do(tmp_path, "problem-moves", MOVE_HEADER, [
        ["XS-2026-0020", "交办", "2026-08-03 09:00", "李四", "补录交办时间"]])
    assert fixed.accepted and fixed.updated == 1
    with engine().connect() as conn:
        assert conn.execute(select(Problem.assigned_on).where(
            Problem.code == "XS-2026-0020")).scalar_one() == date(2026, 8, 3)
    no_note = do(tmp_path, "problem-moves", MOVE_HEADER, [
        ["XS-2026-0020", "已销号", "2026-09-15 16:00", "王五", ""]])
    assert not no_note.accepted and "验收意见" in no_note.message
    back = list(problem)
    back[10] = ""  # the file says 交办; the store says 待验收
    refused = do(tmp_path, "problems", PROBLEM_HEADER, [back])
    assert not refused.accepted and "不能退回" in refused.message


# --- the risk map ------------------------------------------------------------------------------

EVENT_HEADER = ["过程名称", "类型", "开始时间", "结束时间"]
ASSESSMENT_HEADER = ["灾害过程", "地区", "灾种", "风险等级", "研判时间"]
EVENT = ["2026年第9号台风", "台风", "2026-08-01 08:00", "2026-08-04 20:00"]


def test_an_event_its_assessments_notices_and_evacuations(store, tmp_path):
    events = do(tmp_path, "risk-events", EVENT_HEADER, [EVENT])
    assert events.accepted, events.issues
    assessments = do(tmp_path, "risk-assessments", ASSESSMENT_HEADER, [
        ["2026年第9号台风", "象山县", "台风", "红", "2026-08-02 06:00"],
        ["2026年第9号台风", "330225", "海塘（风暴潮）", "橙色", "2026-08-02 06:00"],
        ["2026年第9号台风", "舟山市普陀区", "TYPHOON", "黄", "2026-08-02 12:00"]])
    assert assessments.accepted, assessments.issues
    notices = do(tmp_path, "risk-notices",
                 ["灾害过程", "地区", "灾种", "类型", "标题", "发文单位", "发出时间", "签收时间"], [
                     ["2026年第9号台风", "象山县", "台风", "风险告知函", "关于防范台风风险的告知函",
                      "省防指办", "2026-08-02 07:00", "2026-08-02 07:30"]])
    assert notices.accepted, notices.issues
    moved = do(tmp_path, "evacuations", ["灾害过程", "地区", "报告时间", "转移人数"], [
        ["2026年第9号台风", "象山县", "2026-08-02 12:00", "12800"]])
    assert moved.accepted, moved.issues
    event_id = rq.risk_events(scope=EVERYTHING).set_index("name").loc["2026年第9号台风", "id"]
    frame = rq.event_assessments(scope=EVERYTHING, event_id=int(event_id), parent="330000")
    assert set(frame["level_code"]) >= {"RED", "ORANGE"}
    with pytest.raises(WithdrawRefused, match="风险研判"):
        withdraw(events.batch_id, actor="测试", scope=EVERYTHING)


def test_bad_risk_rows_are_refused(store, tmp_path):
    do(tmp_path, "risk-events", EVENT_HEADER, [EVENT])
    before = snapshot()
    outcome = do(tmp_path, "risk-assessments", ASSESSMENT_HEADER, [
        ["2026年第9号台风", "宁波市", "台风", "红", "2026-08-02 06:00"],
        ["没有的过程", "象山县", "台风", "红", "2026-08-02 06:00"],
        ["2026年第9号台风", "象山县", "台风", "紫", "2026-08-02 06:00"],
        ["2026年第9号台风", "象山县", "台风", "红", "2026-09-30 06:00"]])
    reasons = [(i.row, i.reason) for i in outcome.issues]
    assert any(r == 2 and "按县（市、区）" in t for r, t in reasons)
    assert any(r == 3 and "没有这个灾害过程" in t for r, t in reasons)
    assert any(r == 4 and "没有这个风险等级" in t for r, t in reasons)
    assert any(r == 5 and "不在该过程的时间范围内" in t for r, t in reasons)
    assert snapshot() == before


# --- demo data replaced topic by topic ---------------------------------------------------------

@pytest.mark.parametrize("backend", BACKENDS)
def test_tasks_replace_only_the_tasks_demo(backend, request, tmp_path):
    app = migrated_app(backend, request, tmp_path)
    with app.app_context():
        with write_transaction() as conn:
            seed_all(conn)
        outcome = do(tmp_path, "tasks", TASK_HEADER, TASKS)
        assert outcome.accepted and outcome.demo_cleared > 1000
        with engine().connect() as conn:
            sources = set(conn.execute(select(Task.source).distinct()).scalars())
            problems = set(conn.execute(select(Problem.source).distinct()).scalars())
        assert sources == {"import"} and problems == {"demo"}
        codes = set(tq.task_table(scope=EVERYTHING, today=TODAY)["code"])
        assert codes == {"ZJ2026-001", "ZJ2026-002"}
        engine().dispose()


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_demo_mark_goes_when_every_topic_holds_real_data(backend, request, tmp_path):
    from data import clock, queries
    from data.clock import DEMO_TODAY

    app = migrated_app(backend, request, tmp_path)
    with app.app_context():
        with write_transaction() as conn:
            seed_all(conn)
        assert clock.today(scope=EVERYTHING) == DEMO_TODAY
        for kind, header, rows in (
                ("indicator-values", ["指标编码", "地区", "期间", "数值"],
                 [["DG_ZLB_DAU", "330106", "2026-10", "12"]]),
                ("tasks", TASK_HEADER, TASKS[1:]),
                ("problems", PROBLEM_HEADER, PROBLEMS[:1]),
                ("risk-events", EVENT_HEADER, [EVENT]),
                ("appeals", ["地区", "周", "诉求类别", "受理数", "办结数", "按时答复数", "评价数",
                             "满意数"],
                 [["西湖区", "2026-11-16", "LAND", "3", "3", "3", "1", "1"]]),
                ("apps", ["应用编码", "应用名称", "所属系统", "牵头单位", "层级", "所属地区",
                          "上线日期", "用户数", "活跃率", "实活率", "满意率"],
                 [["ZLB", "浙里办", "数字政府", "BIGDATA", "省级", "浙江省", "2014-06-25",
                   "90000000", "40", "20", "95"]])):
            assert queries.dataset_status(scope=EVERYTHING)["demo"]
            assert do(tmp_path, kind, header, rows).accepted
        status = queries.dataset_status(scope=EVERYTHING)
        assert not status["demo"] and status["demo_topics"] == []
        assert clock.today(scope=EVERYTHING) == date.today()  # no longer the demo's day
        with write_transaction() as conn:
            said = seed_all(conn)
        assert sum("已有导入的真实数据" in s for s in said) == 6
        assert not queries.dataset_status(scope=EVERYTHING)["demo"]
        engine().dispose()
