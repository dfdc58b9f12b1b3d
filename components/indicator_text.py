"""The words of an indicator's figure: its light, its target (with the plan's wording and due
month), when its value stands, whether the target is derived (推算), and the story of the
figure told in a tooltip. Plain text only (no Dash): panels, charts and renderers share them."""

from __future__ import annotations

import math

import pandas as pd

from components import format as fmt
from config.labels import (
    DERIVED_MARK,
    LEVEL_SCOPE,
    LIGHTS,
    NO_DATA,
    TARGET_SOURCES,
    period_label,
)
from data.rules import light_rule_text


def light_word(row: pd.Series | dict) -> str:
    if row["light"] == "none" and _missing(row.get("value")):
        return NO_DATA
    return LIGHTS[row["light"]].word


def _flag(row: pd.Series | dict, key: str) -> bool:
    found = row.get(key)
    return bool(found) and not _missing(found)


def target_text(row: pd.Series | dict) -> str:
    """The target as a card shows it: figure, wording and due month (``50 个以上（6月底前）``)."""
    text = fmt.target(row.get("target"), int(row["decimals"]), row["unit"],
                      row.get("target_wording"))
    when = fmt.due(row.get("due_month"))
    return f"{text}（{when}）" if when and text != "—" else text


def target_is_derived(row: pd.Series | dict) -> bool:
    """Whether the target is derived (推算) rather than written in a plan or a document."""
    return _flag(row, "target_derived")


def target_source_text(row: pd.Series | dict) -> str:
    source = row.get("target_source")
    name = TARGET_SOURCES.get(source, "") if isinstance(source, str) else ""
    if source == "demo":
        name = f"{DERIVED_MARK}（演示数据）"
    return name


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def as_of_text(row: pd.Series | dict) -> str:
    as_of = row.get("as_of")
    if not isinstance(as_of, str):
        return ""
    if row.get("frequency") == "yearly":
        return f"（{as_of[:4]}年度）"
    return f"（截至{period_label(as_of)}）"


CHANNEL_WORDS = {"page": "页面上传", "cli": "命令行导入", "api": "接口推送"}


def provenance_text(row: pd.Series | dict) -> str | None:
    """Where the figure came from: the demo, or its import batch (file or system, who, when,
    the row of the file)."""
    source = row.get("value_source")
    if _missing(row.get("value")) or not isinstance(source, str):
        return None
    if source == "demo":
        return "来源：演示数据"
    batch = row.get("batch_id")
    if batch is None or pd.isna(batch):
        return "来源：导入"
    channel = row.get("batch_channel")
    origin, actor = row.get("batch_origin"), row.get("batch_actor")
    when, line = row.get("batch_at"), row.get("source_row")
    parts = [p for p in (
        origin if isinstance(origin, str) else None,
        actor if isinstance(actor, str) and actor != origin else None,
        f"{pd.Timestamp(when):%Y-%m-%d %H:%M}" if when is not None and not pd.isna(when)
        else None,
        (f"第{int(line)}条" if channel == "api" else f"第{int(line)}行")
        if line is not None and not pd.isna(line) else None) if p]
    return (f"来源：{CHANNEL_WORDS.get(channel, '导入')} · 第{int(batch)}批"
            f"（{'，'.join(parts)}）")


def indicator_tooltip(row: pd.Series | dict, *, period: str) -> str:
    """The story of one figure, for a card's or a map region's tooltip."""
    decimals, unit = int(row["decimals"]), row["unit"]
    scope = LEVEL_SCOPE.get(row.get("lowest_level"), "")
    if row["light"] == "na":
        lines = [f"{row['indicator_name']}",
                 f"不适用：该指标{scope}，本地区不统计、不排名。"]
        if isinstance(row.get("definition"), str):
            lines.append(f"口径：{row['definition']}")
        lines.append(f"责任单位：{row['department_name']}")
        return "\n".join(lines)
    year = row.get("value_year") if not _missing(row.get("value_year")) else period[:4]
    source = target_source_text(row)
    target_line = f"年度目标：{target_text(row)}（{int(year)}年"
    target_line += f"，来源：{source}）" if source else "）"
    lines = [
        f"{row['indicator_name']}",
        f"当前值：{fmt.quantity(row['value'], decimals, unit)}{as_of_text(row)}",
        target_line,
    ]
    if _flag(row, "target_derived") and isinstance(row.get("target_basis"), str):
        lines.append(f"推算依据：{row['target_basis']}")
    elif isinstance(row.get("target_basis"), str):
        lines.append(f"目标依据：{row['target_basis']}")
    if not _missing(row.get("target")) and row["target"] <= 0:
        lines.append("年度目标为零，不亮绿灯。")
    lines += [
        f"上年末值（基期）：{fmt.quantity(row.get('baseline'), decimals, unit)}",
        f"完成率：{fmt.percent(row['completion'])}",
        f"序时目标：{fmt.quantity(row['expected'], decimals, unit)}；"
        f"序时进度：{fmt.percent(row['progress'])}",
        f"亮灯：{light_word(row)}",
        light_rule_text(alert_threshold=row["alert_threshold"],
                        excellent_threshold=row["excellent_threshold"],
                        due_month=int(row.get("due_month") or 12),
                        direction=row.get("direction", "higher")),
    ]
    if isinstance(row.get("definition"), str):
        lines.append(f"口径：{row['definition']}（{scope}）")
    lines.append(f"责任单位：{row['department_name']}")
    updated = row.get("updated_at")
    if updated is not None and not pd.isna(updated):
        lines.append(f"更新时间：{pd.Timestamp(updated):%Y-%m-%d %H:%M}")
    provenance = provenance_text(row)
    if provenance:
        lines.append(provenance)
    return "\n".join(lines)


def derived_mark_text(row: pd.Series | dict) -> str:
    """The 推算 mark in plain text (map and chart tooltips)."""
    return f"（{DERIVED_MARK}）" if _flag(row, "target_derived") else ""
