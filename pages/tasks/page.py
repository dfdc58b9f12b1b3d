"""``/tasks``: the major tasks of the year — filter panel, sortable table with progress bars,
export of the filtered rows to Excel and CSV, and the timeline (Gantt) with today and the
milestones. Filters can be given in the URL (``?region=330100&status=overdue``)."""

from __future__ import annotations

from datetime import date

import dash
import dash_ag_grid as dag
from dash import Input, Output, State, callback, dcc, html

from components import tasks as view
from components.frame import message_page
from components.graph import graph
from config.labels import DROPDOWN_LABELS, ERRORS, task_status_word
from data import clock, queries
from data import tasks_queries as tq
from data import tasks_rules as rules
from data.scope import Scope, viewer_scope
from data.store import StoreUnavailable

dash.register_page(__name__, path="/tasks", title="重大任务 · 数字化改革驾驶舱",
                   name="重大任务", order=20)


class ids:  # noqa: N801 - a namespace of component ids
    group = "tasks-group"
    system = "tasks-system"
    department = "tasks-department"
    region = "tasks-region"
    status = "tasks-status"
    due = "tasks-due"
    table = "tasks-table"
    count = "tasks-count"
    gantt = "tasks-gantt"
    export_xlsx = "tasks-export-xlsx"
    export_csv = "tasks-export-csv"
    download = "tasks-download"
    directives = "tasks-directives"


DUE_CHOICES = {7: "7天内到期", 30: "30天内到期", 90: "90天内到期"}
FILTER_NAMES = ("group", "system", "department", "region", "status", "due")
FILTER_LABELS = {"group": "任务组", "system": "系统", "department": "单位", "region": "地区",
                 "status": "状态", "due": "到期"}


def choice_from(values: dict) -> tq.TaskFilter:
    """The filter panel's values (or the URL's) as a :class:`TaskFilter`; unknown or empty
    values mean "all"."""
    due = values.get("due")
    try:
        due_days = int(due) if due not in (None, "") else None
    except (TypeError, ValueError):
        due_days = None
    return tq.TaskFilter(group=values.get("group") or None, system=values.get("system") or None,
                         department=values.get("department") or None,
                         region=values.get("region") or None,
                         status=values.get("status") or None, due_within=due_days)


def filtered(scope: Scope, values: dict) -> tuple:
    today = clock.today(scope=scope)
    tasks = tq.task_table(scope=scope, today=today)
    chosen = tq.filter_tasks(tasks, choice_from(values), regions=queries.regions(scope=scope))
    return chosen, today


def _dropdown(id_: str, label: str, options: list[dict], value, placeholder: str) -> html.Div:
    return html.Div([
        html.Label(label, htmlFor=id_, className="control-label"),
        dcc.Dropdown(id=id_, options=options, value=value, placeholder=placeholder,
                     labels=DROPDOWN_LABELS, className="control tasks-filter-control"),
    ], className="tasks-filter")


def layout(**params: object) -> html.Div:
    scope = viewer_scope()
    try:
        return tasks_view(scope=scope, params={k: params.get(k) for k in FILTER_NAMES})
    except StoreUnavailable:
        return message_page(ERRORS["store_down"])


