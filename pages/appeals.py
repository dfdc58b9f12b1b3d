"""``/appeals``: the public's appeals (民呼我为) — volumes by region, category and channel over
time, the heat map by county (drilling like the cockpit's), the hot list, the trend warnings
with their test stated, handling, on-time reply and satisfaction rates; a warning becomes a
problem on the 群众信访 list with one action.

URL: ``/appeals?region=<adcode>&category=<code>&weeks=<4|13|26|52>`` (all optional). The URL
is the state: every choice (and a click on the map) is a new address.
"""

from __future__ import annotations

from datetime import timedelta

import dash
from dash import ALL, Input, Output, State, callback, ctx, dcc, html, no_update

from auth import NotAllowed, current_account, require_writer
from components import appeal_charts as charts
from components.charts import clicked_adcode
from components.frame import breadcrumb, navigator, page_or_message
from components.graph import graph
from config.labels import DEMO_BADGE, DROPDOWN_LABELS, LEVEL_NAMES
from data import appeals_queries as aq
from data import appeals_rules as rules
from data import clock, queries
from data.appeals_queries import AppealView
from data.geo import boundaries
from data.reference import PROVINCE
from data.scope import Scope, home_region, viewer_scope
from panels.addresses import (
    APPEAL_PARAMS,
    STALE_STATE,
    BadAddress,
    appeals_href,
    one_value,
    page_state,
    problem_href,
    whole_number,
)

WEEK_CHOICES = {4: "近4周", 13: "近13周", 26: "近26周", 52: "近52周"}
DEFAULT_WEEKS = 13


class ids:  # noqa: N801 - a namespace of component ids
    view = "appeals-view"
    nav = "appeals-nav"
    category = "appeals-category"
    weeks = "appeals-weeks"
    map = "appeals-map"
    trend = "appeals-trend"
    channels = "appeals-channels"
    raise_button = "appeals-raise"  # pattern-matching: {"type": …, "unit": …, "category": …}
    raised = "appeals-raised"


dash.register_page(__name__, path="/appeals", title="民呼我为 · 数字化改革驾驶舱", name="民呼我为",
                   order=25, kept=True)


def resolve(*, scope: Scope, params: dict[str, object]) -> AppealView:
    """Check the URL's parameters (Chinese messages for anything wrong)."""
    values: dict[str, str] = {}
    for name in APPEAL_PARAMS:
        raw = params.get(name)
        if raw in (None, ""):
            continue
        one_value(name, raw)
        values[name] = raw
    region = values.get("region") or home_region(scope) or PROVINCE
    try:
        queries.check_region(scope=scope, adcode=region)
    except queries.ScopeRefused as refused:
        raise BadAddress(str(refused)) from refused
    category = values.get("category")
    if category and category not in set(aq.categories(scope=scope)["code"]):
        raise BadAddress(f"未找到编码为“{category}”的诉求类别。")
    try:
        weeks = int(values.get("weeks", DEFAULT_WEEKS))
    except ValueError:
        weeks = -1
    if weeks not in WEEK_CHOICES:
        raise BadAddress(f"时段“{values.get('weeks')}”无法识别，可选 4、13、26 或 52 周。")
    found = aq.week_range(scope=scope)
    if found is None:
        raise BadAddress("还没有民呼我为的诉求数据。请先运行 flask --app app:server seed-demo。")
    return AppealView(region=region, category=category, weeks=weeks, week=found[1].isoformat())


def layout(**params: object) -> html.Div:
    scope = viewer_scope()
    return page_or_message(lambda: appeals_view(scope=scope, view=resolve(scope=scope,
                                                                          params=params)))


def _dropdown(component_id: str, label: str, options: list[tuple[object, str]], value: object,
              *, width: str, clearable: bool) -> html.Div:
    return html.Div(
        [html.Label(label, htmlFor=component_id, className="control-label"),
         dcc.Dropdown(id=component_id, options=[{"label": t, "value": v} for v, t in options],
                      labels=DROPDOWN_LABELS, value=value, clearable=clearable,
                      placeholder="全部", className="control", style={"width": width})],
        className="pb-filter")


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}%"


def summary_cards(totals: dict, previous: dict) -> html.Div:
    rates, before = rules.rates(totals), rules.rates(previous)
    change = ("—" if not previous["received"] else
              f"{(totals['received'] - previous['received']) / previous['received'] * 100:+.1f}%")
    cards = [("受理诉求", f"{totals['received']:,}", "件", f"较上一时段 {change}")]
    for key, label in (("handling", "办理率"), ("on_time", "按时答复率"),
                       ("satisfaction", "满意率")):
        delta = ("—" if rates[key] is None or before[key] is None
                 else f"{rates[key] - before[key]:+.1f}个百分点")
        cards.append((label, _pct(rates[key]).rstrip("%"), "%", f"较上一时段 {delta}"))
    return html.Div([html.Div([html.Div(label, className="ap-card-label"),
                               html.Div([html.Span(value, className="ap-card-value"),
                                         html.Span(unit, className="ap-card-unit")]),
                               html.Div(note, className="ap-card-note")],
                              className="card ap-card", **{"data-stat": label})
                     for label, value, unit, note in cards], className="ap-cards")


