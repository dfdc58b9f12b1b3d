"""Builders of the task pages and the cockpit's task panel: status badges, the AG Grid
columns and rows, the timeline (Gantt), the execution-chain map, directive cards and the
export table. Pure: data in, components or figures out; no SQL."""

from __future__ import annotations

import html as html_lib
from datetime import date, timedelta

import pandas as pd
import plotly.graph_objects as go
from dash import dcc, html

from components.badges import light_badge
from components.charts import _base_layout, empty_figure, finish_map, region_names
from components.export import Column as ExportColumn
from config.labels import (
    ANSWER_STATES,
    NO_DATA_COLOUR,
    TASK_STATUSES,
    Light,
    light_style,
    task_status_word,
)
from data import tasks_rules as rules
from panels.addresses import task_href

#: Chinese text inside Dash 4 dropdowns (their defaults are English).


def plotly_text(text: str) -> str:
    """Text for a plotly label or tooltip: plotly reads a few HTML tags in text (<b>, <a> …),
    so a task's own text is escaped and shown as it was written."""
    return html_lib.escape(str(text), quote=False)


def status_light(status: str) -> Light:
    """The colours of a task status code (see :data:`config.labels.TASK_STATUSES`)."""
    return light_style(TASK_STATUSES[status].light)


def status_symbol(status: str) -> str:
    return TASK_STATUSES[status].symbol


def status_badge(status: str, *, title: str | None = None) -> html.Span:
    """A status as a coloured badge with a symbol and a word (never colour alone)."""
    light = status_light(status)
    return html.Span(
        [html.Span(status_symbol(status), className="light-symbol",
                   **{"aria-hidden": "true"}), task_status_word(status)],
        className="light task-status-badge", title=title or rules.status_rule_text(),
        style={"backgroundColor": light.colour, "color": light.ink},
    )


def day(value) -> str:
    if value is None or (not isinstance(value, date) and pd.isna(value)):
        return "—"
    return pd.Timestamp(value).strftime("%Y-%m-%d")


# --- the task table (AG Grid) ------------------------------------------------------------

def grid_columns() -> list[dict]:
    """Column definitions; text is rendered as text (no HTML renderer for user text)."""
    return [
        {"field": "code", "headerName": "编号", "width": 118, "pinned": "left"},
        {"field": "name", "headerName": "任务名称", "minWidth": 260, "flex": 2,
         "cellRenderer": "TaskLink", "tooltipField": "name"},
        {"field": "group_name", "headerName": "任务组", "width": 104},
        {"field": "system_name", "headerName": "系统", "width": 150},
        {"field": "lead_name", "headerName": "牵头单位", "width": 170, "tooltipField": "lead_name"},
        {"field": "unit_names", "headerName": "责任单位", "width": 170,
         "tooltipField": "unit_names"},
        {"field": "region_name", "headerName": "范围", "width": 84},
        {"field": "start_date", "headerName": "开始", "width": 112},
        {"field": "due_date", "headerName": "截止", "width": 112, "sort": None},
        {"field": "progress", "headerName": "进度", "width": 160, "cellRenderer": "TaskProgress",
         "type": "numericColumn"},
        {"field": "status_rank", "headerName": "状态", "width": 104,
         "cellRenderer": "TaskStatus"},
        {"field": "days_left", "headerName": "剩余天数", "width": 104, "type": "numericColumn"},
    ]


def grid_rows(tasks: pd.DataFrame) -> list[dict]:
    rows = []
    for row in tasks.itertuples(index=False):
        light = status_light(row.status)
        rows.append({
            "code": row.code, "name": row.name, "group_name": row.group_name,
            "system_name": row.system_name, "lead_name": row.lead_name,
            "unit_names": row.unit_names or "—", "region_name": row.region_name,
            "start_date": day(row.start_date), "due_date": day(row.due_date),
            "progress": float(row.progress), "status": row.status,
            "status_rank": int(rules.status_rank(row.status)),
            "status_symbol": status_symbol(row.status),
            "status_word": task_status_word(row.status),
            "status_colour": light.colour, "status_ink": light.ink,
            "elapsed": float(row.elapsed), "days_left": int(row.days_left),
            "href": task_href(row.code),
        })
    return rows


