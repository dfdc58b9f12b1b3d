"""Deterministic demo problems (演示数据) for the seven lists, 2024-01-01 … 2026-11-21.

How they are made, so that maps, rankings and rates look like a real province's:
- Each of the 90 counties gets, per list, a yearly rate of problems, scaled:
  网络舆情 and 群众信访 with the county's population (elasticity 0.9), the other lists
  mildly (0.4); 生态环保 by how industrial the city is (Jiaxing, Shaoxing, Ningbo, Huzhou …)
  and a per-county factor; 安全生产和自然灾害 more along the coast (Ningbo, Zhoushan, Taizhou,
  Wenzhou), with a typhoon season (July–September) when coastal counties find three to four
  times as many problems, mostly flood and typhoon defence; a plum-rain peak in June.
  巡视 findings come in inspection rounds (spring and autumn), 审计 findings after the audit
  season (June–August).
- Severity 一般 / 较重 / 重大 sets the time limit (30–60 / 60–120 / 90–180 days).
- Each problem runs through the stage machine: 交办 1–7 days after 发现, 整改中 1–5 days
  later, 待验收 when rectification is done (a lognormal share of the time limit: about one
  in four is closed late, one in sixteen stalls, one in seventy is still not rectified),
  已销号 2–10 days after. Its stage is the last step
  reached before the reference date (:data:`REFERENCE_DATE`, the demo's "today",
  :data:`data.clock.DEMO_TODAY`), so older problems are mostly closed, recent ones open, and
  some are overdue. Every step is in ``problem_moves`` with a person, a time and a note.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache

import numpy as np
import pandas as pd
from sqlalchemy import Connection, delete, func, select

from data.clock import DEMO_TODAY
from data.demo import ImportedDataPresent, _set_info
from data.problems_queries import load_problem_lists, read_problem_lists
from data.problems_rules import SEVERITIES, STAGE_DATE_COLUMNS, STAGES
from data.problems_schema import Problem, ProblemMove
from data.reference import read_regions

SEED = 20220301  # the spring the seven-lists application went live
GENERATOR_VERSION = "1"
FIRST_DAY = date(2024, 1, 1)
#: The demo's "today": the lights and the stages are as of this date.
REFERENCE_DATE = DEMO_TODAY

COASTAL_CITIES = {"330200", "330300", "330900", "331000"}  # Ningbo, Wenzhou, Zhoushan, Taizhou
#: How industrial each city is (multiplies the 生态环保 rate).
CITY_INDUSTRY = {
    "330100": 1.1, "330200": 1.5, "330300": 1.2, "330400": 1.6, "330500": 1.4,
    "330600": 1.6, "330700": 1.2, "330800": 1.2, "330900": 0.7, "331000": 1.3,
    "331100": 0.6,
}
#: Problems per county per year for a county of average population.
BASE_RATE = {
    "INSPECTION": 1.0, "AUDIT": 1.5, "SUPERVISION": 2.0, "ECOLOGY": 2.0, "SAFETY": 2.6,
    "OPINION": 2.2, "PETITION": 2.4,
}
#: Month weights (Jan…Dec) of when problems are found, per list.
MONTHS = {
    "INSPECTION": [0.3, 0.2, 1.6, 2.0, 1.6, 0.5, 0.3, 0.3, 1.5, 1.9, 1.5, 0.3],
    "AUDIT": [0.5, 0.3, 0.7, 0.8, 1.0, 1.6, 1.8, 1.6, 1.1, 0.9, 0.8, 0.9],
    "SUPERVISION": [0.8, 0.6, 1.1, 1.1, 1.1, 1.0, 1.0, 1.0, 1.1, 1.1, 1.1, 1.0],
    "ECOLOGY": [0.8, 0.7, 1.0, 1.1, 1.2, 1.3, 1.3, 1.2, 1.1, 1.0, 0.9, 0.8],
    "SAFETY": [1.0, 0.8, 0.9, 0.9, 1.0, 1.5, 1.3, 1.3, 1.2, 0.9, 0.9, 1.1],
    "OPINION": [0.9, 1.0, 1.0, 1.0, 1.0, 1.0, 1.1, 1.1, 1.0, 1.0, 1.0, 1.0],
    "PETITION": [1.1, 1.2, 1.0, 0.9, 0.9, 0.9, 1.0, 1.0, 0.9, 1.0, 1.0, 1.2],
}
TYPHOON_MONTHS = (7, 8, 9)
TYPHOON_BOOST_COAST = 3.5
TYPHOON_CATEGORIES = ("海塘及沿海防台设施隐患", "山洪地质灾害隐患点", "渔船避风回港管理不到位")


@dataclass(frozen=True)
class Category:
    name: str
    department: str
    weight: float = 1.0
    coastal_only: bool = False


CATEGORIES: dict[str, tuple[Category, ...]] = {
    "INSPECTION": (
        Category("落实全面从严治党主体责任不力", "INSPECTION", 1.2),
        Category("违反中央八项规定精神", "INSPECTION", 0.8),
        Category("选人用人不规范", "INSPECTION", 0.7),
        Category("基层党组织建设薄弱", "INSPECTION", 1.0),
        Category("形式主义官僚主义", "INSPECTION", 1.0),
    ),
    "AUDIT": (
        Category("专项资金闲置或拨付滞后", "AUDIT", 1.3),
        Category("违规使用财政资金", "AUDIT", 0.9),
        Category("政府债务管理不规范", "AUDIT", 0.8),
        Category("工程项目超概算或未批先建", "AUDIT", 0.9),
        Category("国有资产管理不规范", "AUDIT", 0.8),
    ),
    "SUPERVISION": (
        Category("重大项目推进滞后", "DRC", 1.3),
        Category("惠企政策落实不到位", "ECONOMY_IT", 1.0),
        Category("民生实事进度滞后", "GOV_OFFICE", 1.0),
        Category("数字化改革应用贯通不到位", "BIGDATA", 0.8),
        Category("营商环境问题", "MARKET", 0.8),
    ),
    "ECOLOGY": (
        Category("工业废水超标排放", "ECO_ENV", 1.2),
        Category("大气污染防治不力", "ECO_ENV", 1.1),
        Category("固体废物违规处置", "ECO_ENV", 1.0),
        Category("河湖“四乱”问题", "WATER", 0.9),
        Category("违规占用生态保护红线", "NATURAL_RES", 0.5),
    ),
    "SAFETY": (
        Category("危化品安全隐患", "EMERGENCY", 1.0),
        Category("建筑施工安全隐患", "HOUSING", 1.0),
        Category("消防安全隐患", "EMERGENCY", 1.0),
        Category("海塘及沿海防台设施隐患", "WATER", 0.6, coastal_only=True),
        Category("山洪地质灾害隐患点", "NATURAL_RES", 0.6),
        Category("渔船避风回港管理不到位", "AGRICULTURE", 0.4, coastal_only=True),
    ),
    "OPINION": (
        Category("政务服务效率投诉舆情", "CYBERSPACE", 1.1),
        Category("食品安全舆情", "MARKET", 0.8),
        Category("物业管理纠纷舆情", "HOUSING", 1.0),
        Category("教育领域舆情", "CYBERSPACE", 0.8),
        Category("交通出行舆情", "CYBERSPACE", 0.7),
    ),
    "PETITION": (
        Category("征地拆迁补偿", "PETITION", 1.0),
        Category("欠薪讨薪", "HRSS", 1.2),
        Category("住房保障和物业", "HOUSING", 0.9),
        Category("环境污染投诉", "ECO_ENV", 0.8),
        Category("社保医保待遇", "HRSS", 0.8),
    ),
}
#: Who finds the problems of each list (the first entry of a problem's history).
FINDERS = {
    "INSPECTION": ["省委第一巡视组", "省委第三巡视组", "省委第五巡视组", "省委第七巡视组"],
    "AUDIT": ["省审计厅审计组", "市审计局审计组"],
    "SUPERVISION": ["省政府督查室", "省委督查室"],
    "ECOLOGY": ["省生态环境保护督察组", "生态环境执法队"],
    "SAFETY": ["省安委办检查组", "应急管理综合执法队", "省防指检查组"],
    "OPINION": ["网络舆情监测中心"],
    "PETITION": ["信访事项受理中心", "12345政务服务热线"],
}
#: Time limits in days by severity (low, high, step).
TIME_LIMITS = {"general": (30, 60, 15), "serious": (60, 120, 30), "major": (90, 180, 30)}
SEVERITY_SHARES = {"general": 0.6, "serious": 0.3, "major": 0.1}

SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗郑梁宋谢唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余")
GIVEN = ["伟", "芳", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明",
         "超", "秀英", "华", "慧", "建国", "志强", "晓东", "海燕", "丹", "俊", "斌", "婷", "浩"]

NOTES = {
    "assigned": "交办{region}，由{department}牵头督促整改，限{deadline}前完成。",
    "rectifying": "已制定整改方案，明确责任人、措施和时间表，整改工作启动。",
    "awaiting": "整改措施已落实，提交验收申请及佐证材料。",
    "closed": "经{checker}核查，整改到位，同意销号。",
}
CHECKERS = ["县整改办现场", "市整改办书面", "省专班抽查"]


def _person(rng: np.random.Generator) -> str:
    return str(rng.choice(SURNAMES)) + str(rng.choice(GIVEN))


def _days_in_range(first: date, last: date) -> pd.DatetimeIndex:
    return pd.date_range(first, last, freq="D")


def generate(regions: pd.DataFrame | None = None,
             departments: dict[str, str] | None = None
             ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return (problems, moves); moves refer to problems by their ``code``."""
    from data.reference import read_departments

    regions = read_regions() if regions is None else regions
    if departments is None:
        departments = dict(read_departments()[["code", "name"]].itertuples(index=False))
    lists = read_problem_lists()
    rng = np.random.default_rng(SEED)
    counties = regions[regions["level"] == "county"].sort_values("adcode").reset_index(drop=True)
    population = counties["population"].astype(float).to_numpy()
    relative = population / population.mean()
    days = _days_in_range(FIRST_DAY, REFERENCE_DATE - timedelta(days=1))
    months = days.month.to_numpy()
    years = len(days) / 365.25
    county_industry = np.exp(rng.normal(0, 0.3, len(counties)))
    county_effect = np.exp(rng.normal(0, 0.2, len(counties)))

    records: list[dict] = []
    moves: list[dict] = []
    for _, lst in lists.iterrows():
        code = lst["code"]
        categories = CATEGORIES[code]
        for i, county in counties.iterrows():
            city = county["parent_adcode"]
            coastal = city in COASTAL_CITIES
            scale = relative[i] ** (0.9 if code in ("OPINION", "PETITION") else 0.4)
            rate = BASE_RATE[code] * scale * county_effect[i]
            if code == "ECOLOGY":
                rate *= CITY_INDUSTRY[city] * county_industry[i]
            month_weight = np.array(MONTHS[code], dtype=float)
            if code == "SAFETY":
                rate *= 1.3 if coastal else 1.0
                boost = TYPHOON_BOOST_COAST if coastal else 1.4
                month_weight[[m - 1 for m in TYPHOON_MONTHS]] *= boost
            day_weight = month_weight[months - 1]
            day_weight = day_weight / day_weight.sum()
            n = rng.poisson(rate * years)
            if n == 0:
                continue
            found = np.sort(rng.choice(len(days), size=n, p=day_weight))
            for day_index in found:
                found_on = days[day_index].date()
                usable = [c for c in categories if coastal or not c.coastal_only]
                weights = np.array([c.weight for c in usable])
                if code == "SAFETY" and found_on.month in TYPHOON_MONTHS and coastal:
                    weights = weights * np.array(
                        [5.0 if c.name in TYPHOON_CATEGORIES else 1.0 for c in usable])
                category = usable[rng.choice(len(usable), p=weights / weights.sum())]
                records.append(_problem(rng, lst, county, category, found_on, departments,
                                        moves))
    problems = pd.DataFrame(records)
    problems = problems.sort_values(["list_code", "found_on", "region_adcode"],
                                    kind="stable").reset_index(drop=True)
    prefix = dict(zip(lists["code"], lists["prefix"], strict=True))
    year = problems["found_on"].map(lambda d: d.year)
    sequence = problems.groupby([problems["list_code"], year]).cumcount() + 1
    problems["code"] = [f"{prefix[lc]}-{y}-{s:04d}" for lc, y, s in
                        zip(problems["list_code"], year, sequence, strict=True)]
    move_frame = pd.DataFrame(moves)
    move_frame["problem_code"] = move_frame["key"].map(
        dict(zip(problems["key"], problems["code"], strict=True)))
    return (problems.drop(columns=["key"]),
            move_frame.drop(columns=["key"]).sort_values(["problem_code", "moved_at"],
                                                         kind="stable").reset_index(drop=True))


