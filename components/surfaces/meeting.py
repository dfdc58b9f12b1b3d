"""The meeting renderer: one slide (:class:`panels.meeting.Slide`) of a panel model, drawn on
the large screen's dark 1920×1080 canvas, big enough for a room.

Built from the screen's pieces (:mod:`components.surfaces.screen`): the same model, the same
figures restyled by :func:`components.theme.screen`, larger and with more rows.
"""

from __future__ import annotations

from collections.abc import Callable

from dash import html
from dash.development.base_component import Component

from components.surfaces import screen as pieces
from config.labels import LIGHTS
from panels.meeting import Slide
from panels.model import Column, PanelModel

Renderer = Callable[[Slide, PanelModel], Component]
RENDERERS: dict[str, Renderer] = {}


def renders(key: str) -> Callable[[Renderer], Renderer]:
    def register(fn: Renderer) -> Renderer:
        RENDERERS[key] = fn
        return fn
    return register


def render(slide: Slide, model: PanelModel) -> Component:
    return html.Div(RENDERERS.get(slide.key, generic)(slide, model),
                    className=f"ms-body ms-{slide.key}", **{"data-panel": slide.key})


def rows_of(slide: Slide, model: PanelModel) -> list[dict]:
    return model.rows[slice(*slide.rows)] if slide.rows else model.rows


def table(rows: list[dict], columns: list[Column]) -> html.Table:
    return html.Table(pieces.table(rows, columns, limit=len(rows)).children,
                      className="ss-table ms-table")


def rule(model: PanelModel) -> html.P | None:
    return html.P(model.rule, className="ms-rule") if model.rule else None


def generic(slide: Slide, model: PanelModel) -> list:
    children: list = []
    if model.stats:
        children.append(pieces.stats_row(model.stats))
    if model.figures:
        children.append(pieces.figure(model, next(iter(model.figures)), static=True))
    elif model.rows and model.columns:
        children.append(table(rows_of(slide, model), model.columns))
    elif model.empty:
        children.append(html.P(model.empty, className="ss-empty"))
    children.append(rule(model))
    return children


@renders("overview")
def overview(slide: Slide, model: PanelModel) -> list:
    """The headline figures, each with what it counts."""
    return [html.Div([html.Div([pieces.stat_chip(s, big=True),
                                html.P(s.note, className="ms-note") if s.note else None],
                               className="ms-tile") for s in model.stats],
                     className="ms-tiles")]


@renders("indicators")
def indicators(slide: Slide, model: PanelModel) -> list:
    """One system: every indicator's value, target, completion, 同比 and light."""
    group = next(g for g in model.groups if g.code == slide.group)
    rows = [r for r in model.rows if r["group"] == slide.group]
    shown = [{**r, "value_text": f"{r['value_text']} {r['unit']}".strip(),
              "target_text": r["target_text"] if r["applicable"] else r["scope_text"]}
             for r in rows]
    columns = [Column("name", "指标"), Column("value_text", "当前值", "number"),
               Column("target_text", "年度目标", "number"),
               Column("completion_text", "完成率", "number"),
               Column("yoy_text", "同比", "number"), Column("light", "亮灯", "light")]
    return [pieces.stats_row(group.stats), table(shown, columns), rule(model)]


@renders("red_lights")
def red_lights(slide: Slide, model: PanelModel) -> list:
    rows = rows_of(slide, model)
    if not rows:
        return [pieces.stats_row(model.stats), html.P(model.empty, className="ss-empty")]
    columns = [Column("name", "指标"), Column("light", model.region, "light"),
               Column("value_text", "当前值", "number"),
               Column("progress_text", "序时进度", "number"),
               Column("department", "责任单位"),
               Column("red_region_names", f"亮{LIGHTS['red'].symbol}红灯的地区")]
    return [pieces.stats_row(model.stats), table(rows, columns), rule(model)]


@renders("tasks")
def tasks(slide: Slide, model: PanelModel) -> list:
    columns = [Column("name", "任务"), Column("light", "状态", "light"),
               Column("progress_text", "进度", "number"), Column("due_text", "截止", "number"),
               Column("lead", "牵头单位")]
    rows = [{**r, "name": f"{r['code']} {r['name']}"} for r in model.rows]
    body = table(rows, columns) if rows else html.P(model.empty, className="ss-empty")
    return [pieces.stats_row(model.stats), body,
            html.P(model.note, className="ms-note") if model.note else None, rule(model)]


@renders("problems")
def problems(slide: Slide, model: PanelModel) -> list:
    columns = [Column("name", "清单"), Column("total", "问题数", "number"),
               Column("open", "未销号", "number"),
               Column("red", f"{LIGHTS['red'].symbol} 逾期", "number"),
               Column("yellow", f"{LIGHTS['yellow'].symbol} 黄灯", "number"),
               Column("green", f"{LIGHTS['green'].symbol} 绿灯", "number")]
    return [pieces.stats_row(model.stats), table(model.rows, columns), rule(model)]


@renders("risk")
def risk(slide: Slide, model: PanelModel) -> list:
    """The five-colour map, the counties per level, and the red and orange counties."""
    listed = model.rows[:8]
    side = [pieces.stats_row(model.stats),
            table(listed, [Column("level_word", "等级", "level"), Column("name", "县（市、区）"),
                           Column("city", "设区市"), Column("hazards", "灾种")])
            if listed else html.P(model.empty, className="ss-empty"),
            html.P(f"另有 {len(model.rows) - len(listed)} 个", className="ms-note")
            if len(model.rows) > len(listed) else None]
    return [html.Div([html.Div(pieces.figure(model, "map", static=True), className="ms-figure"),
                      html.Div(side, className="ms-side")], className="ms-split"),
            rule(model)]


@renders("map")
def region_map(slide: Slide, model: PanelModel) -> list:
    return [html.Div(pieces.figure(model, "map", static=True), className="ms-figure")]


@renders("ranking")
def ranking(slide: Slide, model: PanelModel) -> list:
    return [html.Div(pieces.figure(model, "ranking", static=True), className="ms-figure"),
            rule(model)]


@renders("directives")
def directives(slide: Slide, model: PanelModel) -> list:
    rows = rows_of(slide, model)
    columns = [Column("when", "时间", "number"), Column("kind_name", "类型"),
               Column("task", "任务"), Column("receiver", "接收单位"),
               Column("light", "办理情况", "light")]
    body = table(rows, columns) if rows else html.P(model.empty, className="ss-empty")
    return [pieces.stats_row(model.stats), body, rule(model)]