#: The columns of the export (see components/export.py), with their Excel widths.
EXPORT_COLUMNS = tuple(ExportColumn(field, header, width) for field, header, width in (
    ("code", "编号", 12), ("name", "任务名称", 36), ("group_name", "任务组", 10),
    ("system_name", "系统", 20), ("domain", "主要领域", 10), ("reform", "重大改革", 20),
    ("lead_name", "牵头单位", 22), ("unit_names", "责任单位", 28), ("region_name", "范围", 8),
    ("start_date", "开始日期", 12), ("due_date", "截止日期", 12), ("progress", "进度（%）", 10),
    ("elapsed", "时间进度（%）", 12), ("status", "状态", 8), ("days_left", "剩余天数", 10)))


def export_rows(tasks: pd.DataFrame) -> pd.DataFrame:
    """The filtered tasks as exported: dates as text, statuses as words."""
    out = tasks.copy()
    out["start_date"] = out["start_date"].map(day)
    out["due_date"] = out["due_date"].map(day)
    out["status"] = out["status"].map(task_status_word)
    return out


# --- the timeline -------------------------------------------------------------------------

def label_room(labels: list[str], *, size: int) -> int:
    """Pixels left of a chart for its axis labels at ``size`` px: a Chinese character is a
    square of ``size``, any other character at most 0.62 of it, and a little air."""
    def width(text: str) -> float:
        text = html_lib.unescape(text)
        return sum(size if ord(c) >= 0x2E80 else 0.62 * size for c in text)
    return round(max((width(t) for t in labels), default=0) + 16)


def gantt(tasks: pd.DataFrame, milestones: pd.DataFrame, *, today: date,
          title: str) -> go.Figure:
    """One bar per task from start to due (coloured by status), the done part darker,
    milestones as diamonds (filled when done), and today as a vertical line."""
    if tasks.empty:
        return empty_figure("没有符合条件的任务")
    data = tasks.sort_values(["start_date", "code"], ascending=[False, False])
    labels = [plotly_text(f"{c} {n[:16]}{'…' if len(n) > 16 else ''}") for c, n in
              zip(data["code"], data["name"], strict=True)]
    span_ms = [(d - s).days * 86_400_000 for s, d in
               zip(data["start_date"], data["due_date"], strict=True)]
    done_ms = [span * min(p, 100.0) / 100.0 for span, p in
               zip(span_ms, data["progress"], strict=True)]
    hover = [f"<b>{plotly_text(code)}</b> {plotly_text(name)}<br>{day(s)} 至 {day(d)}<br>"
             f"进度 {p:.1f}%（时间进度 "
             f"{e:.1f}%）<br>{status_symbol(st)} {task_status_word(st)}"
             for code, name, s, d, p, e, st in zip(
                 data["code"], data["name"], data["start_date"], data["due_date"],
                 data["progress"], data["elapsed"], data["status"], strict=True)]
    colours = [status_light(s).colour for s in data["status"]]
    starts = [pd.Timestamp(s) for s in data["start_date"]]
    traces = [
        go.Bar(y=labels, x=span_ms, base=starts, orientation="h", name="计划周期",
               marker={"color": colours, "opacity": 0.35}, hovertext=hover,
               hovertemplate="%{hovertext}<extra></extra>", customdata=data[["code"]]),
        go.Bar(y=labels, x=done_ms, base=starts, orientation="h", name="已完成进度",
               marker={"color": colours}, hovertext=hover,
               hovertemplate="%{hovertext}<extra></extra>", customdata=data[["code"]]),
    ]
    if not milestones.empty:
        names = dict(zip(data["code"], labels, strict=True))
        ms = milestones[milestones["code"].isin(names)]
        for done, symbol, label in ((True, "diamond", "里程碑（已完成）"),
                                    (False, "diamond-open", "里程碑（未完成）")):
            part = ms[ms["done_on"].notna() == done]
            if part.empty:
                continue
            traces.append(go.Scatter(
                y=[names[c] for c in part["code"]], x=[pd.Timestamp(d) for d in part["due_date"]],
                mode="markers", name=label,
                marker={"symbol": symbol, "size": 9, "color": "#0f2f57",
                        "line": {"width": 1.5, "color": "#0f2f57"}},
                text=[f"{plotly_text(n)}：计划 {day(d)}，"
                      + (f"完成于 {day(o)}" if done else "未完成")
                      for n, d, o in zip(part["name"], part["due_date"], part["done_on"],
                                         strict=True)],
                hovertemplate="%{text}<extra></extra>"))
    figure = go.Figure(traces)
    today_ts = pd.Timestamp(today)
    figure.add_shape(type="line", x0=today_ts, x1=today_ts, y0=0, y1=1, yref="paper",
                     line={"color": "#c62828", "width": 2, "dash": "dash"})
    figure.add_annotation(x=today_ts, y=0, yref="paper", text=f"今天 {today:%m-%d}",
                          showarrow=False, yanchor="top", xanchor="left",
                          font={"color": "#c62828", "size": 12})
    first = min(starts) - timedelta(days=7)
    last = max(pd.Timestamp(d) for d in data["due_date"]) + timedelta(days=10)
    figure.update_layout(**_base_layout(
        barmode="overlay", bargap=0.35,
        title={"text": title, "font": {"size": 14}, "x": 0.01, "y": 0.99, "yanchor": "top"},
        showlegend=False,
        xaxis={"type": "date", "range": [first, max(last, today_ts)], "gridcolor": "#e5e7eb",
               "tickformat": "%Y-%m", "side": "top", "dtick": "M1"},
        # The labels' room is reckoned here: plotly.js's automargin draws the chart twice (the
        # timeline took 0.2–0.4 s to draw in a browser; half of it without).
        margin={"l": label_room(labels, size=12), "r": 20, "t": 64, "b": 40},
        yaxis={"automargin": False, "tickfont": {"size": 12}},
        height=max(320, 90 + 24 * len(data)),
    ))
    return figure


