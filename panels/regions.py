"""The chosen indicator across regions and over time: the child-region map (地图), the
ranking of the same regions (排名) and the month-by-month trend (趋势)."""

from __future__ import annotations

import pandas as pd

from components import charts
from components import format as fmt
from config.labels import LEVEL_SCOPE, NOT_APPLICABLE, light_word, period_label
from data import queries
from data.geo import boundaries
from data.rules import applies_at, trend_window
from panels.addresses import region_href
from panels.context import PanelContext
from panels.indicators import rule_words
from panels.model import Column, Link, PanelModel
from panels.registry import BRIEFING, DESK, SCREEN, panel


def _meta(ctx: PanelContext) -> pd.Series:
    return queries.indicators(scope=ctx.scope).set_index("code").loc[ctx.indicator]


def comparison_rows(ctx: PanelContext, comparison: pd.DataFrame) -> list[dict]:
    """The compared regions, the highest value first, with their light and address."""
    data = comparison.assign(_order=comparison["value"].astype(float))
    data = data.sort_values("_order", ascending=False, na_position="last")
    rows = []
    for rank, row in enumerate(data.to_dict("records"), start=1):
        has = pd.notna(row.get("value"))
        rows.append({
            "adcode": row["adcode"], "name": row["name"], "rank": rank if has else None,
            "value": float(row["value"]) if has else None,
            "value_text": fmt.quantity(row["value"], int(row["decimals"]), row["unit"])
            if has else "—",
            "completion_text": fmt.percent(row.get("completion")),
            "light": row["light"] if isinstance(row.get("light"), str) else "none",
            "light_word": light_word(row["light"] if isinstance(row.get("light"), str)
                                     else "none", row.get("value")),
            "is_current": bool(row["is_current"]),
            "href": region_href(row["adcode"], indicator=ctx.indicator, period=ctx.period),
        })
    return rows


def _comparison(ctx: PanelContext) -> pd.DataFrame:
    ctx.share_statuses()
    return queries.region_comparison(scope=ctx.scope, adcode=ctx.adcode, indicator=ctx.indicator,
                                     period=ctx.period)


@panel("map", "地图", order=20)
def region_map(ctx: PanelContext) -> PanelModel:
    """A choropleth of the compared regions (the region's children; a county among its city's
    counties), coloured by the chosen indicator; a click drills down."""
    meta = _meta(ctx)
    comparison = _comparison(ctx)
    geojson = boundaries().feature_collection(tuple(comparison["adcode"]))
    title = f"{ctx.compared_words} · {meta['name']}（{meta['unit']}） · {ctx.period_words}"
    status = comparison[comparison["indicator_code"].notna()]
    return PanelModel(
        key="map", title=meta["name"], region=ctx.compared_words, period=ctx.period_words,
        as_of=ctx.period_words,
        figures={"map": charts.region_map(comparison, geojson, title=title)},
        rows=comparison_rows(ctx, comparison),
        columns=[Column("name", "地区", "link"), Column("value_text", "数值", "number"),
                 Column("light", "亮灯", "light")],
        rule=rule_words(status) if len(status) else "",
        link=Link(f"打开{ctx.region_name}驾驶舱",
                  region_href(ctx.adcode, indicator=ctx.indicator, period=ctx.period)),
        extra={"indicator": ctx.indicator, "indicator_name": meta["name"],
               "unit": meta["unit"], "figure_title": title},
    )


@panel("ranking", "排名", order=30)
def ranking(ctx: PanelContext) -> PanelModel:
    """The compared regions ranked by the chosen indicator, coloured by light (赛马)."""
    meta = _meta(ctx)
    comparison = _comparison(ctx)
    noun = ctx.compared_words
    title = f"{noun}排名 · {meta['name']} · {ctx.period_words}"
    status = comparison[comparison["indicator_code"].notna()]
    return PanelModel(
        key="ranking", title=f"{meta['name']} · 排名", region=noun, period=ctx.period_words,
        as_of=ctx.period_words,
        figures={"ranking": charts.ranking_bars(comparison, title=title)},
        rows=comparison_rows(ctx, comparison),
        columns=[Column("rank", "名次", "number"), Column("name", "地区", "link"),
                 Column("value_text", "数值", "number"),
                 Column("completion_text", "完成率", "number"),
                 Column("light", "亮灯", "light")],
        rule=rule_words(status) if len(status) else "",
        empty="暂无可比较的数据", extra={"figure_title": title},
    )


def trend_span_words(period: str) -> str:
    """The trend's window (:func:`data.rules.trend_window`) in words."""
    first, last = trend_window(period)
    return (f"显示范围：{int(first[:4]) + 1}年1月至{period_label(last)}"
            f"（{period_label(first)}为基期）。")


@panel("trend", "趋势", order=40, surfaces=(DESK, SCREEN, BRIEFING))
def trend(ctx: PanelContext) -> PanelModel:
    """The region's monthly values of the chosen indicator against the time-prorated target
    (序时目标) and the year's target."""
    meta = _meta(ctx)
    frame = queries.indicator_trend(scope=ctx.scope, adcode=ctx.adcode, indicator=ctx.indicator,
                                    period=ctx.period)
    title = f"{ctx.region_name} · {meta['name']} · 月度趋势（至{ctx.period_words}）"
    if applies_at(meta["lowest_level"], ctx.level):
        figure = charts.trend_lines(frame, title=title, unit=meta["unit"],
                                    decimals=int(meta["decimals"]))
    else:  # not counted at this level (不适用)
        figure = charts.empty_figure(f"{meta['name']}{LEVEL_SCOPE[meta['lowest_level']]}，"
                                     f"{ctx.region_name}{NOT_APPLICABLE}")
    return PanelModel(
        key="trend", title=f"{meta['name']} · 月度趋势", region=ctx.region_name,
        period=f"至{ctx.period_words}", as_of=ctx.period_words, figures={"trend": figure},
        rule="序时目标 = 上年末值 +（年度目标 − 上年末值）× 月份 / 12（累计类指标从 0 起算）。"
             f"{trend_span_words(ctx.period)}",
        empty="暂无趋势数据", extra={"figure_title": title},
    )
