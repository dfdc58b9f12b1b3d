"""Import kinds of the incentive layer: the public's appeals (民呼我为) counted by county and
week, by category and by channel; the ledger of major applications (一本账) and the regions
that adopted them; and the weights of the horse-race board (赛马榜)."""

from __future__ import annotations

from datetime import date, timedelta

from data.appeals_schema import AppealChannelWeek, AppealWeek
from data.apps_schema import App, AppAdoption
from data.imports import cells
from data.imports.kinds import REGION, Column, Kind, RowCheck
from data.imports.lookups import Lookups
from data.imports.merges import app_dependents, merge_weights
from data.ranking_rules import check_weight
from data.ranking_schema import RankingWeight

FIRST_DAY = date(2015, 1, 1)
#: The levels of the ledger (一本账): the province's list, a system's list, a city's 特色 list.
APP_LEVELS = {"省级": "province", "省级重大应用": "province", "系统": "system",
              "系统清单": "system", "设区市特色": "city", "市级特色": "city", "特色应用": "city"}
APP_LEVEL_WORDS = ("省级", "系统", "设区市特色")


def _week(row: RowCheck, lookups: Lookups) -> date | None:
    """The Monday of the week a day falls in (any day of the week is accepted)."""
    day = row.get("week_start", cells.day)
    if day is None:
        return None
    if day > lookups.today:
        row.fail("week_start", "晚于今天")
    elif day < FIRST_DAY:
        row.fail("week_start", "日期超出合理范围")
    return day - timedelta(days=day.weekday())


def _county(row: RowCheck, lookups: Lookups) -> str | None:
    adcode = row.get("adcode", lookups.regions.find)
    if adcode is None:
        return None
    if lookups.regions.level(adcode) != "county":
        row.fail("adcode", "民呼我为按县（市、区）统计，请填县级地区")
    if refusal := lookups.region_refusal(adcode):
        row.fail("adcode", refusal)
    return adcode


def _count(row: RowCheck, code: str, *, required: bool = True) -> int | None:
    value = row.get(code, cells.whole, required=required)
    if value is not None and value < 0:
        row.fail(code, "不能为负数")
        return None
    return value


def check_appeal_week(row: RowCheck, lookups: Lookups) -> dict | None:
    adcode = _county(row, lookups)
    week = _week(row, lookups)
    category = row.get("category_code", lookups.appeal_categories.find)
    received = _count(row, "received")
    handled = _count(row, "handled")
    on_time = _count(row, "on_time")
    rated = _count(row, "rated")
    satisfied = _count(row, "satisfied")
    # Each count is of those before it: handled of received, on time and rated of handled,
    # satisfied of rated.
    for part, whole, words in (("handled", received, "受理数"), ("on_time", handled, "办结数"),
                               ("rated", handled, "办结数"), ("satisfied", rated, "评价数")):
        value = {"handled": handled, "on_time": on_time, "rated": rated,
                 "satisfied": satisfied}[part]
        if value is not None and whole is not None and value > whole:
            row.fail(part, f"不能大于{words}（{whole}）")
    if row.issues:
        return None
    return {"region_adcode": adcode, "week_start": week, "category_code": category,
            "received": received, "handled": handled, "on_time": on_time, "rated": rated,
            "satisfied": satisfied}


def check_channel_week(row: RowCheck, lookups: Lookups) -> dict | None:
    adcode = _county(row, lookups)
    week = _week(row, lookups)
    channel = row.get("channel_code", lookups.appeal_channels.find)
    received = _count(row, "received")
    if row.issues:
        return None
    return {"region_adcode": adcode, "week_start": week, "channel_code": channel,
            "received": received}


def _rate(row: RowCheck, code: str) -> float | None:
    value = row.get(code, lambda raw: cells.number(raw, percent_ok=True))
    if value is not None and not 0 <= value <= 100:
        row.fail(code, "应在0至100之间（%）")
        return None
    return value


