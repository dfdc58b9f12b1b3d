"""The desk renderer: a panel model as the region cockpit draws it (light theme, cards, links).

``render(model, prefix=…)`` picks the renderer registered for the model's key and falls back on
:func:`generic`, which draws any model (title, figures, counts, table, note, link, rule). Chart
ids are ``<prefix>-<key>`` for a panel's main figure (``region-map``) and
``<prefix>-<key>-<figure>`` for the others (``region-risk-map``), so that a page's callbacks can
listen to them.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import plotly.graph_objects as go
from dash import dcc, html
from dash.development.base_component import Component

from components import theme
from components.badges import level_chip, light_badge
from components.graph import graph
from config.labels import DERIVED_MARK, LIGHTS, light_style
from panels.model import Column, PanelModel, Stat

Renderer = Callable[[PanelModel, str], Component]
RENDERERS: dict[str, Renderer] = {}


def renders(key: str) -> Callable[[Renderer], Renderer]:
    def register(fn: Renderer) -> Renderer:
        RENDERERS[key] = fn
        return fn
    return register


def render(model: PanelModel, *, prefix: str = "region") -> Component:
    """The desk's drawing of ``model``."""
    return RENDERERS.get(model.key, generic)(model, prefix)


def figure_id(model: PanelModel, name: str, prefix: str) -> str:
    main = next(iter(model.figures), None)
    return f"{prefix}-{model.key}" if name == main else f"{prefix}-{model.key}-{name}"


def title(model: PanelModel, *, text: str | None = None) -> html.H3:
    return html.H3([text or model.title, html.Span(model.subtitle, className="panel-sub")],
                   className="panel-title")


def stat_badge(stat: Stat) -> html.Span:
    """A count with its label, coloured by its light or level."""
    if stat.colour:
        chip = level_chip(stat.label, stat.colour)
    elif stat.light:
        chip = light_badge(stat.light, stat.label)
    else:
        chip = html.Span(stat.label, className="stat-label")
    body = [chip, html.Span(stat.text, className="stat-number"),
            html.Span(stat.unit, className="stat-unit")]
    if stat.href:
        return dcc.Link(body, href=stat.href, className="stat", title=stat.note or None)
    return html.Span(body, className="stat", title=stat.note or None)


def cell(row: dict, column: Column) -> html.Td | html.Th:
    value = row.get(column.field)
    if column.kind == "light":
        code = row.get("light", "none")
        return html.Td(light_badge(code, row.get("light_word") or light_style(code).word))
    if column.kind == "level" and row.get("colour"):
        return html.Td(level_chip(str(value), row["colour"]))
    if column.kind == "link" and row.get("href"):
        return html.Th(dcc.Link(str(value), href=row["href"]), scope="row")
    if column.kind == "number":
        return html.Td("—" if value is None else f"{value:,}" if isinstance(value, int)
                       else str(value), className="num")
    return html.Td("—" if value in (None, "") else str(value))


def table(model: PanelModel, *, class_name: str = "panel-table") -> html.Table:
    head = html.Thead(html.Tr([html.Th(c.header, scope="col") for c in model.columns]))
    body = html.Tbody([html.Tr([cell(row, c) for c in model.columns]) for row in model.rows])
    return html.Table([head, body], className=class_name)


def section(model: PanelModel, children: list, *, class_name: str) -> html.Section:
    return html.Section(children, className=f"card topic-panel {class_name}",
                        **{"aria-label": model.title, "data-panel": model.key})


def generic(model: PanelModel, prefix: str) -> html.Section:
    """Any panel: title, figures, counts, table (or the empty message), note, link, rule."""
    children: list = [title(model)]
    for name, figure in model.figures.items():
        children.append(graph(theme.desk(figure), graph_id=figure_id(model, name, prefix)))
    if model.stats:
        children.append(html.Div([stat_badge(s) for s in model.stats], className="stat-row"))
    if model.rows and model.columns:
        children.append(table(model))
    elif model.empty and not model.figures:
        children.append(html.P(model.empty, className="muted"))
    if model.note:
        children.append(html.P(model.note, className="muted"))
    if model.link:
        children.append(dcc.Link(model.link.text, href=model.link.href, className="panel-more"))
    if model.rule:
        children.append(html.P(model.rule, className="panel-rule"))
    return section(model, children, class_name=f"{model.key}-panel")


# --- the cockpit's own panels ------------------------------------------------------------------

