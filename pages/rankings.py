"""``/rankings``: the horse-race board (赛马榜), the red, yellow and black lists (红黄黑榜) and the
weekly 晾晒 of task progress.

URL: ``/rankings?region=<province or city>&of=<city|county>&period=YYYY-MM&focus=<adcode>
&week=YYYY-Www`` (all optional). The URL is the state (the problems page's pattern): every
control navigates, the page is built from the address, Back undoes a choice. The rules (score,
ties, change of rank, lists) are in :mod:`data.ranking_rules` and written on the page; the
weights and thresholds are data, changed by an administrator below the board.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, timedelta

import dash
import pandas as pd
from dash import ALL, Input, Output, State, callback, ctx, dcc, html, no_update

from auth import NotAllowed, current_account, require_admin
from components import ranking_charts as charts
from components import rankings as view
from components.export import Export
from components.frame import breadcrumb, navigator, page_or_message
from components.graph import graph
from config.labels import CHILD_NOUN, DROPDOWN_LABELS, ERRORS, LEVEL_NAMES, period_label
from data import clock, queries
from data import ranking_queries as rq
from data import ranking_rules as rules
from data.ranking_queries import Board
from data.reference import PROVINCE
from data.rules import applies_at
from data.scope import Scope, home_region, viewer_scope
from data.windows import BadWindow, Window
from panels.addresses import (
    RANKING_PARAMS,
    STALE_STATE,
    BadAddress,
    one_value,
    page_state,
    rankings_href,
)
from panels.race import board_rows

PERIOD_PATTERN = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
WEEKS_OFFERED = 8
LEVEL_WORDS = {"city": "设区市", "county": "县（市、区）"}


class ids:  # noqa: N801 - a namespace of component ids
    view = "rankings-view"
    nav = "rankings-nav"
    level = "rankings-level"
    period = "rankings-period"
    focus = "rankings-focus"
    week = "rankings-week"
    bars = "rankings-bars"
    history = "rankings-history"
    export_excel = "rankings-export-excel"
    export_csv = "rankings-export-csv"
    download = "rankings-download"
    weight = "rankings-weight"  # pattern-matching: {"type": weight, "code": <indicator>}
    save = "rankings-save"
    saved = "rankings-saved"


dash.register_page(__name__, path="/rankings", title="赛马榜 · 数字化改革驾驶舱", name="赛马榜",
                   order=15, kept=True)


def board_href(board: Board) -> str:
    return rankings_href(region=board.region, of=board.level, period=board.period,
                         focus=board.focus, week=board.week)


def week_of(today: date) -> Window:
    return Window.containing("week", today)


def resolve(*, scope: Scope, params: dict[str, object], today: date) -> Board:
    """Check the URL's parameters (Chinese messages for anything wrong)."""
    values: dict[str, str] = {}
    for name in RANKING_PARAMS:
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
    tree = queries.regions(scope=scope).set_index("adcode")
    region_level = tree.at[region, "level"]
    allowed = rq.BOARD_LEVELS.get(region_level)
    if allowed is None:
        name, parent = tree.at[region, "name"], tree.at[region, "parent_adcode"]
        if parent in tree.index:
            raise BadAddress(f"赛马榜比较同一级的多个地区：{name}是县（市、区），请打开"
                             f"{tree.at[parent, 'name']}的赛马榜（region={parent}）。")
        raise BadAddress(f"赛马榜比较同一级的多个地区：您的账号只能查看{name}，没有可与之比较的"
                         "地区。本地区的指标和任务请见本地区驾驶舱。")
    level = values.get("of", allowed[0])
    if level not in allowed:
        raise BadAddress(f"比较层级“{level}”无法识别：{tree.at[region, 'name']}可比较"
                         f"{'、'.join(f'{LEVEL_WORDS[v]}（{v}）' for v in allowed)}。")
    available = queries.periods(scope=scope)
    if not available:
        raise BadAddress(ERRORS["no_data"])
    period = values.get("period", available[-1])
    if not PERIOD_PATTERN.match(period):
        raise BadAddress(ERRORS["bad_period"].format(period=period))
    if period not in available:
        raise BadAddress(ERRORS["period_out_of_range"].format(
            period=period, first=available[0], last=available[-1]))
    found = rq.members(scope=scope, region=region, level=level)
    focus = values.get("focus")
    if focus is not None and focus not in set(found["adcode"]):
        raise BadAddress(f"地区“{focus}”不在本榜单的比较范围内。")
    week = values.get("week", week_of(today).key)
    try:
        window = Window.parse(week, kind="week")
    except BadWindow as bad:
        raise BadAddress(str(bad)) from bad
    if window.key != week:
        raise BadAddress(f"周“{week}”格式不正确，应为 2026-W47 这样的形式。")
    if window.start > today:
        raise BadAddress(f"{window.label}尚未开始（今天是 {today:%Y-%m-%d}）。")
    return Board(region=region, level=level, period=period, focus=focus, week=week)


