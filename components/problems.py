"""Builders of the problem pages and the cockpit's problem panel: data in, components,
figures or export files out. No SQL; the rules (stages, lights, rates) come from
:mod:`data.problems_rules`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import dash_ag_grid as dag
import pandas as pd
import plotly.graph_objects as go
from dash import dcc, html

from components import format as fmt
from components.charts import empty_figure, finish_map, region_names
from components.export import Column as ExportColumn
from components.grid import column_defaults, grid_locale
from config.labels import FONT_FAMILY, LIGHTS, NO_DATA_COLOUR
from data import problems_rules as rules

#: Fills of the stages in charts (blue for the open stages, from light to dark; closed green).
STAGE_COLOURS = {
    "found": "#b9d4f0", "assigned": "#7fb0e0", "rectifying": "#3f83c7", "awaiting": "#1b5aa0",
    "closed": LIGHTS["green"].colour,
}
#: Sequential fills of the open-problems map (light to dark orange-red).
DENSITY_COLOURS = ["#fff4e6", "#fdd8a8", "#fbb26a", "#f0803c", "#d4512a", "#a4281d"]

#: Columns of the table and of the exports: (field, Chinese header).
EXPORT_COLUMNS = tuple(
    ExportColumn(field, header, 40 if header == "问题" else max(10, len(header) * 2 + 2))
    for field, header in (
        ("code", "编号"), ("list_name", "清单"), ("city_name", "设区市"),
        ("region_name", "县（市、区）"),
        ("title", "问题"), ("category", "问题类别"), ("department_name", "责任部门"),
        ("severity_name", "严重程度"), ("found_on", "发现日期"), ("deadline", "整改时限"),
        ("stage_name", "当前阶段"), ("assigned_on", "交办日期"), ("rectifying_on", "整改开始日期"),
        ("awaiting_on", "申请验收日期"), ("closed_on", "销号日期"), ("light_word", "亮灯"),
        ("light_reason_word", "亮灯原因"), ("days_left", "距时限天数"),
    ))


def light_word(light: str) -> str:
    return rules.LIGHT_WORDS.get(light, "—")


def light_badge(light: str, word: str | None = None) -> html.Span:
    """A light as a coloured badge with its symbol and word (never colour alone)."""
    spec = LIGHTS.get(light, LIGHTS["none"])
    return html.Span(
        [html.Span(spec.symbol, className="light-symbol", **{"aria-hidden": "true"}),
         word or light_word(light)],
        className=f"light problem-light light-{light}",
        style={"background": spec.colour, "color": spec.ink},
    )


def _base_layout(**extra) -> dict:
    return {
        "font": {"family": FONT_FAMILY, "size": 13, "color": "#1f2933"},
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
        "hoverlabel": {"font": {"family": FONT_FAMILY, "size": 13}, "align": "left"},
        **extra,
    }


# --- summary -----------------------------------------------------------------------------

def summary_cards(rates: dict) -> html.Div:
    """The closed loop's figures: count, closed, rectification and on-time rates, average
    days to close, and the problems by light."""
    def card(label: str, value: str, note: str, *, title: str, light: str | None = None):
        mark = [light_badge(light, rules.LIGHT_WORDS[light])] if light else []
        return html.Div(
            [html.Div([label, *mark], className="pb-card-label"),
             html.Div(value, className="pb-card-value"),
             html.Div(note, className="pb-card-note")],
            className="pb-card", title=title,
        )

    days = rates["average_days_to_close"]
    return html.Div(
        [
            card("问题总数", fmt.number(rates["total"], 0), f"未销号 {rates['open']:,} 个",
                 title="符合筛选条件的问题数"),
            card("整改率", fmt.percent(rates["rectification_rate"]),
                 f"已销号 {rates['closed']:,} / {rates['total']:,}", title=rules.RATE_RULE_TEXT),
            card("按期销号率", fmt.percent(rates["on_time_rate"]),
                 f"按期 {rates['closed_on_time']:,} / 应销号 {rates['due']:,}",
                 title=rules.RATE_RULE_TEXT),
            card("平均销号天数", "—" if days is None else f"{days:.1f} 天", "从发现到销号",
                 title=rules.RATE_RULE_TEXT),
            card("逾期未销号", fmt.number(rates["red"], 0), "超过整改时限仍未销号",
                 title=rules.LIGHT_RULE_TEXT, light="red"),
            card("黄灯", fmt.number(rates["yellow"], 0), "临期或逾期销号",
                 title=rules.LIGHT_RULE_TEXT, light="yellow"),
            card("绿灯", fmt.number(rates["green"], 0), "正常推进或按期销号",
                 title=rules.LIGHT_RULE_TEXT, light="green"),
        ],
        className="pb-cards",
    )


def stage_funnel(funnel: pd.DataFrame, *, title: str) -> go.Figure:
    """Problems that reached each stage of the closed loop (发现 → … → 已销号)."""
    if funnel["reached"].sum() == 0:
        return empty_figure("没有符合条件的问题")
    figure = go.Figure(go.Funnel(
        y=funnel["stage_name"], x=funnel["reached"],
        customdata=funnel[["current"]].to_numpy(),
        marker={"color": [STAGE_COLOURS[s] for s in funnel["stage"]]},
        texttemplate="%{value:,}<br>%{percentInitial:.0%}", textfont={"family": FONT_FAMILY},
        hovertemplate="%{y}：累计到达 %{x:,} 个（占发现的 %{percentInitial:.1%}）<br>"
                      "目前处于该阶段 %{customdata[0]:,} 个<extra></extra>",
        connector={"line": {"color": "#dde3ea"}},
    ))
    figure.update_layout(**_base_layout(
        title={"text": title, "font": {"size": 14}, "x": 0.01, "y": 0.97},
        margin={"l": 70, "r": 20, "t": 40, "b": 10}, height=300,
    ))
    return figure


def stage_bars(frame: pd.DataFrame, lists: pd.DataFrame, *, title: str) -> go.Figure:
    """For each list, its problems stacked by current stage."""
    if frame.empty:
        return empty_figure("没有符合条件的问题")
    counts = (frame.groupby(["list_code", "stage"]).size().unstack(fill_value=0)
              .reindex(index=list(lists["code"]), columns=list(rules.STAGES), fill_value=0))
    names = dict(zip(lists["code"], lists["name"], strict=True))
    order = list(reversed(counts.index))  # first list on top
    figure = go.Figure([
        go.Bar(
            y=[names[c] for c in order], x=[int(counts.at[c, stage]) for c in order],
            name=rules.STAGE_NAMES[stage], orientation="h",
            marker={"color": STAGE_COLOURS[stage]},
            hovertemplate=f"%{{y}} · {rules.STAGE_NAMES[stage]}：%{{x:,}} 个<extra></extra>",
        )
        for stage in rules.STAGES
    ])
    figure.update_layout(**_base_layout(
        barmode="stack",
        title={"text": title, "font": {"size": 14}, "x": 0.01, "y": 0.97},
        legend={"orientation": "h", "y": 1.0, "x": 1, "xanchor": "right", "yanchor": "bottom",
                "traceorder": "normal"},
        margin={"l": 10, "r": 20, "t": 60, "b": 30}, height=300,
        xaxis={"gridcolor": "#e5e7eb", "fixedrange": True, "title": {"text": "个"}},
        yaxis={"automargin": True, "fixedrange": True},
    ))
    return figure


# --- by region -----------------------------------------------------------------------------

def density(breakdown: pd.DataFrame) -> tuple[pd.Series, str]:
    """Open problems per resident at a base where they read as whole-ish numbers (per 10,000,
    100,000 or 1,000,000 residents: :func:`components.format.density_base`), and its words."""
    per_10k = breakdown["open_per_10k"].astype(float)
    base, words = fmt.density_base(tuple(per_10k / 10_000))
    return per_10k * base / 10_000, words


def _region_hover(row: pd.Series, words: str) -> str:
    if pd.isna(row["total"]):
        return f"<b>{row['name']}</b><br>无数据"
    return (
        f"<b>{row['name']}</b><br>"
        f"未销号问题：{int(row['open']):,} 个　{words}：{fmt.number(row['density'], 1)}<br>"
        f"问题总数：{int(row['total']):,}　已销号：{int(row['closed']):,}<br>"
        f"{LIGHTS['red'].symbol} 逾期 {int(row['red'])}　{LIGHTS['yellow'].symbol} 黄灯 "
        f"{int(row['yellow'])}　{LIGHTS['green'].symbol} 绿灯 {int(row['green'])}<br>"
        f"<i>点击进入</i>"
    )


def problem_map(breakdown: pd.DataFrame, geojson: dict, *, title: str) -> go.Figure:
    """A choropleth of open problems per resident of the compared regions (at the base of
    :func:`density`)."""
    data = breakdown.copy()
    if data.empty:
        return empty_figure("暂无可显示的地区")
    data["density"], words = density(data)
    data["hover"] = [_region_hover(row, words) for _, row in data.iterrows()]
    has = data["density"].notna()
    scale = [[i / (len(DENSITY_COLOURS) - 1), c] for i, c in enumerate(DENSITY_COLOURS)]
    traces = [go.Choropleth(
        geojson=geojson, featureidkey="properties.adcode",
        locations=data.loc[has, "adcode"], z=data.loc[has, "density"].astype(float),
        zmin=0, customdata=data.loc[has, ["adcode"]].to_numpy(),
        text=data.loc[has, "hover"], hovertemplate="%{text}<extra></extra>",
        colorscale=scale,
        marker={"line": {"color": ["#1f2933" if c else "#ffffff"
                                   for c in data.loc[has, "is_current"]],
                         "width": [2.5 if c else 0.8 for c in data.loc[has, "is_current"]]}},
        colorbar={"thickness": 10, "len": 0.6, "x": 0.98, "outlinewidth": 0,
                  "title": {"text": f"{words}<br>未销号问题", "font": {"size": 11}},
                  "tickfont": {"size": 11}},
        name="",
    )]
    if (~has).any():
        traces.append(go.Choropleth(
            geojson=geojson, featureidkey="properties.adcode",
            locations=data.loc[~has, "adcode"], z=[0] * int((~has).sum()),
            customdata=data.loc[~has, ["adcode"]].to_numpy(),
            text=data.loc[~has, "hover"], hovertemplate="%{text}<extra></extra>",
            colorscale=[[0, NO_DATA_COLOUR], [1, NO_DATA_COLOUR]], showscale=False,
            marker={"line": {"color": "#ffffff", "width": 0.8}}, name="",
        ))
    values = data["density"].astype(float)
    top = values.max() if values.notna().any() else 0
    dark = (values / (top or 1.0)) > 0.6
    traces.append(region_names(data, colours=["#ffffff" if d else "#1f2933" for d in dark]))
    return finish_map(go.Figure(traces), title=title)


def _count(value: object) -> str:
    return "—" if pd.isna(value) else f"{int(value):,}"


def region_table(breakdown: pd.DataFrame, *, href_for: Callable[[str], str],
                 caption: str) -> html.Table:
    """Compared regions with their counts by light, worst first; names link to the
    region's problems."""
    data = breakdown.sort_values(["red", "open", "name"], ascending=[False, False, True])
    data = data.assign(density=density(data)[0])
    words = density(breakdown)[1]
    head = html.Thead(html.Tr([
        html.Th("地区", scope="col"), html.Th("问题数", scope="col"),
        html.Th("未销号", scope="col"), html.Th(words, scope="col"),
        *[html.Th([html.Span(LIGHTS[k].symbol, className=f"sym-{k}",
                             **{"aria-hidden": "true"}), f" {w}"], scope="col")
          for k, w in (("red", "逾期"), ("yellow", "黄灯"), ("green", "绿灯"))],
        html.Th("整改率", scope="col"),
    ]))
    rows = [
        html.Tr([
            html.Th(dcc.Link(r["name"], href=href_for(r["adcode"])), scope="row",
                    className="is-current" if r["is_current"] else None),
            html.Td(_count(r["total"])), html.Td(_count(r["open"])),
            html.Td(fmt.number(r["density"], 1)),
            html.Td(_count(r["red"]), className="cell-red" if r["red"] else None),
            html.Td(_count(r["yellow"])), html.Td(_count(r["green"])),
            html.Td(fmt.percent(r["rectification_rate"])),
        ], **{"data-adcode": r["adcode"]})
        for _, r in data.iterrows()
    ]
    return html.Table([html.Caption(caption), head, html.Tbody(rows)],
                      className="pb-table pb-region-table")