# --- the execution chain ------------------------------------------------------------------

def chain_columns() -> list[dict]:
    return [
        {"field": "label", "headerName": "地区", "minWidth": 200, "flex": 1},
        {"field": "level_name", "headerName": "层级", "width": 120},
        {"field": "progress", "headerName": "进度", "width": 170, "cellRenderer": "TaskProgress",
         "type": "numericColumn"},
        {"field": "status_rank", "headerName": "状态", "width": 110,
         "cellRenderer": "TaskStatus"},
        {"field": "last_reported_on", "headerName": "最近报告", "width": 120},
    ]


def chain_rows(chain: pd.DataFrame, level_names: dict[str, str]) -> list[dict]:
    rows = []
    for row in chain.itertuples(index=False):
        light = status_light(row.status)
        rows.append({
            "adcode": row.adcode, "label": "　" * int(row.depth) + row.name,
            "level_name": level_names.get(row.level, row.level),
            "progress": float(row.progress), "status": row.status,
            "status_rank": int(rules.status_rank(row.status)),
            "status_symbol": status_symbol(row.status),
            "status_word": task_status_word(row.status),
            "status_colour": light.colour, "status_ink": light.ink,
            "last_reported_on": day(row.last_reported_on),
        })
    return rows


def chain_map(regions: pd.DataFrame, geojson: dict, *, title: str) -> go.Figure:
    """The chain's regions of one level, coloured by status (grey: not assigned)."""
    if regions.empty:
        return empty_figure("该任务没有分解到地区")
    order = list(rules.STATUSES)
    scale = []
    for i, status in enumerate(order):
        colour = status_light(status).colour
        scale += [[i / len(order), colour], [(i + 1) / len(order), colour]]
    z = [order.index(s) + 0.5 for s in regions["status"]]
    hover = [f"<b>{n}</b><br>进度 {p:.1f}%<br>{status_symbol(s)} {task_status_word(s)}"
             for n, p, s in zip(regions["name"], regions["progress"], regions["status"],
                                strict=True)]
    traces = [go.Choropleth(
        geojson=geojson, featureidkey="properties.adcode", locations=regions["adcode"], z=z,
        zmin=0, zmax=len(order), colorscale=scale, showscale=False, text=hover,
        hovertemplate="%{text}<extra></extra>", marker={"line": {"color": "#ffffff",
                                                                  "width": 0.8}}, name="")]
    if len(regions) <= 20:  # names of cities; 90 county names would cover the map
        traces.append(region_names(
            regions, colours=[status_light(s).ink for s in regions["status"]],
            texts=[f"{status_symbol(s)}{n}" for n, s in
                   zip(regions["name"], regions["status"], strict=True)]))
    return finish_map(go.Figure(traces), title=title, height=460)


def status_legend() -> html.Ul:
    return html.Ul(
        [html.Li([html.Span(className="task-swatch",
                            style={"backgroundColor": status_light(s).colour}),
                  f"{status_symbol(s)} {task_status_word(s)}"]) for s in rules.STATUSES]
        + [html.Li([html.Span(className="task-swatch",
                              style={"backgroundColor": NO_DATA_COLOUR}), "未分解"])],
        className="task-legend", **{"aria-label": "图例"})