def layout(**params: object) -> html.Div:
    scope = viewer_scope()

    def build() -> html.Div:
        today = clock.today(scope=scope)
        return board_view(scope=scope, board=resolve(scope=scope, params=params, today=today),
                          today=today)

    return page_or_message(build)


def _dropdown(component_id: str, label: str, options: list[tuple[str, str]], value: str | None,
              *, width: str) -> html.Div:
    return html.Div(
        [html.Label(label, htmlFor=component_id, className="control-label"),
         dcc.Dropdown(id=component_id, options=[{"label": t, "value": v} for v, t in options],
                      labels=DROPDOWN_LABELS, value=value, clearable=False,
                      className="control", style={"width": width})],
        className="pb-filter")


def controls(*, scope: Scope, board: Board, region_level: str) -> html.Div:
    months = [(p, period_label(p)) for p in reversed(queries.periods(scope=scope))][:24]
    levels = [(v, LEVEL_WORDS[v]) for v in rq.BOARD_LEVELS[region_level]]
    return html.Div(
        [_dropdown(ids.level, "比较", levels, board.level, width="150px"),
         _dropdown(ids.period, "月份", months, board.period, width="150px")],
        className="pb-filters card", role="search", **{"aria-label": "选择榜单"})


def board_words(*, scope: Scope, board: Board) -> str:
    tree = queries.regions(scope=scope).set_index("adcode")
    noun = "各设区市" if board.level == "city" else CHILD_NOUN["city"]
    return f"{tree.at[board.region, 'name']}{noun}"


def board_view(*, scope: Scope, board: Board, today: date) -> html.Div:
    tree = queries.regions(scope=scope).set_index("adcode")
    region_level = tree.at[board.region, "level"]
    crumbs = [(name, rankings_href(region=a, period=board.period)
               if visible and tree.at[a, "level"] in rq.BOARD_LEVELS else None)
              for a, name, visible in queries.region_path(scope=scope, adcode=board.region)]
    crumbs[-1] = (crumbs[-1][0], None)
    words = board_words(scope=scope, board=board)
    found = rq.board(scope=scope, region=board.region, level=board.level, period=board.period)
    lists = rq.lists(scope=scope)
    rows = board_rows(found, lists, period=board.period)
    ranked = [r for r in rows if r["rank"] is not None]
    focus = board.focus or (ranked[0]["adcode"] if ranked else None)
    return html.Div(
        [
            dcc.Store(id=ids.view, data=vars(board)),
            navigator(ids.nav),
            html.Div(breadcrumb(crumbs), className="page-bar"),
            html.H2([f"{words} · 赛马榜",
                     html.Span(LEVEL_NAMES[region_level], className="level-tag"),
                     html.Span(f"{period_label(board.period)} · 综合得分、名次与红黄黑榜",
                               className="heading-sub")], className="page-heading"),
            controls(scope=scope, board=board, region_level=region_level),
            view.list_cards(rows, lists),
            html.Div(
                [html.Section(graph(charts.score_bars(
                    found, lists, title=f"{words}综合得分 · {period_label(board.period)}",
                    highlight=board.focus), graph_id=ids.bars),
                    className="card", **{"aria-label": "综合得分"}),
                 history_section(scope=scope, board=board, focus=focus)],
                className="rk-row"),
            html.Section(
                [html.Div([html.H3(f"赛马榜（{len(ranked)} 个地区排名）", className="panel-title"),
                           html.Div([html.Button("导出 Excel", id=ids.export_excel, n_clicks=0,
                                                 className="button pb-button"),
                                     html.Button("导出 CSV", id=ids.export_csv, n_clicks=0,
                                                 className="button pb-button")],
                                    className="pb-actions")], className="pb-table-head"),
                 view.board_table(rows, caption=f"{words} · {period_label(board.period)} · "
                                                "点击地区名称进入其驾驶舱"),
                 dcc.Download(id=ids.download)],
                className="card rk-board-card", **{"aria-label": "赛马榜"}),
            weekly_section(scope=scope, board=board, today=today, words=words),
            rules_section(scope=scope, board=board, lists=lists),
        ],
        className="rankings-page",
        **{"data-region": board.region, "data-level": board.level,
           "data-count": str(len(ranked)), "data-href": board_href(board)},
    )


