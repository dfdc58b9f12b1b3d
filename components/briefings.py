"""The briefing page's pieces: the list of produced briefings and the windows to choose from
(pure builders: records in, components out)."""

from __future__ import annotations

from datetime import date

import pandas as pd
from dash import html

from data.briefings import SOURCES, STATUSES
from data.windows import KIND_NAMES, Window, latest

#: How many windows of each kind the form offers, newest first.
CHOICES = {"week": 26, "month": 24, "bimonth": 12, "quarter": 12, "year": 6}


def window_options(kind: str, today: date, *, first_period: str | None) -> list[dict]:
    """The windows of ``kind`` a user can choose: the latest one that is over (or ends today)
    and those before it, back to the first month with figures; also the one under way."""
    current = Window.containing(kind, today)
    windows = [] if current == latest(kind, today) else [current]
    window = latest(kind, today)
    while len(windows) < CHOICES[kind]:
        if first_period and window.last_month < first_period:
            break
        windows.append(window)
        window = window.previous()
    return [{"label": w.label + ("（进行中）" if w.end > today else ""), "value": w.key}
            for w in windows]


def kind_options() -> list[dict]:
    return [{"label": name, "value": kind} for kind, name in KIND_NAMES.items()]


def size_text(size: float | None) -> str:
    if size is None or pd.isna(size):
        return "—"
    return f"{size / 1024:,.0f} KB" if size < 1024 * 1024 else f"{size / 1024 / 1024:.1f} MB"


def briefing_rows(frame: pd.DataFrame, *, file_href) -> list[html.Tr]:
    rows = []
    for r in frame.to_dict("records"):
        status = r["status"]
        if status == "done":
            action = html.A("下载", href=file_href(r["id"]), className="button brief-download",
                            **{"data-briefing": str(r["id"])})
        elif status == "failed":
            action = html.Button("重新生成", id={"type": "briefings-retry", "id": int(r["id"])},
                                 className="button brief-retry")
        else:
            action = html.Span(f"{int(r['progress'] or 0)}%", className="muted")
        pages = f" · {int(r['pages'])} 页" if r.get("pages") and not pd.isna(r["pages"]) else ""
        rows.append(html.Tr([
            html.Td(f"{pd.Timestamp(r['created_at']):%Y-%m-%d %H:%M}", className="num"),
            html.Td(f"{r['display_name']}" + (f"（{SOURCES.get(r['source'], r['source'])}）"
                                             if r["source"] != "page" else "")),
            html.Td(r["region_name"]),
            html.Td(_window_label(r["window_kind"], r["window_key"])),
            html.Td([html.Span(STATUSES.get(status, status),
                               className=f"brief-status is-{status}"),
                     html.Div(r["message"], className="brief-reason")
                     if status == "failed" and r.get("message") else None]),
            html.Td(size_text(r.get("size_bytes")) + pages, className="num"),
            html.Td(action),
        ], className=f"brief-row is-{status}", **{"data-briefing": str(r["id"])}))
    return rows


def _window_label(kind: str, key: str) -> str:
    try:
        return Window.parse(key, kind=kind).label
    except ValueError:
        return key


def briefing_table(frame: pd.DataFrame, *, file_href) -> html.Table | html.P:
    if frame.empty:
        return html.P("还没有生成过简报。", className="muted")
    head = html.Thead(html.Tr([html.Th(h, scope="col") for h in
                               ("生成时间", "生成人", "地区", "时段", "状态", "大小", "")]))
    return html.Table([head, html.Tbody(briefing_rows(frame, file_href=file_href))],
                      className="panel-table brief-table")
