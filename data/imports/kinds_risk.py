"""Import kinds of the five-colour risk map (自然灾害风险“五色图”): disaster events (过程), the
risk assessments of counties, the notices (风险告知函, 工作督办单) and evacuations (转移人数)."""

from __future__ import annotations

from datetime import datetime, timedelta

from data.imports import cells
from data.imports.kinds import REGION, Column, Kind, RowCheck
from data.imports.lookups import Lookups
from data.imports.merges import event_dependents
from data.risk_schema import Evacuation, RiskAssessment, RiskEvent, RiskNotice

EVENT_KINDS = {"台风": "typhoon", "洪涝": "flood", "强降雨": "flood", "山洪": "flood",
               "地质灾害": "geological", "寒潮": "cold_wave", "其他": "other"}
NOTICE_KINDS = {"风险告知函": "notice", "告知函": "notice", "工作督办单": "order",
                "督办单": "order"}
#: How far before an event's start and after its end its records may fall.
EVENT_MARGIN = timedelta(days=3)
EVENT = Column("event", "灾害过程", True,
               "过程名称（须先导入“灾害过程”），例如 2021年第6号台风“烟花”", "2026年第9号台风",
               aliases=("过程", "事件", "过程名称"), choices="events")



def _event(row: RowCheck, lookups: Lookups) -> dict | None:
    name = row.get("event", lambda raw: cells.text(raw, limit=80))
    if name is None:
        return None
    event = lookups.events.get(name)
    if event is None:
        row.fail("event", "没有这个灾害过程（演示数据的过程在导入真实数据时清除；"
                          "请先导入“灾害过程”）")
    return event


def _within(row: RowCheck, column: str, event: dict | None, moment: datetime | None) -> None:
    if event and moment and not (event["started_at"] - EVENT_MARGIN <= moment
                                 <= event["ended_at"] + EVENT_MARGIN):
        row.fail(column, f"不在该过程的时间范围内（{event['started_at']:%Y-%m-%d} 至 "
                         f"{event['ended_at']:%Y-%m-%d}）")


def _county(row: RowCheck, lookups: Lookups, adcode: str | None) -> None:
    if adcode is None:
        return
    if lookups.regions.level(adcode) != "county":
        row.fail("adcode", "风险研判、告知和转移按县（市、区）填报")
    if refusal := lookups.region_refusal(adcode):
        row.fail("adcode", refusal)


def check_event(row: RowCheck, lookups: Lookups) -> dict | None:
    name = row.get("name", lambda raw: cells.text(raw, limit=80))
    kind = row.get("kind", cells.coded(EVENT_KINDS, "类型"))
    started = row.get("started_at", cells.moment)
    ended = row.get("ended_at", cells.moment)
    description = row.get("description", lambda raw: cells.text(raw, limit=4000))
    if started and ended and ended < started:
        row.fail("ended_at", "结束时间早于开始时间")
    if started and started.date() > lookups.today:
        row.fail("started_at", "开始时间晚于今天")
    if lookups.scope.regions is not None:
        row.fail("name", "无权限：灾害过程覆盖全省，只能由全省范围的账号导入")
    if row.issues:
        return None
    return {"name": name, "kind": kind, "started_at": started, "ended_at": ended,
            "description": description}


def check_assessment(row: RowCheck, lookups: Lookups) -> dict | None:
    event = _event(row, lookups)
    adcode = row.get("adcode", lookups.regions.find)
    hazard = row.get("hazard_code", lookups.hazards.find)
    level = row.get("level_code", lookups.risk_levels.find)
    at = row.get("assessed_at", cells.moment)
    _county(row, lookups, adcode)
    _within(row, "assessed_at", event, at)
    if row.issues:
        return None
    return {"event_id": event["id"], "region_adcode": adcode, "hazard_code": hazard,
            "level_code": level, "assessed_at": at}


def check_notice(row: RowCheck, lookups: Lookups) -> dict | None:
    event = _event(row, lookups)
    adcode = row.get("adcode", lookups.regions.find)
    hazard = row.get("hazard_code", lookups.hazards.find)
    kind = row.get("kind", cells.coded(NOTICE_KINDS, "类型"))
    title = row.get("title", lambda raw: cells.text(raw, limit=200))
    issuer = row.get("issuer", lambda raw: cells.text(raw, limit=80))
    issued = row.get("issued_at", cells.moment)
    acknowledged = row.get("acknowledged_at", cells.moment)
    _county(row, lookups, adcode)
    _within(row, "issued_at", event, issued)
    if issued and acknowledged and acknowledged < issued:
        row.fail("acknowledged_at", "签收时间早于发出时间")
    if row.issues:
        return None
    return {"event_id": event["id"], "region_adcode": adcode, "hazard_code": hazard,
            "kind": kind, "title": title, "issuer": issuer, "issued_at": issued,
            "acknowledged_at": acknowledged}