def common_problems_table(common: pd.DataFrame, *, caption: str,
                          href_for: Callable[[str, str], str]) -> html.Table | html.P:
    """Common problems ranked by the number of counties where they are open at once."""
    if common.empty:
        return html.P("没有符合条件的问题。", className="pb-empty")
    head = html.Thead(html.Tr([html.Th(h, scope="col") for h in (
        "排名", "问题类别", "清单", "现存问题涉及县（市、区）", "累计涉及县（市、区）",
        "涉及设区市", "问题数", "未销号", "逾期", "主要地区")]))
    rows = []
    for rank, r in enumerate(common.itertuples(index=False), start=1):
        share = max(0.0, min(100.0, float(r.region_share)))
        rows.append(html.Tr([
            html.Td(str(rank)),
            html.Th(dcc.Link(r.category, href=href_for(r.list_code, r.category)), scope="row"),
            html.Td(r.list_name),
            html.Td(html.Div([
                html.Span(className="pb-share-bar", style={"width": f"{share:.0f}%"}),
                html.Span(f"{r.open_regions} 个（{share:.0f}%）", className="pb-share-text"),
            ], className="pb-share", title="目前有未销号的该类问题的县（市、区）数及占比")),
            html.Td(str(r.regions)), html.Td(str(r.cities)), html.Td(f"{r.problems:,}"),
            html.Td(f"{r.open:,}"),
            html.Td(f"{r.red:,}", className="cell-red" if r.red else None),
            html.Td(r.region_names, className="pb-regions"),
        ]))
    return html.Table([html.Caption(caption), head, html.Tbody(rows)],
                      className="pb-table pb-common-table")


