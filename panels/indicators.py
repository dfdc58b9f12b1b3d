"""Indicators by system (核心指标), and the red lights among them (红灯指标)."""

from __future__ import annotations

import math

import pandas as pd

from components import format as fmt
from components import indicator_text as words
from components.indicator_text import as_of_text
from config.labels import LEVEL_SCOPE, LIGHTS
from data import queries
from data.rules import light_rule_text
from panels.addresses import region_href
from panels.context import PanelContext
from panels.model import Column, Group, Link, PanelModel, Stat
from panels.registry import panel

#: The lights in the order they are counted (the best first, as leaders read them).
COUNTED = ("green", "yellow", "red")


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def light_stats(lights: pd.Series) -> tuple[Stat, ...]:
    """Counts of the lights ``green``, ``yellow``, ``red`` (every one, zeros included)."""
    counts = lights.value_counts()
    return tuple(Stat(code=light, label=LIGHTS[light].word, value=int(counts.get(light, 0)),
                      text=str(int(counts.get(light, 0))), light=light) for light in COUNTED)


def rule_words(status: pd.DataFrame) -> str:
    """The light rule in words, with the thresholds the indicators shown use."""
    pairs = (status[["alert_threshold", "excellent_threshold"]].drop_duplicates()
             .sort_values("alert_threshold"))
    if pairs.empty:
        return light_rule_text(alert_threshold=90, excellent_threshold=100)
    first = pairs.iloc[0]
    text = light_rule_text(alert_threshold=first["alert_threshold"],
                           excellent_threshold=first["excellent_threshold"],
                           direction="higher")
    for pair in pairs.iloc[1:].itertuples(index=False):
        names = status.loc[status["alert_threshold"] == pair.alert_threshold, "indicator_name"]
        text += (f"其中{'、'.join(names.head(3))}{'等' if len(names) > 3 else ''}"
                 f"黄灯下限为{pair.alert_threshold:g}%。")
    return text


def indicator_rows(ctx: PanelContext, status: pd.DataFrame) -> list[dict]:
    rows = []
    for row in status.to_dict("records"):  # plain dicts: a Series per row cost milliseconds
        decimals, unit = int(row["decimals"]), row["unit"]
        missing = _missing(row["value"])
        # 0.085 万款 reads as 850 款; the card's target follows the value into that unit.
        shown, shown_decimals, shown_unit, factor = fmt.readable(
            None if missing else float(row["value"]), decimals, unit)
        shown_row = row if factor == 1 else {
            **dict(row), "unit": shown_unit, "decimals": shown_decimals,
            "target": None if _missing(row.get("target")) else row["target"] * factor}
        basis = row.get("target_basis")
        rows.append({
            "code": row["indicator_code"], "name": row["indicator_name"],
            "group": row["system_code"], "group_name": row["system_name"],
            "value": None if missing else float(row["value"]),
            "value_text": fmt.number(shown, shown_decimals),
            "unit": "" if missing else shown_unit,
            "as_of_text": as_of_text(row).strip("（）")
            if row.get("frequency") == "yearly" else "",
            "target_text": words.target_text(shown_row),
            "derived": words.target_is_derived(row),
            "derived_basis": basis if isinstance(basis, str) else "",
            "completion_text": fmt.percent(row["completion"]),
            "progress_text": fmt.percent(row["progress"]),
            "yoy_text": fmt.year_on_year(change=row["yoy_change"], ratio=row["yoy_ratio"],
                                         unit=unit, decimals=decimals),
            "light": row["light"], "light_word": words.light_word(row),
            "applicable": row["light"] != "na",
            "scope_text": LEVEL_SCOPE.get(row.get("lowest_level"), ""),
            "department": row["department_name"],
            "story": words.indicator_tooltip(row, period=ctx.period),
            "href": region_href(ctx.adcode, indicator=row["indicator_code"], period=ctx.period),
            "selected": row["indicator_code"] == ctx.indicator,
        })
    return rows


def _freshness(status: pd.DataFrame):
    updated = pd.to_datetime(status.get("updated_at"), errors="coerce") if len(status) else None
    if updated is None or updated.isna().all():
        return None
    return updated.max().to_pydatetime()


@panel("indicators", "核心指标", order=10)
def indicators(ctx: PanelContext) -> PanelModel | None:
    """The plan's indicators for the region, grouped by system (跑道): value, target,
    completion, year-on-year change and light; lights counted per system."""
    ctx.share_statuses()
    status = queries.indicator_status(scope=ctx.scope, adcodes=(ctx.adcode,), period=ctx.period)
    if status.empty:
        return None
    groups = [Group(code=str(code), name=str(rows["system_name"].iloc[0]),
                    stats=light_stats(rows["light"]))
              for code, rows in status.groupby("system_code", sort=False)]
    return PanelModel(
        key="indicators", title="核心指标", region=ctx.region_name, period=ctx.period_words,
        as_of=ctx.period_words,
        stats=list(light_stats(status["light"])),
        rows=indicator_rows(ctx, status),
        columns=[Column("name", "指标"), Column("value_text", "当前值", "number"),
                 Column("target_text", "年度目标", "number"),
                 Column("completion_text", "完成率", "number"),
                 Column("yoy_text", "同比", "number"), Column("light", "亮灯", "light")],
        groups=groups, rule=rule_words(status),
        link=Link(f"打开{ctx.region_name}驾驶舱", region_href(ctx.adcode, period=ctx.period)),
        freshness=_freshness(status),
        extra={"selected": ctx.indicator},
    )

