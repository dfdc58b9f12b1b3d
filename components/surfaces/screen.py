"""The large screen's renderer: a panel model as the dark 1920×1080 canvas draws it.

``render(model)`` picks the renderer registered for the model's key and falls back on
:func:`generic`. Every panel here is drawn from the very model the desk draws
(:mod:`components.surfaces.desk`); only the look differs: big figures, few rows, no text under
18 px on the canvas, figures restyled by :func:`components.theme.screen`. The meeting slides
(:mod:`components.surfaces.meeting`) use the same pieces at slide size.
"""

from __future__ import annotations

from collections.abc import Callable

from dash import html
from dash.development.base_component import Component

from components import theme
from components.badges import level_chip, light_badge
from components.graph import graph
from config.labels import LIGHTS, light_style
from panels.model import Column, PanelModel, Stat

Renderer = Callable[[PanelModel], Component]
RENDERERS: dict[str, Renderer] = {}
#: The id of the screen's map, whose click (or tap) drills down.
MAP_ID = "screen-map"
#: Rows a side panel shows at most (the slot is about 460 × 470 px of the canvas).
SIDE_ROWS = 7


def renders(key: str) -> Callable[[Renderer], Renderer]:
    def register(fn: Renderer) -> Renderer:
        RENDERERS[key] = fn
        return fn
    return register


def render(model: PanelModel) -> Component:
    """The screen's drawing of ``model`` (a panel's body, under its frame's title)."""
    return RENDERERS.get(model.key, generic)(model)


def heading(model: PanelModel, *, text: str | None = None) -> html.Header:
    """The panel's title and what region and period it shows."""
    return html.Header([html.H2(text or model.title, className="sp-title"),
                        html.Span(model.subtitle, className="sp-sub")], className="sp-head")


def stat_chip(stat: Stat, *, big: bool = False) -> html.Div:
    """A count with its label, in its light's or level's colour (and its symbol or word)."""
    if stat.colour:
        label = level_chip(stat.label, stat.colour)
    elif stat.light:
        label = light_badge(stat.light, stat.label)
    else:
        label = html.Span(stat.label, className="ss-label")
    return html.Div([label, html.Span([html.Span(stat.text, className="ss-number"),
                                       html.Span(stat.unit, className="ss-unit")],
                                      className="ss-value")],
                    className="ss-stat" + (" is-big" if big else ""),
                    title=stat.note or None, **{"data-code": stat.code})


def stats_row(stats: list[Stat] | tuple[Stat, ...]) -> html.Div:
    return html.Div([stat_chip(s) for s in stats], className="ss-stats")


def cell(row: dict, column: Column) -> html.Td:
    value = row.get(column.field)
    if column.kind == "light":
        code = row.get("light", "none")
        return html.Td(light_badge(code, row.get("light_word") or light_style(code).word))
    if column.kind == "level" and row.get("colour"):
        return html.Td(level_chip(str(value), row["colour"]))
    if column.kind == "number":
        text = "—" if value is None else f"{value:,}" if isinstance(value, int) else str(value)
        return html.Td(text, className="num")
    return html.Td("—" if value in (None, "") else str(value))


def table(rows: list[dict], columns: list[Column], *, limit: int = SIDE_ROWS,
          widths: tuple[str, ...] | None = None) -> html.Table:
    """Rows in a fixed layout: the first column takes half the slot unless ``widths`` (one
    per column) say otherwise."""
    heads = [html.Th(c.header, scope="col", style={"width": widths[i]} if widths else None)
             for i, c in enumerate(columns)]
    return html.Table([
        html.Thead(html.Tr(heads)),
        html.Tbody([html.Tr([cell(r, c) for c in columns]) for r in rows[:limit]]),
    ], className="ss-table")


def more_line(model: PanelModel, shown: int) -> html.P | None:
    hidden = len(model.rows) - shown
    return html.P(f"另有 {hidden} 项", className="ss-more") if hidden > 0 else None


def figure(model: PanelModel, name: str, *, graph_id: str | None = None,
           static: bool = False) -> Component:
    return graph(theme.screen(model.figures[name]), graph_id=graph_id, static=static,
                 class_name="ss-graph")


def body(model: PanelModel, children: list) -> html.Div:
    return html.Div([heading(model), html.Div(children, className="sp-body")],
                    className=f"sp sp-{model.key}", **{"data-panel": model.key})


def generic(model: PanelModel) -> html.Div:
    """Any panel: counts, its first figure, or its first rows."""
    children: list = []
    if model.stats:
        children.append(stats_row(model.stats[:4]))
    if model.figures:
        children.append(figure(model, next(iter(model.figures)), static=True))
    elif model.rows and model.columns:
        children.append(table(model.rows, model.columns[:4]))
        children.append(more_line(model, SIDE_ROWS))
    elif model.empty:
        children.append(html.P(model.empty, className="ss-empty"))
    return body(model, children)


