"""The seven problem lists (七张问题清单): ``/problems``.

The URL is the state: ``/problems?region=<adcode>&list=<code>&dept=<code>&category=<name>
&severity=<code>&stage=<code>&light=<red|yellow|green>&from=YYYY-MM&to=YYYY-MM`` (all
optional). Every control navigates to a new URL and the layout is built from it, so a link
reproduces a view, the map drills like the cockpit's (province → city → county) and the
browser's back button works. The table's rows export to Excel and CSV on the server.
"""

from __future__ import annotations

import re
from datetime import date

import dash
import pandas as pd
from dash import Input, Output, State, callback, ctx, dcc, html, no_update

from auth import current_account
from components import format as fmt
from components import problems as view
from components.charts import clicked_adcode
from components.export import Export
from components.frame import breadcrumb, navigator, page_or_message
from components.graph import graph
from components.static import static
from config.labels import DROPDOWN_LABELS, ERRORS, LEVEL_NAMES
from data import clock, queries
from data import problems_queries as pq
from data import problems_rules as rules
from data.geo import boundaries
from data.problems_queries import ProblemFilter
from data.reference import PROVINCE
from data.scope import Scope, home_region, viewer_scope
from panels.addresses import PROBLEM_PARAMS as PARAMS
from panels.addresses import BadAddress, one_value, page_state, problems_href

MONTH_PATTERN = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
FIRST_MONTH = "2024-01"
CHILD_NOUN = {"province": "各设区市", "city": "各县（市、区）", "county": "各县（市、区）"}


class ids:  # noqa: N801 - a namespace of component ids
    view = "problems-view"
    nav = "problems-nav"
    list = "problems-list"
    department = "problems-department"
    category = "problems-category"
    severity = "problems-severity"
    stage = "problems-stage"
    light = "problems-light"
    found_from = "problems-from"
    found_to = "problems-to"
    map = "problems-map"
    funnel = "problems-funnel"
    bars = "problems-bars"
    grid = "problems-grid"
    export_excel = "problems-export-excel"
    export_csv = "problems-export-csv"
    download = "problems-download"


#: The colour of a problem's light, in words (the URL's code is not for reading).
LIGHT_COLOURS = {"red": "红", "yellow": "黄", "green": "绿"}

FILTER_CONTROLS = {  # component id → ProblemFilter field
    ids.list: "list_code", ids.department: "department", ids.category: "category",
    ids.severity: "severity", ids.stage: "stage", ids.light: "light",
    ids.found_from: "found_from", ids.found_to: "found_to",
}


def _title(**params: object) -> str:
    return "七张问题清单 · 数字化改革驾驶舱"


def _check_address(**params: object) -> None:
    """Raises what :func:`layout` would show as a message (the address's HTTP status)."""
    scope = viewer_scope()
    resolve_filters(scope=scope, params=params, today=clock.today(scope=scope))


dash.register_page(__name__, path="/problems", title=_title, name="七张问题清单", order=20,
                   check_address=_check_address, kept=True)


def month_options(today: date) -> list[str]:
    return [p.strftime("%Y-%m") for p in pd.period_range(FIRST_MONTH, today, freq="M")]


