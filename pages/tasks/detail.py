"""``/tasks/<code>``: one major task — its facts and milestones, its indicators (target and
actual), its progress reports, its execution chain (province → cities → counties) as a table
and on the map, and its instructions (批示) and supervision orders (督办单), with a form to
write a new one (stored with author and time; never edited: a correction is a new entry)."""

from __future__ import annotations

import dash
import dash_ag_grid as dag
import pandas as pd
from dash import Input, Output, State, callback, dcc, html, no_update

from auth import current_account, require_writer
from components import format as fmt
from components import tasks as view
from components.badges import light_badge
from components.frame import breadcrumb, message_page
from components.graph import graph
from components.grid import column_defaults, grid_locale
from config.labels import (
    DROPDOWN_LABELS,
    ERRORS,
    LEVEL_NAMES,
    light_word,
    period_label,
    task_status_word,
)
from data import clock
from data import tasks_queries as tq
from data import tasks_rules as rules
from data.accounts import Account, NotAllowed
from data.geo import boundaries
from data.scope import Scope, viewer_scope
from data.store import StoreUnavailable
from panels.addresses import STALE_STATE, BadAddress, texts_or_none, whole_number


def _title(code: str | None = None, **_: object) -> str:
    """The task's code, if the viewer may see the task (a title never names another)."""
    try:
        scope = viewer_scope()
        visible = set(tq.task_table(scope=scope, today=clock.today(scope=scope))["code"])
    except StoreUnavailable:
        visible = set()
    title = "重大任务 · 数字化改革驾驶舱"
    return f"{code} · {title}" if code in visible else title


def _check_address(code: str | None = None, **_: object) -> None:
    """A task that is not there, or not the viewer's, is a 404 (the page says which)."""
    scope = viewer_scope()
    if code not in set(tq.task_table(scope=scope, today=clock.today(scope=scope))["code"]):
        raise BadAddress(str(code))


dash.register_page(__name__, path="/tasks/ZD2026-001", path_template="/tasks/<code>",
                   title=_title, name="任务详情", nav=False, check_address=_check_address)


class ids:  # noqa: N801 - a namespace of component ids
    code = "task-code"
    chain = "task-chain"
    map = "task-map"
    directives = "task-directives"
    kind = "task-form-kind"
    author = "task-form-author"
    receiver = "task-form-receiver"
    deadline = "task-form-deadline"
    body = "task-form-body"
    corrects = "task-form-corrects"
    submit = "task-form-submit"
    message = "task-form-message"
    reply_to = "task-reply-to"
    reply_by = "task-reply-by"
    reply_body = "task-reply-body"
    reply_submit = "task-reply-submit"
    reply_message = "task-reply-message"


def layout(code: str | None = None, **_: object) -> html.Div:
    scope = viewer_scope()
    try:
        today = clock.today(scope=scope)
        detail = tq.task_detail(scope=scope, code=str(code), today=today)
        if detail is None:
            return message_page(tq.refusal(scope=scope, code=str(code)))
        return task_view(scope=scope, detail=detail, today=today)
    except StoreUnavailable:
        return message_page(ERRORS["store_down"])


def _fact(term: str, value) -> list:
    return [html.Dt(term), html.Dd(value if value not in (None, "") else "—")]


def progress_bar(progress: float, status: str, elapsed: float) -> html.Div:
    light = view.status_light(status)
    return html.Div([
        html.Div(html.Div(className="task-progress-fill",
                          style={"width": f"{max(0.0, min(progress, 100.0)):.1f}%",
                                 "backgroundColor": light.colour}),
                 className="task-progress-bar"),
        html.Span(f"{progress:.1f}%（时间进度 {elapsed:.1f}%）", className="task-progress-text"),
    ], className="task-progress task-progress-large")


