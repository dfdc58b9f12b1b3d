"""Every chart of the app is a :func:`graph`, with the one configuration :func:`graph_config`.

Nothing on a chart's toolbar leaves the machine: no "send to cloud" or "edit in Chart Studio"
(plotly.js 4 shows a share button unless told not to), no plotly logo, no link out. The toolbar
keeps what a user of a government intranet needs: download as PNG and reset the view. Maps take
their base topology from the app (an empty one), never from plotly's CDN.
"""

from __future__ import annotations

import dash
import plotly.graph_objects as go
from dash import dcc

from components.boundaries import by_address

#: The only toolbar buttons: save as PNG, reset the view (zoom, pan, map).
TOOLBAR = [["toImage", "resetViews"]]


def graph_config(*, static: bool = False) -> dict:
    """The configuration of every chart (``static``: a picture that ignores the pointer)."""
    return {
        "topojsonURL": dash.get_asset_url("topojson/"),
        "displaylogo": False,
        "showSendToCloud": False,
        "showEditInChartStudio": False,
        "showLink": False,
        "plotlyServerURL": "",
        "modeBarButtons": TOOLBAR,
        "toImageButtonOptions": {"format": "png", "scale": 2},
        "displayModeBar": "hover",
        "locale": "zh-CN",
        "staticPlot": static,
    }


def graph(figure: go.Figure, *, graph_id: str | dict | None = None, static: bool = False,
          class_name: str | None = None, style: dict | None = None) -> dcc.Graph:
    """A chart of ``figure`` with the app's one configuration.

    Every chart follows the width of its container. A figure with a height of its own (a
    ranking with a bar per region, a timeline with a row per task) keeps it as the height of
    its box: Dash's responsive mode throws a figure's height away, so the box holds it."""
    box = dict(style or {})
    if figure.layout.height is not None and "height" not in box:
        box["height"] = f"{int(figure.layout.height)}px"
    props: dict = {"figure": by_address(figure), "config": graph_config(static=static),
                   "responsive": True}
    if graph_id is not None:
        props["id"] = graph_id
    if class_name:
        props["className"] = class_name
    if box:
        props["style"] = box
    return dcc.Graph(**props)