def check_app(row: RowCheck, lookups: Lookups) -> dict | None:
    code = row.get("app_code", lambda raw: cells.text(raw, limit=20))
    name = row.get("name", lambda raw: cells.text(raw, limit=60))
    system = row.get("system_code", lookups.systems.find)
    lead = row.get("lead_department", lookups.departments.find)
    level = row.get("level", cells.coded(APP_LEVELS, "层级", allowed="、".join(APP_LEVEL_WORDS)))
    home = row.get("home_region", lookups.regions.find)
    launched = row.get("launched_on", cells.day)
    users = _count(row, "users")
    active = _rate(row, "active_rate")
    real = _rate(row, "real_active_rate")
    satisfaction = _rate(row, "satisfaction")
    if home is not None and level is not None:
        home_level = lookups.regions.level(home)
        if level == "city" and home_level != "city":
            row.fail("home_region", "设区市特色应用的所属地区应为设区市")
        elif level != "city" and home_level != "province":
            row.fail("home_region", "省级和系统清单的应用所属地区应为浙江省")
    if home and (refusal := lookups.region_refusal(home)):
        row.fail("home_region", refusal)
    if lead and (refusal := lookups.department_refusal(lead)):
        row.fail("lead_department", refusal)
    if launched and not FIRST_DAY.replace(year=2000) <= launched <= lookups.today:
        row.fail("launched_on", "上线日期应在2000年之后、不晚于今天")
    if active is not None and real is not None and real > active:
        row.fail("real_active_rate", f"实活率不能大于活跃率（{active:g}%）")
    if row.issues:
        return None
    return {"code": code, "name": name, "system_code": system, "lead_department": lead,
            "level": level, "home_region": home, "launched_on": launched, "users": users,
            "active_rate": active, "real_active_rate": real, "satisfaction": satisfaction}


def check_adoption(row: RowCheck, lookups: Lookups) -> dict | None:
    code = row.get("app_code", lambda raw: cells.text(raw, limit=20))
    app = lookups.apps.get(code) if code else None
    if code and app is None:
        row.fail("app_code", "没有这个应用（演示数据的应用在导入真实数据时清除；请先导入应用）")
    adcode = row.get("adcode", lookups.regions.find)
    adopted = row.get("adopted_on", cells.day)
    if adcode and lookups.regions.level(adcode) == "province":
        row.fail("adcode", "推广地区应为市或县（市、区）")
    if adcode and (refusal := lookups.region_refusal(adcode)):
        row.fail("adcode", refusal)
    if adopted and adopted > lookups.today:
        row.fail("adopted_on", "晚于今天")
    if app and adopted and adopted < app["launched_on"]:
        row.fail("adopted_on", f"早于该应用的上线日期 {app['launched_on']:%Y-%m-%d}")
    if row.issues:
        return None
    return {"app_code": code, "region_adcode": adcode, "adopted_on": adopted}


def check_weight_row(row: RowCheck, lookups: Lookups) -> dict | None:
    indicator = row.get("indicator_code", lookups.indicator)
    weight = row.get("weight", lambda raw: cells.number(raw))
    if weight is not None:
        try:
            weight = check_weight(weight)
        except ValueError as bad:
            row.fail("weight", str(bad))
    if lookups.scope.regions is not None or lookups.scope.departments is not None:
        row.fail("weight", "无权限：赛马榜的权重全省统一，只能由全省范围的账号导入")
    if row.issues:
        return None
    return {"indicator_code": indicator, "weight": weight}


COUNTY = Column(REGION.code, "地区", True, "县（市、区）的行政区划代码或名称", "330106",
                aliases=REGION.aliases, choices="regions")
WEEK = Column("week_start", "周", True,
              "统计周内的任一天（按该周的周一记），例如 2026-11-16", "2026-11-16",
              aliases=("周开始", "统计周", "日期"))
APP_CODE = Column("app_code", "应用编码", True,
                  "应用的编码，例如 ZLB；同一编码再次导入即更新该应用", "ZLB",
                  aliases=("编码", "应用编号"))

APPEALS = Kind(
    code="appeals",
    name="民呼我为（分类）",
    topic="appeals",
    description="各县（市、区）每周按诉求类别统计的受理、办结、按时答复、评价和满意件数。"
                "同一地区、周、类别再次导入即更新。",
    columns=(
        COUNTY,
        WEEK,
        Column("category_code", "诉求类别", True, "类别编码或名称（见“选项”表）", "城乡建设",
               aliases=("类别", "分类"), choices="appeal_categories"),
        Column("received", "受理数", True, "本周受理的诉求件数", "120", aliases=("受理",),
               json_type="integer"),
        Column("handled", "办结数", True, "其中已办结的件数", "110", aliases=("办结",),
               json_type="integer"),
        Column("on_time", "按时答复数", True, "办结中按时答复的件数", "104",
               aliases=("按时答复",), json_type="integer"),
        Column("rated", "评价数", True, "办结中群众作了评价的件数", "66", aliases=("评价",),
               json_type="integer"),
        Column("satisfied", "满意数", True, "评价中满意的件数", "62", aliases=("满意",),
               json_type="integer"),
    ),
    table=AppealWeek.__table__,
    keys=("region_adcode", "week_start", "category_code"),
    values=("received", "handled", "on_time", "rated", "satisfied"),
    check=check_appeal_week,
    stamp={"source": "channel"},
    needs=("regions", "appeal_categories"),
)