def _problem(rng: np.random.Generator, lst: pd.Series, county: pd.Series, category: Category,
             found_on: date, departments: dict[str, str], moves: list[dict]) -> dict:
    severity = str(rng.choice(list(SEVERITY_SHARES), p=list(SEVERITY_SHARES.values())))
    low, high, step = TIME_LIMITS[severity]
    limit = int(rng.choice(np.arange(low, high + 1, step)))
    deadline = found_on + timedelta(days=limit)
    # The planned path through the closed loop.
    assigned = found_on + timedelta(days=int(rng.integers(1, 8)))
    rectifying = assigned + timedelta(days=int(rng.integers(1, 6)))
    share = rng.lognormal(np.log(0.7), 0.25)
    luck = rng.random()
    if luck < 0.06:  # stalled: rectification drags far past its limit
        share *= 2.5
    elif luck < 0.075:  # stuck: not rectified at all by the reference date
        share = 50.0
    awaiting = found_on + timedelta(days=max(int(limit * share), (rectifying - found_on).days + 2))
    closed = awaiting + timedelta(days=int(rng.integers(2, 11)))
    reached = {"found": found_on, "assigned": assigned, "rectifying": rectifying,
               "awaiting": awaiting, "closed": closed}
    reached = {s: d for s, d in reached.items() if d < REFERENCE_DATE}
    stage = [s for s in STAGES if s in reached][-1]
    key = len(moves), str(county["adcode"]), found_on.isoformat(), lst["code"]
    department = departments[category.department]
    previous = None
    for step_stage, on in reached.items():
        if step_stage == "found":
            by = str(rng.choice(FINDERS[lst["code"]]))
            note = f"{lst['name']}发现：{county['name']}存在{category.name}问题。"
        else:
            by = _person(rng)
            note = NOTES[step_stage].format(region=county["name"], department=department,
                                            deadline=f"{deadline:%Y年%m月%d日}",
                                            checker=str(rng.choice(CHECKERS)))
        at = datetime.combine(on, time(int(rng.integers(8, 18)), int(rng.integers(0, 60))))
        moves.append({"key": key, "from_stage": previous, "to_stage": step_stage,
                      "moved_by": by, "moved_at": at, "note": note})
        previous = step_stage
    record = {
        "key": key,
        "list_code": lst["code"],
        "title": f"{county['name']}{category.name}",
        "description": (f"{lst['name']}发现{county['name']}存在{category.name}问题"
                        f"（{SEVERITIES[severity]}），由{department}牵头督促整改，"
                        f"整改时限{limit}天。"),
        "region_adcode": county["adcode"],
        "department_code": category.department,
        "category": category.name,
        "severity": severity,
        "stage": stage,
        "found_on": found_on,
        "deadline": deadline,
        "source": "demo",
    }
    for s, column in STAGE_DATE_COLUMNS.items():
        if s != "found":
            record[column] = reached.get(s)
    return record


