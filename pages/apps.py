"""``/apps``: the ledger of major reforms and applications (重大改革（重大应用）“一本账”).

URL: ``/apps?system=<code>&level=<province|system|city>&dept=<code>&app=<code>`` (all
optional). The URL is the state: every choice is a new address. The table sorts by any column
and exports (the one export format); the chosen application's adoption is shown on a map of the
counties and month by month.
"""

from __future__ import annotations

import dash
from dash import Input, Output, State, callback, ctx, dcc, html, no_update

from auth import current_account
from components import apps as view
from components.export import Export
from components.frame import navigator, page_or_message
from components.graph import graph
from config.labels import DEMO_BADGE, DROPDOWN_LABELS
from data import apps_queries as apq
from data import clock, queries
from data.apps_queries import AppFilter
from data.geo import boundaries
from data.scope import Scope, viewer_scope
from panels.addresses import APP_PARAMS, STALE_STATE, BadAddress, apps_href, one_value, page_state


class ids:  # noqa: N801 - a namespace of component ids
    view = "apps-view"
    nav = "apps-nav"
    system = "apps-system"
    level = "apps-level"
    dept = "apps-dept"
    app = "apps-app"
    grid = "apps-grid"
    map = "apps-map"
    trend = "apps-trend"
    export_excel = "apps-export-excel"
    export_csv = "apps-export-csv"
    download = "apps-download"


CONTROLS = {ids.system: "system", ids.level: "level", ids.dept: "dept", ids.app: "app"}

dash.register_page(__name__, path="/apps", title="重大应用“一本账” · 数字化改革驾驶舱",
                   name="一本账", order=27, kept=True)


def resolve(*, scope: Scope, params: dict[str, object]) -> AppFilter:
    values: dict[str, str] = {}
    for name in APP_PARAMS:
        raw = params.get(name)
        if raw in (None, ""):
            continue
        one_value(name, raw)
        values[name] = raw
    ledger = apq.ledger(scope=scope)
    if ledger.empty:
        raise BadAddress("还没有重大应用“一本账”数据。请先运行 flask --app app:server seed-demo。")
    checks = (("system", "system_code", "体系"), ("dept", "lead_department", "牵头单位"),
              ("app", "code", "应用"))
    for param, column, words in checks:
        if values.get(param) and values[param] not in set(ledger[column]):
            raise BadAddress(f"未找到编码为“{values[param]}”的{words}（或您无权查看）。")
    if values.get("level") and values["level"] not in apq.LEVELS:
        raise BadAddress(f"层级“{values['level']}”无法识别，可选 province、system、city。")
    return AppFilter(**values)


def layout(**params: object) -> html.Div:
    scope = viewer_scope()
    return page_or_message(lambda: apps_view(scope=scope, choice=resolve(scope=scope,
                                                                         params=params)))


def _dropdown(component_id: str, label: str, options: list[tuple[str, str]],
              value: str | None, *, width: str, clearable: bool = True) -> html.Div:
    return html.Div(
        [html.Label(label, htmlFor=component_id, className="control-label"),
         dcc.Dropdown(id=component_id, options=[{"label": t, "value": v} for v, t in options],
                      labels=DROPDOWN_LABELS, value=value, clearable=clearable,
                      placeholder="全部", className="control", style={"width": width})],
        className="pb-filter")


def describe(choice: AppFilter, ledger) -> str:
    parts = []
    if choice.system:
        parts.append(ledger.loc[ledger["system_code"] == choice.system, "system_name"].iloc[0])
    if choice.level:
        parts.append(apq.LEVELS[choice.level])
    if choice.dept:
        parts.append(ledger.loc[ledger["lead_department"] == choice.dept, "lead_name"].iloc[0])
    return "，".join(parts) or "全部应用"


