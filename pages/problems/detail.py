"""One problem: ``/problems/<problem_id>`` — its facts, the stages it reached, the history
of its stage changes (who, when, from, to, note) and the form that moves it on.

The form is signed by the signed-in user (name and unit from the session), and asks for the
stage to move to (the next one is proposed) and a note (required to close: the verification
note, 验收意见). The data
layer decides whether the move is legal (:func:`data.problems_rules.move_refusal`); a
refused move shows the reason and leaves everything typed in place.
"""

from __future__ import annotations

from datetime import datetime

import dash
from dash import Input, Output, State, callback, dcc, html, no_update

from auth import current_account, require_writer
from components import problems as view
from components.frame import breadcrumb, message_page
from config.labels import DROPDOWN_LABELS, ERRORS, PRODUCT_NAME
from data import clock
from data import problems_queries as pq
from data import problems_rules as rules
from data.accounts import Account, NotAllowed
from data.problems_queries import MoveRefused, ProblemFilter
from data.scope import Scope, viewer_scope
from data.store import StoreUnavailable
from panels.addresses import STALE_STATE, BadAddress, problems_href


class ids:  # noqa: N801 - a namespace of component ids
    view = "problem-view"
    summary = "problem-summary"
    history = "problem-history"
    form = "problem-form"
    target = "problem-target"
    mover = "problem-mover"
    note = "problem-note"
    submit = "problem-submit"
    message = "problem-message"


def _title(problem_id: str | None = None, **_: object) -> str:
    """The problem's code (SJ-2026-0139, not its internal number) if the viewer may see it;
    every title ends with the product's name."""
    title = f"七张问题清单 · {PRODUCT_NAME}"
    if not problem_id or not str(problem_id).isdigit():
        return title
    try:
        scope = viewer_scope()
        problem = pq.problem(scope=scope, problem_id=int(problem_id),
                             today=clock.today(scope=scope))
    except StoreUnavailable:
        return title
    return f"问题 {problem['code']} · {title}" if problem else title


def _check_address(problem_id: str = "", **_: object) -> None:
    """A problem that is not there, or not the viewer's, is a 404 (the page says which)."""
    scope = viewer_scope()
    if not problem_id.isdigit() or pq.problem(
            scope=scope, problem_id=int(problem_id), today=clock.today(scope=scope)) is None:
        raise BadAddress(problem_id)


dash.register_page(__name__, path="/problems/0", path_template="/problems/<problem_id>",
                   title=_title, name="问题详情", nav=False, check_address=_check_address)


def layout(problem_id: str = "", **_: object) -> html.Div:
    scope = viewer_scope()
    if not problem_id.isdigit():
        return message_page(f"问题编号“{problem_id}”不正确，应为数字。")
    try:
        today = clock.today(scope=scope)
        problem = pq.problem(scope=scope, problem_id=int(problem_id), today=today)
        if problem is None:
            return message_page(pq.refusal(scope=scope, problem_id=int(problem_id)))
        return problem_page(scope=scope, problem=problem)
    except StoreUnavailable:
        return message_page(ERRORS["store_down"])


def summary(problem: dict) -> list:
    return [
        view.problem_facts(problem, region_href=problems_href(
            ProblemFilter(region=problem["region_adcode"]))),
        html.P(problem["description"], className="pb-description")
        if problem.get("description") else None,
        html.H3("闭环阶段", className="panel-title"),
        view.stage_steps(problem),
    ]


def mover_name(account: Account | None) -> str:
    """Who moves a problem: the signed-in user, name and unit (nobody types a name)."""
    return f"{account.display_name}（{account.unit}）" if account is not None else ""


def move_form(problem: dict) -> list:
    """The move form, or a closing line once the problem is closed."""
    if problem["stage"] == "closed":
        return [html.P("该问题已销号，闭环已完成。", className="pb-closed-note")]
    proposed = rules.next_stage(problem["stage"])
    return [
        html.H3("推进阶段", className="panel-title"),
        html.Div([
            html.Label("推进到", htmlFor=ids.target, className="control-label"),
            dcc.Dropdown(id=ids.target, value=proposed, clearable=False, searchable=False,
                         labels=DROPDOWN_LABELS,
                         options=[{"label": rules.STAGE_NAMES[s], "value": s}
                                  for s in rules.STAGES],
                         className="control", style={"width": "160px"}),
        ], className="pb-field"),
        html.Div([
            html.Span("办理人", className="control-label"),
            html.Span(mover_name(current_account()), id=ids.mover, className="pb-signed"),
        ], className="pb-field"),
        html.Div([
            html.Label("办理说明（销号时须填写验收意见）", htmlFor=ids.note,
                       className="control-label"),
            dcc.Textarea(id=ids.note, value="", maxLength=rules.MAX_NOTE_LENGTH,
                         placeholder="例如：整改方案已制定；或：经现场核查，整改到位，同意销号。",
                         className="pb-textarea"),
        ], className="pb-field pb-field-wide"),
        html.Button("提交", id=ids.submit, n_clicks=0, className="button pb-button"),
    ]


