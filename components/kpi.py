"""KPI cards (指标卡片), grouped by system."""

from __future__ import annotations

import math
from collections.abc import Callable

import pandas as pd
from dash import dcc, html

from components import format as fmt
from config.labels import LIGHTS, NO_DATA, period_label
from data.rules import light_rule_text


def light_word(row: pd.Series | dict) -> str:
    if row["light"] == "none" and _missing(row.get("value")):
        return NO_DATA
    return LIGHTS[row["light"]].word


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def light_badge(row: pd.Series | dict) -> html.Span:
    light = LIGHTS[row["light"]]
    return html.Span(
        [html.Span(light.symbol, className="light-symbol", **{"aria-hidden": "true"}),
         light_word(row)],
        className=f"light light-{row['light']}",
        style={"backgroundColor": light.colour, "color": light.ink},
    )


def indicator_tooltip(row: pd.Series | dict, *, period: str) -> str:
    """The story of one figure, for a card's or a map region's tooltip."""
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
        f"亮灯：{light_word(row)}",
        light_rule_text(alert_threshold=row["alert_threshold"],
                        excellent_threshold=row["excellent_threshold"]),
        f"责任单位：{row['department_name']}",
    ]
    updated = row.get("updated_at")
    if updated is not None and not pd.isna(updated):
        lines.append(f"更新时间：{pd.Timestamp(updated):%Y-%m-%d %H:%M}")
    return "\n".join(lines)


def kpi_card(row: pd.Series, *, period: str, href: str, selected: bool) -> dcc.Link:
    decimals, unit = int(row["decimals"]), row["unit"]
    value_text = fmt.number(row["value"], decimals)
    unit_text = unit if not _missing(row["value"]) else ""
    return dcc.Link(
        [
            html.Div(row["indicator_name"], className="kpi-name"),
            html.Div(
                [html.Span(value_text, className="kpi-number"),
                 html.Span(unit_text, className="kpi-unit")],
                className="kpi-value",
            ),
            html.Div(
                [html.Span(f"目标 {fmt.quantity(row['target'], decimals, unit)}",
                           className="kpi-target"),
                 light_badge(row)],
                className="kpi-meta",
            ),
            html.Div(
                [html.Span(f"完成率 {fmt.percent(row['completion'])}"),
                 html.Span("同比 " + fmt.year_on_year(change=row["yoy_change"],
                                                      ratio=row["yoy_ratio"], unit=unit,
                                                      decimals=decimals))],
                className="kpi-meta",
            ),
        ],
        href=href,
        title=indicator_tooltip(row, period=period),
        className="kpi-card" + (" is-selected" if selected else ""),
    )


def kpi_panel(
    status: pd.DataFrame, *, period: str, selected: str, href_for: Callable[[str], str]
) -> html.Div:
    """Cards grouped by system (跑道), in catalogue order."""
    groups = []
    for system_name, rows in status.groupby("system_name", sort=False):
        lights = rows["light"].value_counts()
        summary = " ".join(
            f"{LIGHTS[k].symbol}{LIGHTS[k].word}{lights[k]}"
            for k in ("green", "yellow", "red") if lights.get(k)
        )
        groups.append(html.Section(
            [
                html.H3([system_name, html.Span(summary, className="system-summary")],
                        className="system-title"),
                html.Div(
                    [kpi_card(row, period=period, href=href_for(row["indicator_code"]),
                              selected=row["indicator_code"] == selected)
                     for _, row in rows.iterrows()],
                    className="kpi-grid",
                ),
            ],
            className="system-group",
        ))
    return html.Div(groups, className="kpi-panel")