def tasks_view(*, scope: Scope, params: dict) -> html.Div:
    today = clock.today(scope=scope)
    tasks = tq.task_table(scope=scope, today=today)
    tree = queries.regions(scope=scope)
    systems = tasks.drop_duplicates("system_code")[["system_code", "system_name"]]
    departments = tq.departments(scope=scope)
    used = set(tasks["lead_department"]).union(*map(set, tasks["unit_codes"]))
    valid = {
        "group": set(rules.TASK_GROUPS), "system": set(systems["system_code"]),
        "department": used, "region": set(tree["adcode"]), "status": set(rules.STATUSES),
        "due": {str(d) for d in DUE_CHOICES},
    }
    try:
        if params.get("region") not in (None, ""):
            queries.check_region(scope=scope, adcode=str(params["region"]))
        if params.get("department") not in (None, "") and scope.departments is not None:
            queries.check_department(scope=scope, code=str(params["department"]))
    except queries.ScopeRefused as refused:
        return message_page(str(refused))
    for name, value in params.items():
        if value not in (None, "") and str(value) not in valid[name]:
            return message_page(f"筛选条件“{FILTER_LABELS[name]}”的取值“{value}”不存在。")
    values = {k: (str(v) if v not in (None, "") else None) for k, v in params.items()}
    region_options = [{"label": ("　" if level == "county" else "") + name, "value": adcode}
                      for adcode, name, level in tree[["adcode", "name", "level"]].itertuples(
                          index=False)]
    chosen = tq.filter_tasks(tasks, choice_from(values), regions=tree)
    return html.Div([
        html.Div([
            html.H2(["重大任务", html.Span(f"{today.year}年 · 截至 {today:%Y-%m-%d}",
                                           className="heading-sub")], className="page-heading"),
            html.Div([
                html.Button("导出 Excel", id=ids.export_xlsx, className="button tasks-export"),
                html.Button("导出 CSV", id=ids.export_csv, className="button tasks-export"),
                dcc.Download(id=ids.download),
            ], className="tasks-actions"),
        ], className="page-bar"),
        html.Section([
            _dropdown(ids.group, "任务组", [{"label": g, "value": g} for g in rules.TASK_GROUPS],
                      values["group"], "全部任务组"),
            _dropdown(ids.system, "系统", [{"label": n, "value": c} for c, n in
                                          systems.itertuples(index=False)],
                      values["system"], "全部系统"),
            _dropdown(ids.department, "牵头或责任单位",
                      [{"label": n, "value": c} for c, n in
                       departments[["code", "name"]].itertuples(index=False) if c in used],
                      values["department"], "全部单位"),
            _dropdown(ids.region, "地区（含下级）", region_options, values["region"], "全部地区"),
            _dropdown(ids.status, "状态", [{"label": task_status_word(s), "value": s}
                                          for s in rules.STATUSES],
                      values["status"], "全部状态"),
            _dropdown(ids.due, "到期", [{"label": t, "value": str(d)} for d, t in
                                        DUE_CHOICES.items()], values["due"], "不限"),
        ], className="card tasks-filters", **{"aria-label": "筛选"}),
        html.P(count_text(chosen, len(tasks)), id=ids.count, className="tasks-count-line",
               **{"aria-live": "polite"}),
        html.Section(
            dag.AgGrid(
                id=ids.table, columnDefs=view.grid_columns(), rowData=view.grid_rows(chosen),
                defaultColDef={"sortable": True, "resizable": True, "suppressMovable": True},
                dashGridOptions={"animateRows": False, "tooltipShowDelay": 300,
                                 "localeText": {"noRowsToShow": "没有符合条件的任务"},
                                 "rowHeight": 38},
                getRowId="params.data.code",
                style=grid_style(len(chosen)),
                className="tasks-grid",
            ),
            className="card tasks-table-card", **{"aria-label": "任务列表"}),
        html.Section(
            graph(gantt_figure(scope, chosen, today), graph_id=ids.gantt),
            className="card tasks-gantt-card", **{"aria-label": "时间轴"}),
        html.Section([
            html.H3("批示与督办单（按所选单位或地区筛选接收单位）", className="panel-title"),
            html.Div(directive_view(scope, values, today), id=ids.directives),
        ], className="card tasks-directives-card", **{"aria-label": "批示与督办单"}),
        html.P(rules.status_rule_text(), className="muted tasks-rule"),
    ], className="tasks-page")


def directive_view(scope: Scope, values: dict, today: date):
    """The directives sent to the unit or region chosen in the filter panel."""
    found = tq.directives_for_receiver(
        tq.directives(scope=scope, today=today), department=values.get("department"),
        region=values.get("region"), regions=queries.regions(scope=scope))
    return view.directive_table(found)


def grid_style(rows: int) -> dict:
    """The table grows with its rows up to 14 of them, then scrolls."""
    return {"height": f"{50 + 38 * min(max(rows, 3), 14)}px", "width": "100%"}


def count_text(chosen, total: int) -> str:
    counts = tq.status_counts(chosen)
    parts = "，".join(f"{task_status_word(s)}{n}" for s, n in counts.items() if n)
    return f"共 {len(chosen)} 项（全部 {total} 项）" + (f"：{parts}" if parts else "")


def gantt_figure(scope: Scope, chosen, today: date):
    return view.gantt(chosen, tq.milestones(scope=scope), today=today,
                      title=f"任务时间轴（{len(chosen)} 项）· 浅色为计划周期，深色为已完成进度，"
                            "◆ 已完成里程碑，◇ 未完成里程碑，红色虚线为今天")


@callback(
    Output(ids.table, "rowData"), Output(ids.count, "children"), Output(ids.gantt, "figure"),
    Output(ids.directives, "children"), Output(ids.table, "style"),
    *(Input(getattr(ids, name), "value") for name in FILTER_NAMES),
    prevent_initial_call=True,
)
def update(group, system, department, region, status, due):
    scope = viewer_scope()
    values = dict(zip(FILTER_NAMES, (group, system, department, region, status, due),
                      strict=True))
    chosen, today = filtered(scope, values)
    total = len(tq.task_table(scope=scope, today=today))
    return (view.grid_rows(chosen), count_text(chosen, total),
            gantt_figure(scope, chosen, today), directive_view(scope, values, today),
            grid_style(len(chosen)))


@callback(
    Output(ids.download, "data"),
    Input(ids.export_xlsx, "n_clicks"), Input(ids.export_csv, "n_clicks"),
    *(State(getattr(ids, name), "value") for name in FILTER_NAMES),
    prevent_initial_call=True,
)
def export(_xlsx, _csv, group, system, department, region, status, due):
    values = dict(zip(FILTER_NAMES, (group, system, department, region, status, due),
                      strict=True))
    return export_download(dash.ctx.triggered_id, values, scope=viewer_scope())


def export_download(trigger: str | None, values: dict, *, scope: Scope) -> dict:
    """The filtered rows as an Excel or CSV download (made on the server)."""
    chosen, today = filtered(scope, values)
    stem = f"重大任务_{today:%Y%m%d}"
    if trigger == ids.export_csv:
        return dcc.send_bytes(view.export_csv(chosen), f"{stem}.csv")
    return dcc.send_bytes(view.export_xlsx(chosen), f"{stem}.xlsx")