def task_view(*, scope: Scope, detail: dict, today) -> html.Div:
    task = detail["task"]
    domain = task.get("domain") if isinstance(task.get("domain"), str) else None
    reform = task.get("reform") if isinstance(task.get("reform"), str) else None
    facts = html.Dl([
        *_fact("任务组", task["group_name"]), *_fact("系统", task["system_name"]),
        *_fact("主要领域", domain), *_fact("重大改革", reform),
        *_fact("牵头单位", task["lead_name"]), *_fact("责任单位", task["unit_names"]),
        *_fact("范围", task["region_name"]),
        *_fact("计划周期", f"{view.day(task['start_date'])} 至 {view.day(task['due_date'])}"),
        *_fact("剩余天数", f"{task['days_left']} 天" if task["days_left"] >= 0
               else f"已超期 {-task['days_left']} 天"),
        *_fact("最近报告", view.day(task["last_reported_on"])),
    ], className="task-facts")
    return html.Div([
        dcc.Store(id=ids.code, data=task["code"]),
        html.Div(breadcrumb([("重大任务", "/tasks"), (task["code"], None)]), className="page-bar"),
        html.H2([task["name"], view.status_badge(task["status"]),
                 html.Span(fmt.as_of(today), className="heading-sub")],
                className="page-heading"),
        html.Div([
            html.Section([
                html.H3("任务概况", className="panel-title"),
                progress_bar(float(task["progress"]), task["status"], float(task["elapsed"])),
                progress_source(detail),
                facts,
                html.P(task.get("description") or "", className="task-description"),
                html.P(rules.status_rule_text(), className="muted tasks-rule"),
            ], className="card task-summary", **{"aria-label": "任务概况"}),
            html.Section([
                html.H3("里程碑", className="panel-title"),
                milestone_list(detail["milestones"], today),
                html.H3(f"关联指标（{period_label(detail['indicator_period'])}，"
                        f"{_region_name(detail, detail['indicator_region'])}）"
                        if detail["indicator_period"] else "关联指标",
                        className="panel-title"),
                indicator_table(detail["indicators"]),
            ], className="card task-side", **{"aria-label": "里程碑和指标"}),
        ], className="task-top"),
        chain_section(detail["chain"], task),
        html.Div([
            html.Section([
                html.H3("批示与督办", className="panel-title"),
                html.Div(view.directive_list(detail["directives"]), id=ids.directives),
                directive_form(scope, task, detail["directives"], today),
                reply_form(detail["directives"]),
            ], className="card task-directives", **{"aria-label": "批示与督办"}),
            html.Section([
                html.H3(f"进展报告（{task['lead_name']}，按时间倒序）", className="panel-title"),
                report_list(detail["reports"]),
            ], className="card task-reports", **{"aria-label": "进展报告"}),
        ], className="task-bottom"),
    ], className="task-page", **{"data-task": task["code"]})


def _region_name(detail: dict, adcode: str) -> str:
    """A region of the task's chain by name (the task's own region if it is that one)."""
    if adcode == detail["task"]["region_adcode"]:
        return detail["task"]["region_name"]
    chain = detail["chain"]
    names = dict(zip(chain["adcode"], chain["name"], strict=True)) if "name" in chain else {}
    return names.get(adcode, adcode)


def progress_source(detail: dict) -> html.P:
    """The task's progress beside its lead unit's latest report: they agree, or why not."""
    task, reports, chain = detail["task"], detail["reports"], detail["chain"]
    latest = reports.iloc[0] if len(reports) else None
    report_region = detail.get("indicator_region")
    agree, words = rules.progress_against_report(
        progress=float(task["progress"]),
        report=None if latest is None else float(latest["progress"]),
        reported_on=None if latest is None else pd.Timestamp(latest["reported_on"]).date(),
        chained=len(chain) > 1,
        report_region=_region_name(detail, report_region),
        task_region=task["region_name"])
    return html.P(words, className="muted task-progress-source",
                  **{"data-agree": "yes" if agree else "no"})


def milestone_list(milestones: pd.DataFrame, today) -> html.Ol:
    items = []
    for row in milestones.itertuples(index=False):
        due = pd.Timestamp(row.due_date).date()
        if row.done_on is not None and not pd.isna(row.done_on):
            state, cls = f"✔ 已完成（{view.day(row.done_on)}）", "done"
        elif due < today:
            state, cls = "■ 已超期未完成", "late"
        else:
            state, cls = "○ 未到期", "open"
        items.append(html.Li([html.Span(row.name, className="milestone-name"),
                              html.Span(f"计划 {view.day(row.due_date)}", className="muted"),
                              html.Span(state, className=f"milestone-state milestone-{cls}")],
                             className="milestone"))
    return html.Ol(items or [html.Li("暂无里程碑", className="muted")], className="milestones")


