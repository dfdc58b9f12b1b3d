"""Import kinds of the seven problem lists (七张问题清单): the problems, and their stage
moves (阶段推进) along the closed loop 发现 → 交办 → 整改中 → 待验收 → 已销号."""

from __future__ import annotations

from datetime import date

from data.imports import cells
from data.imports.kinds import REGION, Column, Kind, RowCheck
from data.imports.lookups import Lookups
from data.imports.merges import (
    merge_moves,
    merge_problems,
    move_dependents,
    problem_dependents,
)
from data.problems_rules import MAX_MOVER_LENGTH, MAX_NOTE_LENGTH, SEVERITIES, STAGE_NAMES, STAGES
from data.problems_schema import Problem, ProblemMove

PROBLEM_CODE = Column("code", "问题编号", True,
                      "问题的编号，例如 XS-2026-0012；同一编号再次导入即更新", "XS-2026-0012",
                      aliases=("编号",))
#: The stage-date columns of a problem, in the order of the loop (发现 is found_on).
STAGE_DATES = (("assigned_on", "交办日期"), ("rectifying_on", "整改日期"),
               ("awaiting_on", "待验收日期"), ("closed_on", "销号日期"))
STAGE_WORDS = {name: code for code, name in STAGE_NAMES.items()} | {
    "整改": "rectifying", "验收": "awaiting", "销号": "closed"}
SEVERITY_WORDS = {name: code for code, name in SEVERITIES.items()}
READ_SEVERITY = cells.coded(SEVERITY_WORDS, "严重程度", allowed="一般、较重、重大")
READ_STAGE = cells.coded(STAGE_WORDS, "阶段", allowed="交办、整改中、待验收、已销号")



def check_problem(row: RowCheck, lookups: Lookups) -> dict | None:
    code = row.get("code", lambda raw: cells.text(raw, limit=20))
    list_code = row.get("list_code", lookups.problem_lists.find)
    title = row.get("title", lambda raw: cells.text(raw, limit=200))
    description = row.get("description", lambda raw: cells.text(raw, limit=4000))
    adcode = row.get("adcode", lookups.regions.find)
    department = row.get("department_code", lookups.departments.find)
    category = row.get("category", lambda raw: cells.text(raw, limit=40))
    severity = row.get("severity", READ_SEVERITY)
    found = row.get("found_on", cells.day)
    deadline = row.get("deadline", cells.day)
    dates = {column: row.get(column, cells.day) for column, _ in STAGE_DATES}
    if adcode and (refusal := lookups.region_refusal(adcode)):
        row.fail("adcode", refusal)
    if department and (refusal := lookups.department_refusal(department)):
        row.fail("department_code", refusal)
    if found and found > lookups.today:
        row.fail("found_on", "发现日期晚于今天")
    if found and found < date(2015, 1, 1):
        row.fail("found_on", "发现日期早于2015年")
    if found and deadline and deadline < found:
        row.fail("deadline", "整改期限早于发现日期")
    previous, previous_name, missing = found, "发现日期", None
    stage = "found"
    for (column, name), code_ in zip(STAGE_DATES, STAGES[1:], strict=True):
        day = dates[column]
        if day is None:
            missing = missing or name
            continue
        if missing:
            row.fail(column, f"已填{name}，却没有{missing}：阶段须逐级推进")
        if previous and day < previous:
            row.fail(column, f"早于{previous_name}")
        if day > lookups.today:
            row.fail(column, "晚于今天")
        previous, previous_name, stage = day, name, code_
    if row.issues:
        return None
    return {"code": code, "list_code": list_code, "title": title, "description": description,
            "region_adcode": adcode, "department_code": department, "category": category,
            "severity": severity, "found_on": found, "deadline": deadline, "stage": stage,
            **dates}