def history_section(*, scope: Scope, board: Board, focus: str | None) -> html.Section:
    """The dropdown of the board's regions and a chart filled in after the page has loaded
    (:func:`history_figure`: a year of boards takes a few seconds the first time)."""
    found = rq.members(scope=scope, region=board.region, level=board.level)
    options = list(zip(found["adcode"], found["name"], strict=True))
    return html.Section(
        [html.H3("名次走势", className="panel-title"),
         _dropdown(ids.focus, "地区", options, focus, width="180px"),
         dcc.Loading(graph(charts.empty_figure("正在计算近一年的名次…"), graph_id=ids.history),
                     type="dot")],
        className="card rk-history", **{"aria-label": "名次走势"})


def history_figure(*, scope: Scope, view_data: dict):
    """The focused region's rank over the last months (checked against the viewer's scope
    like the address)."""
    board = resolve(scope=scope, params=params_of(view_data), today=clock.today(scope=scope))
    found = rq.board(scope=scope, region=board.region, level=board.level, period=board.period)
    ranked = found[found["rank"].notna()]
    focus = board.focus or (str(ranked["adcode"].iloc[0]) if len(ranked) else None)
    if focus is None:
        return charts.empty_figure("暂无可排名的地区")
    history = rq.rank_history(scope=scope, region=board.region, level=board.level,
                              period=board.period)
    names = dict(zip(found["adcode"], found["name"], strict=True))
    return charts.rank_lines(
        history, focus=focus, members=len(ranked),
        title=f"{names.get(focus, focus)} · 近{rq.HISTORY_MONTHS}个月名次（共{len(ranked)}个地区）")


def weekly_section(*, scope: Scope, board: Board, today: date, words: str) -> html.Section:
    window = Window.parse(board.week, kind="week")
    end = min(window.end, today)
    frame = rq.weekly_progress(scope=scope, region=board.region, level=board.level,
                               week_end=end)
    units = rq.weekly_progress_by_unit(scope=scope, region=board.region, week_end=end)
    weeks, current = [], week_of(today)
    for _ in range(WEEKS_OFFERED):
        weeks.append((current.key, current.label + ("（进行中）" if current.end > today else "")))
        current = current.previous()
    return html.Section(
        [html.H3(f"每周晾晒 · {words}重大任务推进", className="panel-title"),
         _dropdown(ids.week, "周", weeks, board.week, width="300px"),
         html.P(f"本周截至 {end:%Y-%m-%d}，对照上周末 {end - timedelta(days=7):%Y-%m-%d}："
                "各地区执行链上重大任务的平均进度与本周推进的百分点，按本周推进从多到少排列；"
                "停滞项数为未完成且本周进度未变的任务。各牵头单位按其牵头任务的总体进度同样晾晒。",
                className="rk-rule"),
         view.weekly_table(frame, caption=f"{window.label} · {words}"),
         view.weekly_table(units, caption=f"{window.label} · 各牵头单位", by="牵头单位",
                           key="code")],
        className="card rk-weekly-card", **{"aria-label": "每周晾晒"})


def rules_section(*, scope: Scope, board: Board, lists: list[dict]) -> html.Section:
    weights = rq.weights(scope=scope)
    counted = weights[[applies_at(lowest, board.level) for lowest in weights["lowest_level"]]]
    children = [html.H3("计分规则", className="panel-title"),
                html.P(rules.FORMULA, className="rk-formula"),
                html.P(rules.TIE_RULE, className="rk-rule"),
                html.P(rules.CHANGE_RULE, className="rk-rule"),
                html.Ul([html.Li(f"{r['name']}：{r['rule_words']}") for r in lists],
                        className="rk-rule"),
                html.P("按红榜、黑榜、黄榜的顺序判定，每个地区至多上一个榜。", className="rk-rule"),
                view.weights_table(counted)]
    account = current_account()
    if account is not None and account.is_admin:
        children.append(admin_form(weights))
    return html.Section(children, className="card rk-rules", **{"aria-label": "计分规则"})


