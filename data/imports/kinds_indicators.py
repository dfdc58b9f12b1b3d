"""Import kinds of the indicators: their values (指标数据, the big one: a fast path checks
the clean row with dictionaries only) and their targets (年度目标)."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from datetime import date

from config.labels import LEVEL_SCOPE
from data.imports import cells
from data.imports.kinds import FIRST_PERIOD, LAST_TARGET_YEARS_AHEAD, REGION, Column, Kind, RowCheck
from data.imports.lookups import Lookups
from data.rules import LEVEL_DEPTH, REPORT_MONTHS, applies_at
from data.schema import IndicatorTarget, IndicatorValue


def _month(today: date) -> str:
    return f"{today.year:04d}-{today.month:02d}"


def _check_region_level(row: RowCheck, lookups: Lookups, indicator: dict, adcode: str) -> None:
    for refusal, column in ((lookups.region_refusal(adcode), "adcode"),
                            (lookups.department_refusal(indicator["owner_department"]),
                             "indicator_code")):
        if refusal:
            row.fail(column, refusal)
    level = lookups.regions.level(adcode)
    if not applies_at(indicator["lowest_level"], level):
        row.fail("adcode", f"“{indicator['name']}”{LEVEL_SCOPE[indicator['lowest_level']]}，"
                           f"不适用于{lookups.regions.name(adcode)}")


def _check_amount(row: RowCheck, column: str, indicator: dict, value: float) -> None:
    unit = indicator["unit"]
    if unit == "%" and not 0 <= value <= 100:
        row.fail(column, "百分比应在0至100之间")
    elif value < 0:
        row.fail(column, "不能为负数")
    elif int(indicator["decimals"]) == 0 and not float(value).is_integer():
        row.fail(column, f"单位是“{unit}”，应为整数")


def _unit_matches(given: str, unit: str) -> bool:
    return given.replace("％", "%").replace(" ", "") == unit


def check_indicator_value(row: RowCheck, lookups: Lookups) -> dict | None:
    code = row.get("indicator_code", lookups.indicator)
    indicator = lookups.indicators.get(code) if code else None
    adcode = row.get("adcode", lookups.regions.find)
    frequency = indicator["frequency"] if indicator else "monthly"
    period = row.get("period", lambda raw: cells.period(raw, frequency=frequency))
    value = row.get("value", lambda raw: cells.number(
        raw, percent_ok=bool(indicator) and indicator["unit"] == "%"))
    unit = row.get("unit", lambda raw: cells.text(raw, limit=20))
    name = row.get("indicator_name", lambda raw: cells.text(raw, limit=100))
    if indicator:
        if name and name != indicator["name"]:
            row.fail("indicator_name", f"与指标编码不一致：{code} 是“{indicator['name']}”")
        if unit and not _unit_matches(unit, indicator["unit"]):
            row.fail("unit", f"单位应为“{indicator['unit']}”")
        if adcode:
            _check_region_level(row, lookups, indicator, adcode)
        if value is not None:
            _check_amount(row, "value", indicator, value)
        if period and int(period[5:7]) not in REPORT_MONTHS[frequency]:
            every = {"quarterly": "季度指标只填3、6、9、12月", "yearly": "年度指标只填12月"}
            row.fail("period", every[frequency])
    if period and not FIRST_PERIOD <= period <= _month(lookups.today):
        row.fail("period", f"期间应在 {FIRST_PERIOD} 至 {_month(lookups.today)} 之间")
    if row.issues:
        return None
    return {"indicator_code": code, "region_adcode": adcode, "period": period, "value": value}


_PERIOD = re.compile(r"\d{4}-(0[1-9]|1[0-2])")


def fast_indicator_value(lookups: Lookups) -> Callable[[dict], dict | None]:
    """The clean row of indicator values (exact code, adcode or name, ``YYYY-MM``, a plain
    number, no unit or the right one), checked with dictionaries only."""
    indicators = lookups.indicators
    regions = lookups.regions
    first, last = FIRST_PERIOD, _month(lookups.today)
    depth = LEVEL_DEPTH
    level_of = regions.levels
    exact = regions.exact
    allowed = lookups.allowed_regions
    scope = lookups.scope

    def check(raw: dict) -> dict | None:
        code, region, period, value = (raw.get("indicator_code"), raw.get("adcode"),
                                       raw.get("period"), raw.get("value"))
        indicator = indicators.get(code)
        adcode = exact.get(region)
        if (indicator is None or adcode is None or not isinstance(period, str)
                or not _PERIOD.fullmatch(period) or not first <= period <= last):
            return None
        if int(period[5:7]) not in REPORT_MONTHS[indicator["frequency"]]:
            return None
        if depth[level_of[adcode]] > depth[indicator["lowest_level"]]:
            return None
        if (allowed is not None and adcode not in allowed) or not scope.admits_department(
                indicator["owner_department"]):
            return None
        if isinstance(value, str):
            try:
                number = float(value)
            except ValueError:
                return None
        elif isinstance(value, int | float) and not isinstance(value, bool):
            number = float(value)
        else:
            return None
        if not math.isfinite(number) or number < 0:
            return None
        if indicator["unit"] == "%" and number > 100:
            return None
        if indicator["decimals"] == 0 and not number.is_integer():
            return None
        unit, name = raw.get("unit"), raw.get("indicator_name")
        if (unit is not None and unit != indicator["unit"]) or (
                name is not None and name != indicator["name"]):
            return None
        return {"indicator_code": code, "region_adcode": adcode, "period": period,
                "value": number}

    return check


WORDINGS = {"以上": "at_least", "左右": "about", "力争": "strive", "全面": "full",
            "以下": "below", "不低于": "at_least", "超过": "at_least", "约": "about"}
TARGET_SOURCE_WORDS = {"方案": "plan", "规划": "plan", "年度文件": "document", "文件": "document",
                       "推算": "derived", "导入": "import"}


def check_indicator_target(row: RowCheck, lookups: Lookups) -> dict | None:
    code = row.get("indicator_code", lookups.indicator)
    indicator = lookups.indicators.get(code) if code else None
    adcode = row.get("adcode", lookups.regions.find)
    year = row.get("year", _year)
    target = row.get("target", lambda raw: cells.number(
        raw, percent_ok=bool(indicator) and indicator["unit"] == "%"))
    due = row.get("due_month", cells.whole)
    wording = row.get("wording", cells.coded(WORDINGS, "表述",
                                             allowed="以上、左右、力争、全面、以下"))
    source = row.get("source", cells.coded(TARGET_SOURCE_WORDS, "目标来源",
                                           allowed="方案、年度文件、推算、导入"))
    basis = row.get("basis", lambda raw: cells.text(raw, limit=500))
    name = row.get("indicator_name", lambda raw: cells.text(raw, limit=100))
    if indicator:
        if name and name != indicator["name"]:
            row.fail("indicator_name", f"与指标编码不一致：{code} 是“{indicator['name']}”")
        if adcode:
            _check_region_level(row, lookups, indicator, adcode)
        if target is not None:
            _check_amount(row, "target", indicator, target)
    if due is not None and not 1 <= due <= 12:
        row.fail("due_month", "完成时限月份应在1至12之间")
    last = lookups.today.year + LAST_TARGET_YEARS_AHEAD
    if year is not None and not int(FIRST_PERIOD[:4]) <= year <= last:
        row.fail("year", f"年度应在 {FIRST_PERIOD[:4]} 至 {last} 之间")
    if row.issues:
        return None
    return {"indicator_code": code, "region_adcode": adcode, "year": year, "target": target,
            "due_month": due or 12, "wording": wording, "source": source or "import",
            "basis": basis}


def _year(raw: object) -> int | None:
    if isinstance(raw, str):
        raw = cells.normal(raw)
        if raw is not None:
            raw = raw.removesuffix("年度").removesuffix("年")
    value = cells.whole(raw)
    return value


INDICATOR_CODE = Column("indicator_code", "指标编码", True,
                        "指标的编码（大写英文），见“选项”表；也可填指标全称", "DG_ZLB_DAU",
                        aliases=("指标代码",), choices="indicators")
INDICATOR_NAME = Column("indicator_name", "指标名称", False,
                        "可选，便于阅读；填写时须与指标编码一致", "“浙里办”日活跃用户数",
                        aliases=("指标",))
INDICATOR_VALUES = Kind(
    code="indicator-values",
    name="指标数据",
    topic="indicators",
    description="各地区各指标的月度（季度、年度）数值。上年12月的数值即下一年的基期值（上年末值）。",
    columns=(
        INDICATOR_CODE,
        REGION,
        Column("period", "期间", True,
               "年-月，例如 2026-10（也可写 2026/10、2026年10月）；季度指标填季末月或 2026Q3，"
               "年度指标填12月或年份", "2026-10", aliases=("月份", "统计期间", "年月")),
        Column("value", "数值", True,
               "该月末的数值（累计数、当年累计或比率，按指标口径）；百分比填85或85%，"
               "不带单位和千分位以外的符号", "245.6", aliases=("指标值", "值", "实际值"),
               json_type="number"),
        Column("unit", "单位", False, "可选；填写时须与指标的单位一致", "万人",
               aliases=("计量单位",)),
        INDICATOR_NAME,
    ),
    table=IndicatorValue.__table__,
    keys=("indicator_code", "region_adcode", "period"),
    values=("value",),
    check=check_indicator_value,
    stamp={"updated_at": "now", "source": "channel"},
    needs=("regions", "indicators"),
    fast=fast_indicator_value,
)

INDICATOR_TARGETS = Kind(
    code="indicator-targets",
    name="年度目标",
    topic="indicators",
    description="各地区各指标的年度目标，可注明完成时限、表述、来源和依据。导入的目标优先于方案推算的目标。",
    columns=(
        INDICATOR_CODE,
        REGION,
        Column("year", "年度", True, "目标所属年度，例如 2026", "2026", aliases=("年份",),
               json_type="integer"),
        Column("target", "目标值", True, "年度目标的数值（单位同指标）", "300",
               aliases=("目标", "年度目标"), json_type="number"),
        Column("due_month", "完成时限（月）", False,
               "目标须在该月底前完成，1至12；不填为12月", "12",
               aliases=("完成时限", "完成月份"), json_type="integer"),
        Column("wording", "表述", False, "以上、左右、力争、全面、以下，或不填", "以上",
               choices="wordings"),
        Column("source", "目标来源", False, "方案、年度文件、推算或导入；不填为导入", "年度文件",
               choices="target_sources"),
        Column("basis", "依据", False, "文件名称、文号或推算方法", "2026年数字化改革工作要点",
               aliases=("备注", "说明")),
        INDICATOR_NAME,
    ),
    table=IndicatorTarget.__table__,
    keys=("indicator_code", "region_adcode", "year"),
    values=("target", "due_month", "wording", "source", "basis"),
    check=check_indicator_target,
    needs=("regions", "indicators"),
)