def hot_table(hot, view: AppealView) -> html.Table:
    rows = []
    for rank, r in enumerate(hot.itertuples(index=False), start=1):
        change = rules.change_words(r.change)
        rows.append(html.Tr([
            html.Td(str(rank), className="num"),
            html.Th(dcc.Link(r.name, href=appeals_href(view.region, category=r.category_code,
                                                        weeks=view.weeks)), scope="row"),
            html.Td(f"{r.received:,}", className="num"), html.Td(f"{r.share:.1f}%",
                                                                 className="num"),
            html.Td(change, className="num")]))
    return html.Table([html.Caption("热度榜：按受理件数排列，变化对照上一个同样长的时段"),
                       html.Thead(html.Tr([html.Th(h, scope="col") for h in
                                           ("名次", "类别", "件数", "占比", "变化")])),
                       html.Tbody(rows)], className="panel-table ap-hot")


def warnings_table(found, *, can_write: bool) -> html.Div:
    if found.empty:
        return html.P("本周没有触发趋势预警的地区和类别。", className="muted")
    rows = [html.Tr([
        html.Th(r.unit_name, scope="row"), html.Td(r.category_name),
        html.Td(f"{r.received:,}", className="num"), html.Td(f"{r.mean:.1f}", className="num"),
        html.Td(f"{r.z:.1f}", className="num"),
        html.Td(html.Button("转为问题", id={"type": ids.raise_button, "unit": r.unit,
                                         "category": r.category_code},
                            n_clicks=0, className="button ap-raise", disabled=not can_write,
                            title="在“群众信访”问题清单中新建一个问题（问题主动发现）")),
    ], **{"data-unit": r.unit, "data-category": r.category_code})
        for r in found.itertuples(index=False)]
    return html.Table([html.Thead(html.Tr([html.Th(h, scope="col") for h in (
        "地区", "类别", "本周件数", f"前{rules.BASELINE_WEEKS}周均值", "z 值", "")])),
        html.Tbody(rows)], className="panel-table ap-warnings")


def appeals_view(*, scope: Scope, view: AppealView) -> html.Div:
    tree = queries.regions(scope=scope).set_index("adcode")
    region = tree.loc[view.region]
    end = aq.week_range(scope=scope)[1]
    start = end - timedelta(weeks=view.weeks - 1)
    before_end, before_start = start - timedelta(weeks=1), start - timedelta(weeks=view.weeks)
    names = aq.categories(scope=scope).set_index("code")["name"].to_dict()
    counts = aq.weekly(scope=scope, region=view.region, category=view.category, start=start,
                       end=end)
    previous = aq.weekly(scope=scope, region=view.region, category=view.category,
                         start=before_start, end=before_end)
    totals = {c: int(counts[c].sum()) for c in aq.COUNTS}
    previous_totals = {c: int(previous[c].sum()) for c in aq.COUNTS}
    all_counts = aq.weekly(scope=scope, region=view.region, category=None, start=start, end=end)
    all_previous = aq.weekly(scope=scope, region=view.region, category=None,
                             start=before_start, end=before_end)
    hot = aq.hot_list(all_counts, all_previous, names)
    units = aq.unit_summary(scope=scope, region=view.region, category=view.category,
                            start=start, end=end)
    channel_names = aq.channels(scope=scope).set_index("code")["name"].to_dict()
    channel_counts = aq.channel_weekly(scope=scope, region=view.region, start=start, end=end)
    found = aq.warnings(scope=scope, region=view.region, week=end)
    account = current_account()
    can_write = account is not None and account.can_write
    span = f"{start:%Y-%m-%d} 至 {end + timedelta(days=6):%Y-%m-%d}（{WEEK_CHOICES[view.weeks]}）"
    what = names.get(view.category, "全部类别") if view.category else "全部类别"
    crumbs = [(name, appeals_href(a, category=view.category, weeks=view.weeks)
               if visible else None) for a, name, visible in
              queries.region_path(scope=scope, adcode=view.region)]
    crumbs[-1] = (region["name"], None)
    demo = [html.Span(DEMO_BADGE, className="ap-demo")] if aq.is_demo(scope=scope) else []
    geojson = boundaries().feature_collection(tuple(units["adcode"]))
    return html.Div(
        [
            dcc.Store(id=ids.view, data=vars(view)),
            navigator(ids.nav),
            html.Div(breadcrumb(crumbs), className="page-bar"),
            html.H2([f"{region['name']} · 民呼我为",
                     html.Span(LEVEL_NAMES[region["level"]], className="level-tag"),
                     html.Span(f"{span} · {what}", className="heading-sub"), *demo],
                    className="page-heading"),
            html.Div([_dropdown(ids.category, "诉求类别", list(names.items()), view.category,
                                width="200px", clearable=True),
                      _dropdown(ids.weeks, "时段", list(WEEK_CHOICES.items()), view.weeks,
                                width="130px", clearable=False)],
                     className="pb-filters card", role="search",
                     **{"aria-label": "筛选诉求"}),
            summary_cards(totals, previous_totals),
            html.P(rules.RATE_TEXT, className="rk-rule"),
            html.Div([
                html.Section(graph(charts.heat_map(
                    units, geojson, title=f"每万人诉求件数 · {what} · 点击地区下钻"),
                    graph_id=ids.map, class_name="pb-map-graph"),
                    className="card", **{"aria-label": "诉求热力图"}),
                html.Section([html.H3(f"热度榜 · {region['name']}", className="panel-title"),
                              hot_table(hot, view)],
                             className="card", **{"aria-label": "热度榜"}),
            ], className="pb-map-row"),
            html.Div([
                html.Section(graph(charts.trend_lines(
                    counts, title=f"每周受理件数与满意率 · {what}"), graph_id=ids.trend),
                    className="card", **{"aria-label": "诉求趋势"}),
                html.Section(graph(charts.channel_bars(
                    channel_counts, channel_names, title="分渠道受理件数（全部类别）"),
                    graph_id=ids.channels), className="card", **{"aria-label": "分渠道"}),
            ], className="pb-row"),
            html.Section([
                html.H3(f"趋势预警 · {end:%Y-%m-%d}当周", className="panel-title"),
                html.P(rules.RULE_TEXT, className="rk-formula"),
                warnings_table(found, can_write=can_write),
                html.P(id=ids.raised, className="ap-raised", role="status"),
            ], className="card ap-warnings-card", **{"aria-label": "趋势预警"}),
        ],
        className="appeals-page",
        **{"data-region": view.region, "data-received": str(totals["received"]),
           "data-warnings": str(len(found)),
           "data-href": appeals_href(view.region, category=view.category, weeks=view.weeks)},
    )