def kpi_card(row: dict) -> dcc.Link:
    target = ([html.Span(row["scope_text"], className="kpi-target")] if not row["applicable"]
              else [html.Span(f"目标 {row['target_text']}", className="kpi-target")])
    if row["applicable"] and row["derived"]:
        target.append(html.Span(DERIVED_MARK, className="derived-mark",
                                title=row["derived_basis"] or DERIVED_MARK))
    value = [html.Span(row["value_text"], className="kpi-number"),
             html.Span(row["unit"], className="kpi-unit")]
    if row["as_of_text"]:
        value.append(html.Span(row["as_of_text"], className="kpi-as-of"))
    return dcc.Link(
        [
            html.Div(row["name"], className="kpi-name"),
            # The light keeps one place on every card: at the end of the value's line.
            html.Div([html.Span(value, className="kpi-figure"),
                      light_badge(row["light"], row["light_word"])], className="kpi-value"),
            html.Div(html.Span(target), className="kpi-meta"),
            html.Div([html.Span(f"完成率 {row['completion_text']}"),
                      html.Span(f"同比 {row['yoy_text']}")], className="kpi-meta"),
        ],
        href=row["href"], title=row["story"],
        className="kpi-card" + (" is-selected" if row["selected"] else "")
        + ("" if row["applicable"] else " is-not-applicable"),
    )


def not_applicable_line(rows: list[dict]) -> html.P:
    """Indicators the region's level does not count, named in one quiet line (不适用) —
    each still a link, so its map of the levels that count it is one click away."""
    links: list = []
    for row in rows:
        if links:
            links.append("、")
        links.append(dcc.Link(row["name"], href=row["href"], title=row["story"],
                              className="na-link" + (" is-selected" if row["selected"]
                                                     else "")))
    return html.P([html.Span(f"{LIGHTS['na'].symbol} 本级{LIGHTS['na'].word}：",
                             className="na-label"), *links], className="kpi-not-applicable")


def light_summary(stats: tuple[Stat, ...] | list[Stat]) -> str:
    return " ".join(f"{LIGHTS[s.code].symbol}{s.label}{s.text}" for s in stats if s.value)


@renders("indicators")
def indicators(model: PanelModel, prefix: str) -> html.Div:
    """KPI cards grouped by system (跑道), with each system's lights counted; indicators the
    region's level does not count are named in one line under their system's cards."""
    groups = []
    for group in model.groups:
        rows = [r for r in model.rows if r["group"] == group.code]
        counted = [r for r in rows if r["applicable"]]
        elsewhere = [r for r in rows if not r["applicable"]]
        # A system's box grows with its cards, so that a row holds boxes of like fill
        # (数字政府's 3 cards do not sit beside 数字经济's 7 in two equal halves).
        cards = max(len(counted), 1)
        groups.append(html.Section(
            [html.H3([group.name, html.Span(light_summary(group.stats),
                                            className="system-summary")],
                     className="system-title"),
             html.Div([kpi_card(r) for r in counted], className="kpi-grid") if counted
             else None,
             not_applicable_line(elsewhere) if elsewhere else None],
            className="system-group", style={"flexGrow": cards,
                                              "flexBasis": f"{min(cards, 4) * 186 + 26}px"},
            **{"data-system": group.code}))
    return html.Div(groups, className="kpi-panel")


def titled_graph(figure: go.Figure, *, graph_id: str, class_name: str | None = None,
                 top: int = 8) -> list:
    """A chart whose title is the card's heading: a heading wraps on a narrow screen where a
    chart's own title is cut off (and the chart's toolbar no longer covers it)."""
    text = re.sub(r"<[^>]+>", "", str(figure.layout.title.text or ""))
    if not text:
        return [graph(theme.desk(figure), graph_id=graph_id, class_name=class_name)]
    bare = go.Figure(figure)
    bare.update_layout(title={"text": ""}, margin={"t": top})
    return [html.H3(text, className="panel-title chart-title"),
            graph(theme.desk(bare), graph_id=graph_id, class_name=class_name)]


@renders("map")
def region_map(model: PanelModel, prefix: str) -> html.Section:
    return html.Section(
        titled_graph(model.figures["map"], graph_id=f"{prefix}-map", class_name="map-graph"),
        className="card map-card", **{"aria-label": "地图", "data-panel": "map"})


#: Said under the ranking: its bars are coloured by each region's own light, not by rank.
RANKING_COLOURS = ("条形按数值排序；颜色是各地对照自身目标的亮灯，与名次无关"
                   "（排名靠前的地区也可能未达到自己的目标）。")


@renders("ranking")
def ranking(model: PanelModel, prefix: str) -> html.Section:
    return html.Section(
        [*titled_graph(model.figures["ranking"], graph_id=f"{prefix}-ranking"),
         html.P(RANKING_COLOURS, className="panel-rule") if model.rows else None],
        className="card ranking-card", **{"aria-label": "排名", "data-panel": "ranking"})


@renders("trend")
def trend(model: PanelModel, prefix: str) -> html.Section:
    return html.Section(
        [*titled_graph(model.figures["trend"], graph_id=f"{prefix}-trend", top=30),
         html.P(model.rule, className="panel-rule") if model.rule else None],
        className="card trend-card", **{"aria-label": "趋势", "data-panel": "trend"})