def check_move(row: RowCheck, lookups: Lookups) -> dict | None:
    code = row.get("code", lambda raw: cells.text(raw, limit=20))
    problem = lookups.problems.get(code) if code else None
    if code and problem is None:
        row.fail("code", "没有这个问题（演示数据的问题在导入真实数据时清除；请先导入问题）")
    to_stage = row.get("to_stage", READ_STAGE)
    moved_at = row.get("moved_at", cells.moment)
    moved_by = row.get("moved_by", lambda raw: cells.text(raw, limit=MAX_MOVER_LENGTH))
    note = row.get("note", lambda raw: cells.text(raw, limit=MAX_NOTE_LENGTH))
    if to_stage == "found":
        row.fail("to_stage", "“发现”是问题的起点，不是推进的阶段")
    if to_stage == "closed" and not note:
        row.fail("note", "销号须填写验收意见")
    if moved_at and moved_at.date() > lookups.today:
        row.fail("moved_at", "晚于今天")
    if problem:
        if refusal := lookups.region_refusal(problem["region_adcode"]):
            row.fail("code", refusal)
        if refusal := lookups.department_refusal(problem["department_code"]):
            row.fail("code", refusal)
        if moved_at and moved_at.date() < problem["found_on"]:
            row.fail("moved_at", f"早于问题的发现日期 {problem['found_on']:%Y-%m-%d}")
    if row.issues:
        return None
    return {"problem_id": int(problem["id"]), "to_stage": to_stage, "moved_at": moved_at,
            "moved_by": moved_by, "note": note}


PROBLEMS = Kind(
    code="problems",
    name="问题清单",
    topic="problems",
    description="七张问题清单的问题：清单、地区、责任单位、类别、严重程度、发现日期和整改期限；"
                "可同时填写已到达各阶段的日期（阶段须逐级推进，已推进的问题不能退回）。",
    columns=(
        PROBLEM_CODE,
        Column("list_code", "清单", True,
               "巡视、审计、督查、生态环保、安全生产和自然灾害、网络舆情、群众信访", "审计",
               aliases=("问题清单", "所属清单"), choices="problem_lists"),
        Column("title", "问题标题", True, "一句话概括问题", "某县财政专项资金未按期拨付",
               aliases=("标题", "问题")),
        Column("description", "问题描述", False, "问题详情", "", aliases=("描述",)),
        REGION,
        Column("department_code", "责任单位", True, "单位编码或全称", "省财政厅",
               aliases=("责任部门",), choices="departments"),
        Column("category", "问题类别", True, "例如 资金管理、安全隐患", "资金管理",
               aliases=("类别",)),
        Column("severity", "严重程度", True, "一般、较重、重大", "较重", choices="severities"),
        Column("found_on", "发现日期", True, "例如 2026-09-15", "2026-09-15"),
        Column("deadline", "整改期限", True, "须在此日期前销号，例如 2026-12-31", "2026-12-31",
               aliases=("整改时限",)),
        *(Column(column, name, False, "到达该阶段的日期，未到达则不填", "") for column, name
          in STAGE_DATES),
    ),
    table=Problem.__table__,
    keys=("code",),
    values=("list_code", "title", "description", "region_adcode", "department_code",
            "category", "severity", "found_on", "deadline", "stage", "assigned_on",
            "rectifying_on", "awaiting_on", "closed_on"),
    check=check_problem,
    stamp={"source": "channel"},
    needs=("regions", "departments", "problem_lists"),
    merge=merge_problems,
    withdraw_check=problem_dependents,
    written_tables=("problem_moves", "problems"),
    header_codes={"region_adcode": "adcode"},
)

PROBLEM_MOVES = Kind(
    code="problem-moves",
    name="问题阶段推进",
    topic="problems",
    description="问题沿闭环推进的记录：推进到的阶段、时间、经办人和说明（销号须填验收意见）。"
                "每个问题按时间逐级推进，不能跳过、不能退回；同一问题同一阶段再次导入即更新记录。",
    columns=(
        PROBLEM_CODE,
        Column("to_stage", "推进到", True, "交办、整改中、待验收、已销号", "交办",
               aliases=("阶段",), choices="stages"),
        Column("moved_at", "时间", True, "例如 2026-10-08 09:30", "2026-10-08 09:30",
               aliases=("推进时间", "办理时间")),
        Column("moved_by", "经办人", True, "办理人姓名", "张三", aliases=("办理人",)),
        Column("note", "说明", False, "办理说明；销号时填写验收意见",
               "经现场核查，整改到位，同意销号", aliases=("办理说明", "验收意见")),
    ),
    table=ProblemMove.__table__,
    keys=("problem_id", "to_stage"),
    values=("moved_at", "moved_by", "note"),
    check=check_move,
    needs=("problems",),
    merge=merge_moves,
    withdraw_check=move_dependents,
    header_codes={"problem_id": "code"},
)
