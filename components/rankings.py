"""Tables of the horse-race board (赛马榜): data in, component out (its charts are in
:mod:`components.ranking_charts`)."""

from __future__ import annotations

import pandas as pd
from dash import dcc, html

from components.export import Column as ExportColumn
from config.labels import RANKING_LISTS

EXPORT_COLUMNS = (
    ExportColumn("rank", "名次", 6), ExportColumn("name", "地区", 12),
    ExportColumn("score", "综合得分", 10), ExportColumn("change", "较上月名次", 10),
    ExportColumn("items", "计分指标数", 10), ExportColumn("red_lights", "红灯指标数", 10),
    ExportColumn("list_name", "榜单", 8), ExportColumn("list_reason", "上榜理由", 48),
)


def list_cards(rows: list[dict], lists: list[dict]) -> html.Div:
    """The red, yellow and black lists side by side: who is on each, and why."""
    cards = []
    for code, style in RANKING_LISTS.items():
        rule = next((r for r in lists if r["code"] == code), None)
        if rule is None:
            continue
        on = [r for r in rows if r["list_code"] == code]
        items = [html.Li([dcc.Link(r["name"], href=r["href"]),
                          html.Span(f"（第{r['rank']}名）", className="muted"),
                          html.Div(r["list_reason"], className="rk-reason")]) for r in on]
        cards.append(html.Section(
            [html.H3([html.Span(f"{style.symbol} {rule['name']}", className="rk-list-chip",
                                style={"background": style.colour, "color": style.ink}),
                      html.Span(f"{len(on)} 个", className="rk-list-count")],
                     className="panel-title"),
             html.P(f"{rule['meaning']}。条件：{rule['rule_words']}。", className="rk-rule"),
             html.Ul(items, className="rk-list") if items
             else html.P("本期无地区上榜。", className="muted")],
            className=f"card rk-list-card rk-list-{code}", **{"aria-label": rule["name"]}))
    return html.Div(cards, className="rk-lists")


def board_table(rows: list[dict], *, caption: str) -> html.Table:
    head = ["名次", "地区", "综合得分", "较上月", "计分指标", "红灯指标", "榜单", "上榜理由"]
    body = []
    for r in rows:
        change = r["change"]
        kind = "up" if change.startswith("▲") else "down" if change.startswith("▼") else "same"
        body.append(html.Tr([
            html.Td("—" if r["rank"] is None else str(r["rank"]), className="num"),
            html.Th(dcc.Link(r["name"], href=r["href"]), scope="row"),
            html.Td(r["score_text"], className="num"),
            html.Td(change, className=f"num rk-change-{kind}"),
            html.Td(str(r["items"]), className="num"),
            html.Td(str(r["red_lights"]), className="num"),
            html.Td(r["list_text"]),
            html.Td(r["list_reason"] or "", className="rk-reason"),
        ], **{"data-adcode": r["adcode"]}))
    return html.Table([html.Caption(caption),
                       html.Thead(html.Tr([html.Th(h, scope="col") for h in head])),
                       html.Tbody(body)], className="panel-table rk-board")


def weekly_table(frame: pd.DataFrame, *, caption: str, by: str = "地区",
                 key: str = "adcode") -> html.Table:
    """The week's progress of each region (or of each lead unit: ``by="牵头单位"``,
    ``key="code"``)."""
    head = [by, "任务数", "本周末进度", "上周末进度", "本周推进", "推进项数", "停滞项数",
            "已完成"]

    def pct(value: object) -> str:
        return "—" if value is None or pd.isna(value) else f"{float(value):.1f}%"

    body = [html.Tr([
        html.Th(r.name, scope="row"), html.Td(str(r.tasks), className="num"),
        html.Td(pct(r.progress), className="num"), html.Td(pct(r.previous), className="num"),
        html.Td("—" if pd.isna(r.change) else f"{r.change:+.1f}个百分点", className="num"),
        html.Td(str(r.advanced), className="num"), html.Td(str(r.stalled), className="num"),
        html.Td(str(r.done), className="num"),
    ], **{f"data-{key}": getattr(r, key)}) for r in frame.itertuples(index=False)]
    return html.Table([html.Caption(caption),
                       html.Thead(html.Tr([html.Th(h, scope="col") for h in head])),
                       html.Tbody(body)], className="panel-table rk-weekly")


def weights_table(frame: pd.DataFrame) -> html.Table:
    """The indicators counted at the level with their weights (read-only)."""
    body = [html.Tr([html.Td(r.system_name), html.Th(r.name, scope="row"),
                     html.Td(f"{r.weight:g}", className="num")])
            for r in frame.itertuples(index=False)]
    return html.Table([html.Caption("计分指标与权重（仅计在该层级适用的指标）"),
                       html.Thead(html.Tr([html.Th(h, scope="col")
                                           for h in ("体系", "指标", "权重")])),
                       html.Tbody(body)], className="panel-table rk-weights")