@lru_cache(maxsize=1)
def demo_problems() -> tuple[pd.DataFrame, pd.DataFrame]:
    """The demo problems and moves from the shipped reference data (computed once)."""
    return generate()


def seed_problems(conn: Connection, *, force: bool = False) -> str:
    """Write the demo problems and their histories in ``conn``'s transaction (idempotent).

    Refuses to write over imported problems; a no-op when the demo problems are current.
    """
    load_problem_lists(conn)
    imported = conn.execute(
        select(func.count()).select_from(Problem).where(Problem.source != "demo")).scalar_one()
    if imported:
        raise ImportedDataPresent(f"库中已有 {imported} 条导入的问题，不写入演示问题。")
    problems, moves = demo_problems()
    from data.schema import DatasetInfo

    info = dict(conn.execute(select(DatasetInfo.key, DatasetInfo.value)).all())
    present = conn.execute(select(func.count()).select_from(Problem)).scalar_one()
    if (not force and info.get("problems_generator") == GENERATOR_VERSION
            and present == len(problems)):
        return f"演示问题已是最新（{present} 个问题），未改动。"
    demo_ids = select(Problem.id).where(Problem.source == "demo")
    conn.execute(delete(ProblemMove).where(ProblemMove.problem_id.in_(demo_ids)))
    conn.execute(delete(Problem).where(Problem.source == "demo"))
    columns = [c.name for c in Problem.__table__.c
               if c.name not in ("id", "batch_id", "source_row")]
    clean = problems[columns].astype(object).where(problems[columns].notna(), None)
    for chunk in _chunks(clean.to_dict("records")):
        conn.execute(Problem.__table__.insert(), chunk)
    ids = dict(conn.execute(select(Problem.code, Problem.id).where(Problem.source == "demo")).all())
    move_records = moves.assign(problem_id=moves["problem_code"].map(ids)).drop(
        columns=["problem_code"]).astype(object)
    move_records = move_records.where(move_records.notna(), None).to_dict("records")
    for chunk in _chunks(move_records):
        conn.execute(ProblemMove.__table__.insert(), chunk)
    _set_info(conn, {"problems_generator": GENERATOR_VERSION})
    return f"已写入演示问题：{len(problems)} 个问题，{len(move_records)} 条阶段记录。"


def _chunks(records: list[dict], size: int = 5000):
    for i in range(0, len(records), size):
        yield records[i : i + size]
