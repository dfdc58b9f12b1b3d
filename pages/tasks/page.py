"""``/tasks``: the major tasks of the year — filter panel, sortable table with progress bars,
export of the filtered rows to Excel and CSV, and the timeline (Gantt) with today and the
milestones.

The URL is the state (the problems page's pattern): ``/tasks?group=<code>&system=<code>
&dept=<code>&region=<adcode>&status=<code>&due=7|30|90`` (all optional; a wrong value gets a
message). Every control navigates to a new URL and the page is built from it, so a link
reproduces a view and the browser's back button undoes a filter."""

from __future__ import annotations

from datetime import date

import dash
import dash_ag_grid as dag
from dash import Input, Output, State, callback, dcc, html, no_update

from auth import current_account
from components import format as fmt
from components import tasks as view
from components.export import Export
from components.frame import navigator, page_or_message
from components.graph import graph
from components.grid import column_defaults, grid_locale
from components.static import static
from config.labels import DROPDOWN_LABELS, TASK_GROUPS, task_status_word
from data import clock, queries
from data import tasks_queries as tq
from data import tasks_rules as rules
from data.scope import Scope, viewer_scope
from data.tasks_queries import TaskFilter
from panels.addresses import (
    STALE_STATE,
    TASK_PARAMS,
    BadAddress,
    one_value,
    page_state,
    tasks_href,
    whole_number,
)


def _check_address(**params: object) -> None:
    """Raises what :func:`layout` would show as a message (the address's HTTP status)."""
    scope = viewer_scope()
    resolve_filters(scope=scope, params=params, today=clock.today(scope=scope))


dash.register_page(__name__, path="/tasks", title="重大任务 · 数字化改革驾驶舱",
                   name="重大任务", order=20, check_address=_check_address, kept=True)


class ids:  # noqa: N801 - a namespace of component ids
    view = "tasks-view"
    nav = "tasks-nav"
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
#: Filter control → :class:`TaskFilter` field (the URL's names are panels.addresses.TASK_PARAMS).
FILTER_CONTROLS = {ids.group: "group", ids.system: "system", ids.department: "department",
                   ids.region: "region", ids.status: "status", ids.due: "due_within"}
FILTER_LABELS = {"group": "任务组", "system": "系统", "department": "单位", "region": "地区",
                 "status": "状态", "due_within": "到期"}


def resolve_filters(*, scope: Scope, params: dict[str, object], today: date) -> TaskFilter:
    """Check the URL's parameters against what exists and turn them into a
    :class:`TaskFilter`; raises :class:`BadAddress` with the reason."""
    tasks = tq.task_table(scope=scope, today=today)
    valid = {
        "group": set(rules.TASK_GROUPS), "system": set(tasks["system_code"]),
        "department": set(tasks["lead_department"]).union(*map(set, tasks["unit_codes"])),
        "region": set(queries.regions(scope=scope)["adcode"]), "status": set(rules.STATUSES),
        "due_within": {str(d) for d in DUE_CHOICES},
    }
    values: dict[str, object] = {}
    for param, field in TASK_PARAMS.items():
        raw = params.get(param)
        if raw in (None, ""):
            continue
        one_value(param, raw)
        try:  # a region or department outside the viewer's scope: 无权限 (audited)
            if field == "region":
                queries.check_region(scope=scope, adcode=raw)
            elif field == "department" and scope.departments is not None:
                queries.check_department(scope=scope, code=raw)
        except queries.ScopeRefused as refused:
            raise BadAddress(str(refused)) from refused
        if raw not in valid[field]:
            raise BadAddress(f"筛选条件“{FILTER_LABELS[field]}”的取值“{raw}”不存在。")
        values[field] = int(raw) if field == "due_within" else raw
    return TaskFilter(**values)


def filtered(scope: Scope, filters: TaskFilter, today: date):
    tasks = tq.task_table(scope=scope, today=today)
    return tq.filter_tasks(tasks, filters, regions=queries.regions(scope=scope))