def indicator_table(indicators: pd.DataFrame) -> html.Div:
    if indicators.empty:
        return html.P("未关联指标。", className="muted")
    rows = []
    for row in indicators.to_dict("records"):
        decimals, unit = int(row["decimals"]), row["unit"]
        rows.append(html.Tr([
            html.Td(dcc.Link(row["indicator_name"],
                             href=f"/?indicator={row['indicator_code']}")),
            html.Td(fmt.quantity(row["value"], decimals, unit), className="num"),
            html.Td(fmt.quantity(row["target"], decimals, unit), className="num"),
            html.Td(fmt.percent(row["completion"]), className="num"),
            html.Td(light_badge(row["light"], light_word(row["light"], row["value"]))),
        ]))
    return html.Table([
        html.Thead(html.Tr([html.Th(t) for t in ("指标", "实际", "年度目标", "完成率", "亮灯")])),
        html.Tbody(rows)], className="task-indicators")


def chain_section(chain: pd.DataFrame, task: dict) -> html.Section:
    if chain.empty or len(chain) == 1:
        body = html.P(f"该任务由{task['lead_name']}在{task['region_name']}层面推进，"
                      "未分解到下级地区。", className="muted")
        return html.Section([html.H3("执行链", className="panel-title"), body],
                            className="card task-chain-card", **{"aria-label": "执行链"})
    deepest = chain[chain["level"] != "province"]
    level = "county" if (deepest["level"] == "county").any() else "city"
    on_map = chain[chain["level"] == level]
    # Counties across several cities are drawn at the province map's detail.
    several_cities = on_map["parent_adcode"].nunique() > 1
    geojson = boundaries().feature_collection(tuple(on_map["adcode"]),
                                              coarse=level == "county" and several_cities)
    level_word = "各县（市、区）" if level == "county" else "各设区市"
    counts = tq.status_counts(on_map)
    summary = "，".join(f"{task_status_word(s)}{n}" for s, n in counts.items() if n)
    return html.Section([
        html.H3(["执行链", html.Span(f"{task['region_name']} → 各地 · {level_word}：{summary}",
                                     className="heading-sub")], className="panel-title"),
        html.Div([
            dag.AgGrid(
                id=ids.chain, columnDefs=view.chain_columns(),
                rowData=view.chain_rows(chain, LEVEL_NAMES),
                defaultColDef=column_defaults(sortable=True, resizable=True, suppressMovable=True),
                dashGridOptions={"rowHeight": 34, "localeText": grid_locale("没有下级地区"),
                                 "tooltipShowDelay": 300},
                getRowId="params.data.adcode",
                style={"height": "460px", "width": "100%"},
                className="task-chain-grid"),
            html.Div([
                graph(view.chain_map(on_map, geojson, title=f"{level_word}进度状态"),
                      graph_id=ids.map, style={"height": "460px"}),
                view.status_legend(),
            ], className="task-chain-map"),
        ], className="task-chain-row"),
        html.P(rules.chain_rule_text(), className="muted tasks-rule"),
    ], className="card task-chain-card", **{"aria-label": "执行链"})


def report_list(reports: pd.DataFrame) -> html.Div:
    if reports.empty:
        return html.P("暂无进展报告。", className="muted")
    return html.Ol([
        html.Li([html.Span(view.day(r.reported_on), className="report-date"),
                 html.Span(f"{r.progress:g}%", className="report-progress"),
                 html.Span(r.summary, className="report-summary"),
                 html.Span(r.reporter, className="muted report-by")], className="report")
        for r in reports.itertuples(index=False)], className="reports")


def signer(account: Account | None) -> tuple[str, str]:
    """Who signs what the signed-in user writes: (name, role), from the session — nobody
    types a name."""
    if account is None:
        return "", ""
    return account.display_name, account.title or account.role_name