def resolve_filters(*, scope: Scope, params: dict[str, object], today: date) -> ProblemFilter:
    """Check the URL's parameters and turn them into a :class:`ProblemFilter`."""
    values: dict[str, str] = {}
    for param, field in PARAMS.items():
        raw = params.get(param)
        if raw in (None, ""):
            continue
        one_value(param, raw)
        values[field] = raw
    region = values.get("region", home_region(scope) or PROVINCE)
    try:
        queries.check_region(scope=scope, adcode=region)
    except queries.ScopeRefused as refused:
        raise BadAddress(str(refused)) from refused
    lists = pq.problem_lists(scope=scope)
    if values.get("list_code") and values["list_code"] not in set(lists["code"]):
        raise BadAddress(f"未找到编码为“{values['list_code']}”的问题清单。")
    options = pq.filter_options(scope=scope)
    if values.get("department") and scope.departments is not None:
        try:
            queries.check_department(scope=scope, code=values["department"])
        except queries.ScopeRefused as refused:
            raise BadAddress(str(refused)) from refused
    if values.get("department") and values["department"] not in {
            c for c, _ in options["departments"]}:
        raise BadAddress(f"未找到编码为“{values['department']}”的责任部门。")
    if values.get("category") and values["category"] not in {
            c for c, _ in options["categories"]}:
        raise BadAddress(f"未找到问题类别“{values['category']}”。")
    if values.get("severity") and values["severity"] not in rules.SEVERITIES:
        raise BadAddress(f"严重程度“{values['severity']}”无法识别。")
    if values.get("stage") and values["stage"] not in rules.STAGES:
        raise BadAddress(f"阶段“{values['stage']}”无法识别。")
    if values.get("light") and values["light"] not in rules.PROBLEM_LIGHTS:
        raise BadAddress(f"亮灯“{values['light']}”无法识别：请在筛选“亮灯”中选择红灯（逾期）、"
                         "黄灯（预警）或绿灯（正常）。")
    for field in ("found_from", "found_to"):
        if values.get(field) and not MONTH_PATTERN.match(values[field]):
            raise BadAddress(ERRORS["bad_period"].format(period=values[field]))
    if values.get("found_from") and values.get("found_to") \
            and values["found_from"] > values["found_to"]:
        raise BadAddress("发现时间的起始月份晚于截止月份。")
    return ProblemFilter(**{"region": region, **values})


def layout(**params: object) -> html.Div:
    scope = viewer_scope()

    def build() -> html.Div:
        today = clock.today(scope=scope)
        filters = resolve_filters(scope=scope, params=params, today=today)
        return problems_view(scope=scope, filters=filters, today=today)

    return page_or_message(build)


def _dropdown(component_id: str, label: str, options: list[tuple[str, str]],
              value: str | None, *, width: str = "150px", searchable: bool = False) -> html.Div:
    return html.Div(
        [html.Label(label, htmlFor=component_id, className="control-label"),
         dcc.Dropdown(id=component_id, options=[{"label": t, "value": v} for v, t in options],
                      labels=DROPDOWN_LABELS,
                      value=value, clearable=True, searchable=searchable, placeholder="全部",
                      className="control", style={"width": width})],
        className="pb-filter",
    )


def filter_bar(*, scope: Scope, filters: ProblemFilter, today: date) -> html.Div:
    lists = pq.problem_lists(scope=scope)
    options = pq.filter_options(scope=scope)
    categories = options["categories"]
    if filters.list_code:
        name = lists.set_index("code").at[filters.list_code, "name"]
        categories = [(c, t) for c, t in categories if t.startswith(f"{name} · ")]
    months = [(m, f"{m[:4]}年{int(m[5:])}月") for m in reversed(month_options(today))]
    return html.Div(
        [
            _dropdown(ids.list, "清单", list(zip(lists["code"], lists["name"], strict=True)),
                      filters.list_code, width="170px"),
            _dropdown(ids.department, "责任部门", options["departments"], filters.department,
                      width="200px", searchable=True),
            _dropdown(ids.category, "问题类别", categories, filters.category, width="250px",
                      searchable=True),
            _dropdown(ids.severity, "严重程度", list(rules.SEVERITIES.items()),
                      filters.severity, width="100px"),
            _dropdown(ids.stage, "阶段", list(rules.STAGE_NAMES.items()), filters.stage,
                      width="110px"),
            _dropdown(ids.light, "亮灯", [(k, f"{view.LIGHTS[k].symbol} {w}") for k, w in
                                         rules.LIGHT_WORDS.items()], filters.light,
                      width="110px"),
            _dropdown(ids.found_from, "发现时间 从", months, filters.found_from, width="130px"),
            _dropdown(ids.found_to, "至", months, filters.found_to, width="130px"),
            dcc.Link("清除筛选", href=problems_href(ProblemFilter(region=filters.region)),
                     className="pb-clear"),
        ],
        className="pb-filters card", role="search", **{"aria-label": "筛选问题"},
    )


