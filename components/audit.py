"""The pieces of the audit page (``/audit``): its filters, its table and its export rows."""

from __future__ import annotations

import dash_ag_grid as dag
import pandas as pd
from dash import dcc, html

from components.export import Column
from components.problems import GRID_LOCALE
from config.labels import DROPDOWN_LABELS
from data.audit import ACTIONS, OUTCOMES, AuditFilter

EXPORT_COLUMNS = (
    Column("at", "时间", 20), Column("username", "用户", 14), Column("action_name", "操作", 18),
    Column("target", "对象", 30), Column("detail", "详情", 40), Column("address", "地址", 16),
    Column("outcome_name", "结果", 8),
)


#: A day as typed in the filters: 2026-11-01.
DAY_PATTERN = r"\d{4}-\d{2}-\d{2}"


def _dropdown(component_id: str, label: str, options: list[tuple[str, str]], value,
              width: str) -> html.Div:
    return html.Div([
        html.Label(label, htmlFor=component_id, className="control-label"),
        dcc.Dropdown(id=component_id, options=[{"label": t, "value": v} for v, t in options],
                     value=value, clearable=True, searchable=True, placeholder="全部",
                     labels=DROPDOWN_LABELS, className="control", style={"width": width}),
    ], className="ad-field")


def _input(component_id: str, label: str, value, *, placeholder: str = "",
           pattern: str | None = None) -> html.Div:
    # Days are typed as 年-月-日 in a text field, as on the task form: the browser's own date
    # field shows its UI language's order (mm/dd/yyyy on an English one).
    extra = {"pattern": pattern, "maxLength": 10} if pattern else {}
    return html.Div([
        html.Label(label, htmlFor=component_id, className="control-label"),
        dcc.Input(id=component_id, type="text", value=value or "", placeholder=placeholder,
                  debounce=True, className="ad-input", **extra),
    ], className="ad-field")


def filter_bar(ids, *, filters: AuditFilter, usernames: list[str],
               clear_href: str) -> html.Div:
    users = sorted(set(usernames) | ({filters.username} if filters.username else set()))
    return html.Div([
        _dropdown(ids.user, "用户", [(u, u) for u in users], filters.username, "170px"),
        _dropdown(ids.action, "操作", list(ACTIONS.items()), filters.action, "220px"),
        _dropdown(ids.outcome, "结果", list(OUTCOMES.items()), filters.outcome, "110px"),
        _input(ids.address, "地址", filters.address, placeholder="如 10.0.0.7（回车）"),
        _input(ids.since, "日期 从", filters.since.isoformat() if filters.since else None,
               placeholder="年-月-日", pattern=DAY_PATTERN),
        _input(ids.until, "至", filters.until.isoformat() if filters.until else None,
               placeholder="年-月-日", pattern=DAY_PATTERN),
        dcc.Link("清除筛选", href=clear_href, className="pb-clear"),
    ], className="au-filters card", role="search", **{"aria-label": "筛选审计事件"})


def grid_rows(events: pd.DataFrame) -> list[dict]:
    return [{"id": int(e.id), "at": f"{e.at:%Y-%m-%d %H:%M:%S}", "username": e.username or "—",
             "action_name": e.action_name, "target": e.target or "", "detail": e.detail or "",
             "address": e.address or "", "outcome": e.outcome, "outcome_name": e.outcome_name}
            for e in events.itertuples(index=False)]


def event_grid(grid_id: str, events: pd.DataFrame) -> dag.AgGrid:
    outcome_rules = {f"au-grid-{k}": f"params.data && params.data.outcome === '{k}'"
                     for k in ("refused", "failed")}
    columns = [
        {"field": "at", "headerName": "时间", "width": 170, "sort": "desc"},
        {"field": "username", "headerName": "用户", "width": 130},
        {"field": "action_name", "headerName": "操作", "width": 190},
        {"field": "target", "headerName": "对象", "flex": 1, "minWidth": 200,
         "tooltipField": "target"},
        {"field": "detail", "headerName": "详情", "flex": 1, "minWidth": 200,
         "tooltipField": "detail"},
        {"field": "address", "headerName": "地址", "width": 140},
        {"field": "outcome_name", "headerName": "结果", "width": 90,
         "cellClassRules": outcome_rules},
    ]
    locale = {**GRID_LOCALE, "noRowsToShow": "没有符合条件的事件"}
    return dag.AgGrid(
        id=grid_id, rowData=grid_rows(events), columnDefs=columns,
        defaultColDef={"sortable": True, "resizable": True, "filter": False},
        getRowId="params.data.id",
        dashGridOptions={"pagination": True, "paginationPageSize": 50,
                         "paginationPageSizeSelector": [50, 100, 500], "localeText": locale,
                         "tooltipShowDelay": 300, "animateRows": False,
                         "enableCellTextSelection": True},
        className="au-grid", style={"height": "640px", "width": "100%"},
    )


def export_rows(events: pd.DataFrame) -> pd.DataFrame:
    out = events.copy()
    out["at"] = out["at"].map(lambda t: f"{t:%Y-%m-%d %H:%M:%S}")
    return out
