"""Figures of the region cockpit: the choropleth map, the ranking and the trend."""

from __future__ import annotations

from html import escape

import pandas as pd
import plotly.graph_objects as go

from components import format as fmt
from components.indicator_text import (
    derived_mark_text,
    light_word,
    provenance_text,
    target_text,
)
from config.labels import (
    FONT_FAMILY,
    LEVEL_SCOPE,
    LIGHTS,
    LOWER_BETTER_COLOURS,
    NO_DATA_COLOUR,
    NOT_APPLICABLE,
    NOT_APPLICABLE_COLOUR,
    VALUE_COLOURS,
)


def _base_layout(**extra) -> dict:
    return {
        "font": {"family": FONT_FAMILY, "size": 13, "color": "#1f2933"},
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
        "hoverlabel": {"font": {"family": FONT_FAMILY, "size": 13}, "align": "left"},
        **extra,
    }


#: The size of a desk map in pixels (its card), for telling which names would overlap.
MAP_PIXELS = (900, 520)
NAME_PIXELS = 11  # the names' font size


def names_that_fit(data: pd.DataFrame, *, texts: list[str] | None = None,
                   size: tuple[int, int] = MAP_PIXELS) -> list[bool]:
    """Which names can be written on the map without overlapping another: the current region's
    first, then the others from the north-west; a name that would cover one already written is
    left out (its region still names itself on hover). A tight cluster of small districts
    (杭州's centre) keeps one or two names instead of an unreadable heap."""
    if data.empty:
        return []
    texts = list(texts if texts is not None else data["name"])
    lon, lat = data["label_lon"].astype(float), data["label_lat"].astype(float)
    lon_span = max(float(lon.max() - lon.min()), 0.05) * 1.6  # the shapes reach past
    lat_span = max(float(lat.max() - lat.min()), 0.05) * 1.6 * 1.15  # their names; mercator
    per_degree = min(size[0] / lon_span, size[1] / lat_span)
    current = (data["is_current"].fillna(False).astype(bool).tolist() if "is_current" in data
               else [False] * len(data))
    order = sorted(range(len(data)), key=lambda i: (not current[i], -lat.iloc[i], lon.iloc[i]))
    placed: list[tuple[float, float, float, float]] = []
    fits = [False] * len(data)
    for i in order:
        lines = str(texts[i]).split("<br>")
        half_w = max(len(line) for line in lines) * NAME_PIXELS / 2 / per_degree
        half_h = len(lines) * NAME_PIXELS * 0.65 / per_degree / 1.15
        box = (lon.iloc[i] - half_w, lon.iloc[i] + half_w, lat.iloc[i] - half_h,
               lat.iloc[i] + half_h)
        if all(box[1] < b[0] or box[0] > b[1] or box[3] < b[2] or box[2] > b[3]
               for b in placed):
            placed.append(box)
            fits[i] = True
    return fits


def region_names(data: pd.DataFrame, *, colours: list[str], texts: list[str] | None = None
                 ) -> go.Scattergeo:
    """Names written on a map at each region's label point (always inside the region),
    with a contrasting shadow so a name on a small island stays readable; names that would
    overlap are left out (:func:`names_that_fit`)."""
    return go.Scattergeo(region_names_trace(data, colours=colours, texts=texts))


def region_names_trace(data: pd.DataFrame, *, colours: list[str],
                       texts: list[str] | None = None) -> dict:
    """:func:`region_names` as a plain trace (for a figure built in one go)."""
    texts = list(texts if texts is not None else data["name"])
    fits = names_that_fit(data, texts=texts)
    return {
        "type": "scattergeo", "lon": data["label_lon"], "lat": data["label_lat"],
        "text": [t if fit else "" for t, fit in zip(texts, fits, strict=True)],
        "customdata": data[["adcode"]].to_numpy(), "mode": "text",
        "textfont": {"size": 11, "family": FONT_FAMILY, "shadow": "auto", "color": colours},
        "hoverinfo": "skip", "showlegend": False,
    }


def map_layout(*, title: str | None = None, height: int | None = None) -> dict:
    """The layout of a tile-less map fitted to its regions, with the house fonts."""
    layout = {"geo": {"fitbounds": "locations", "visible": False,
                      "projection": {"type": "mercator"}, "bgcolor": "rgba(0,0,0,0)"},
              "margin": {"l": 0, "r": 0, "t": 30 if title else 0, "b": 0}, "dragmode": False,
              "showlegend": False}
    if title:
        layout["title"] = {"text": title, "font": {"size": 14}, "x": 0.01, "y": 0.98}
    if height:
        layout["height"] = height
    return _base_layout(**layout)