def describe(filters: ProblemFilter, *, scope: Scope) -> str:
    """The filters in words (for headings and the export's note)."""
    parts = []
    if filters.list_code:
        lists = pq.problem_lists(scope=scope).set_index("code")
        parts.append(f"{lists.at[filters.list_code, 'name']}清单")
    if filters.department:
        names = dict(pq.filter_options(scope=scope)["departments"])
        parts.append(names.get(filters.department, filters.department))
    if filters.category:
        parts.append(filters.category)
    if filters.severity:
        parts.append(f"{rules.SEVERITIES[filters.severity]}问题")
    if filters.stage:
        parts.append(f"{rules.STAGE_NAMES[filters.stage]}阶段")
    if filters.light:
        parts.append(f"{LIGHT_COLOURS[filters.light]}灯（{rules.LIGHT_WORDS[filters.light]}）")
    if filters.found_from or filters.found_to:
        parts.append(f"发现于 {filters.found_from or FIRST_MONTH} 至 {filters.found_to or '今'}")
    return "，".join(parts) if parts else "全部问题"


def problems_view(*, scope: Scope, filters: ProblemFilter, today: date) -> html.Div:
    tree = pq.regions(scope=scope).set_index("adcode")
    region = tree.loc[filters.region]
    level = region["level"]
    crumbs = [(name, problems_href(filters.but(region=a)) if visible else None)
              for a, name, visible in queries.region_path(scope=scope, adcode=filters.region)]
    crumbs[-1] = (region["name"], None)
    found = pq.problems(scope=scope, filters=filters, today=today)
    rates = rules.closure_rates(found)
    breakdown = pq.region_breakdown(scope=scope, filters=filters, today=today)
    # A county's common problems are those of its city: one county alone has no "many"
    # (unless the viewer sees that county alone).
    common_root = (region["parent_adcode"]
                   if level == "county" and region["parent_adcode"] in tree.index
                   else filters.region)
    common_name = tree.loc[common_root, "name"]
    common = pq.common_problems(scope=scope, filters=filters.but(region=common_root),
                                today=today)
    lists = pq.problem_lists(scope=scope)
    as_of = fmt.as_of(today)
    scope_words = describe(filters, scope=scope)
    compared = CHILD_NOUN[level]
    group_name = region["name"]
    if level == "county" and region["parent_adcode"] in tree.index:
        group_name = tree.loc[region["parent_adcode"], "name"]
    elif level == "county":
        compared = ""
    geojson = boundaries().feature_collection(tuple(breakdown["adcode"]))

    return html.Div(
        [
            dcc.Store(id=ids.view, data=vars(filters)),
            navigator(ids.nav),
            html.Div(breadcrumb(crumbs), className="page-bar"),
            html.H2([f"{region['name']} · 七张问题清单",
                     html.Span(LEVEL_NAMES[level], className="level-tag"),
                     html.Span(f"{as_of} · {scope_words}", className="heading-sub")],
                    className="page-heading"),
            filter_bar(scope=scope, filters=filters, today=today),
            html.Section(static(view.summary_cards(rates)), className="pb-summary",
                         **{"aria-label": "闭环管控"}),
            html.Div(
                [
                    html.Section(graph(
                        view.stage_funnel(rules.stage_funnel(found),
                                          title=f"闭环进度 · {region['name']}"),
                        graph_id=ids.funnel),
                        className="card", **{"aria-label": "闭环进度"}),
                    html.Section(graph(
                        view.stage_bars(found, lists,
                                        title=f"各清单问题所处阶段 · {region['name']}"),
                        graph_id=ids.bars),
                        className="card", **{"aria-label": "各清单阶段"}),
                ],
                className="pb-row",
            ),
            html.Div(
                [
                    html.Section(graph(
                        view.problem_map(
                            breakdown, geojson,
                            title=f"{group_name}{compared} · {view.density(breakdown)[1]}"
                                  "未销号问题数"),
                        graph_id=ids.map, class_name="pb-map-graph"),
                        className="card", **{"aria-label": "地图"}),
                    html.Section(
                        static(view.region_table(
                            breakdown,
                            href_for=lambda a: problems_href(filters.but(region=a)),
                            caption=f"{group_name}{compared}问题亮灯情况（点击地区名称进入）")),
                        className="card pb-region-card", **{"aria-label": "分地区亮灯"}),
                ],
                className="pb-map-row",
            ),
            html.Section(
                [html.H3(f"共性问题 · {common_name}", className="panel-title"),
                 html.P("同一类问题在多个县（市、区）同时存在：按目前有未销号问题的县（市、区）数"
                        "排序（其次为累计涉及数），便于举一反三、全域整治。", className="pb-hint"),
                 static(view.common_problems_table(
                     common, caption=f"{common_name} · {scope_words} · 共性问题排行",
                     href_for=lambda lc, cat: problems_href(
                         filters.but(region=common_root, list_code=lc, category=cat))))],
                className="card pb-common", **{"aria-label": "共性问题"}),
            html.Section(
                [
                    html.Div(
                        [html.H3(f"问题清单（{rates['total']:,} 个）", className="panel-title"),
                         html.Div([
                             html.Button("导出 Excel", id=ids.export_excel, n_clicks=0,
                                         className="button pb-button"),
                             html.Button("导出 CSV", id=ids.export_csv, n_clicks=0,
                                         className="button pb-button"),
                         ], className="pb-actions")],
                        className="pb-table-head"),
                    view.problem_grid(ids.grid, found),
                    dcc.Download(id=ids.download),
                ],
                className="card pb-list", **{"aria-label": "问题列表"}),
        ],
        className="problems-page",
        **{"data-region": filters.region, "data-level": level, "data-count": str(len(found)),
           "data-href": problems_href(filters)},
    )