def admin_form(weights) -> html.Details:
    inputs = [html.Div([html.Label(f"{r.name}", htmlFor=f"rk-w-{r.code}",
                                   className="rk-weight-label"),
                        dcc.Input(id={"type": ids.weight, "code": r.code}, type="number",
                                  min=0, max=100, step=0.1, value=r.weight, debounce=True,
                                  className="rk-weight-input")], className="rk-weight")
              for r in weights.itertuples(index=False)]
    return html.Details(
        [html.Summary("调整权重（管理员）"),
         html.Div(inputs, className="rk-weight-grid"),
         html.Button("保存权重", id=ids.save, n_clicks=0, className="button"),
         html.P(id=ids.saved, className="muted", role="status")],
        className="rk-admin")


# --- callbacks ---------------------------------------------------------------------------------

def next_href(trigger: str | None, *, level: str | None, period: str | None,
              focus: str | None, week: str | None, view_data: dict) -> str:
    """The URL after a choice (``no_update`` if nothing changed)."""
    current = page_state(Board, view_data)
    target = current
    if trigger == ids.level and level and level != current.level:
        target = replace(current, level=level, focus=None)
    elif trigger == ids.period and period:
        target = replace(current, period=period)
    elif trigger == ids.focus and focus:
        target = replace(current, focus=focus)
    elif trigger == ids.week and week:
        target = replace(current, week=week)
    return no_update if target == current else board_href(target)


@callback(
    Output(ids.nav, "href", allow_duplicate=True),
    Input(ids.level, "value"), Input(ids.period, "value"), Input(ids.focus, "value"),
    Input(ids.week, "value"), State(ids.view, "data"),
    prevent_initial_call=True,
)
def navigate(level, period, focus, week, view_data):
    return next_href(ctx.triggered_id, level=level, period=period, focus=focus, week=week,
                     view_data=view_data)


def params_of(view_data: dict) -> dict[str, object]:
    """The address parameters of a view (a replayed callback's view is checked like an
    address)."""
    if not isinstance(view_data, dict | None):
        raise BadAddress(STALE_STATE)
    data = dict(view_data or {})
    return {"region": data.get("region"), "of": data.get("level"), "period": data.get("period"),
            "focus": data.get("focus"), "week": data.get("week")}


@callback(
    Output(ids.history, "figure"),
    Input(ids.view, "data"),
)
def history(view_data: dict):
    return history_figure(scope=viewer_scope(), view_data=view_data)


def export_file(kind: str, *, scope: Scope, view_data: dict) -> dict:
    """The board as ``xlsx`` or ``csv`` (the one export format)."""
    today = clock.today(scope=scope)
    board = resolve(scope=scope, params=params_of(view_data), today=today)
    found = rq.board(scope=scope, region=board.region, level=board.level, period=board.period)
    rows = board_rows(found, rq.lists(scope=scope), period=board.period)
    return Export(topic="赛马榜", region=board_words(scope=scope, board=board),
                  filters=f"{period_label(board.period)}综合得分", as_of=today,
                  rows=pd.DataFrame(rows), columns=view.EXPORT_COLUMNS,
                  demo=queries.dataset_status(scope=scope)["demo"], unit="个地区",
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


def save_weights(values: list, codes: list[dict]) -> str:
    """Store the administrator's weights; the answer in words."""
    try:
        account = require_admin()
    except NotAllowed as refused:
        return str(refused)
    changes = {item["code"]: value for item, value in zip(codes, values, strict=True)}
    try:
        changed = rq.save_weights(actor=account.username, changes=changes,
                                  at=clock.now(scope=account.scope))
    except ValueError as bad:
        return f"未保存：{bad}"
    from data import audit

    audit.record("ranking_weights", by=account, detail=f"{changed} 项权重有变化")
    return f"已保存，{changed} 项权重有变化；刷新页面即按新权重计分。"


@callback(
    Output(ids.saved, "children"),
    Input(ids.save, "n_clicks"),
    State({"type": ids.weight, "code": ALL}, "value"),
    State({"type": ids.weight, "code": ALL}, "id"),
    prevent_initial_call=True,
)
def save(_clicks: int, values: list, codes: list[dict]):
    return save_weights(values, codes)
