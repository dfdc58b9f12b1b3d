"""Builders of the five-colour risk map's figures and panels (no SQL)."""

from __future__ import annotations

from datetime import datetime

import pandas as pd
import plotly.graph_objects as go
from dash import dcc, html

from components.charts import _base_layout, empty_figure, finish_map, region_names
from data.risk_rules import NO_DATA_COLOUR

KINDS = {"notice": "风险告知函", "order": "工作督办单"}
HAZARD_LINES = ["#374151", "#0f766e", "#7c3aed", "#b45309", "#6b7280"]
HAZARD_DASHES = ["solid", "dash", "dot", "dashdot", "longdash"]


def time_label(when: datetime) -> str:
    return f"{when:%Y年%-m月%-d日 %H:%M}"


def ink_for(colour: str) -> str:
    """White or near-black text, whichever reads better on ``colour`` (a #rrggbb fill);
    levels are configurable, so this is computed, not listed."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return "#ffffff" if luminance < 0.22 else "#1f2933"


def level_colourscale(levels: pd.DataFrame) -> tuple[list, float, float]:
    """A stepwise colour scale with exactly one colour per level rank (1 … n) and grey for
    n + 1 (无数据); fixed bounds, so a level has its colour whatever levels are present."""
    colours = [*levels.sort_values("rank")["colour"], NO_DATA_COLOUR]
    n = len(colours)
    scale = []
    for k, colour in enumerate(colours):
        scale += [[k / n, colour], [(k + 1) / n, colour]]
    return scale, 0.5, n + 0.5


def map_values(frame: pd.DataFrame, *, hazard_names: dict[str, str]) -> dict[str, list]:
    """What changes on the map from one moment to the next (sent as a Patch)."""
    text = [
        f"<b>{r['name']}</b>（{r['city_name']}）<br>{r['level_name']}"
        + (f"<br>灾种：{'、'.join(hazard_names.get(h, h) for h in r['hazards'])}"
           if r["hazards"] else "")
        + (f"<br>研判时间：{pd.Timestamp(r['assessed_at']):%m-%d %H:%M}"
           if pd.notna(r.get("assessed_at")) else "")
        + "<br><i>点击查看该县过程</i>"
        for _, r in frame.iterrows()
    ]
    label_colours = [ink_for(c) for c in frame["colour"]]
    return {"z": frame["rank"].tolist(), "text": text, "label_colours": label_colours}


def risk_map_figure(frame: pd.DataFrame, geojson: dict, levels: pd.DataFrame, *,
                    hazard_names: dict[str, str], labels: bool,
                    selected: str | None = None, height: int = 620) -> go.Figure:
    """Counties coloured by level. One trace carries the boundaries once; a moment's levels
    are its ``z`` (the level's rank), so the time slider only sends new ``z`` and text."""
    scale, zmin, zmax = level_colourscale(levels)
    values = map_values(frame, hazard_names=hazard_names)
    traces = [
        go.Choropleth(
            geojson=geojson, featureidkey="properties.adcode",
            locations=frame["adcode"], z=values["z"], zmin=zmin, zmax=zmax,
            colorscale=scale, showscale=False,
            marker={"line": outline(frame["adcode"], selected)},
            customdata=frame[["adcode"]].to_numpy(), text=values["text"],
            hovertemplate="%{text}<extra></extra>", name="",
        ),
    ]
    if labels:
        traces.append(region_names(frame, colours=values["label_colours"]))
    return finish_map(go.Figure(traces), height=height)


def outline(adcodes: pd.Series, selected: str | None) -> dict[str, list]:
    """County borders: white, and a thick dark outline around the selected county."""
    chosen = [a == selected for a in adcodes]
    return {"color": ["#111827" if c else "#ffffff" for c in chosen],
            "width": [3.0 if c else 0.7 for c in chosen]}


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
        notes = [
            html.Div(
                f"{KINDS[n.kind]} {n.issued_at:%m-%d %H:%M} · "
                + (f"已签收 {n.acknowledged_at:%m-%d %H:%M}"
                   if pd.notna(n.acknowledged_at) and n.acknowledged_at <= pd.Timestamp(at)
                   else "未签收"),
                className="notice-line" + ("" if pd.notna(n.acknowledged_at) else " is-open"),
            )
            for n in mine.itertuples()
        ] or [html.Span("尚未发送", className="notice-none")]
        body.append(html.Tr([
            html.Td(html.Span(row["level_short"], className="level-chip",
                              style={"backgroundColor": row["colour"],
                                     "color": ink_for(row["colour"])})),
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