def _dropdown(id_: str, label: str, options: list[dict], value, placeholder: str) -> html.Div:
    return html.Div([
        html.Label(label, htmlFor=id_, className="control-label"),
        dcc.Dropdown(id=id_, options=options, value=value, placeholder=placeholder,
                     labels=DROPDOWN_LABELS, className="control tasks-filter-control"),
    ], className="tasks-filter")


def layout(**params: object) -> html.Div:
    scope = viewer_scope()

    def build() -> html.Div:
        today = clock.today(scope=scope)
        filters = resolve_filters(scope=scope, params=params, today=today)
        return tasks_view(scope=scope, filters=filters, today=today)

    return page_or_message(build)


def describe(filters: TaskFilter, *, scope: Scope, today: date) -> str:
    """The filters in words (for the heading and the export's note)."""
    parts = []
    if filters.group:
        parts.append(TASK_GROUPS[filters.group])
    if filters.system:
        tasks = tq.task_table(scope=scope, today=today)
        names = dict(zip(tasks["system_code"], tasks["system_name"], strict=True))
        parts.append(names.get(filters.system, filters.system))
    if filters.department:
        names = tq.departments(scope=scope).set_index("code")["name"]
        parts.append(f"{names.get(filters.department, filters.department)}牵头或参与")
    if filters.region:
        names = queries.regions(scope=scope).set_index("adcode")["name"]
        parts.append(f"{names.get(filters.region, filters.region)}（含下级）")
    if filters.status:
        parts.append(task_status_word(filters.status))
    if filters.due_within:
        parts.append(DUE_CHOICES[filters.due_within])
    return "，".join(parts) if parts else "全部任务"