# --- the table of problems and its exports ---------------------------------------------------

def _is_date(value: object) -> bool:
    return isinstance(value, date) and not pd.isna(value)


def _date_text(value: object) -> str:
    return value.isoformat()[:10] if _is_date(value) else ""


def grid_rows(frame: pd.DataFrame) -> list[dict]:
    """Rows of the problem table (plain strings and numbers)."""
    rows = []
    for r in frame.itertuples(index=False):
        spec = LIGHTS[r.light]
        rows.append({
            "id": int(r.id),
            "code": f"[{r.code}](/problems/{int(r.id)})",
            "list_name": r.list_name,
            "region": f"{r.city_name} · {r.region_name}" if isinstance(r.city_name, str)
            else r.region_name,
            "title": r.title, "category": r.category, "department_name": r.department_name,
            "severity_name": r.severity_name,
            "found_on": _date_text(r.found_on), "deadline": _date_text(r.deadline),
            "stage_name": r.stage_name,
            "stage_order": rules.stage_index(r.stage),
            "light": r.light,
            "light_text": f"{spec.symbol} {rules.LIGHT_REASONS[r.light_reason]}",
            "days_left": None if pd.isna(r.days_left) else int(r.days_left),
        })
    return rows


GRID_LOCALE = grid_locale("没有符合条件的问题")


