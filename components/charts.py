"""Figures of the region cockpit: the choropleth map, the ranking and the trend."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from components import format as fmt
from config.labels import (
    FONT_FAMILY,
    LIGHTS,
    NO_DATA_COLOUR,
    VALUE_COLOURS,
    light_word,
)


def _base_layout(**extra) -> dict:
    return {
        "font": {"family": FONT_FAMILY, "size": 13, "color": "#1f2933"},
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
        "hoverlabel": {"font": {"family": FONT_FAMILY, "size": 13}, "align": "left"},
        **extra,
    }


def region_names(data: pd.DataFrame, *, colours: list[str], texts: list[str] | None = None
                 ) -> go.Scattergeo:
    """Names written on a map at each region's label point (always inside the region),
    with a contrasting shadow so a name on a small island stays readable."""
    return go.Scattergeo(
        lon=data["label_lon"], lat=data["label_lat"],
        text=texts if texts is not None else data["name"],
        customdata=data[["adcode"]].to_numpy(), mode="text",
        textfont={"size": 11, "family": FONT_FAMILY, "shadow": "auto", "color": colours},
        hoverinfo="skip", showlegend=False,
    )


def finish_map(figure: go.Figure, *, title: str | None = None, height: int | None = None
               ) -> go.Figure:
    """A tile-less map fitted to its regions, with the house fonts."""
    figure.update_geos(fitbounds="locations", visible=False, projection_type="mercator",
                       bgcolor="rgba(0,0,0,0)")
    layout = {"margin": {"l": 0, "r": 0, "t": 30 if title else 0, "b": 0}, "dragmode": False,
              "showlegend": False}
    if title:
        layout["title"] = {"text": title, "font": {"size": 14}, "x": 0.01, "y": 0.98}
    if height:
        layout["height"] = height
    figure.update_layout(**_base_layout(**layout))
    return figure


def clicked_adcode(click: dict | None) -> str | None:
    """The adcode a click on a map or a chart points at (traces carry it as customdata)."""
    if not click or not click.get("points"):
        return None
    point = click["points"][0]
    custom = point.get("customdata")
    if isinstance(custom, list) and custom:
        return str(custom[0])
    return point.get("location")


def _hover_lines(frame: pd.DataFrame) -> list[str]:
    lines = []
    for _, row in frame.iterrows():
        if pd.isna(row.get("indicator_code")):
            lines.append(f"<b>{row['name']}</b><br>{light_word('none', None)}")
            continue
        decimals, unit = int(row["decimals"]), row["unit"]
        lines.append(
            f"<b>{row['name']}</b><br>"
            f"{row['indicator_name']}：{fmt.quantity(row['value'], decimals, unit)}<br>"
            f"年度目标：{fmt.quantity(row['target'], decimals, unit)}　"
            f"完成率：{fmt.percent(row['completion'])}<br>"
            f"序时进度：{fmt.percent(row['progress'])}　"
            f"{LIGHTS[row['light']].symbol} {light_word(row['light'], row['value'])}<br>"
            f"<i>点击进入</i>"
        )
    return lines


def region_map(comparison: pd.DataFrame, geojson: dict, *, title: str) -> go.Figure:
    """A choropleth of the compared regions, coloured by value (grey where no value)."""
    data = comparison.copy()
    has_value = data["value"].notna() if "value" in data else pd.Series(False, index=data.index)
    hover = _hover_lines(data)
    data["hover"] = hover
    scale = [[i / (len(VALUE_COLOURS) - 1), c] for i, c in enumerate(VALUE_COLOURS)]
    width = [3.0 if current else 0.8 for current in data["is_current"]]
    line_colour = ["#f59e0b" if current else "#ffffff" for current in data["is_current"]]
    traces = [
        go.Choropleth(
            geojson=geojson,
            featureidkey="properties.adcode",
            locations=data.loc[has_value, "adcode"],
            z=data.loc[has_value, "value"].astype(float),
            customdata=data.loc[has_value, ["adcode"]].to_numpy(),
            text=data.loc[has_value, "hover"],
            hovertemplate="%{text}<extra></extra>",
            colorscale=scale,
            marker={"line": {"color": [c for c, v in zip(line_colour, has_value, strict=True)
                                       if v],
                             "width": [w for w, v in zip(width, has_value, strict=True) if v]}},
            colorbar={"thickness": 10, "len": 0.6, "x": 0.98, "outlinewidth": 0,
                      "tickfont": {"size": 11}},
            name="",
        )
    ]
    if (~has_value).any():
        traces.append(go.Choropleth(
            geojson=geojson,
            featureidkey="properties.adcode",
            locations=data.loc[~has_value, "adcode"],
            z=[0] * int((~has_value).sum()),
            customdata=data.loc[~has_value, ["adcode"]].to_numpy(),
            text=data.loc[~has_value, "hover"],
            hovertemplate="%{text}<extra></extra>",
            colorscale=[[0, NO_DATA_COLOUR], [1, NO_DATA_COLOUR]],
            showscale=False,
            marker={"line": {"color": "#ffffff", "width": 0.8}},
            name="",
        ))
    values = data["value"].astype(float)
    low, high = values.min(), values.max()
    dark = (values - low) / ((high - low) or 1.0) > 0.55  # names on dark fills are white
    traces.append(region_names(data, colours=["#ffffff" if d else "#1f2933" for d in dark]))
    return finish_map(go.Figure(traces), title=title)


def ranking_bars(comparison: pd.DataFrame, *, title: str) -> go.Figure:
    """Horizontal bars of the compared regions by value, coloured by light."""
    data = comparison[comparison["value"].notna()].sort_values("value", ascending=True)
    if data.empty:
        return empty_figure("暂无可比较的数据")
    decimals, unit = int(data["decimals"].iloc[0]), data["unit"].iloc[0]
    labels = [
        f"{fmt.number(v, decimals)} {LIGHTS[light].symbol}"
        f"{light_word(light, v)}"
        for v, light in zip(data["value"], data["light"], strict=True)
    ]
    names = [f"<b>▶ {n}</b>" if cur else n for n, cur in zip(data["name"], data["is_current"],
                                                             strict=True)]
    figure = go.Figure(go.Bar(
        x=data["value"], y=names, orientation="h",
        marker={"color": [LIGHTS[light].colour for light in data["light"]]},
        text=labels, textposition="outside", cliponaxis=False,
        customdata=data[["adcode"]].to_numpy(),
        hovertext=_hover_lines(data), hovertemplate="%{hovertext}<extra></extra>",
    ))
    figure.update_layout(**_base_layout(
        margin={"l": 10, "r": 90, "t": 30, "b": 30},
        title={"text": title, "font": {"size": 14}, "x": 0.01, "y": 0.98},
        xaxis={"title": {"text": unit, "font": {"size": 12}}, "gridcolor": "#e5e7eb",
               "zeroline": False, "fixedrange": True, "range": _value_range(data["value"], unit)},
        yaxis={"automargin": True, "fixedrange": True},
        bargap=0.25,
        height=max(300, 40 + 28 * len(data)),
    ))
    return figure


def _value_range(values: pd.Series, unit: str) -> list[float] | None:
    """Rates crowd near their ceiling; start their axis near the lowest value so that
    differences show. Counts start at zero."""
    if unit != "%":
        return None
    low, high = float(values.min()), float(values.max())
    spread = max(high - low, 1.0)
    return [max(0.0, low - spread * 0.6), min(100.0, high + spread * 0.15) + spread * 0.05]


def trend_lines(trend: pd.DataFrame, *, title: str, unit: str, decimals: int) -> go.Figure:
    """Monthly values against the time-prorated target (序时目标) and the year's target."""
    if trend.empty:
        return empty_figure("暂无趋势数据")
    hover = "%{x}：%{y:,." + str(decimals) + "f} " + unit + "<extra>%{fullData.name}</extra>"
    figure = go.Figure([
        go.Scatter(x=trend["period"], y=trend["target"], name="年度目标", mode="lines",
                   line={"color": "#9aa5b1", "dash": "dot", "shape": "hv"},
                   hovertemplate=hover),
        go.Scatter(x=trend["period"], y=trend["expected"], name="序时目标", mode="lines",
                   line={"color": "#b7791f", "dash": "dash"}, hovertemplate=hover),
        go.Scatter(x=trend["period"], y=trend["value"], name="实际值", mode="lines+markers",
                   line={"color": "#1b5aa0", "width": 2.5}, marker={"size": 4},
                   hovertemplate=hover),
    ])
    figure.update_layout(**_base_layout(
        margin={"l": 50, "r": 20, "t": 40, "b": 40},
        title={"text": title, "font": {"size": 14}, "x": 0.01, "y": 0.97},
        legend={"orientation": "h", "y": 1.02, "x": 1, "xanchor": "right", "yanchor": "bottom"},
        xaxis={"type": "category", "nticks": 12, "gridcolor": "#eef0f2"},
        yaxis={"title": {"text": unit}, "gridcolor": "#e5e7eb"},
        hovermode="x unified",
        height=320,
    ))
    return figure


def empty_figure(message: str) -> go.Figure:
    figure = go.Figure()
    figure.update_layout(**_base_layout(
        xaxis={"visible": False}, yaxis={"visible": False},
        annotations=[{"text": message, "showarrow": False, "font": {"size": 15}}],
        margin={"l": 0, "r": 0, "t": 0, "b": 0}, height=260,
    ))
    return figure
