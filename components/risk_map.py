"""The five-colour risk map's figure and what it is made of (plotly only, no Dash)."""

from __future__ import annotations

from datetime import datetime

import pandas as pd
import plotly.graph_objects as go

from components.charts import figure_of, map_layout, region_names_trace
from data.risk_rules import NO_DATA_COLOUR


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
        for r in frame.to_dict("records")
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
    traces = [{
        "type": "choropleth", "geojson": geojson, "featureidkey": "properties.adcode",
        "locations": frame["adcode"], "z": values["z"], "zmin": zmin, "zmax": zmax,
        "colorscale": scale, "showscale": False,
        "marker": {"line": outline(frame["adcode"], selected)},
        "customdata": frame[["adcode"]].to_numpy(), "text": values["text"],
        "hovertemplate": "%{text}<extra></extra>", "name": "",
    }]
    if labels:
        traces.append(region_names_trace(frame, colours=values["label_colours"]))
    return figure_of(traces, map_layout(height=height))


def outline(adcodes: pd.Series, selected: str | None) -> dict[str, list]:
    """County borders: white, and a thick dark outline around the selected county."""
    chosen = [a == selected for a in adcodes]
    return {"color": ["#111827" if c else "#ffffff" for c in chosen],
            "width": [3.0 if c else 0.7 for c in chosen]}