# --- directives ---------------------------------------------------------------------------




def answer_badge(code: str) -> html.Span:
    """Whether a directive was answered in time, as a badge (word and symbol)."""
    state = ANSWER_STATES[code]
    return light_badge(state.light, state.word, class_name="answer-badge")


def directive_card(row: dict, *, code_of: dict[int, int]) -> html.Article:
    """One instruction or supervision order; every text is shown as plain text."""
    head = [html.Span(row["kind_name"], className=f"directive-kind kind-{row['kind']}"),
            html.Span(f"{row['author_name']}（{row['author_role']}）", className="directive-by"),
            html.Span(f"{pd.Timestamp(row['created_at']):%Y-%m-%d %H:%M}",
                      className="directive-when")]
    corrects = row.get("corrects_id")
    body = [html.P(row["body"], className="directive-body")]
    if corrects is not None and not pd.isna(corrects):
        body.insert(0, html.P(f"更正第 {code_of.get(int(corrects), int(corrects))} 条",
                              className="directive-corrects"))
    facts = html.Dl([
        html.Dt("接收单位"), html.Dd(row.get("receiver_name") or "—"),
        html.Dt("办理期限"), html.Dd(day(row["deadline"])),
        html.Dt("办理情况"),
        html.Dd(answer_badge(row["answered"])),
    ], className="directive-facts")
    reply = row.get("reply")
    parts = [html.Header(head, className="directive-head"), *body, facts]
    if isinstance(reply, str) and reply:
        parts.append(html.Blockquote(
            [html.P(reply), html.Footer(f"{row['replied_by']} 回复于 "
                                        f"{pd.Timestamp(row['replied_at']):%Y-%m-%d %H:%M}")],
            className="directive-reply"))
    return html.Article(parts, className="directive-card",
                        **{"data-directive-id": str(row["id"])})


def directive_numbers(directives: pd.DataFrame) -> dict[int, int]:
    """Entries are numbered in the order they were written (1 = the first)."""
    ordered = directives.sort_values(["created_at", "id"])
    return {int(i): n for n, i in enumerate(ordered["id"], start=1)}


def reply_options(directives: pd.DataFrame) -> list[dict]:
    """The directives a unit can reply to, unanswered ones first."""
    numbers = directive_numbers(directives)
    options = []
    for row in sorted(directives.to_dict("records"),
                      key=lambda r: (isinstance(r.get("reply"), str), -numbers[int(r["id"])])):
        state = "已回复" if isinstance(row.get("reply"), str) else "待回复"
        options.append({"label": f"第 {numbers[int(row['id'])]} 条 · {row['kind_name']} · "
                                 f"{row.get('receiver_name') or '—'} · {state}",
                        "value": int(row["id"])})
    return options


def directive_list(directives: pd.DataFrame) -> html.Div:
    if directives.empty:
        return html.P("暂无批示或督办单。", className="muted")
    numbers = directive_numbers(directives)
    cards = []
    for row in directives.to_dict("records"):
        card = directive_card(row, code_of=numbers)
        card.children.insert(0, html.Span(f"第 {numbers[int(row['id'])]} 条",
                                          className="directive-number"))
        cards.append(card)
    return html.Div(cards, className="directive-list")


def directive_table(directives: pd.DataFrame, *, limit: int = 50) -> html.Div:
    """Directives as a compact table (newest first), linking to their tasks."""
    if directives.empty:
        return html.P("没有发给所选单位的批示或督办单。", className="muted")
    rows = []
    for row in directives.head(limit).to_dict("records"):
        rows.append(html.Tr([
            html.Td(f"{pd.Timestamp(row['created_at']):%Y-%m-%d %H:%M}", className="num"),
            html.Td(row["kind_name"]),
            html.Td(dcc.Link(f"{row['task_code']} {row['task_name']}",
                             href=task_href(row["task_code"]))),
            html.Td(f"{row['author_name']}（{row['author_role']}）"),
            html.Td(row.get("receiver_name") or "—"),
            html.Td(day(row["deadline"]), className="num"),
            html.Td(answer_badge(row["answered"])),
            html.Td(row["body"], className="directive-table-body", title=row["body"]),
        ]))
    return html.Table([
        html.Thead(html.Tr([html.Th(t) for t in ("时间", "类型", "任务", "签发人", "接收单位",
                                                 "办理期限", "办理情况", "内容")])),
        html.Tbody(rows)], className="directive-table")