def next_href(trigger: str | None, *, values: dict[str, str | None], map_click: dict | None,
              view_data: dict) -> str:
    """The URL after a filter changed or the map was clicked (``no_update`` if none)."""
    current = page_state(ProblemFilter, view_data)
    if trigger == ids.map:
        adcode = clicked_adcode(map_click)
        target = current.but(region=adcode) if adcode else current
    else:
        target = current.but(**{FILTER_CONTROLS[k]: (v or None) for k, v in values.items()})
        if target.list_code != current.list_code and target.category == current.category:
            target = target.but(category=None)  # a category belongs to one list
    if target == current:
        return no_update
    return problems_href(target)


@callback(
    Output(ids.nav, "href", allow_duplicate=True),
    *[Input(c, "value") for c in FILTER_CONTROLS],
    Input(ids.map, "clickData"),
    State(ids.view, "data"),
    prevent_initial_call=True,
)
def navigate(*args):
    *values, map_click, view_data = args
    return next_href(ctx.triggered_id, values=dict(zip(FILTER_CONTROLS, values, strict=True)),
                     map_click=map_click, view_data=view_data)


def export_file(kind: str, *, scope: Scope, view_data: dict) -> dict:
    """The ``dcc.Download`` data of the filtered problems as ``xlsx`` or ``csv``."""
    today = clock.today(scope=scope)
    filters = page_state(ProblemFilter, view_data)
    queries.check_region(scope=scope, adcode=filters.region)  # a forged view: 无权限
    found = pq.problems(scope=scope, filters=filters, today=today)
    region = pq.regions(scope=scope).set_index("adcode").at[filters.region, "name"]
    return Export(topic="七张问题清单", region=region, filters=describe(filters, scope=scope),
                  as_of=today, rows=view.export_rows(found), columns=view.EXPORT_COLUMNS,
                  demo=queries.dataset_status(scope=scope)["demo"], unit="个问题",
                  ).download(kind, by=current_account())


@callback(
    Output(ids.download, "data"),
    Input(ids.export_excel, "n_clicks"),
    Input(ids.export_csv, "n_clicks"),
    State(ids.view, "data"),
    prevent_initial_call=True,
)
def export(_excel: int, _csv: int, view_data: dict):
    kind = "csv" if ctx.triggered_id == ids.export_csv else "xlsx"
    return export_file(kind, scope=viewer_scope(), view_data=view_data)