def apps_view(*, scope: Scope, choice: AppFilter) -> html.Div:
    ledger = apq.ledger(scope=scope)
    shown = apq.filter_ledger(ledger, choice)
    app = choice.app or (str(shown["code"].iloc[0]) if len(shown) else str(ledger["code"].iloc[0]))
    chosen = ledger[ledger["code"] == app].iloc[0]
    adopted = apq.adoptions(scope=scope)
    today = clock.today(scope=scope)
    tree = queries.regions(scope=scope)
    counties = tree[tree["level"] == "county"]
    mine = adopted[adopted["app_code"] == app]
    dates = dict(zip(mine["region_adcode"], mine["adopted_on"], strict=True))
    series = apq.adoption_over_time(adopted, app=app, until=today)
    in_use = int(counties["adcode"].isin(dates).sum())
    systems = ledger.drop_duplicates("system_code")[["system_code", "system_name"]]
    depts = ledger.drop_duplicates("lead_department").sort_values("lead_department")
    demo = [html.Span(DEMO_BADGE, className="ap-demo")] if (ledger["source"] == "demo").any() \
        else []
    return html.Div(
        [
            dcc.Store(id=ids.view, data=vars(choice)),
            navigator(ids.nav),
            html.H2(["重大改革（重大应用）“一本账”",
                     html.Span(f"省重大应用、系统清单与设区市特色应用 · 截至{today:%Y-%m-%d}",
                               className="heading-sub"), *demo], className="page-heading"),
            html.Div([
                _dropdown(ids.system, "体系", list(zip(systems["system_code"],
                                                       systems["system_name"], strict=True)),
                          choice.system, width="210px"),
                _dropdown(ids.level, "层级", list(apq.LEVELS.items()), choice.level,
                          width="160px"),
                _dropdown(ids.dept, "牵头单位", list(zip(depts["lead_department"],
                                                         depts["lead_name"], strict=True)),
                          choice.dept, width="210px"),
                dcc.Link("清除筛选", href=apps_href(AppFilter()), className="pb-clear"),
            ], className="pb-filters card", role="search", **{"aria-label": "筛选应用"}),
            html.Section([
                html.Div([html.H3(f"应用清单（{len(shown)} 个 · {describe(choice, ledger)}）",
                                  className="panel-title"),
                          html.Div([html.Button("导出 Excel", id=ids.export_excel, n_clicks=0,
                                                className="button pb-button"),
                                    html.Button("导出 CSV", id=ids.export_csv, n_clicks=0,
                                                className="button pb-button")],
                                   className="pb-actions")], className="pb-table-head"),
                html.P("活跃率：当月使用过的用户占注册用户的比例；实活率：当月完成实际办事（业务闭环）"
                       "的用户占比；满意率：评价为满意的比例。点击表头排序。", className="rk-rule"),
                view.ledger_grid(ids.grid, shown),
                dcc.Download(id=ids.download),
            ], className="card", **{"aria-label": "应用清单"}),
            html.Section([
                html.H3(f"地区应用情况 · {chosen['name']}", className="panel-title"),
                _dropdown(ids.app, "应用", list(zip(ledger["code"], ledger["name"],
                                                    strict=True)), app, width="260px",
                          clearable=False),
                html.P(f"{chosen['level_name']}（{chosen['home_name']}清单），"
                       f"{chosen['launched_on']:%Y-%m-%d} 上线；已在 {in_use} 个县（市、区）"
                       f"应用（共 {len(counties)} 个）。"
                       + ("特色应用经总结提炼上升为全省推广（一地创新、全省共享）。"
                          if chosen["level"] == "city" and in_use > 0 and
                          mine["region_adcode"].str[:4].nunique() > 1 else ""),
                       className="rk-rule"),
                html.Div([
                    graph(view.adoption_map(counties, dates, boundaries().feature_collection(
                        tuple(counties["adcode"])), title="蓝色：已应用；灰色：尚未应用"),
                        graph_id=ids.map, class_name="pb-map-graph"),
                    graph(view.adoption_lines(series, total=len(counties),
                                              title="应用的县（市、区）数 · 逐月累计"),
                          graph_id=ids.trend),
                ], className="pb-row"),
            ], className="card", **{"aria-label": "地区应用情况"}),
        ],
        className="apps-page",
        **{"data-count": str(len(shown)), "data-app": app, "data-adopted": str(in_use),
           "data-href": apps_href(choice)},
    )


def next_href(trigger: str | None, *, values: dict[str, str | None], view_data: dict) -> str:
    current = page_state(AppFilter, view_data)
    if trigger not in CONTROLS:
        return no_update
    target = AppFilter(**{**vars(current), CONTROLS[trigger]: values.get(trigger) or None})
    return no_update if target == current else apps_href(target)


@callback(
    Output(ids.nav, "href", allow_duplicate=True),
    *[Input(c, "value") for c in CONTROLS],
    State(ids.view, "data"),
    prevent_initial_call=True,
)
def navigate(*args):
    *values, view_data = args
    return next_href(ctx.triggered_id, values=dict(zip(CONTROLS, values, strict=True)),
                     view_data=view_data)


def export_file(kind: str, *, scope: Scope, view_data: dict) -> dict:
    if not isinstance(view_data, dict | None):
        raise BadAddress(STALE_STATE)
    choice = resolve(scope=scope, params={k: v for k, v in (view_data or {}).items()
                                          if k in APP_PARAMS})
    ledger = apq.ledger(scope=scope)
    shown = apq.filter_ledger(ledger, choice)
    return Export(topic="重大应用一本账", region="浙江省", filters=describe(choice, ledger),
                  as_of=clock.today(scope=scope), rows=shown, columns=view.EXPORT_COLUMNS,
                  demo=bool((ledger["source"] == "demo").any()), unit="个应用",
                  ).download(kind, by=current_account())


@callback(
    Output(ids.download, "data"),
    Input(ids.export_excel, "n_clicks"), Input(ids.export_csv, "n_clicks"),
    State(ids.view, "data"),
    prevent_initial_call=True,
)
def export(_excel: int, _csv: int, view_data: dict):
    kind = "csv" if ctx.triggered_id == ids.export_csv else "xlsx"
    return export_file(kind, scope=viewer_scope(), view_data=view_data)