def directive_form(scope: Scope, task: dict, directives: pd.DataFrame, today) -> html.Form:
    """The form to write an instruction or a supervision order, signed by the signed-in
    user (name and role from the session)."""
    name, role = signer(current_account())
    earlier = [{"label": f"{r.kind_name} · {pd.Timestamp(r.created_at):%Y-%m-%d %H:%M} · "
                         f"{r.author_name}", "value": int(r.id)}
               for r in directives.itertuples(index=False)]
    default_receiver = f"dept:{task['lead_department']}"
    return html.Div([
        html.H4("新增批示或督办单", className="panel-subtitle"),
        html.Div([
            html.Fieldset([
                html.Legend("类型", className="control-label"),
                dcc.RadioItems(id=ids.kind, value="instruction", inline=True,
                               options=[{"label": n, "value": k}
                                        for k, n in rules.DIRECTIVE_KINDS.items()]),
            ], className="form-field"),
            html.Div([html.Span("签发人", className="control-label"),
                      html.Span(f"{name}（{role}）", id=ids.author, className="form-signed")],
                     className="form-field"),
            _field("接收单位", dcc.Dropdown(id=ids.receiver, options=tq.receivers(scope=scope),
                                            value=default_receiver, placeholder="选择部门或地区",
                                            labels=DROPDOWN_LABELS,
                                            className="form-dropdown"), ids.receiver),
            # A text field in the app's one date format: the browser's date picker writes
            # its own (mm/dd/yyyy in an English browser).
            _field("办理期限", dcc.Input(id=ids.deadline, type="text", className="form-input",
                                         placeholder=f"年-月-日，如 {today:%Y}-12-31",
                                         pattern=r"\d{4}-\d{2}-\d{2}", maxLength=10)),
            _field("更正（可选）", dcc.Dropdown(id=ids.corrects, options=earlier,
                                                placeholder="不是更正", labels=DROPDOWN_LABELS,
                                                className="form-dropdown"),
                   ids.corrects),
        ], className="form-grid"),
        _field("内容", dcc.Textarea(id=ids.body, className="form-textarea",
                                    maxLength=rules.MAX_BODY)),
        html.Div([
            html.Button("提交", id=ids.submit, n_clicks=0, className="button"),
            html.Span("提交后不可修改；如需更正，请新增一条并选择所更正的条目。",
                      className="muted"),
        ], className="form-actions"),
        html.Div(id=ids.message, role="status", **{"aria-live": "polite"}),
    ], className="directive-form")


def reply_unit(account: Account | None) -> str:
    """The unit a reply is signed with: the signed-in user's own unit."""
    return account.unit if account is not None else ""


def reply_form(directives: pd.DataFrame) -> html.Div:
    """The receiving unit's reply (回复) to a directive; replies are never edited either."""
    return html.Div([
        html.H4("回复批示或督办单", className="panel-subtitle"),
        html.Div([
            _field("回复哪一条", dcc.Dropdown(id=ids.reply_to, options=view.reply_options(
                directives), placeholder="选择批示或督办单", labels=DROPDOWN_LABELS,
                className="form-dropdown"), ids.reply_to),
            html.Div([html.Span("回复单位", className="control-label"),
                      html.Span(reply_unit(current_account()), id=ids.reply_by,
                                className="form-signed")],
                     className="form-field"),
        ], className="form-grid"),
        _field("回复内容", dcc.Textarea(id=ids.reply_body, className="form-textarea",
                                        maxLength=rules.MAX_BODY)),
        html.Div([html.Button("提交回复", id=ids.reply_submit, n_clicks=0, className="button"),
                  html.Span("以首次回复的时间判定是否按期办结。", className="muted")],
                 className="form-actions"),
        html.Div(id=ids.reply_message, role="status", **{"aria-live": "polite"}),
    ], className="directive-form reply-form")


def _field(label: str, control, for_id: str | None = None) -> html.Div:
    target = for_id or getattr(control, "id", None)
    return html.Div([html.Label(label, htmlFor=target, className="control-label"), control],
                    className="form-field")