def problem_grid(grid_id: str, frame: pd.DataFrame) -> dag.AgGrid:
    """A sortable table of problems; the number links to the problem's page."""
    light_rules = {f"pb-grid-{k}": f"params.data && params.data.light === '{k}'"
                   for k in ("red", "yellow", "green")}
    columns = [
        {"field": "code", "headerName": "编号", "cellRenderer": "markdown", "width": 140,
         "pinned": "left"},
        {"field": "list_name", "headerName": "清单", "width": 120},
        {"field": "region", "headerName": "地区", "width": 150},
        {"field": "title", "headerName": "问题", "flex": 1, "minWidth": 220,
         "tooltipField": "title"},
        {"field": "department_name", "headerName": "责任部门", "width": 170},
        {"field": "severity_name", "headerName": "严重程度", "width": 96},
        {"field": "found_on", "headerName": "发现日期", "width": 112, "sort": "desc"},
        {"field": "deadline", "headerName": "整改时限", "width": 112},
        {"field": "stage_name", "headerName": "阶段", "width": 96,
         "comparator": {"function": "(a, b, nodeA, nodeB) => "
                                    "nodeA.data.stage_order - nodeB.data.stage_order"}},
        {"field": "light_text", "headerName": "亮灯", "width": 120, "cellClassRules": light_rules},
        {"field": "days_left", "headerName": "距时限(天)", "width": 108, "type": "numericColumn"},
    ]
    return dag.AgGrid(
        id=grid_id,
        rowData=grid_rows(frame),
        columnDefs=columns,
        defaultColDef=column_defaults(sortable=True, resizable=True, filter=False),
        getRowId="params.data.id",
        dashGridOptions={"pagination": True, "paginationPageSize": 20,
                         "paginationPageSizeSelector": [20, 50, 100],
                         "localeText": GRID_LOCALE, "tooltipShowDelay": 300,
                         "animateRows": False, "enableCellTextSelection": True},
        className="pb-grid",
        style={"height": "640px", "width": "100%"},
    )