# --- callbacks ---------------------------------------------------------------------------------

def next_href(trigger: str | None, *, category: str | None, weeks: int | None,
              map_click: dict | None, view_data: dict) -> str:
    current = page_state(AppealView, view_data)
    region, chosen_category, chosen_weeks = current.region, current.category, current.weeks
    if trigger == ids.map:
        region = clicked_adcode(map_click) or region
    elif trigger == ids.category:
        chosen_category = category or None
    elif trigger == ids.weeks and weeks:
        if not whole_number(weeks) or not isinstance(category, str | None):
            raise BadAddress(STALE_STATE)
        chosen_weeks = int(weeks)
    if (region, chosen_category, chosen_weeks) == (current.region, current.category,
                                                   current.weeks):
        return no_update
    return appeals_href(region, category=chosen_category, weeks=chosen_weeks)


@callback(
    Output(ids.nav, "href", allow_duplicate=True),
    Input(ids.category, "value"), Input(ids.weeks, "value"), Input(ids.map, "clickData"),
    State(ids.view, "data"),
    prevent_initial_call=True,
)
def navigate(category, weeks, map_click, view_data):
    return next_href(ctx.triggered_id, category=category, weeks=weeks, map_click=map_click,
                     view_data=view_data)


def raise_warning(trigger: dict | None, view_data: dict) -> object:
    """Turn the warning of the pressed button into a problem; the answer, with its link."""
    if not isinstance(trigger, dict):
        return no_update
    try:
        account = require_writer()
    except NotAllowed as refused:
        return str(refused)
    scope = viewer_scope()
    view = resolve(scope=scope, params={"region": view_data.get("region"),
                                        "category": view_data.get("category"),
                                        "weeks": str(view_data.get("weeks"))})
    week = aq.week_range(scope=scope)[1]
    try:
        code = aq.raise_problem(scope=scope, region=view.region, unit=str(trigger["unit"]),
                                category=str(trigger["category"]), week=week,
                                author=account.display_name, today=clock.today(scope=scope),
                                now=clock.now(scope=scope))
    except aq.RaiseRefused as refused:
        return str(refused)
    from data import problems_queries as pq

    found = pq.all_problems(scope=scope, today=clock.today(scope=scope))
    problem_id = int(found.loc[found["code"] == code, "id"].iloc[0])
    return ["已在“群众信访”清单中生成问题 ", dcc.Link(code, href=problem_href(problem_id)),
            f"（发现人：{account.display_name}），请交办处理。"]


@callback(
    Output(ids.raised, "children"),
    Input({"type": ids.raise_button, "unit": ALL, "category": ALL}, "n_clicks"),
    State(ids.view, "data"),
    prevent_initial_call=True,
)
def raise_problem(clicks: list, view_data: dict):
    if not any(clicks if isinstance(clicks, list) else [clicks]):
        return no_update
    return raise_warning(ctx.triggered_id, view_data if isinstance(view_data, dict) else {})