def finish_map(figure: go.Figure, *, title: str | None = None, height: int | None = None
               ) -> go.Figure:
    """A tile-less map fitted to its regions, with the house fonts (:func:`map_layout`)."""
    figure.update_layout(map_layout(title=title, height=height))
    return figure


def figure_of(data: list[dict], layout: dict) -> go.Figure:
    """A figure from plain traces and layout, checked by plotly once: building it from
    trace objects and ``update_layout`` calls checks every part several times over (a
    page's figures cost tens of milliseconds that way)."""
    return go.Figure({"data": data, "layout": layout})


def clicked_adcode(click: dict | None) -> str | None:
    """The adcode a click on a map or a chart points at (traces carry it as customdata)."""
    points = click.get("points") if isinstance(click, dict) else None
    if not points or not isinstance(points, list) or not isinstance(points[0], dict):
        return None
    point = points[0]
    custom = point.get("customdata")
    if isinstance(custom, list) and custom and isinstance(custom[0], str | int):
        return str(custom[0])
    location = point.get("location")
    return location if isinstance(location, str) else None


def _hover_lines(frame: pd.DataFrame) -> list[str]:
    lines = []
    for row in frame.to_dict("records"):  # plain dicts: a Series per row is slow
        if pd.isna(row.get("indicator_code")):
            lines.append(f"<b>{row['name']}</b><br>{light_word({'light': 'none', 'value': None})}")
            continue
        if row["light"] == "na":
            scope = LEVEL_SCOPE.get(row.get("lowest_level"), "")
            lines.append(f"<b>{row['name']}</b><br>{row['indicator_name']}：{NOT_APPLICABLE}"
                         f"<br>该指标{scope}，本地区不统计、不排名<br><i>点击进入</i>")
            continue
        decimals, unit = int(row["decimals"]), row["unit"]
        mark = derived_mark_text(row)
        lines.append(
            f"<b>{row['name']}</b><br>"
            f"{row['indicator_name']}：{fmt.quantity(row['value'], decimals, unit)}<br>"
            f"年度目标：{target_text(row)}{mark}　"
            f"完成率：{fmt.percent(row['completion'])}<br>"
            f"序时进度：{fmt.percent(row['progress'])}　"
            f"{LIGHTS[row['light']].symbol} {light_word(row)}<br>"
            + (f"{escape(provenance)}<br>" if (provenance := provenance_text(row)) else "")
            + "<i>点击进入</i>"
        )
    return lines


def _features(geojson: dict, adcodes: pd.Series) -> dict:
    """The part of a feature collection a trace draws (each boundary is sent once)."""
    wanted = set(adcodes)
    return {**geojson, "features": [f for f in geojson["features"]
                                    if f["properties"]["adcode"] in wanted]}


def value_scale(direction: str | None) -> tuple[list[str], str]:
    """The one sequential scale of an indicator type on every value map, and its words: blues
    where higher is better, purples where lower is better (信访总量) — darker is always more."""
    if direction == "lower":
        return LOWER_BETTER_COLOURS, "颜色越深越高（越低越好）"
    return VALUE_COLOURS, "颜色越深越高（越高越好）"


def _legend_title(data: pd.DataFrame, words: str) -> str:
    """The colour scale's title: the unit of the values and what darker means."""
    unit = str(data["unit"].dropna().iloc[0]) if "unit" in data and data["unit"].notna().any() \
        else ""
    return f"数值{f'（{unit}）' if unit else ''}<br>{words}"