def risk_legend(stats: list[Stat]) -> html.Ul:
    """Every level in its fixed colour, highest risk first, with its count of counties."""
    return html.Ul([
        html.Li([html.Span(className="swatch", style={"backgroundColor": s.colour},
                           **{"aria-hidden": "true"}),
                 html.Span(s.label, className="legend-name"),
                 html.Span(s.text, className="legend-count"),
                 html.Span(s.unit, className="legend-unit")],
                className="legend-item" + (" is-empty" if not s.value else ""),
                **{"data-level": s.code})
        for s in stats], className="risk-legend", **{"aria-label": "风险等级图例"})


@renders("risk")
def risk(model: PanelModel, prefix: str) -> html.Section:
    """A small five-colour map with the counties per level."""
    return section(model, [
        html.H3([f"{model.title} · {model.region}",
                 html.Span(model.period, className="panel-sub")], className="panel-title"),
        html.Div([graph(theme.desk(model.figures["map"]), graph_id=f"{prefix}-risk-map",
                        static=True),
                  risk_legend(model.stats)], className="risk-panel-body"),
        dcc.Link(model.link.text, href=model.link.href, className="chip-link"),
    ], class_name="risk-panel")


@renders("problems")
def problems(model: PanelModel, prefix: str) -> html.Section:
    """Per list: problems, open, and counts by light, with totals; links to each list."""
    head = html.Thead(html.Tr([
        html.Th("清单", scope="col"), html.Th("问题数", scope="col"),
        html.Th("未销号", scope="col"),
        *[html.Th([html.Span(LIGHTS[k].symbol, className=f"sym-{k}", **{"aria-hidden": "true"}),
                   f" {w}"], scope="col")
          for k, w in (("red", "逾期"), ("yellow", "黄灯"), ("green", "绿灯"))],
    ]))
    body = html.Tbody([
        html.Tr([html.Th(dcc.Link(r["name"], href=r["href"]), scope="row"),
                 html.Td(f"{r['total']:,}"), html.Td(f"{r['open']:,}"),
                 html.Td(f"{r['red']:,}", className="cell-red" if r["red"] else None),
                 html.Td(f"{r['yellow']:,}"), html.Td(f"{r['green']:,}")])
        for r in model.rows])
    totals = {s.code: s.text for s in model.stats}
    foot = html.Tfoot(html.Tr([html.Th("合计", scope="row"),
                               *[html.Td(totals[k]) for k in ("total", "open", "red", "yellow",
                                                              "green")]]))
    return section(model, [
        html.H3(f"{model.title} · {model.region} · {model.period}", className="panel-title"),
        html.Table([head, body, foot], className="pb-table pb-panel-table", title=model.rule),
        dcc.Link(model.link.text, href=model.link.href, className="pb-panel-link"),
    ], class_name="problems-panel")


@renders("tasks")
def tasks(model: PanelModel, prefix: str) -> html.Section:
    """Counts by status and the tasks that need attention first, each linking to its page."""
    counts = [html.Li([light_badge(s.light or "none", s.label, title=model.rule,
                                   class_name="task-status-badge"),
                       html.Span(s.text, className="task-count-number")],
                      className="task-count", **{"data-status": s.code})
              for s in model.stats]
    if model.rows:
        lines = [html.Li([
            dcc.Link(f"{r['code']} {r['name']}", href=r["href"], className="task-link"),
            html.Span([light_badge(r["light"], r["light_word"], title=model.rule,
                                   class_name="task-status-badge"),
                       html.Span(f" 进度 {r['progress_text']} · 截止 {r['due_text']}",
                                 className="muted")], className="task-line-meta"),
        ], className="task-line", **{"data-status": r["status"]}) for r in model.rows]
    else:
        lines = [html.Li(model.empty, className="muted")]
    return section(model, [
        html.H3([f"{model.title} · {model.region}",
                 html.Span(model.period, className="heading-sub")], className="panel-title"),
        html.Ul(counts, className="task-counts"),
        html.H4("逾期和风险任务", className="panel-subtitle"),
        html.Ul(lines, className="task-lines"),
        dcc.Link(model.link.text, href=model.link.href, className="panel-more"),
    ], class_name="task-panel")


@renders("race")
def race(model: PanelModel, prefix: str) -> html.Section:
    """The horse-race board on the cockpit: how many regions are on each list and the board
    as a table (the bars are on ``/rankings``)."""
    return section(model, [
        title(model),
        html.Div([stat_badge(s) for s in model.stats], className="stat-row"),
        table(model),
        dcc.Link(model.link.text, href=model.link.href, className="panel-more"),
        html.P(model.rule, className="panel-rule"),
    ], class_name="race-panel")
