"""Alerts (红灯、黄灯指标): the indicators red or yellow for the region itself, or red for any of
the regions it is compared with (its children; a county: its city's counties)."""

from __future__ import annotations

from components import format as fmt
from config.labels import light_word
from data import queries
from panels.addresses import region_href
from panels.context import PanelContext
from panels.indicators import _freshness, rule_words
from panels.model import Column, Link, PanelModel, Stat
from panels.registry import BRIEFING, MEETING, SCREEN, panel


@panel("red_lights", "红灯、黄灯指标", order=90, surfaces=(SCREEN, MEETING, BRIEFING))
def red_lights(ctx: PanelContext) -> PanelModel | None:
    """Every indicator that is red or yellow for the region, or red for one of its compared
    regions: the region's own value, progress and light, and the compared regions that are red
    on it. Red first, then yellow, then the most regions in red."""
    ctx.share_statuses()
    status = queries.indicator_status(scope=ctx.scope, adcodes=(ctx.adcode,), period=ctx.period)
    if status.empty:
        return None
    tree = ctx.tree()
    members = tuple(a for a in tree.index[tree["parent_adcode"] == ctx.compared_parent])
    below = queries.indicator_status(scope=ctx.scope, adcodes=members, period=ctx.period)
    red_below = below[below["light"] == "red"] if len(below) else below
    rows = []
    for _, row in status.iterrows():
        mine = red_below[red_below["indicator_code"] == row["indicator_code"]] \
            if len(red_below) else red_below
        if row["light"] not in ("red", "yellow") and mine.empty:
            continue
        decimals, unit = int(row["decimals"]), row["unit"]
        names = [str(tree.at[a, "name"]) for a in mine.get("region_adcode", [])]
        rows.append({
            "code": row["indicator_code"], "name": row["indicator_name"],
            "group": row["system_code"], "group_name": row["system_name"],
            "value_text": fmt.quantity(row["value"], decimals, unit),
            "target_text": fmt.quantity(row["target"], decimals, unit),
            "expected_text": fmt.quantity(row["expected"], decimals, unit),
            "progress_text": fmt.percent(row["progress"]),
            "light": row["light"], "light_word": light_word(row["light"], row["value"]),
            "department": row["department_name"],
            "red_regions": len(names), "red_region_names": "、".join(names) or "—",
            "href": region_href(ctx.adcode, indicator=row["indicator_code"], period=ctx.period),
        })
    severity = {"red": 0, "yellow": 1}
    rows.sort(key=lambda r: (severity.get(r["light"], 2), -r["red_regions"]))
    own = sum(r["light"] == "red" for r in rows)
    yellow = sum(r["light"] == "yellow" for r in rows)
    pairs = sum(r["red_regions"] for r in rows)
    return PanelModel(
        key="red_lights", title="红灯、黄灯指标", region=ctx.region_name, period=ctx.period_words,
        as_of=ctx.period_words,
        stats=[Stat("red", f"{ctx.region_name}红灯", own, str(own), unit="项", light="red",
                    note=f"共{len(status)}项指标"),
               Stat("yellow", f"{ctx.region_name}黄灯", yellow, str(yellow), unit="项",
                    light="yellow"),
               Stat("red_regions", f"{ctx.compared_words}红灯", pairs, str(pairs), unit="个",
                    light="red", note="地区 × 指标")],
        rows=rows,
        columns=[Column("name", "指标", "link"), Column("light", f"{ctx.region_name}", "light"),
                 Column("value_text", "当前值", "number"),
                 Column("progress_text", "序时进度", "number"),
                 Column("department", "责任单位"),
                 Column("red_region_names", "亮红灯的地区")],
        rule=rule_words(status), freshness=_freshness(status),
        link=Link("查看全部指标", region_href(ctx.adcode, period=ctx.period)),
        empty="本期没有亮红灯或黄灯的指标。",
    )