def region_map(comparison: pd.DataFrame, geojson: dict, *, title: str) -> go.Figure:
    """A choropleth of the compared regions, coloured by value (grey where no value)."""
    data = comparison.copy()
    applies = (data["applicable"].fillna(True).astype(bool) if "applicable" in data
               else pd.Series(True, index=data.index))
    has_value = (data["value"].notna() & applies if "value" in data
                 else pd.Series(False, index=data.index))
    hover = _hover_lines(data)
    data["hover"] = hover
    direction = (data["direction"].dropna().iloc[0]
                 if "direction" in data and data["direction"].notna().any() else None)
    colours, words = value_scale(direction)
    scale = [[i / (len(colours) - 1), c] for i, c in enumerate(colours)]
    width = [3.0 if current else 0.8 for current in data["is_current"]]
    line_colour = ["#f59e0b" if current else "#ffffff" for current in data["is_current"]]
    traces = [{
        "type": "choropleth",
        "geojson": _features(geojson, data.loc[has_value, "adcode"]),
        "featureidkey": "properties.adcode",
        "locations": data.loc[has_value, "adcode"],
        "z": data.loc[has_value, "value"].astype(float),
        "customdata": data.loc[has_value, ["adcode"]].to_numpy(),
        "text": data.loc[has_value, "hover"],
        "hovertemplate": "%{text}<extra></extra>",
        "colorscale": scale,
        "marker": {"line": {"color": [c for c, v in zip(line_colour, has_value, strict=True)
                                      if v],
                            "width": [w for w, v in zip(width, has_value, strict=True) if v]}},
        "colorbar": {"thickness": 10, "len": 0.6, "x": 0.98, "outlinewidth": 0,
                     "tickfont": {"size": 11}, "tickformat": ",",
                     "title": {"text": _legend_title(data, words), "side": "top",
                               "font": {"size": 12}}},
        "name": "",
    }]
    for mask, colour in ((~has_value & applies, NO_DATA_COLOUR),
                         (~applies, NOT_APPLICABLE_COLOUR)):
        if not mask.any():
            continue
        traces.append({
            "type": "choropleth",
            "geojson": _features(geojson, data.loc[mask, "adcode"]),
            "featureidkey": "properties.adcode",
            "locations": data.loc[mask, "adcode"],
            "z": [0] * int(mask.sum()),
            "customdata": data.loc[mask, ["adcode"]].to_numpy(),
            "text": data.loc[mask, "hover"],
            "hovertemplate": "%{text}<extra></extra>",
            "colorscale": [[0, colour], [1, colour]],
            "showscale": False,
            "marker": {"line": {"color": "#ffffff" if colour == NO_DATA_COLOUR else "#c3c8cf",
                                "width": 0.8}},
            "name": "",
        })
    values = data["value"].astype(float).where(has_value)
    low, high = values.min(), values.max()
    dark = (values - low) / ((high - low) or 1.0) > 0.55  # names on dark fills are white
    colours = ["#ffffff" if d else "#1f2933" for d in dark]
    layout = map_layout(title=title)
    if len(data) and not applies.any():  # siblings share a level: none of them counts it
        scope = LEVEL_SCOPE.get(data["lowest_level"].dropna().iloc[0], "")
        layout["annotations"] = [{
            "text": f"<b>{NOT_APPLICABLE}</b><br>该指标{scope}", "showarrow": False,
            "xref": "paper", "yref": "paper", "x": 0.02, "y": 0.06, "xanchor": "left",
            "yanchor": "bottom", "align": "left", "font": {"size": 15, "color": "#4b5563"},
            "bgcolor": "rgba(255,255,255,0.85)", "bordercolor": "#c3c8cf", "borderwidth": 1,
            "borderpad": 6}]
        traces.append(region_names_trace(data, colours=colours))
    elif (~applies).any():  # a mixed map: the word under each name that does not count it
        texts = [f"{name}<br>{NOT_APPLICABLE}" if not applies_here else name
                 for name, applies_here in zip(data["name"], applies, strict=True)]
        traces.append(region_names_trace(data, colours=colours, texts=texts))
    else:
        traces.append(region_names_trace(data, colours=colours))
    return figure_of(traces, layout)