def submit_directive(values: dict, *, scope: Scope, task_code: str,
                     by: Account | None = None) -> tuple[bool, list[str]]:
    """Store the form's directive; ``(True, [])`` when stored, else ``(False, reasons)``."""
    today = clock.today(scope=scope)
    try:
        tq.add_directive(scope=scope, task_code=task_code, today=today, by=by, **values)
    except tq.DirectiveRefused as refused:
        return False, refused.messages
    return True, []


@callback(
    Output(ids.directives, "children", allow_duplicate=True), Output(ids.message, "children"),
    Output(ids.message, "className"), Output(ids.body, "value"),
    Output(ids.corrects, "options"), Output(ids.reply_to, "options", allow_duplicate=True),
    Input(ids.submit, "n_clicks"),
    State(ids.code, "data"), State(ids.kind, "value"),
    State(ids.receiver, "value"), State(ids.deadline, "value"),
    State(ids.body, "value"), State(ids.corrects, "value"),
    prevent_initial_call=True,
)
def submit(_clicks, code, kind, receiver, deadline, body, corrects):
    """Save and list the new entry (signed by the signed-in user), or keep every typed value
    and say what is wrong."""
    texts_or_none(code, kind, receiver, deadline, body)
    if code is None or not (corrects in (None, "") or whole_number(corrects)):
        raise BadAddress(STALE_STATE)
    scope = viewer_scope()
    try:
        account = require_writer()
    except NotAllowed as refused:
        return (no_update, str(refused), "form-message is-error", no_update, no_update,
                no_update)
    author, role = signer(account)
    values = {"kind": kind, "author_name": author, "author_role": role, "receiver": receiver,
              "deadline": deadline, "body": body,
              "corrects_id": int(corrects) if corrects not in (None, "") else None}
    try:
        ok, problems = submit_directive(values, scope=scope, task_code=code, by=account)
    except StoreUnavailable:
        return (no_update, ERRORS["store_down"], "form-message is-error", no_update, no_update,
                no_update)
    if not ok:
        return (no_update, html.Ul([html.Li(p) for p in problems]), "form-message is-error",
                no_update, no_update, no_update)
    today = clock.today(scope=scope)
    detail = tq.task_detail(scope=scope, code=code, today=today)
    directives = detail["directives"]
    earlier = [{"label": f"{r.kind_name} · {pd.Timestamp(r.created_at):%Y-%m-%d %H:%M} · "
                         f"{r.author_name}", "value": int(r.id)}
               for r in directives.itertuples(index=False)]
    return (view.directive_list(directives), "已保存，已列入本任务的批示与督办。",
            "form-message is-ok", "", earlier, view.reply_options(directives))


@callback(
    Output(ids.directives, "children", allow_duplicate=True),
    Output(ids.reply_message, "children"), Output(ids.reply_message, "className"),
    Output(ids.reply_body, "value"), Output(ids.reply_to, "options", allow_duplicate=True),
    Input(ids.reply_submit, "n_clicks"),
    State(ids.code, "data"), State(ids.reply_to, "value"), State(ids.reply_body, "value"),
    prevent_initial_call=True,
)
def submit_reply(_clicks, code, directive_id, body):
    """Save the reply (signed with the signed-in user's unit) and show it on its directive,
    or keep the form and say what is wrong."""
    texts_or_none(code, body)
    if code is None or not (directive_id in (None, "") or whole_number(directive_id)):
        raise BadAddress(STALE_STATE)
    scope = viewer_scope()
    try:
        account = require_writer()
    except NotAllowed as refused:
        return no_update, str(refused), "form-message is-error", no_update, no_update
    try:
        today = clock.today(scope=scope)
        tq.add_reply(scope=scope, task_code=code, today=today, by=account,
                     replied_by=reply_unit(account),
                     body=body, directive_id=int(directive_id) if directive_id else None)
    except StoreUnavailable:
        return no_update, ERRORS["store_down"], "form-message is-error", no_update, no_update
    except tq.DirectiveRefused as refused:
        return (no_update, html.Ul([html.Li(p) for p in refused.messages]),
                "form-message is-error", no_update, no_update)
    directives = tq.task_detail(scope=scope, code=code, today=today)["directives"]
    return (view.directive_list(directives), "回复已保存。", "form-message is-ok", "",
            view.reply_options(directives))
