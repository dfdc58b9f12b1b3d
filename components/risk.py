"""Builders of the five-colour risk map's figures and panels (no SQL)."""

from __future__ import annotations

from datetime import datetime

import pandas as pd
import plotly.graph_objects as go
from dash import dcc, html

from components.badges import level_chip
from components.charts import _base_layout, empty_figure
from components.risk_map import (  # noqa: F401 - the map's builders, used by the risk page
    ink_for,
    level_colourscale,
    map_values,
    outline,
    risk_map_figure,
    time_label,
)

KINDS = {"notice": "风险告知函", "order": "工作督办单"}
HAZARD_LINES = ["#374151", "#0f766e", "#7c3aed", "#b45309", "#6b7280"]
HAZARD_DASHES = ["solid", "dash", "dot", "dashdot", "longdash"]


def level_legend(counts: pd.DataFrame) -> html.Ul:
    """The legend: every level in its fixed colour, highest risk first, with its count of
    counties; 无数据 last. ``counts`` has code, name, colour, count."""
    items = []
    for row in counts.itertuples():
        items.append(html.Li(
            [html.Span(className="swatch", style={"backgroundColor": row.colour},
                       **{"aria-hidden": "true"}),
             html.Span(row.name, className="legend-name"),
             html.Span(f"{row.count}", className="legend-count"),
             html.Span("个县", className="legend-unit")],
            className="legend-item" + (" is-empty" if row.count == 0 else ""),
            **{"data-level": row.code},
        ))
    return html.Ul(items, className="risk-legend", **{"aria-label": "风险等级图例"})


def notice_line(notice, *, hazard_names: dict[str, str], at: datetime) -> html.Div:
    """One notice sent to a county, as it stood at ``at``: its kind, the hazard it is about
    (two notices sent at one time differ by it), when it went out and whether it was signed
    for by then."""
    hazard = getattr(notice, "hazard_code", None)
    about = f"（{hazard_names.get(hazard, hazard)}）" if isinstance(hazard, str) else ""
    signed = pd.notna(notice.acknowledged_at) and notice.acknowledged_at <= pd.Timestamp(at)
    return html.Div(
        f"{KINDS[notice.kind]}{about} {notice.issued_at:%m-%d %H:%M} · "
        + (f"已签收 {notice.acknowledged_at:%m-%d %H:%M}" if signed else "未签收"),
        className="notice-line" + ("" if signed else " is-open"))


def warned_table(frame: pd.DataFrame, notices: pd.DataFrame, *, hazard_names: dict[str, str],
                 at: datetime) -> html.Div:
    """Red and orange counties with their hazards and what was sent to them by ``at``."""
    high = frame[frame["level_code"].isin(["RED", "ORANGE"])].sort_values(["rank", "name"])
    if high.empty:
        return html.P("此时没有红色或橙色风险的县（市、区）。", className="empty-note")
    sent = notices[notices["issued_at"] <= pd.Timestamp(at)] if len(notices) else notices
    body = []
    for _, row in high.iterrows():
        mine = sent[sent["region_adcode"] == row["adcode"]] if len(sent) else sent
        notes = [notice_line(n, hazard_names=hazard_names, at=at) for n in mine.itertuples()
                 ] or [html.Span("尚未发送", className="notice-none")]
        body.append(html.Tr([
            html.Td(level_chip(row["level_short"], row["colour"])),
            html.Td(row["name"]), html.Td(row["city_name"]),
            html.Td("、".join(hazard_names.get(h, h) for h in row["hazards"])),
            html.Td(f"{pd.Timestamp(row['assessed_at']):%m-%d %H:%M}"),
            html.Td(notes),
        ]))
    head = html.Thead(html.Tr([html.Th(t) for t in
                               ("等级", "县（市、区）", "设区市", "灾种", "研判时间", "已发送")]))
    return html.Table([head, html.Tbody(body)], className="risk-table")