def ranking_bars(comparison: pd.DataFrame, *, title: str) -> go.Figure:
    """Horizontal bars of the compared regions by value, coloured by light; a region where
    the indicator does not apply (不适用) is left out."""
    ranked = comparison["ranked"] if "ranked" in comparison else comparison["value"].notna()
    data = comparison[ranked].sort_values("value", ascending=True)
    if data.empty:
        if "light" in comparison and (comparison["light"] == "na").all():
            scope = LEVEL_SCOPE.get(comparison["lowest_level"].iloc[0], "")
            return empty_figure(f"该指标{scope}，这些地区{NOT_APPLICABLE}，不排名")
        return empty_figure("暂无可比较的数据")
    if data["direction"].iloc[0] == "lower":  # the best first: at the top
        data = data.iloc[::-1]
    decimals, unit = int(data["decimals"].iloc[0]), data["unit"].iloc[0]
    labels = [
        f"{fmt.number(v, decimals)} {LIGHTS[light].symbol}"
        f"{light_word({'light': light, 'value': v})}"
        for v, light in zip(data["value"], data["light"], strict=True)
    ]
    names = [f"<b>▶ {n}</b>" if cur else n for n, cur in zip(data["name"], data["is_current"],
                                                             strict=True)]
    return figure_of([{
        "type": "bar", "x": data["value"], "y": names, "orientation": "h",
        "marker": {"color": [LIGHTS[light].colour for light in data["light"]]},
        "text": labels, "textposition": "outside", "cliponaxis": False,
        "customdata": data[["adcode"]].to_numpy(),
        "hovertext": _hover_lines(data), "hovertemplate": "%{hovertext}<extra></extra>",
    }], _base_layout(
        margin={"l": 10, "r": 90, "t": 30, "b": 30},
        title={"text": title, "font": {"size": 14}, "x": 0.01, "y": 0.98},
        xaxis={"title": {"text": unit, "font": {"size": 12}}, "gridcolor": "#e5e7eb",
               "zeroline": False, "fixedrange": True, "separatethousands": True,
               "rangemode": "tozero", "range": _value_range(data["value"], unit)},
        yaxis={"automargin": True, "fixedrange": True},
        bargap=0.25,
        height=max(300, 40 + 28 * len(data)),
    ))


def _value_range(values: pd.Series, unit: str) -> list[float] | None:
    """The value axis starts at zero, so that a bar's length is its value (98.4 is not a
    fifth of 100); a rate up to 100% ends at 100. Otherwise plotly's range (from zero)."""
    if unit == "%" and float(values.max()) <= 100 and float(values.min()) >= 0:
        return [0.0, 100.0]
    return None


def month_ticks(periods: list[str]) -> tuple[list[str], list[str]]:
    """Ticks of a monthly axis (``YYYY-MM`` categories) at whole years, or at quarters when the
    axis spans two years or less: (values, texts), the year written where it changes."""
    span = len(periods)
    wanted = ("01",) if span > 24 else ("01", "04", "07", "10")
    values = [p for p in periods if p[5:7] in wanted] or periods[:1]
    texts, year = [], None
    for p in values:
        month = int(p[5:7])
        if span > 24:
            texts.append(f"{p[:4]}年")
        else:
            texts.append(f"{p[:4]}年{month}月" if p[:4] != year else f"{month}月")
        year = p[:4]
    return values, texts


def trend_lines(trend: pd.DataFrame, *, title: str, unit: str, decimals: int) -> go.Figure:
    """Monthly values against the time-prorated target (序时目标) and the year's target."""
    if trend.empty:
        return empty_figure("暂无趋势数据")
    hover = "%{x}：%{y:,." + str(decimals) + "f} " + unit + "<extra>%{fullData.name}</extra>"
    ticks = month_ticks([str(p) for p in trend["period"]])
    return figure_of([
        {"type": "scatter", "x": trend["period"], "y": trend["target"], "name": "年度目标",
         "mode": "lines", "line": {"color": "#9aa5b1", "dash": "dot", "shape": "hv"},
         "hovertemplate": hover},
        {"type": "scatter", "x": trend["period"], "y": trend["expected"], "name": "序时目标",
         "mode": "lines", "line": {"color": "#b7791f", "dash": "dash"},
         "hovertemplate": hover},
        {"type": "scatter", "x": trend["period"], "y": trend["value"], "name": "实际值",
         "mode": "lines+markers", "line": {"color": "#1b5aa0", "width": 2.5},
         "marker": {"size": 4}, "hovertemplate": hover},
    ], _base_layout(
        margin={"l": 50, "r": 20, "t": 40, "b": 40},
        title={"text": title, "font": {"size": 14}, "x": 0.01, "y": 0.97},
        legend={"orientation": "h", "y": 1.02, "x": 1, "xanchor": "right", "yanchor": "bottom"},
        xaxis={"type": "category", "gridcolor": "#eef0f2", "tickvals": ticks[0],
               "ticktext": ticks[1]},
        yaxis={"title": {"text": unit}, "gridcolor": "#e5e7eb", "separatethousands": True},
        hovermode="x unified",
        height=320,
    ))


def empty_figure(message: str) -> go.Figure:
    return figure_of([], _base_layout(
        xaxis={"visible": False}, yaxis={"visible": False},
        annotations=[{"text": message, "showarrow": False, "font": {"size": 15}}],
        margin={"l": 0, "r": 0, "t": 0, "b": 0}, height=260,
    ))