def check_evacuation(row: RowCheck, lookups: Lookups) -> dict | None:
    event = _event(row, lookups)
    adcode = row.get("adcode", lookups.regions.find)
    at = row.get("reported_at", cells.moment)
    people = row.get("people", cells.whole)
    _county(row, lookups, adcode)
    _within(row, "reported_at", event, at)
    if people is not None and people < 0:
        row.fail("people", "不能为负数")
    if row.issues:
        return None
    return {"event_id": event["id"], "region_adcode": adcode, "reported_at": at,
            "people": people}


COUNTY = Column(REGION.code, "地区", True, "县（市、区）的行政区划代码或名称", "330225",
                aliases=REGION.aliases, choices="regions")

RISK_EVENTS = Kind(
    code="risk-events",
    name="灾害过程",
    topic="risk",
    description="一次台风、强降雨等灾害过程：名称、类型、起止时间。风险研判、告知函和转移人数都挂在过程上。",
    columns=(
        Column("name", "过程名称", True, "唯一的名称，例如 2026年第9号台风", "2026年第9号台风",
               aliases=("名称", "灾害过程")),
        Column("kind", "类型", True, "台风、洪涝、强降雨、山洪、地质灾害、寒潮、其他", "台风",
               choices="event_kinds"),
        Column("started_at", "开始时间", True, "例如 2026-08-01 08:00", "2026-08-01 08:00"),
        Column("ended_at", "结束时间", True, "例如 2026-08-04 20:00", "2026-08-04 20:00"),
        Column("description", "说明", False, "过程概况", ""),
    ),
    table=RiskEvent.__table__,
    keys=("name",),
    values=("kind", "started_at", "ended_at", "description"),
    check=check_event,
    stamp={"source": "channel"},
    needs=("regions",),
    withdraw_check=event_dependents,
)

RISK_ASSESSMENTS = Kind(
    code="risk-assessments",
    name="风险研判",
    topic="risk",
    description="某过程中各县（市、区）对各灾种的风险等级及研判时间（五色：红、橙、黄、蓝、绿）。",
    columns=(
        EVENT,
        COUNTY,
        Column("hazard_code", "灾种", True, "台风、海塘（风暴潮）、洪涝、山洪、地质灾害（或编码）",
               "台风", choices="hazards"),
        Column("level_code", "风险等级", True, "红、橙、黄、蓝、绿（或全称、编码）", "橙",
               aliases=("等级",), choices="risk_levels"),
        Column("assessed_at", "研判时间", True, "例如 2026-08-02 06:00", "2026-08-02 06:00",
               aliases=("时间",)),
    ),
    table=RiskAssessment.__table__,
    keys=("event_id", "region_adcode", "hazard_code", "assessed_at"),
    values=("level_code",),
    check=check_assessment,
    stamp={"source": "channel"},
    needs=("regions", "events", "hazards", "risk_levels"),
    header_codes={"event_id": "event", "region_adcode": "adcode"},
)

RISK_NOTICES = Kind(
    code="risk-notices",
    name="告知函和督办单",
    topic="risk",
    description="向各县（市、区）发出的风险告知函和工作督办单，及其签收时间。",
    columns=(
        EVENT,
        COUNTY,
        Column("hazard_code", "灾种", False, "所针对的灾种，可不填", "海塘（风暴潮）",
               choices="hazards"),
        Column("kind", "类型", True, "风险告知函或工作督办单", "风险告知函",
               choices="notice_kinds"),
        Column("title", "标题", True, "文书标题", "关于防范海塘风险的告知函"),
        Column("issuer", "发文单位", True, "例如 省防指办", "省防指办"),
        Column("issued_at", "发出时间", True, "例如 2026-08-02 07:00", "2026-08-02 07:00"),
        Column("acknowledged_at", "签收时间", False, "未签收则不填", "2026-08-02 07:40"),
    ),
    table=RiskNotice.__table__,
    keys=("region_adcode", "kind", "issued_at", "title"),
    values=("event_id", "hazard_code", "issuer", "acknowledged_at"),
    check=check_notice,
    stamp={"source": "channel"},
    needs=("regions", "events", "hazards"),
    header_codes={"region_adcode": "adcode", "event_id": "event"},
)

EVACUATIONS = Kind(
    code="evacuations",
    name="转移人数",
    topic="risk",
    description="某过程中各县（市、区）累计转移人数及报告时间（截至该时间的累计数）。",
    columns=(
        EVENT,
        COUNTY,
        Column("reported_at", "报告时间", True, "例如 2026-08-02 12:00", "2026-08-02 12:00",
               aliases=("时间",)),
        Column("people", "转移人数", True, "截至报告时间的累计转移人数（人）", "12800",
               aliases=("人数",), json_type="integer"),
    ),
    table=Evacuation.__table__,
    keys=("event_id", "region_adcode", "reported_at"),
    values=("people",),
    check=check_evacuation,
    stamp={"source": "channel"},
    needs=("regions", "events"),
    header_codes={"event_id": "event", "region_adcode": "adcode"},
)