# --- the centre: headline figures and the map ----------------------------------------------------

@renders("overview")
def overview(model: PanelModel) -> html.Div:
    """The headline figures, big."""
    return html.Div([stat_chip(s, big=True) for s in model.stats],
                    className="sp sp-overview", **{"data-panel": "overview"})


@renders("map")
def region_map(model: PanelModel) -> html.Div:
    """The child-region map of the chosen indicator; a click or a tap drills down."""
    return html.Div([
        html.Header([html.H2(model.title, className="sp-title"),
                     html.Span(f"{model.region} · {model.period} · {model.extra['unit']}",
                               className="sp-sub")], className="sp-head"),
        html.Div(figure(model, "map", graph_id=MAP_ID), className="sp-map-box"),
        html.P("点击或轻触地区可下钻", className="sp-hint"),
    ], className="sp sp-map", **{"data-panel": "map"})


# --- the side panels ------------------------------------------------------------------------------

def light_counts(stats: tuple[Stat, ...] | list[Stat]) -> html.Span:
    return html.Span([html.Span([html.Span(LIGHTS[s.code].symbol, className="sym"), s.text],
                                className=f"lc lc-{s.code}", title=s.label)
                      for s in stats], className="lcs")


@renders("indicators")
def indicators(model: PanelModel) -> html.Div:
    """Each system with its lights counted, and its red indicators named."""
    lines = []
    for group in model.groups:
        red = [r["name"] for r in model.rows if r["group"] == group.code and r["light"] == "red"]
        lines.append(html.Li([
            html.Div([html.Span(group.name, className="sg-name"), light_counts(group.stats)],
                     className="sg-line"),
            html.Div(f"红灯：{'、'.join(red)}", className="sg-red") if red else None,
        ], className="sg", **{"data-system": group.code}))
    return body(model, [stats_row(model.stats), html.Ul(lines, className="sg-list")])


@renders("ranking")
def ranking(model: PanelModel) -> html.Div:
    if not model.figures:
        return generic(model)
    return body(model, [figure(model, "ranking", static=True)])


@renders("trend")
def trend(model: PanelModel) -> html.Div:
    return body(model, [figure(model, "trend", static=True)])


@renders("risk")
def risk(model: PanelModel) -> html.Div:
    """The small five-colour map beside the counties per level."""
    legend = html.Ul([html.Li([html.Span(className="swatch", style={"backgroundColor": s.colour}),
                               html.Span(s.label), html.Span(s.text, className="num")],
                              className="rl" + (" is-empty" if not s.value else ""))
                      for s in model.stats], className="rl-list")
    return body(model, [html.Div([figure(model, "map", static=True), legend],
                                 className="sp-risk-body")])


@renders("problems")
def problems(model: PanelModel) -> html.Div:
    """The rates, then each list's open and overdue problems."""
    stats = {s.code: s for s in model.stats}
    head = [stats[k] for k in ("open", "red", "rectification_rate") if k in stats]
    columns = [Column("name", "清单"), Column("open", "未销号", "number"),
               Column("red", f"{LIGHTS['red'].symbol}逾期", "number")]
    return body(model, [stats_row(head), table(model.rows, columns, limit=7)])


@renders("tasks")
def tasks(model: PanelModel) -> html.Div:
    """Counts by status, then the overdue and at-risk tasks."""
    columns = [Column("name", "任务"), Column("light", "状态", "light"),
               Column("progress_text", "进度", "number")]
    rest = (table(model.rows, columns, limit=5) if model.rows
            else html.P(model.empty, className="ss-empty"))
    return body(model, [stats_row(model.stats), rest])


@renders("directives")
def directives(model: PanelModel) -> html.Div:
    columns = [Column("when", "时间"), Column("receiver", "接收单位"),
               Column("light", "办理", "light")]
    rest = (table(model.rows, columns, limit=6, widths=("27%", "39%", "34%")) if model.rows
            else html.P(model.empty, className="ss-empty"))
    return body(model, [stats_row(model.stats), rest])


@renders("appeals")
def appeals(model: PanelModel) -> html.Div:
    """Received and satisfaction, then the hot list: a narrow rank, the category wide."""
    columns = model.columns[:4]
    rest = ([table(model.rows, columns, limit=5, widths=("13%", "43%", "22%", "22%"))]
            if model.rows else [html.P(model.empty, className="ss-empty")])
    return body(model, [stats_row(model.stats[:4]), *rest])


@renders("red_lights")
def red_lights(model: PanelModel) -> html.Div:
    columns = [Column("name", "指标"), Column("light", "本级", "light"),
               Column("red_regions", "红灯地区", "number")]
    rest = ([table(model.rows, columns, limit=6), more_line(model, 6)] if model.rows
            else [html.P(model.empty, className="ss-empty")])
    return body(model, [stats_row(model.stats), *rest])