def export_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """The problems with the words of their lights, as exported (see components/export.py)."""
    out = frame.copy()
    out["light_word"] = out["light"].map(rules.LIGHT_WORDS)
    out["light_reason_word"] = out["light_reason"].map(rules.LIGHT_REASONS)
    out["days_left"] = out["days_left"].astype("Int64")
    return out


# --- one problem -------------------------------------------------------------------------------

def stage_steps(problem: dict) -> html.Ol:
    """The five stages with the date each was reached; the current one is marked."""
    current = rules.stage_index(problem["stage"])
    items = []
    for i, stage in enumerate(rules.STAGES):
        reached = problem.get(rules.STAGE_DATE_COLUMNS[stage])
        closed = problem["stage"] == "closed"
        state = "done" if i < current or closed else "current" if i == current else "todo"
        items.append(html.Li(
            [html.Span(rules.STAGE_NAMES[stage], className="pb-step-name"),
             html.Span(_date_text(reached) if _is_date(reached) else "—",
                       className="pb-step-date")],
            className=f"pb-step is-{state}",
            **({"aria-current": "step"} if state == "current" else {}),
        ))
    return html.Ol(items, className="pb-steps", **{"aria-label": "闭环阶段"})


def deadline_text(problem: dict) -> str:
    if problem["stage"] == "closed":
        return rules.LIGHT_REASONS[problem["light_reason"]]
    left = problem["days_left"]
    if pd.isna(left):
        return "—"
    left = int(left)
    if left < 0:
        return f"已逾期 {-left} 天"
    return "今天到期" if left == 0 else f"还剩 {left} 天"


def problem_facts(problem: dict, *, region_href: str) -> html.Dl:
    facts = [
        ("清单", problem["list_name"]),
        ("地区", dcc.Link(
            f"{problem['city_name']} · {problem['region_name']}"
            if isinstance(problem.get("city_name"), str) else problem["region_name"],
            href=region_href)),
        ("责任部门", problem["department_name"]),
        ("问题类别", problem["category"]),
        ("严重程度", problem["severity_name"]),
        ("发现日期", _date_text(problem["found_on"])),
        ("整改时限", f"{_date_text(problem['deadline'])}（{deadline_text(problem)}）"),
        ("当前阶段", problem["stage_name"]),
        ("亮灯", light_badge(problem["light"],
                           rules.LIGHT_REASONS[problem["light_reason"]])),
    ]
    items = []
    for term, value in facts:
        items += [html.Dt(term), html.Dd(value)]
    return html.Dl(items, className="pb-facts")


def history_table(history: pd.DataFrame) -> html.Table | html.P:
    if history.empty:
        return html.P("暂无阶段记录。", className="pb-empty")
    head = html.Thead(html.Tr([html.Th(h, scope="col") for h in
                               ("时间", "阶段变更", "办理人", "说明")]))
    rows = []
    for r in history.itertuples(index=False):
        change = (f"{r.from_name} → {r.to_name}" if isinstance(r.from_name, str)
                  else f"登记：{r.to_name}")
        rows.append(html.Tr([
            html.Td(pd.Timestamp(r.moved_at).strftime("%Y-%m-%d %H:%M")),
            html.Td(change), html.Td(r.moved_by),
            html.Td(r.note if isinstance(r.note, str) else "", className="pb-note"),
        ]))
    return html.Table([html.Caption("阶段记录（谁、何时、从哪一阶段到哪一阶段）"), head,
                       html.Tbody(rows)], className="pb-table pb-history")
