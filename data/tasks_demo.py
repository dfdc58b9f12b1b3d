"""Deterministic demo data (演示数据) of the major tasks: 60 tasks of 2026 drawn from the
plan's task groups, the 19 main domains and the 2022 major reforms, with lead and responsible
units, regional breakdowns (province → cities → counties), milestones, progress reports, a
few leaders' instructions and supervision orders with replies, and some overdue tasks.

How it is made:
- The demo is anchored to :data:`DEMO_TODAY` (2026-11-22, after the indicators' last month
  2026-10), the one "today" of the whole demo (:mod:`data.clock`), so that the pages judge
  the demo against the same day whatever the calendar says.
- Each task has a pace (fixed seed): a region's progress at a day is the time elapsed × its
  pace (the task's pace varied per region), capped at 100. Paces below 1 make tasks lag or,
  past their due date, overdue; paces above 1 finish early.
- Regions report every two or three months; the lead department reports monthly, with the
  progress of the chain's roll-up on that day (the same rule as the pages,
  :func:`data.tasks_rules.chain_progress`).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import numpy as np
import pandas as pd
from sqlalchemy import Connection, delete, func, select

from config.labels import TASK_GROUPS
from data import tasks_rules as rules
from data.clock import DEMO_TODAY
from data.reference import PROVINCE, read_departments, read_indicators, read_regions
from data.schema import DatasetInfo
from data.tasks_schema import (
    Task,
    TaskDirective,
    TaskDirectiveReply,
    TaskIndicator,
    TaskMilestone,
    TaskRegion,
    TaskReport,
    TaskUnit,
)

SEED = 20260122
GENERATOR_VERSION = "1"
#: The day the demo is anchored to ("today" while the demo data is loaded).
YEAR = 2026

#: Task group codes by their Chinese name (the catalogue below names the groups).
GROUP_CODES = {name: code for code, name in TASK_GROUPS.items()}

# (group, name, system, domain, reform, lead, other responsible units, chain, start, due)
# chain: "none" (provincial departments only), "city" (the 11 cities), "county" (all counties),
# "pilot" (the counties of three pilot cities), or a city adcode (that city's counties).
CATALOGUE: list[tuple] = [
    ("重要精神", "学习贯彻省第十五次党代会精神数字化闭环落实", "PARTY_GOV", "党的建设", None,
     "REFORM_OFFICE", ("ORGANIZATION", "PUBLICITY"), "city", "01-10", "12-31"),
    ("重要精神", "党政机关整体智治综合应用迭代升级", "PARTY_GOV", "机关运行", None,
     "REFORM_OFFICE", ("GOV_OFFICE", "BIGDATA"), "city", "01-15", "12-31"),
    ("重要精神", "“浙里好干部”干部全周期管理应用推广", "PARTY_GOV", "党的建设", "浙里好干部",
     "ORGANIZATION", ("BIGDATA",), "city", "02-01", "10-31"),
    ("重要精神", "舆论引导在线全省贯通", "PARTY_GOV", "宣传思想", "舆论引导在线",
     "PUBLICITY", ("CYBERSPACE",), "city", "02-15", "11-30"),
    ("重要精神", "党外代表人士队伍建设全链条管理", "PARTY_GOV", "统战工作", None,
     "UNITED_FRONT", (), "none", "03-01", "12-31"),
    ("重要精神", "人大代表履职数字化平台建设", "PARTY_GOV", "人大工作", None,
     "NPC_OFFICE", ("BIGDATA",), "none", "02-20", "09-30"),
    ("重要精神", "“协商在线”政协协商议政应用", "PARTY_GOV", "政协工作", None,
     "CPPCC_OFFICE", (), "none", "03-01", "12-31"),
    ("八八战略", "产业大脑能力开放中心建设", "DIGITAL_ECONOMY", "经济调节", "产业大脑能力开放中心",
     "ECONOMY_IT", ("DRC", "BIGDATA"), "city", "01-20", "12-31"),
    ("八八战略", "未来工厂和智能工厂培育", "DIGITAL_ECONOMY", "科技创新", None,
     "ECONOMY_IT", ("SCIENCE",), "county", "02-01", "12-31"),
    ("八八战略", "关键核心技术攻关应用", "DIGITAL_ECONOMY", "科技创新", None,
     "SCIENCE", ("ECONOMY_IT",), "none", "01-15", "12-31"),
    ("八八战略", "要素市场化配置改革数字化应用", "DIGITAL_ECONOMY", "经济调节", "要素市场化配置",
     "DRC", ("NATURAL_RES", "FINANCE"), "city", "03-01", "11-30"),
    ("八八战略", "有效投资e本账全省覆盖", "DIGITAL_ECONOMY", "经济调节", None,
     "DRC", ("FINANCE",), "city", "02-10", "09-30"),
    ("八八战略", "海外智慧物流平台建设", "DIGITAL_ECONOMY", "经济调节", None,
     "COMMERCE", ("TRANSPORT",), "pilot", "03-15", "12-31"),
    ("八八战略", "能效倒逼“双碳”协同创新", "DIGITAL_ECONOMY", "美丽浙江", "能效倒逼“双碳”协同创新",
     "DRC", ("ECO_ENV", "ECONOMY_IT"), "county", "02-15", "12-31"),
    ("共同富裕", "浙有善育托育服务数字化", "DIGITAL_SOCIETY", "公共服务", "浙有善育",
     "HEALTH", ("CIVIL_AFFAIRS", "EDUCATION"), "county", "02-01", "12-31"),
    ("共同富裕", "浙里康养居家养老服务应用", "DIGITAL_SOCIETY", "公共服务", "浙里康养",
     "CIVIL_AFFAIRS", ("HEALTH",), "county", "03-01", "12-31"),
    ("共同富裕", "未来社区在线全域推广", "DIGITAL_SOCIETY", "社会治理", "未来社区在线",
     "HOUSING", ("CIVIL_AFFAIRS",), "city", "02-20", "12-31"),
    ("共同富裕", "未来乡村在线建设", "DIGITAL_SOCIETY", "乡村振兴", "未来乡村在线",
     "AGRICULTURE", (), "county", "03-01", "12-31"),
    ("共同富裕", "民生“关键小事”智能速办扩面", "DIGITAL_GOV", "公共服务", None,
     "GOV_OFFICE", ("BIGDATA",), "city", "01-20", "10-31"),
    ("共同富裕", "双减在线课后托管服务", "DIGITAL_SOCIETY", "公共服务", "双减在线",
     "EDUCATION", (), "county", "02-15", "08-31"),
    ("共同富裕", "浙有众扶困难群众精准帮扶", "DIGITAL_SOCIETY", "公共服务", None,
     "CIVIL_AFFAIRS", ("HRSS",), "county", "03-01", "12-31"),
    ("共同富裕", "安薪在线根治欠薪应用", "DIGITAL_GOV", "社会治理", None,
     "HRSS", ("HOUSING",), "city", "01-15", "11-30"),
    ("共同富裕", "闲置农房盘活应用推广", "DIGITAL_ECONOMY", "乡村振兴", None,
     "AGRICULTURE", ("NATURAL_RES",), "pilot", "04-01", "12-31"),
    ("共同富裕", "浙农优品农产品数字化营销", "DIGITAL_ECONOMY", "乡村振兴", None,
     "AGRICULTURE", ("COMMERCE",), "none", "03-10", "12-31"),
    ("疫情防控", "疫情防控精密智控平台常态化运行", "DIGITAL_GOV", "公共服务", "疫情防控精密智控",
     "HEALTH", ("BIGDATA",), "city", "01-05", "06-30"),
    ("疫情防控", "浙医互认检查检验结果互认", "DIGITAL_SOCIETY", "公共服务", None,
     "HEALTH", (), "city", "02-01", "09-30"),
    ("疫情防控", "重点人群健康服务数字化", "DIGITAL_SOCIETY", "公共服务", None,
     "HEALTH", ("CIVIL_AFFAIRS",), "none", "03-01", "12-31"),
    ("应急处突", "防汛防台在线与五色图迭代", "DIGITAL_GOV", "平安浙江", None,
     "WATER", ("EMERGENCY", "NATURAL_RES"), "county", "01-10", "09-30"),
    ("应急处突", "危化品全链条安全风险智控", "DIGITAL_GOV", "平安浙江", None,
     "EMERGENCY", ("TRANSPORT",), "330200", "02-01", "12-31"),
    ("应急处突", "城市地下隐患智防", "DIGITAL_GOV", "平安浙江", None,
     "HOUSING", ("EMERGENCY",), "city", "03-01", "12-31"),
    ("应急处突", "海上综合智治", "DIGITAL_GOV", "平安浙江", None,
     "EMERGENCY", ("TRANSPORT", "PUBLIC_SECURITY"), "pilot", "02-15", "10-31"),
    ("应急处突", "浙运安道路运输安全监管", "DIGITAL_GOV", "平安浙江", None,
     "TRANSPORT", ("PUBLIC_SECURITY",), "city", "01-20", "12-31"),
    ("问题清单", "七张问题清单数字化应用全省贯通", "PARTY_GOV", "机关运行", "七张问题清单",
     "REFORM_OFFICE", ("INSPECTION", "AUDIT"), "county", "01-10", "11-30"),
    ("问题清单", "巡视整改问题闭环管理", "PARTY_GOV", "纪检监察", None,
     "INSPECTION", ("DISCIPLINE",), "city", "02-01", "12-31"),
    ("问题清单", "审计发现问题整改销号", "DIGITAL_GOV", "经济调节", None,
     "AUDIT", ("FINANCE",), "city", "02-15", "10-31"),
    ("问题清单", "群众信访积案化解数字化", "DIGITAL_RULE_OF_LAW", "社会治理", None,
     "PETITION", ("POLITICS_LAW",), "county", "01-15", "12-31"),
    ("问题清单", "网络舆情问题闭环处置", "PARTY_GOV", "宣传思想", None,
     "CYBERSPACE", ("PUBLICITY",), "none", "02-01", "09-30"),
    ("监督整改", "公权力大数据监督应用", "DIGITAL_RULE_OF_LAW", "纪检监察", "公权力大数据监督",
     "DISCIPLINE", ("BIGDATA",), "county", "01-15", "12-31"),
    ("监督整改", "全域数字法治监督体系", "DIGITAL_RULE_OF_LAW", "法治浙江", "全域数字法治监督",
     "POLITICS_LAW", ("JUSTICE",), "city", "02-01", "12-31"),
    ("监督整改", "检察大数据法律监督", "DIGITAL_RULE_OF_LAW", "法治浙江", "检察大数据法律监督",
     "PROCURATORATE", (), "city", "02-20", "11-30"),
    ("监督整改", "“大综合一体化”行政执法改革", "DIGITAL_RULE_OF_LAW", "法治浙江",
     "“大综合一体化”行政执法", "JUSTICE", ("MARKET",), "county", "01-20", "12-31"),
    ("监督整改", "药品安全智慧监管“黑匣子”", "DIGITAL_GOV", "市场监管", None,
     "MARKET", ("HEALTH",), "none", "03-01", "10-31"),
    ("监督整改", "公平在线与外卖在线平台监管", "DIGITAL_GOV", "市场监管", "公平在线 / 外卖在线",
     "MARKET", (), "city", "02-10", "12-31"),
    ("监督整改", "浙食链食品安全追溯", "DIGITAL_GOV", "市场监管", None,
     "MARKET", ("AGRICULTURE",), "county", "01-20", "09-30"),
    ("勇立潮头", "一体化智能化公共数据平台迭代", "PLATFORM", "机关运行", None,
     "BIGDATA", ("GOV_OFFICE",), "city", "01-05", "12-31"),
    ("勇立潮头", "城市大脑全省贯通", "PLATFORM", "市县工作", None,
     "BIGDATA", ("REFORM_OFFICE",), "city", "01-15", "12-31"),
    ("勇立潮头", "浙警智治数字警务", "DIGITAL_RULE_OF_LAW", "平安浙江", "浙警智治",
     "PUBLIC_SECURITY", (), "city", "02-01", "12-31"),
    ("勇立潮头", "全域数字法院建设", "DIGITAL_RULE_OF_LAW", "法治浙江", "全域数字法院",
     "COURT", (), "city", "01-20", "12-31"),
    ("勇立潮头", "省域空间治理数字化平台", "DIGITAL_GOV", "美丽浙江", "省域空间治理数字化平台",
     "NATURAL_RES", ("HOUSING",), "city", "02-01", "12-31"),
    ("勇立潮头", "杭州城市大脑民呼我为迭代", "DIGITAL_SOCIETY", "社会治理", None,
     "BIGDATA", (), "330100", "01-20", "12-31"),
    ("勇立潮头", "数字文化系统“文化浙江”应用", "DIGITAL_CULTURE", "文化浙江", None,
     "CULTURE", ("PUBLICITY",), "none", "03-15", "12-31"),
    ("勇立潮头", "浙里无废城市建设", "DIGITAL_SOCIETY", "美丽浙江", None,
     "ECO_ENV", (), "city", "02-01", "12-31"),
    ("重大项目", "亚运在线场馆与赛事服务数字化", "DIGITAL_SOCIETY", "公共服务", "亚运在线",
     "SPORTS", ("CULTURE", "PUBLIC_SECURITY"), "330100", "01-10", "06-30"),
    ("重大项目", "耕地智保全省推广", "DIGITAL_GOV", "乡村振兴", None,
     "NATURAL_RES", ("AGRICULTURE",), "county", "01-15", "10-31"),
    ("重大项目", "反电诈综合治理应用", "DIGITAL_RULE_OF_LAW", "平安浙江", None,
     "PUBLIC_SECURITY", ("CYBERSPACE",), "city", "01-10", "12-31"),
    ("重大项目", "减税降费直达快享", "DIGITAL_GOV", "经济调节", None,
     "FINANCE", ("BIGDATA",), "none", "01-10", "06-30"),
    ("重大项目", "浙里办票与财政电子票据", "DIGITAL_GOV", "经济调节", None,
     "FINANCE", (), "none", "02-01", "11-30"),
    ("重大项目", "浙江知识产权在线", "DIGITAL_ECONOMY", "科技创新", None,
     "MARKET", ("SCIENCE",), "none", "02-15", "12-31"),
    ("重大项目", "金融综合服务平台扩面", "DIGITAL_ECONOMY", "经济调节", None,
     "FINANCE", ("COMMERCE",), "city", "03-01", "12-31"),
    ("重大项目", "职工服务数字化“浙工之家”", "DIGITAL_SOCIETY", "群团工作", None,
     "TRADE_UNION", (), "none", "04-01", "12-31"),
]

PILOT_CITIES = ("330300", "330600", "331000")

#: Milestones: (name, share of the task's time at which it is due, progress that marks it done)
MILESTONES = (("实施方案印发", 0.1, 10.0), ("试点上线运行", 0.4, 40.0),
              ("全面推广应用", 0.75, 75.0), ("验收评估", 1.0, 100.0))

PHASES = ((0, "完成需求梳理和方案编制"), (20, "完成场景设计，试点地区开展建设"),
          (45, "应用试点上线，推进数据归集和多跨协同"), (70, "在全域推广应用，迭代优化功能"),
          (90, "开展成效评估，准备验收"), (100, "任务完成，通过验收"))

#: Fictional leaders for the demo directives.
LEADERS = (("周文斌", "省委常委、常务副省长"), ("陈立群", "省委常委、秘书长"),
           ("吴晓东", "副省长"), ("郑建平", "省委改革办主任"))


def task_code(number: int) -> str:
    return f"ZD{YEAR}-{number:03d}"


def _day(month_day: str) -> date:
    month, day = (int(x) for x in month_day.split("-"))
    return date(YEAR, month, day)


def _leaves(chain: str, regions: pd.DataFrame) -> list[str]:
    cities = regions[regions["level"] == "city"]
    counties = regions[regions["level"] == "county"]
    if chain == "none":
        return []
    if chain == "city":
        return list(cities["adcode"])
    if chain == "county":
        return list(counties["adcode"])
    if chain == "pilot":
        return list(counties[counties["parent_adcode"].isin(PILOT_CITIES)]["adcode"])
    return list(counties[counties["parent_adcode"] == chain]["adcode"])


def _progress(pace: float, *, start: date, due: date, day: date) -> float:
    """A region's progress on ``day``: time elapsed × pace, whole numbers, capped at 100
    (work goes on after the due date until it is done)."""
    elapsed = max(0, (day - start).days) / max((due - start).days, 1) * 100.0
    return float(min(100.0, round(elapsed * pace)))


def _report_days(start: date, step_months: int) -> list[date]:
    """Report days (the 20th) every ``step_months`` from the start up to DEMO_TODAY."""
    days, month = [], start.month
    while True:
        day = date(YEAR, month, 20)
        if day > DEMO_TODAY:
            break
        if day > start:
            days.append(day)
        month += step_months
        if month > 12:
            break
    return days


def generate() -> dict[str, list[dict]]:
    """Rows of every task table, keyed by table name; task ids are positions (1-based)."""
    rng = np.random.default_rng(SEED)
    regions = read_regions()
    names = regions.set_index("adcode")["name"].to_dict()
    parents = regions.set_index("adcode")["parent_adcode"].to_dict()
    departments = read_departments().set_index("code")["name"].to_dict()
    indicators = read_indicators()
    out: dict[str, list[dict]] = {k: [] for k in (
        "tasks", "units", "regions", "milestones", "indicators", "reports", "directives")}
    for number, entry in enumerate(CATALOGUE, start=1):
        group, name, system, domain, reform, lead, units, chain, start_s, due_s = entry
        start, due = _day(start_s), _day(due_s)
        # Paces: most on track, some late (lagging, or overdue when past due), some early.
        pace = float(rng.choice([0.55, 0.75, 0.9, 1.0, 1.05, 1.15, 1.3],
                                p=[0.1, 0.15, 0.2, 0.2, 0.15, 0.1, 0.1]))
        root = chain if chain.startswith("33") else PROVINCE
        out["tasks"].append({
            "id": number, "code": task_code(number), "name": name,
            "description": f"{name}，由{departments[lead]}牵头，{YEAR}年{start.month}月启动，"
                           f"{due.month}月{due.day}日前完成。",
            "group_code": GROUP_CODES[group], "system_code": system, "domain": domain,
            "reform": reform,
            "lead_department": lead, "region_adcode": root, "start_date": start,
            "due_date": due, "source": "demo"})
        out["units"] += [{"task_id": number, "department_code": u} for u in units]
        leaves = _leaves(chain, regions)
        out["regions"] += [{"task_id": number, "region_adcode": a} for a in leaves]
        leaf_pace = {a: pace * float(np.exp(rng.normal(0, 0.18))) for a in leaves}

        def chain_at(day: date, leaf_pace=leaf_pace, start=start, due=due, root=root,
                     pace=pace) -> float:
            if not leaf_pace:
                return _progress(pace, start=start, due=due, day=day)
            leaf_values = {a: _progress(p, start=start, due=due, day=day)
                           for a, p in leaf_pace.items()}
            return rules.chain_progress(leaf_values, parents=parents, root=root)[root]

        series = [(d, chain_at(d)) for d in _daily(start, min(DEMO_TODAY, due))]
        for milestone, share, mark in MILESTONES:
            m_due = start + timedelta(days=round((due - start).days * share))
            done = next((d for d, value in series if value >= mark), None)
            out["milestones"].append({"task_id": number, "name": milestone, "due_date": m_due,
                                      "done_on": done})
        same_system = indicators[indicators["system_code"] == system]["code"].tolist()
        for code in same_system[: 1 + number % 2]:
            out["indicators"].append({"task_id": number, "indicator_code": code})
        for day in _report_days(start, 1):  # the lead department, monthly
            progress = round(chain_at(day), 1)
            out["reports"].append({
                "task_id": number, "region_adcode": root, "reported_on": day,
                "progress": progress, "summary": _summary(names[root], progress),
                "reporter": departments[lead], "source": "demo"})
        for adcode, p in leaf_pace.items():  # each region, every two months and lately
            days = _report_days(start, 2)
            if days and days[-1] < DEMO_TODAY - timedelta(days=20):
                days.append(date(YEAR, 11, 15) if p > 0.7 else date(YEAR, 10, 25))
            for day in days:
                progress = _progress(p, start=start, due=due, day=day)
                out["reports"].append({
                    "task_id": number, "region_adcode": adcode, "reported_on": day,
                    "progress": progress, "summary": _summary(names[adcode], progress),
                    "reporter": f"{names[adcode]}数字化改革办", "source": "demo"})
    out["directives"] = _directives(out, names, departments, parents)
    return out


def _daily(first: date, last: date):
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


def _summary(region_name: str, progress: float) -> str:
    phase = [text for threshold, text in PHASES if progress >= threshold][-1]
    return f"{region_name}{phase}，累计完成进度{progress:g}%。"


def _directives(out: dict[str, list[dict]], names: dict, departments: dict,
                parents: dict) -> list[dict]:
    """A few instructions and supervision orders on the tasks that lag or are overdue."""
    rows = []
    latest: dict[int, float] = {}
    root_reports: dict[int, list[tuple[date, float]]] = {}
    for report in out["reports"]:
        if report["region_adcode"] == out["tasks"][report["task_id"] - 1]["region_adcode"]:
            latest[report["task_id"]] = report["progress"]
            root_reports.setdefault(report["task_id"], []).append(
                (report["reported_on"], report["progress"]))
    troubled = []
    for task in out["tasks"]:
        progress = latest.get(task["id"], 0.0)
        status = rules.task_status(start=task["start_date"], due=task["due_date"],
                                   progress=progress, today=DEMO_TODAY)
        if status in (rules.OVERDUE, rules.LAGGING):
            troubled.append((task, status, progress))
    for i, (task, status, _progress) in enumerate(troubled[:10]):
        author, role = LEADERS[i % len(LEADERS)]
        created = datetime.combine(DEMO_TODAY - timedelta(days=40 - 3 * i), time(9, 30 + i))
        kind = "supervision" if status == rules.OVERDUE else "instruction"
        to_region = task["region_adcode"] != PROVINCE
        # What the leader saw on the day of writing: the last report before it.
        then = [p for d, p in root_reports.get(task["id"], []) if d <= created.date()]
        progress_then = then[-1] if then else 0.0
        status_then = rules.task_status(start=task["start_date"], due=task["due_date"],
                                        progress=progress_then, today=created.date())
        wording = {rules.OVERDUE: "已逾期", rules.LAGGING: "进度滞后"}.get(status_then,
                                                                          "存在逾期风险")
        # A name with quotes of its own (“浙里好干部”…) keeps them as inner quotes ‘’.
        name = task["name"].replace("“", "‘").replace("”", "’")
        body = (f"“{name}”{wording}（{created:%m月%d日}进度{progress_then:g}%），"
                f"请{departments[task['lead_department']]}认真分析原因，"
                f"明确整改措施和完成时限，按期报送进展。")
        reply = None
        if i % 3 != 2:  # two in three answered, one of those late
            late = i % 3 == 1
            reply = {"body": "已召开专题会议研究，制定整改清单，落实专人推进，"
                             "下阶段每周报送进展。",
                     "replied_by": departments[task["lead_department"]],
                     "replied_at": created + timedelta(days=18 if late else 6, hours=5)}
        rows.append({
            "task_id": task["id"], "kind": kind, "author_name": author, "author_role": role,
            "body": body,
            "receiver_department": None if to_region else task["lead_department"],
            "receiver_region": task["region_adcode"] if to_region else None,
            "deadline": (created + timedelta(days=14)).date(), "created_at": created,
            "corrects": None, "reply": reply})
    if rows:  # one correction of an earlier instruction: a new entry that names it
        first = rows[0]
        kind_name = rules.DIRECTIVE_KINDS[first["kind"]]
        rows.append({**first, "body": f"更正：上条{kind_name}的办理期限延后7天，"
                                      "进展改为每周五前报送。",
                     "created_at": first["created_at"] + timedelta(hours=3),
                     "deadline": first["deadline"] + timedelta(days=7), "corrects": 0,
                     "reply": None})
    return rows


def _set_info(conn: Connection, facts: dict[str, str]) -> None:
    table = DatasetInfo.__table__
    for key, value in facts.items():
        conn.execute(delete(table).where(table.c.key == key))
        conn.execute(table.insert().values(key=key, value=value))


def seed_tasks(conn: Connection, *, force: bool = False) -> str:
    """Write the task demo data in the given write transaction; a no-op when current."""
    info = dict(conn.execute(select(DatasetInfo.key, DatasetInfo.value)).all())
    present = conn.execute(select(func.count()).select_from(Task)).scalar_one()
    if (not force and info.get("tasks_demo_generator") == GENERATOR_VERSION
            and present == len(CATALOGUE)):
        return f"重大任务演示数据已是最新（{present} 项任务），未改动。"
    imported = conn.execute(
        select(func.count()).select_from(Task).where(Task.source != "demo")).scalar_one()
    if imported:
        return f"库中已有 {imported} 项导入的重大任务，不写入任务演示数据。"
    rows = generate()
    # A new demo replaces the old one whole, with anything written on its tasks.
    demo_ids = select(Task.id).where(Task.source == "demo").scalar_subquery()
    directive_ids = select(TaskDirective.id).where(TaskDirective.task_id.in_(demo_ids))
    conn.execute(delete(TaskDirectiveReply).where(
        TaskDirectiveReply.directive_id.in_(directive_ids.scalar_subquery())))
    conn.execute(TaskDirective.__table__.update().where(TaskDirective.task_id.in_(demo_ids))
                 .values(corrects_id=None))
    for model in (TaskDirective, TaskReport, TaskIndicator, TaskMilestone, TaskRegion, TaskUnit):
        conn.execute(delete(model).where(model.task_id.in_(demo_ids)))
    conn.execute(delete(Task).where(Task.source == "demo"))

    ids = {}
    for task in rows["tasks"]:
        position = task["id"]
        record = {k: v for k, v in task.items() if k != "id"}
        ids[position] = conn.execute(Task.__table__.insert().values(**record)
                                     ).inserted_primary_key[0]

    def remap(records: list[dict]) -> list[dict]:
        return [{**r, "task_id": ids[r["task_id"]]} for r in records]

    for model, key in ((TaskUnit, "units"), (TaskRegion, "regions"),
                       (TaskMilestone, "milestones"), (TaskIndicator, "indicators"),
                       (TaskReport, "reports")):
        records = remap(rows[key])
        for i in range(0, len(records), 5000):
            conn.execute(model.__table__.insert(), records[i:i + 5000])
    directive_ids_written: list[int] = []
    for directive in remap(rows["directives"]):
        reply = directive.pop("reply")
        corrects = directive.pop("corrects")
        directive["corrects_id"] = (None if corrects is None
                                    else directive_ids_written[corrects])
        new_id = conn.execute(TaskDirective.__table__.insert().values(
            **directive, source="demo")).inserted_primary_key[0]
        directive_ids_written.append(new_id)
        if reply:
            conn.execute(TaskDirectiveReply.__table__.insert().values(
                directive_id=new_id, source="demo", **reply))
    _set_info(conn, {"tasks_demo_generator": GENERATOR_VERSION})
    return (f"已写入重大任务演示数据：{len(rows['tasks'])} 项任务，"
            f"{len(rows['reports'])} 条进展报告，{len(rows['directives'])} 条批示督办。")
