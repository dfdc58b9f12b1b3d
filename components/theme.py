"""How a panel's figure looks on each surface. A theme restyles a copy of the model's figure
(fonts, colours, sizes); the data — traces, values, locations — stay the model's own, so every
surface shows the same figures.

The figure builders draw in the desk's style, so :func:`desk` leaves a figure as it is;
:func:`screen` turns it into the large screen's (dark navy, light text, nothing under 18 px).
"""

from __future__ import annotations

import plotly.graph_objects as go

from config.labels import FONT_FAMILY, LOWER_BETTER_COLOURS, VALUE_COLOURS

#: The large screen's palette (assets/50-screen.css uses the same values).
SCREEN_INK = "#e6f0ff"
SCREEN_INK_SOFT = "#a9c1e6"
SCREEN_GRID = "rgba(120, 170, 255, 0.16)"
#: The value scale of a map on the dark screen: low values dim, high ones bright (the desk's
#: light-to-dark blues would sink into the navy), every fill dark enough for white names.
SCREEN_VALUE_COLOURS = ["#173a63", "#1b4f86", "#1f64a8", "#2479c6", "#2b8ee0", "#3aa2f2"]
#: The lower-is-better purples, bright enough on the screen's navy.
SCREEN_LOWER_BETTER_COLOURS = ["#2e2452", "#46337a", "#5f44a0", "#7a5cc0", "#9a7ddb", "#bca3f0"]
#: Each desk scale and the large screen's own version of it.
SCREEN_SCALES = {tuple(c.lower() for c in VALUE_COLOURS): SCREEN_VALUE_COLOURS,
                 tuple(c.lower() for c in LOWER_BETTER_COLOURS): SCREEN_LOWER_BETTER_COLOURS}
#: No text on the large screen's 1920×1080 canvas is smaller than this (px).
SCREEN_MIN_FONT = 18


def desk(figure: go.Figure) -> go.Figure:
    """The desk page's figure: the model's own."""
    return figure


def _at_least(size: float | None, floor: float) -> float:
    return max(float(size or 0), floor)


def screen(figure: go.Figure, *, font_size: int = 20) -> go.Figure:
    """A copy of ``figure`` for the dark large screen: light text of at least 18 px, no title
    (the panel's frame says what it shows), sized by its slot rather than by the figure."""
    themed = go.Figure(figure)
    floor = SCREEN_MIN_FONT
    axis = {"gridcolor": SCREEN_GRID, "linecolor": SCREEN_GRID, "zerolinecolor": SCREEN_GRID,
            "tickfont": {"size": floor, "color": SCREEN_INK_SOFT},
            "title": {"font": {"size": floor, "color": SCREEN_INK_SOFT}}}
    margin = themed.layout.margin
    themed.update_layout(
        font={"family": FONT_FAMILY, "size": font_size, "color": SCREEN_INK},
        title={"text": ""},
        paper_bgcolor="rgba(0,0,0,0)", plot_bgcolor="rgba(0,0,0,0)",
        hoverlabel={"font": {"family": FONT_FAMILY, "size": font_size},
                    "bgcolor": "#0b1f3f", "bordercolor": "#3ea6ff"},
        legend={"font": {"size": floor, "color": SCREEN_INK}, "bgcolor": "rgba(0,0,0,0)"},
        margin={"l": margin.l or 0, "r": margin.r or 0, "b": margin.b or 0,
                "t": min(margin.t if margin.t is not None else 10, 16)},
        height=None, width=None, autosize=True,
    )
    themed.update_xaxes(**axis)
    themed.update_yaxes(**axis)
    themed.update_geos(bgcolor="rgba(0,0,0,0)")
    for annotation in themed.layout.annotations or ():
        annotation.font.size = _at_least(annotation.font.size, floor)
        annotation.font.color = annotation.font.color or SCREEN_INK
    for trace in themed.data:
        screen_scale = SCREEN_SCALES.get(tuple(c.lower() for _, c in trace.colorscale or ())) \
            if trace.type == "choropleth" else None
        if screen_scale:
            step = len(screen_scale) - 1
            trace.colorscale = [[i / step, c] for i, c in enumerate(screen_scale)]
            # On the navy screen more is brighter, not darker: the legend says so.
            if trace.colorbar.title.text:
                trace.colorbar.title.text = trace.colorbar.title.text.replace(
                    "颜色越深", "颜色越亮")
        if trace.type == "scattergeo" and trace.mode == "text":  # names on a map
            trace.textfont.color = SCREEN_INK
        if "textfont" in trace:
            trace.textfont.size = _at_least(trace.textfont.size, floor)
        if trace.type in ("bar", "funnel") and trace.textposition == "outside":
            trace.textfont.color = SCREEN_INK
            trace.constraintext = "none"  # plotly would shrink it to the bar's thickness
        if trace.type == "bar" and trace.orientation == "h":  # a name on every bar
            themed.update_yaxes(tickmode="linear", dtick=1)
            themed.update_layout(margin={"r": max(margin.r or 0, 120)})  # room for "100.0 ●正常"
        if "colorbar" in trace:
            trace.colorbar.tickfont = {"size": floor, "color": SCREEN_INK_SOFT}
            trace.colorbar.title.font = {"size": floor, "color": SCREEN_INK_SOFT}
            trace.colorbar.thickness = 16
    return themed


#: The briefing's paper: black on white, small type that prints sharply on A4.
PAPER_INK = "#1f2933"
PAPER_FONT = '"Noto Sans SC", sans-serif'


def paper(figure: go.Figure, *, font_size: int = 13) -> go.Figure:
    """A copy of ``figure`` for the PDF briefing: no title (the section heading says what it
    shows), white paper, the embedded font, sized by the page rather than by the figure."""
    themed = go.Figure(figure)
    margin = themed.layout.margin
    themed.update_layout(
        font={"family": PAPER_FONT, "size": font_size, "color": PAPER_INK},
        title={"text": ""},
        paper_bgcolor="#ffffff", plot_bgcolor="#ffffff",
        margin={"l": margin.l or 0, "r": margin.r or 0, "b": margin.b or 0,
                "t": min(margin.t if margin.t is not None else 10, 10)},
        height=None, width=None,
    )
    themed.update_geos(bgcolor="#ffffff")
    for trace in themed.data:
        if "textfont" in trace and trace.textfont.family:
            trace.textfont.family = PAPER_FONT
        if trace.type == "scattergeo" and trace.mode == "text":  # names on a map
            trace.textfont.size = _at_least(trace.textfont.size, font_size + 2)
        if "colorbar" in trace:
            trace.colorbar.tickfont = {"size": font_size - 1, "color": PAPER_INK}
            trace.colorbar.len = 0.5
            trace.colorbar.thickness = 12
    return themed