def problem_page(*, scope: Scope, problem: dict) -> html.Div:
    history = pq.problem_history(scope=scope, problem_id=int(problem["id"]))
    tree = pq.regions(scope=scope).set_index("adcode")
    names = pq.region_names(scope=scope)
    crumbs = [("七张问题清单", "/problems")]
    crumbs += [(tree.loc[a, "name"], problems_href(ProblemFilter(region=a)))
               if a in tree.index else (names.get(a, a), None) for a in problem["path"][1:]]
    crumbs.append((problem["code"], None))
    return html.Div(
        [
            dcc.Store(id=ids.view, data={"id": int(problem["id"]), "stage": problem["stage"]}),
            html.Div(breadcrumb(crumbs), className="page-bar"),
            html.H2([problem["code"], html.Span(problem["title"], className="pb-title"),
                     view.light_badge(problem["light"],
                                      rules.LIGHT_REASONS[problem["light_reason"]])],
                    className="page-heading"),
            html.Div(
                [
                    html.Section(summary(problem), id=ids.summary, className="card pb-detail",
                                 **{"aria-label": "问题概况"}),
                    html.Section(
                        [html.Div(move_form(problem), id=ids.form, className="pb-form"),
                         html.Div(id=ids.message, className="pb-message", role="status",
                                  **{"aria-live": "polite"})],
                        className="card pb-move", **{"aria-label": "推进阶段"}),
                ],
                className="pb-detail-row",
            ),
            html.Section(html.Div(view.history_table(history), id=ids.history),
                         className="card pb-history-card", **{"aria-label": "阶段记录"}),
        ],
        className="problem-page",
        **{"data-problem": str(problem["id"]), "data-stage": problem["stage"]},
    )


def submit_move(*, scope: Scope, view_data: dict, target: str | None, mover: str | None,
                note: str | None, now: datetime, by: Account | None = None) -> tuple:
    """Outputs of the form: (summary, history, form, message, view). A refused move only
    sets the message, so nothing typed is lost."""
    if not (isinstance(view_data, dict) and isinstance(view_data.get("id"), int)
            and isinstance(view_data.get("stage"), str)):
        raise BadAddress(STALE_STATE)
    today = clock.today(scope=scope)
    try:
        said = pq.move_problem(scope=scope, problem_id=int(view_data["id"]),
                               to_stage=target or "", mover=mover, note=note, today=today,
                               now=now, expected_stage=view_data["stage"], by=by)
    except MoveRefused as refused:
        message = html.Div([html.Strong("未能推进："), str(refused)],
                           className="pb-message-refused", role="alert")
        return no_update, no_update, no_update, message, no_update
    problem = pq.problem(scope=scope, problem_id=int(view_data["id"]), today=today)
    history = pq.problem_history(scope=scope, problem_id=int(view_data["id"]))
    message = html.Div(said, className="pb-message-done")
    return (summary(problem), view.history_table(history),
            move_form(problem), message,
            {"id": int(problem["id"]), "stage": problem["stage"]})


@callback(
    Output(ids.summary, "children"),
    Output(ids.history, "children"),
    Output(ids.form, "children"),
    Output(ids.message, "children"),
    Output(ids.view, "data"),
    Input(ids.submit, "n_clicks"),
    State(ids.target, "value"),
    State(ids.note, "value"),
    State(ids.view, "data"),
    prevent_initial_call=True,
)
def move(n_clicks, target, note, view_data):
    if not n_clicks:
        return (no_update,) * 5
    try:
        account = require_writer()
    except NotAllowed as refused:
        message = html.Div(str(refused), className="pb-message-refused", role="alert")
        return no_update, no_update, no_update, message, no_update
    mover = mover_name(account)
    try:
        scope = viewer_scope()
        return submit_move(scope=scope, view_data=view_data, target=target,
                           mover=mover, note=note, now=clock.now(scope=scope), by=account)
    except StoreUnavailable:
        message = html.Div(ERRORS["store_down"], className="pb-message-refused", role="alert")
        return no_update, no_update, no_update, message, no_update
