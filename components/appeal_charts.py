"""Charts of the public's appeals (民呼我为): data in, ``go.Figure`` out (no Dash: the panels
use them too)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from components.charts import _base_layout, empty_figure, finish_map, region_names

HEAT_COLOURS = ["#fff4e6", "#fdd8a8", "#fbb26a", "#f0803c", "#d4512a", "#a4281d"]
CHANNEL_COLOURS = ["#1b5aa0", "#3f8fd2", "#8a6d3b", "#7a8793"]
LINE = "#1b5aa0"


def _pct(value: object) -> str:
    return "—" if value is None or pd.isna(value) else f"{float(value):.1f}%"


def heat_map(units: pd.DataFrame, geojson: dict, *, title: str) -> go.Figure:
    """A choropleth of appeals per 10,000 residents of the compared regions (columns adcode,
    name, label_lon, label_lat, is_current, received, per_10k, handling, on_time,
    satisfaction); a click drills down."""
    if units.empty:
        return empty_figure("暂无可显示的地区")
    data = units.copy()
    data["hover"] = [
        f"<b>{r['name']}</b><br>诉求 {int(r['received']):,} 件，每万人 {r['per_10k']:.1f} 件"
        f"<br>办理率 {_pct(r['handling'])} · 按时答复率 {_pct(r['on_time'])}"
        f" · 满意率 {_pct(r['satisfaction'])}" for _, r in data.iterrows()]
    scale = [[i / (len(HEAT_COLOURS) - 1), c] for i, c in enumerate(HEAT_COLOURS)]
    values = data["per_10k"].astype(float)
    traces = [go.Choropleth(
        geojson=geojson, featureidkey="properties.adcode", locations=data["adcode"],
        z=values, zmin=0, customdata=data[["adcode"]].to_numpy(), text=data["hover"],
        hovertemplate="%{text}<extra></extra>", colorscale=scale,
        marker={"line": {"color": ["#1f2933" if c else "#ffffff" for c in data["is_current"]],
                         "width": [2.5 if c else 0.8 for c in data["is_current"]]}},
        colorbar={"thickness": 10, "len": 0.6, "x": 0.98, "outlinewidth": 0,
                  "title": {"text": "件/万人", "font": {"size": 11}}, "tickfont": {"size": 11}},
        name="")]
    top = values.max() or 1.0
    traces.append(region_names(data, colours=["#ffffff" if v / top > 0.6 else "#1f2933"
                                              for v in values]))
    return finish_map(go.Figure(traces), title=title)


def trend_lines(weekly: pd.DataFrame, *, title: str) -> go.Figure:
    """Appeals received week by week, with the on-time reply and satisfaction rates."""
    if weekly.empty:
        return empty_figure("暂无诉求数据")
    data = weekly.groupby("week_start", as_index=False)[
        ["received", "handled", "on_time", "rated", "satisfied"]].sum()
    weeks = [f"{w:%m-%d}" for w in data["week_start"]]
    figure = go.Figure([
        go.Bar(x=weeks, y=data["received"], name="受理件数", marker={"color": "#9cc3e6"},
               hovertemplate="%{x}当周：%{y:,} 件<extra></extra>"),
        go.Scatter(x=weeks, y=data["satisfied"] / data["rated"].where(data["rated"] > 0) * 100,
                   name="满意率", yaxis="y2", mode="lines+markers",
                   line={"color": "#2e7d32", "width": 2},
                   hovertemplate="%{x}当周满意率 %{y:.1f}%<extra></extra>"),
        go.Scatter(x=weeks, y=data["on_time"] / data["handled"].where(data["handled"] > 0)
                   * 100, name="按时答复率", yaxis="y2", mode="lines",
                   line={"color": "#b7791f", "dash": "dash"},
                   hovertemplate="%{x}当周按时答复率 %{y:.1f}%<extra></extra>"),
    ])
    figure.update_layout(**_base_layout(
        margin={"l": 50, "r": 50, "t": 40, "b": 40},
        title={"text": title, "font": {"size": 14}, "x": 0.01, "y": 0.97},
        legend={"orientation": "h", "y": 1.02, "x": 1, "xanchor": "right", "yanchor": "bottom"},
        xaxis={"type": "category", "title": {"text": "周（起始日）"}, "fixedrange": True},
        yaxis={"title": {"text": "件"}, "gridcolor": "#e5e7eb", "fixedrange": True},
        yaxis2={"title": {"text": "%"}, "overlaying": "y", "side": "right", "range": [60, 100],
                "dtick": 10, "showgrid": False, "fixedrange": True},
        height=320, hovermode="x unified"))
    return figure


def channel_bars(frame: pd.DataFrame, names: dict[str, str], *, title: str) -> go.Figure:
    """Appeals received by channel, week by week (stacked)."""
    if frame.empty:
        return empty_figure("暂无分渠道数据")
    traces = []
    for colour, (code, name) in zip(CHANNEL_COLOURS, names.items(), strict=False):
        mine = frame[frame["channel_code"] == code].sort_values("week_start")
        traces.append(go.Bar(x=[f"{w:%m-%d}" for w in mine["week_start"]], y=mine["received"],
                             name=name, marker={"color": colour},
                             hovertemplate=f"{name} %{{x}}当周：%{{y:,}} 件<extra></extra>"))
    figure = go.Figure(traces)
    figure.update_layout(**_base_layout(
        barmode="stack", margin={"l": 50, "r": 20, "t": 40, "b": 40},
        title={"text": title, "font": {"size": 14}, "x": 0.01, "y": 0.97},
        legend={"orientation": "h", "y": 1.02, "x": 1, "xanchor": "right", "yanchor": "bottom"},
        xaxis={"type": "category", "fixedrange": True},
        yaxis={"title": {"text": "件"}, "gridcolor": "#e5e7eb", "fixedrange": True},
        height=320))
    return figure