APPEAL_CHANNELS = Kind(
    code="appeal-channels",
    name="民呼我为（渠道）",
    topic="appeals",
    description="各县（市、区）每周经各渠道（12345热线、浙里办、信访等）受理的诉求件数。",
    columns=(
        COUNTY,
        WEEK,
        Column("channel_code", "渠道", True, "渠道编码或名称（见“选项”表）", "12345热线",
               aliases=("受理渠道",), choices="appeal_channels"),
        Column("received", "受理数", True, "本周经该渠道受理的件数", "80", aliases=("受理",),
               json_type="integer"),
    ),
    table=AppealChannelWeek.__table__,
    keys=("region_adcode", "week_start", "channel_code"),
    values=("received",),
    check=check_channel_week,
    stamp={"source": "channel"},
    needs=("regions", "appeal_channels"),
)

APPS = Kind(
    code="apps",
    name="重大应用（一本账）",
    topic="apps",
    description="重大改革（重大应用）“一本账”：应用及其系统、牵头单位、层级、上线日期、用户数、"
                "活跃率、实活率和满意率。同一应用编码再次导入即更新。",
    columns=(
        APP_CODE,
        Column("name", "应用名称", True, "不超过60字", "浙里办", aliases=("名称",)),
        Column("system_code", "所属系统", True, "系统编码或名称", "数字政府",
               aliases=("系统", "跑道"), choices="systems"),
        Column("lead_department", "牵头单位", True, "单位编码或全称", "省大数据发展管理局",
               choices="departments"),
        Column("level", "层级", True, "省级、系统或设区市特色", "省级", choices="app_levels"),
        Column("home_region", "所属地区", True,
               "省级和系统清单填浙江省；设区市特色应用填所在设区市", "浙江省",
               aliases=("地区",), choices="regions"),
        Column("launched_on", "上线日期", True, "例如 2021-06-01", "2021-06-01",
               aliases=("上线时间",)),
        Column("users", "用户数", True, "注册用户数（人）", "85000000", aliases=("注册用户数",),
               json_type="integer"),
        Column("active_rate", "活跃率", True, "本月活跃用户占注册用户的百分比（可带%）", "38.5",
               aliases=("活跃率%",), json_type="number"),
        Column("real_active_rate", "实活率", True, "本月完成实际业务的用户占比（%），不大于活跃率",
               "21.2", aliases=("实活率%",), json_type="number"),
        Column("satisfaction", "满意率", True, "用户满意率（%）", "95.1", aliases=("满意率%",),
               json_type="number"),
    ),
    table=App.__table__,
    keys=("code",),
    values=("name", "system_code", "lead_department", "level", "home_region", "launched_on",
            "users", "active_rate", "real_active_rate", "satisfaction"),
    check=check_app,
    stamp={"source": "channel"},
    needs=("regions", "departments", "systems"),
    withdraw_check=app_dependents,
    header_codes={"code": "app_code"},
)

APP_ADOPTIONS = Kind(
    code="app-adoptions",
    name="应用推广",
    topic="apps",
    description="已上线某应用的市、县（市、区）及上线日期（一地创新、全省共享）。",
    columns=(
        Column("app_code", "应用编码", True, "已导入的应用编码（须先导入“重大应用”）", "ZLB",
               aliases=APP_CODE.aliases),
        Column(REGION.code, "地区", True, "上线该应用的市或县（市、区）", "330106",
               aliases=REGION.aliases, choices="regions"),
        Column("adopted_on", "上线日期", True, "该地区上线的日期，例如 2022-03-01",
               "2022-03-01", aliases=("推广日期", "日期")),
    ),
    table=AppAdoption.__table__,
    keys=("app_code", "region_adcode"),
    values=("adopted_on",),
    check=check_adoption,
    needs=("regions", "apps"),
    header_codes={"region_adcode": "adcode"},
)

RANKING_WEIGHTS = Kind(
    code="ranking-weights",
    name="赛马榜权重",
    topic="rankings",
    description="赛马榜综合得分中各指标的权重（0 为不计入）。只改文件中列出的指标；"
                "只能由全省范围的账号导入。",
    columns=(
        Column("indicator_code", "指标编码", True, "指标编码或名称（见“选项”表）", "DG01",
               aliases=("指标", "指标名称"), choices="indicators"),
        Column("weight", "权重", True, "0至100，0 为不计入", "2", json_type="number"),
    ),
    table=RankingWeight.__table__,
    keys=("indicator_code",),
    values=("weight",),
    check=check_weight_row,
    merge=merge_weights,
    stamp={"updated_at": "now", "updated_by": "actor"},
    needs=("indicators",),
)