def evacuation_figure(people: pd.Series, names: dict[str, str], *, title: str) -> go.Figure:
    top = people.head(15).iloc[::-1]
    if top.empty:
        return empty_figure("此时尚无转移人员")
    figure = go.Figure(go.Bar(
        x=top.to_numpy(), y=[names.get(a, a) for a in top.index], orientation="h",
        marker={"color": "#2b6cb0"}, text=[f"{v / 1e4:.1f}万" for v in top.to_numpy()],
        textposition="outside", cliponaxis=False,
        hovertemplate="%{y}：%{x:,}人<extra></extra>",
    ))
    figure.update_layout(**_base_layout(
        title={"text": title, "font": {"size": 14}, "x": 0.01},
        margin={"l": 10, "r": 60, "t": 36, "b": 20}, height=max(260, 60 + 22 * len(top)),
        xaxis={"visible": False, "fixedrange": True}, yaxis={"automargin": True,
                                                             "fixedrange": True},
    ))
    return figure


def history_figure(history: pd.DataFrame, levels: pd.DataFrame, *, title: str,
                   at: datetime | None = None) -> go.Figure:
    """A county's level per hazard over the event (higher on the chart = higher risk)."""
    if history.empty:
        return empty_figure("该县（市、区）在此过程中没有研判记录")
    order = levels.sort_values("rank", ascending=False)
    traces = []
    for i, (name, rows) in enumerate(history.groupby("hazard_name", sort=False)):
        # The line (and legend) in the hazard's own neutral colour; the markers in the
        # level's colour, so a level always looks the same.
        traces.append(go.Scatter(
            x=rows["assessed_at"], y=rows["level_name"], name=name, mode="lines",
            line={"shape": "hv", "width": 1.8, "color": HAZARD_LINES[i % len(HAZARD_LINES)],
                  "dash": HAZARD_DASHES[i % len(HAZARD_DASHES)]},
            legendgroup=name, hoverinfo="skip",
        ))
        traces.append(go.Scatter(
            x=rows["assessed_at"], y=rows["level_name"], name=name, mode="markers",
            marker={"color": rows["colour"], "size": 9,
                    "line": {"color": "#1f2933", "width": 0.6}},
            legendgroup=name, showlegend=False,
            hovertemplate="%{x|%m-%d %H:%M}　" + name + "：%{y}<extra></extra>",
        ))
    figure = go.Figure(traces)
    figure.update_layout(**_base_layout(
        title={"text": title, "font": {"size": 14}, "x": 0.01},
        margin={"l": 40, "r": 10, "t": 40, "b": 40}, height=300,
        yaxis={"categoryorder": "array", "categoryarray": list(order["short_name"]),
               "type": "category", "fixedrange": True},
        xaxis={"tickformat": "%m-%d %H时", "gridcolor": "#eef0f2"},
        legend={"orientation": "h", "y": -0.2},
    ))
    if at is not None:
        figure.add_vline(x=at, line={"color": "#6b7280", "dash": "dot"})
    return figure


def notice_list(notices: pd.DataFrame, *, hazard_names: dict[str, str]) -> html.Ul | html.P:
    if notices.empty:
        return html.P("此过程中未向该地发送告知函或督办单。", className="empty-note")
    return html.Ul([
        html.Li([
            html.Strong(KINDS[n.kind]), f" {n.issued_at:%m-%d %H:%M} ",
            html.Span(n.title), " · ",
            html.Span(f"已签收 {n.acknowledged_at:%m-%d %H:%M}" if pd.notna(n.acknowledged_at)
                      else "未签收", className="ack" if pd.notna(n.acknowledged_at)
                      else "ack is-open"),
        ]) for n in notices.itertuples()
    ], className="notice-list")


def slider_marks(times: list[datetime]) -> dict[int, dict]:
    """A mark at each day's first assessment."""
    marks, seen = {}, set()
    for i, when in enumerate(times):
        if when.date() not in seen:
            seen.add(when.date())
            marks[i] = {"label": f"{when:%-m月%-d日}"}
    return marks


def risk_link(href: str, text: str) -> dcc.Link:
    return dcc.Link(text, href=href, className="chip-link")