def tasks_view(*, scope: Scope, filters: TaskFilter, today: date) -> html.Div:
    tasks = tq.task_table(scope=scope, today=today)
    tree = queries.regions(scope=scope)
    systems = tasks.drop_duplicates("system_code")[["system_code", "system_name"]]
    departments = tq.departments(scope=scope)
    used = set(tasks["lead_department"]).union(*map(set, tasks["unit_codes"]))
    region_options = [{"label": ("　" if level == "county" else "") + name, "value": adcode}
                      for adcode, name, level in tree[["adcode", "name", "level"]].itertuples(
                          index=False)]
    chosen = tq.filter_tasks(tasks, filters, regions=tree)
    return html.Div([
        dcc.Store(id=ids.view, data=vars(filters)),
        navigator(ids.nav),
        html.Div([
            html.H2(["重大任务", html.Span(f"{today.year}年 · {fmt.as_of(today)} · "
                                           f"{describe(filters, scope=scope, today=today)}",
                                           className="heading-sub")], className="page-heading"),
            html.Div([
                html.Button("导出 Excel", id=ids.export_xlsx, className="button tasks-export"),
                html.Button("导出 CSV", id=ids.export_csv, className="button tasks-export"),
                dcc.Download(id=ids.download),
            ], className="tasks-actions"),
        ], className="page-bar"),
        html.Section([
            _dropdown(ids.group, "任务组", [{"label": n, "value": c} for c, n in
                                           TASK_GROUPS.items() if c in rules.TASK_GROUPS],
                      filters.group, "全部任务组"),
            _dropdown(ids.system, "系统", [{"label": n, "value": c} for c, n in
                                          systems.itertuples(index=False)],
                      filters.system, "全部系统"),
            _dropdown(ids.department, "牵头或责任单位",
                      [{"label": n, "value": c} for c, n in
                       departments[["code", "name"]].itertuples(index=False) if c in used],
                      filters.department, "全部单位"),
            _dropdown(ids.region, "地区（含下级）", region_options, filters.region, "全部地区"),
            _dropdown(ids.status, "状态", [{"label": task_status_word(s), "value": s}
                                          for s in rules.STATUSES],
                      filters.status, "全部状态"),
            _dropdown(ids.due, "到期", [{"label": t, "value": str(d)} for d, t in
                                        DUE_CHOICES.items()],
                      str(filters.due_within) if filters.due_within else None, "不限"),
            dcc.Link("清除筛选", href=tasks_href(), className="tasks-clear"),
        ], className="card tasks-filters", role="search", **{"aria-label": "筛选任务"}),
        html.P(count_text(chosen, len(tasks)), id=ids.count, className="tasks-count-line",
               **{"aria-live": "polite"}),
        html.Section(
            dag.AgGrid(
                id=ids.table, columnDefs=view.grid_columns(), rowData=view.grid_rows(chosen),
                defaultColDef=column_defaults(sortable=True, resizable=True, suppressMovable=True),
                dashGridOptions={"animateRows": False, "tooltipShowDelay": 300,
                                 "localeText": grid_locale("没有符合条件的任务"),
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
            # only shown (plain HTML in one component: components.static)
            html.Div(static(directive_view(scope, filters, today)), id=ids.directives),
        ], className="card tasks-directives-card", **{"aria-label": "批示与督办单"}),
        html.P(rules.status_rule_text(), className="muted tasks-rule"),
    ], className="tasks-page", **{"data-href": tasks_href(filters),
                                  "data-count": str(len(chosen))})


def directive_view(scope: Scope, filters: TaskFilter, today: date):
    """The directives sent to the unit or region chosen in the filter panel."""
    found = tq.directives_for_receiver(
        tq.directives(scope=scope, today=today), department=filters.department,
        region=filters.region, regions=queries.regions(scope=scope))
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


def next_href(values: dict[str, str | None], view_data: dict) -> str:
    """The URL after a filter changed (``no_update`` if nothing did)."""
    current = page_state(TaskFilter, view_data)
    changes = {FILTER_CONTROLS[k]: (v or None) for k, v in values.items()}
    if changes.get("due_within") is not None:
        if not whole_number(changes["due_within"]):
            raise BadAddress(STALE_STATE)
        changes["due_within"] = int(changes["due_within"])
    if not all(isinstance(v, str | int | None) for v in changes.values()):
        raise BadAddress(STALE_STATE)
    target = current.but(**changes)
    return no_update if target == current else tasks_href(target)


@callback(
    Output(ids.nav, "href", allow_duplicate=True),
    *[Input(c, "value") for c in FILTER_CONTROLS],
    State(ids.view, "data"),
    prevent_initial_call=True,
)
def navigate(*args):
    """Every filter is a new address: the page is rebuilt from it and Back undoes it."""
    *values, view_data = args
    return next_href(dict(zip(FILTER_CONTROLS, values, strict=True)), view_data)


@callback(
    Output(ids.download, "data"),
    Input(ids.export_xlsx, "n_clicks"), Input(ids.export_csv, "n_clicks"),
    State(ids.view, "data"),
    prevent_initial_call=True,
)
def export(_xlsx, _csv, view_data):
    kind = "csv" if dash.ctx.triggered_id == ids.export_csv else "xlsx"
    return export_download(kind, page_state(TaskFilter, view_data), scope=viewer_scope())


def export_download(kind: str, filters: TaskFilter, *, scope: Scope) -> dict:
    """The filtered rows as an Excel or CSV download (made on the server)."""
    today = clock.today(scope=scope)
    params = {param: getattr(filters, field) for param, field in TASK_PARAMS.items()}
    resolve_filters(scope=scope, today=today,  # a forged view is refused like its address
                    params={k: str(v) for k, v in params.items() if v is not None})
    chosen = filtered(scope, filters, today)
    region = (queries.regions(scope=scope).set_index("adcode").at[filters.region, "name"]
              if filters.region else "全部地区")
    return Export(topic="重大任务", region=region,
                  filters=describe(filters.but(region=None), scope=scope, today=today),
                  as_of=today, rows=view.export_rows(chosen), columns=view.EXPORT_COLUMNS,
                  demo=queries.dataset_status(scope=scope)["demo"], unit="项任务",
                  ).download(kind, by=current_account())
