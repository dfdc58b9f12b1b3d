"""Indicators by system (核心指标), and the red lights among them (红灯指标)."""

from __future__ import annotations

import math

import pandas as pd

from components import format as fmt
from config.labels import LIGHTS, light_word, period_label
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


def story(row: pd.Series, *, period: str) -> str:
    """The story of one figure, for a tooltip: value, target, completion, progress, light,
    the rule, the department that owns it and when it was updated."""
    decimals, unit = int(row["decimals"]), row["unit"]
    as_of = row.get("as_of")
    lines = [
        f"{row['indicator_name']}",
        f"当前值：{fmt.quantity(row['value'], decimals, unit)}"
        + (f"（截至{period_label(as_of)}）" if isinstance(as_of, str) else ""),
        f"年度目标：{fmt.quantity(row['target'], decimals, unit)}（{period[:4]}年）",
        f"完成率：{fmt.percent(row['completion'])}",
        f"序时目标：{fmt.quantity(row['expected'], decimals, unit)}；"
        f"序时进度：{fmt.percent(row['progress'])}",
        f"亮灯：{light_word(row['light'], row['value'])}",
        light_rule_text(alert_threshold=row["alert_threshold"],
                        excellent_threshold=row["excellent_threshold"]),
        f"责任单位：{row['department_name']}",
    ]
    updated = row.get("updated_at")
    if updated is not None and not pd.isna(updated):
        lines.append(f"更新时间：{pd.Timestamp(updated):%Y-%m-%d %H:%M}")
    return "\n".join(lines)


def rule_words(status: pd.DataFrame) -> str:
    """The light rule in words, with the thresholds the indicators shown use."""
    pairs = (status[["alert_threshold", "excellent_threshold"]].drop_duplicates()
             .sort_values("alert_threshold"))
    if pairs.empty:
        return light_rule_text(alert_threshold=90, excellent_threshold=100)
    first = pairs.iloc[0]
    text = light_rule_text(alert_threshold=first["alert_threshold"],
                           excellent_threshold=first["excellent_threshold"])
    for pair in pairs.iloc[1:].itertuples(index=False):
        names = status.loc[status["alert_threshold"] == pair.alert_threshold, "indicator_name"]
        text += (f"其中{'、'.join(names.head(3))}{'等' if len(names) > 3 else ''}"
                 f"黄灯下限为{pair.alert_threshold:g}%。")
    return text


def indicator_rows(ctx: PanelContext, status: pd.DataFrame) -> list[dict]:
    rows = []
    for _, row in status.iterrows():
        decimals, unit = int(row["decimals"]), row["unit"]
        missing = _missing(row["value"])
        rows.append({
            "code": row["indicator_code"], "name": row["indicator_name"],
            "group": row["system_code"], "group_name": row["system_name"],
            "value": None if missing else float(row["value"]),
            "value_text": fmt.number(row["value"], decimals), "unit": "" if missing else unit,
            "target_text": fmt.quantity(row["target"], decimals, unit),
            "completion_text": fmt.percent(row["completion"]),
            "progress_text": fmt.percent(row["progress"]),
            "yoy_text": fmt.year_on_year(change=row["yoy_change"], ratio=row["yoy_ratio"],
                                         unit=unit, decimals=decimals),
            "light": row["light"], "light_word": light_word(row["light"], row["value"]),
            "department": row["department_name"],
            "story": story(row, period=ctx.period),
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
    status = queries.indicator_status(scope=ctx.scope, adcodes=(ctx.adcode,), period=ctx.period)
    if status.empty:
        return None
    groups = [Group(code=str(code), name=str(rows["system_name"].iloc[0]),
                    stats=light_stats(rows["light"]))
              for code, rows in status.groupby("system_code", sort=False)]
    return PanelModel(
        key="indicators", title="核心指标", region=ctx.region_name, period=ctx.period_words,
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

