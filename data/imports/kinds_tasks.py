"""Import kinds of the major tasks (重大任务): the tasks themselves, with their responsible
units and the regions that carry them, and the progress reports (进展报告)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Text

from config.labels import TASK_GROUPS
from data.imports import cells
from data.imports.kinds import REGION, Column, Kind, RowCheck
from data.imports.lookups import Lookups
from data.imports.merges import merge_tasks, task_dependents, withdraw_task_children
from data.tasks_rules import DOMAINS
from data.tasks_schema import Task, TaskReport

TASK_CODE = Column("task_code", "任务编码", True,
                   "任务的编码，例如 ZD2026-015；同一编码再次导入即更新该任务", "ZD2026-015",
                   aliases=("任务编号", "编码"))
FIRST_DAY = date(2015, 1, 1)
#: A task group by its name (重大项目) or its code (major_projects).
READ_GROUP = cells.coded({name: code for code, name in TASK_GROUPS.items()}, "任务组",
                         allowed="、".join(TASK_GROUPS.values()))


def _one_of(values: tuple[str, ...], what: str):
    def read(raw: object) -> str | None:
        value = cells.normal(raw)
        if value is None:
            return None
        if value not in values:
            raise cells.CellError(f"{what}应为：{'、'.join(values)}")
        return value

    return read


def check_task(row: RowCheck, lookups: Lookups) -> dict | None:
    code = row.get("task_code", lambda raw: cells.text(raw, limit=20))
    name = row.get("name", lambda raw: cells.text(raw, limit=200))
    group = row.get("group_code", READ_GROUP)
    system = row.get("system_code", lookups.systems.find)
    domain = row.get("domain", _one_of(DOMAINS, "主要领域"))
    reform = row.get("reform", lambda raw: cells.text(raw, limit=40))
    lead = row.get("lead_department", lookups.departments.find)
    unit_names = row.get("units", cells.split_list) or []
    adcode = row.get("adcode", lookups.regions.find)
    region_names = row.get("regions", cells.split_list) or []
    start = row.get("start_date", cells.day)
    due = row.get("due_date", cells.day)
    description = row.get("description", lambda raw: cells.text(raw, limit=4000))
    units = []
    for unit in unit_names:
        try:
            units.append(lookups.departments.find(unit))
        except cells.CellError as bad:
            row.fail("units", f"“{unit}”：{bad}")
    regions = []
    for place in region_names:
        try:
            found = lookups.regions.find(place)
        except cells.CellError as bad:
            row.fail("regions", f"“{place}”：{bad}")
            continue
        if adcode and not lookups.regions.is_within(found, adcode):
            row.fail("regions", f"{lookups.regions.name(found)}不在任务所属地区"
                                f"{lookups.regions.name(adcode)}之内")
        elif adcode and found == adcode:
            row.fail("regions", "承担地区应为所属地区下级的市或县（所属地区本身不必列出）")
        regions.append(found)
    if adcode and (refusal := lookups.region_refusal(adcode)):
        row.fail("adcode", refusal)
    if lead and (refusal := lookups.department_refusal(lead)):
        row.fail("lead_department", refusal)
    if lead and lead in units:
        row.fail("units", "牵头单位不必再列为责任单位")
    if start and due and due < start:
        row.fail("due_date", "完成日期早于开始日期")
    for column, day in (("start_date", start), ("due_date", due)):
        if day and not FIRST_DAY <= day <= date(lookups.today.year + 10, 12, 31):
            row.fail(column, "日期超出合理范围")
    if row.issues:
        return None
    return {"code": code, "name": name, "group_code": group, "system_code": system,
            "domain": domain, "reform": reform, "lead_department": lead,
            "region_adcode": adcode, "start_date": start, "due_date": due,
            "description": description, "units": "|".join(sorted(set(units))),
            "regions": "|".join(sorted(set(regions)))}


def check_report(row: RowCheck, lookups: Lookups) -> dict | None:
    code = row.get("task_code", lambda raw: cells.text(raw, limit=20))
    task = lookups.tasks.get(code) if code else None
    if code and task is None:
        row.fail("task_code", "没有这个任务（演示数据的任务在导入真实数据时清除；请先导入任务）")
    adcode = row.get("adcode", lookups.regions.find)
    reported = row.get("reported_on", cells.day)
    progress = row.get("progress", lambda raw: cells.number(raw, percent_ok=True))
    summary = row.get("summary", lambda raw: cells.text(raw, limit=4000))
    reporter = row.get("reporter", lambda raw: cells.text(raw, limit=80))
    if progress is not None and not 0 <= progress <= 100:
        row.fail("progress", "进度应在0至100之间")
    if reported and reported > lookups.today:
        row.fail("reported_on", "报告日期晚于今天")
    if task and adcode:
        if not lookups.regions.is_within(adcode, task["region_adcode"]):
            root = lookups.regions.name(task["region_adcode"])
            row.fail("adcode", f"不在该任务所属地区{root}之内")
        if refusal := lookups.region_refusal(adcode):
            row.fail("adcode", refusal)
        if refusal := lookups.department_refusal(task.get("lead_department")):
            row.fail("task_code", refusal)
    if task and reported and reported < task["start_date"]:
        row.fail("reported_on", f"早于任务开始日期 {task['start_date']:%Y-%m-%d}")
    if row.issues:
        return None
    return {"task_id": int(task["id"]), "region_adcode": adcode, "reported_on": reported,
            "progress": progress, "summary": summary, "reporter": reporter}


TASKS = Kind(
    code="tasks",
    name="重大任务",
    topic="tasks",
    description="重大任务及其牵头单位、责任单位和承担地区（执行链）。同一任务编码再次导入即更新任务，"
                "责任单位和承担地区以本次为准。",
    columns=(
        TASK_CODE,
        Column("name", "任务名称", True, "任务名称，不超过200字", "数字化改革驾驶舱全省贯通",
               aliases=("名称",)),
        Column("group_code", "任务组", True, "重要精神、八八战略、共同富裕……（见“选项”表）",
               "重大项目", aliases=("任务事项组",), choices="task_groups"),
        Column("system_code", "所属系统", True, "系统编码或名称，例如 数字政府", "数字政府",
               aliases=("系统", "跑道"), choices="systems"),
        Column("domain", "主要领域", False, "19个主要领域之一（见“选项”表），可不填", "机关运行",
               choices="domains"),
        Column("reform", "重大改革", False, "所承载的重大改革，可不填", "公权力大数据监督"),
        Column("lead_department", "牵头单位", True, "单位编码或全称，例如 省大数据发展管理局",
               "省大数据发展管理局", choices="departments"),
        Column("units", "责任单位", False, "其他责任单位，多个用顿号、逗号或分号分隔",
               "省发展改革委、省财政厅"),
        REGION,
        Column("regions", "承担地区", False, "执行链上承担任务的下级市、县，多个用顿号分隔；"
               "不填则由所属地区直接承担", "杭州市、宁波市"),
        Column("start_date", "开始日期", True, "例如 2026-03-01", "2026-03-01",
               aliases=("开始时间",)),
        Column("due_date", "完成日期", True, "例如 2026-12-31", "2026-12-31",
               aliases=("完成时限", "截止日期")),
        Column("description", "任务描述", False, "任务内容，不超过4000字", "", aliases=("描述",)),
    ),
    table=Task.__table__,
    keys=("code",),
    values=("name", "group_code", "system_code", "domain", "reform", "lead_department",
            "region_adcode", "start_date", "due_date", "description"),
    check=check_task,
    stamp={"source": "channel"},
    needs=("regions", "departments", "systems"),
    staging_extra=(("units", Text()), ("regions", Text())),
    merge=merge_tasks,
    withdraw_check=task_dependents,
    before_delete=withdraw_task_children,
    header_codes={"code": "task_code", "region_adcode": "adcode"},
)

TASK_REPORTS = Kind(
    code="task-reports",
    name="任务进展",
    topic="tasks",
    description="各地区对重大任务的进展报告（进度%）。同一任务、地区、报告日期再次导入即更新。",
    columns=(
        TASK_CODE,
        REGION,
        Column("reported_on", "报告日期", True, "例如 2026-10-31", "2026-10-31",
               aliases=("日期", "填报日期")),
        Column("progress", "进度", True, "完成进度，0至100（可带%）", "65",
               aliases=("进度%", "完成进度"), json_type="number"),
        Column("summary", "进展情况", True, "本期进展的文字说明", "已完成省级平台部署，3个市接入",
               aliases=("进展", "说明")),
        Column("reporter", "报告人", True, "填报人或填报单位", "省大数据局 张三",
               aliases=("填报人",)),
    ),
    table=TaskReport.__table__,
    keys=("task_id", "region_adcode", "reported_on"),
    values=("progress", "summary", "reporter"),
    check=check_report,
    stamp={"source": "channel"},
    needs=("regions", "tasks"),
    header_codes={"task_id": "task_code", "region_adcode": "adcode"},
)
