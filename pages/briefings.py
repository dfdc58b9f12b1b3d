"""``/briefings``: produce a briefing (简报) of any region and window as a PDF, in the background
with a progress bar while the page stays usable, and the list of produced briefings with their
downloads.

Pressing 生成简报 stores a queued briefing for the signed-in user (in the request, so the user
and scope are the session's) and hands its number, signed with the server's key, to a Dash
background callback (a disk-cache job process, or a Celery worker); the job checks the
signature, produces the briefing (:func:`briefing.jobs.produce`) and reports its progress.
"""

from __future__ import annotations

import hashlib
import hmac

import dash
from dash import (
    ALL,
    Input,
    Output,
    State,
    callback,
    clientside_callback,
    dcc,
    html,
    no_update,
)
from dash.exceptions import PreventUpdate
from flask import current_app

from auth import current_account
from briefing import environment, files, jobs
from briefing.background import jobs_unavailable
from briefing.document import SECTIONS, BriefingRequest
from briefing.views import file_href
from components import briefings as view
from components.frame import message_page
from config.labels import DROPDOWN_LABELS, ERRORS
from data import accounts, clock, queries
from data import briefings as records
from data.accounts import NotAllowed
from data.scope import EVERYTHING, home_region, viewer_scope
from data.store import StoreUnavailable, engine
from data.windows import KINDS, BadWindow, Window, latest
from panels.addresses import STALE_STATE, BadAddress, texts_or_none

dash.register_page(__name__, path="/briefings", title="简报 · 数字化改革驾驶舱", name="简报",
                   order=40)


class ids:  # noqa: N801 - a namespace of component ids
    region = "briefings-region"
    kind = "briefings-kind"
    window = "briefings-window"
    sections = "briefings-sections"
    indicator = "briefings-indicator"
    submit = "briefings-submit"
    message = "briefings-message"
    progress = "briefings-progress"
    progress_text = "briefings-progress-text"
    job = "briefings-job"
    done = "briefings-done"
    listing = "briefings-list"
    refresh = "briefings-refresh"
    retry = "briefings-retry"
    retry_of = "briefings-retry-of"


def job_token(briefing_id: int, username: str) -> str:
    """The signature of a job handed to the browser: only the page of the user who asked for
    the briefing can start it."""
    key = str(dash.get_app().server.secret_key).encode()
    return hmac.new(key, f"briefing:{int(briefing_id)}:{username}".encode(),
                    hashlib.sha256).hexdigest()


def region_ancestors() -> dict[str, list[str]]:
    tree = queries.regions(scope=EVERYTHING)
    return dict(zip(tree["adcode"], tree["ancestors"], strict=True))


def listing(account: accounts.Account | None) -> html.Table | html.P:
    if account is None:
        return html.P("请先登录。", className="muted")
    stale = dash.get_app().server.config["COCKPIT_SETTINGS"].briefing_stale_minutes
    records.sweep_stale(now=accounts.now(), minutes=stale)
    files.sweep_partial()
    ancestors = region_ancestors()
    found = records.visible(scope=account.scope, username=account.username,
                            ancestors=ancestors)
    return view.briefing_table(found, file_href=file_href)


def _field(label: str, control, for_id: str) -> html.Div:
    return html.Div([html.Label(label, htmlFor=for_id, className="control-label"), control],
                    className="brief-field")


def layout(**params: object) -> html.Div:
    scope = viewer_scope()
    try:
        tree = queries.regions(scope=scope)
        catalogue = queries.indicators(scope=scope)
        periods = queries.periods(scope=scope)
        today = clock.today(scope=scope)
    except StoreUnavailable:
        return message_page(ERRORS["store_down"])
    if tree.empty:
        return message_page("您的账号没有可查看的地区，不能生成简报。")
    missing = environment.missing()
    home = home_region(scope) or str(tree["adcode"].iloc[0])
    kind = "month"
    options = view.window_options(kind, today, first_period=periods[0] if periods else None)
    regions = [{"label": ("　" * (len(a))) + n, "value": c}
               for c, n, a in tree[["adcode", "name", "ancestors"]].itertuples(index=False)]
    return html.Div([
        html.Div(html.H2(["简报", html.Span("按地区和时段生成 PDF，在后台完成",
                                            className="heading-sub")],
                         className="page-heading"), className="page-bar"),
        html.Div([html.P(p) for p in missing], className="card brief-missing", role="alert")
        if missing else None,
        html.Section([
            html.Div([
                _field("地区", dcc.Dropdown(id=ids.region, options=regions, value=home,
                                            clearable=False, labels=DROPDOWN_LABELS), ids.region),
                _field("时段类型", dcc.RadioItems(id=ids.kind, options=view.kind_options(),
                                                  value=kind, inline=True,
                                                  className="brief-kinds"), ids.kind),
                _field("时段", dcc.Dropdown(id=ids.window, options=options,
                                            value=latest(kind, today).key, clearable=False,
                                            labels=DROPDOWN_LABELS), ids.window),
                _field("地图与排名的指标", dcc.Dropdown(
                    id=ids.indicator, placeholder="默认：下级地区统计的第一项指标",
                    labels=DROPDOWN_LABELS,
                    options=[{"label": n, "value": c} for c, n in
                             catalogue[["code", "name"]].itertuples(index=False)]),
                    ids.indicator),
            ], className="brief-fields"),
            _field("章节", dcc.Checklist(id=ids.sections, value=list(SECTIONS), inline=True,
                                         options=[{"label": n, "value": k}
                                                  for k, n in SECTIONS.items()],
                                         className="brief-sections"), ids.sections),
            html.Div([
                html.Button("生成简报", id=ids.submit, className="button brief-submit",
                            disabled=bool(missing)),
                html.Progress(id=ids.progress, value="0", max="100", className="brief-progress",
                              **{"aria-label": "生成进度"}),
                html.Span("", id=ids.progress_text, className="brief-progress-text",
                          **{"aria-live": "polite"}),
            ], className="brief-actions"),
            html.Div(id=ids.message, className="brief-message", **{"aria-live": "polite"}),
        ], className="card brief-form", **{"aria-label": "生成简报"}),
        html.Section([html.H3("已生成的简报", className="panel-title"),
                      html.Div(listing(current_account()), id=ids.listing)],
                     className="card brief-list", **{"aria-label": "已生成的简报"}),
        dcc.Store(id=ids.job), dcc.Store(id=ids.done), dcc.Store(id=ids.retry_of),
        dcc.Interval(id=ids.refresh, interval=10_000),
    ], className="brief-page")


@callback(Output(ids.window, "options"), Output(ids.window, "value"), Input(ids.kind, "value"),
          prevent_initial_call=True)
def choose_kind(kind: str):
    if kind not in KINDS:
        raise PreventUpdate
    scope = viewer_scope()
    periods = queries.periods(scope=scope)
    today = clock.today(scope=scope)
    options = view.window_options(kind, today, first_period=periods[0] if periods else None)
    return options, latest(kind, today).key


def _refused(text: str) -> html.P:
    return html.P(text, className="brief-error", role="alert")


def queue_briefing(*, adcode, kind, key, sections, indicator) -> tuple[dict | None, object]:
    """Store a queued briefing for the signed-in user; (the job for the background callback,
    the message)."""
    try:
        texts_or_none(adcode, kind, key, indicator)
        if not isinstance(sections, list | None) or not all(
                isinstance(s, str) for s in sections or ()):
            raise BadAddress(STALE_STATE)
        account = current_account()
        if account is None or not account.can_write:
            raise NotAllowed("只读账号（大屏）不能生成简报。")
        request = BriefingRequest(adcode=str(adcode), window=Window.parse(str(key), kind=kind),
                                  sections=tuple(sections or ()), indicator=indicator or None)
        if request.window.start > clock.today(scope=account.scope):
            raise BadWindow(f"{request.window.label}尚未开始。")
        if down := jobs_unavailable(current_app.config["COCKPIT_SETTINGS"]):
            return None, _refused(down)
        briefing_id = jobs.queue(account=account, requested_by=account.username,
                                 request=request, source="page")
    except (BadAddress, BadWindow, NotAllowed, ValueError) as refused:
        return None, _refused(str(refused))
    except StoreUnavailable:
        return None, _refused(ERRORS["store_down"])
    job = {"id": briefing_id, "token": job_token(briefing_id, account.username)}
    return job, html.P(f"已提交简报 #{briefing_id}，正在后台生成……", className="brief-ok")


@callback(Output(ids.job, "data"), Output(ids.message, "children"),
          Output(ids.listing, "children"),
          Input(ids.submit, "n_clicks"),
          State(ids.region, "value"), State(ids.kind, "value"), State(ids.window, "value"),
          State(ids.sections, "value"), State(ids.indicator, "value"),
          prevent_initial_call=True)
def submit(n_clicks, adcode, kind, key, sections, indicator):
    if not n_clicks:
        raise PreventUpdate
    job, message = queue_briefing(adcode=adcode, kind=kind, key=key, sections=sections,
                                  indicator=indicator)
    return job or no_update, message, listing(current_account())


# A 重新生成 button names its briefing in a store (in the browser); the server then acts on
# the store, one plain input (every callback of the app can be replayed and checked).
clientside_callback(
    """function (clicks) {
        const ctx = window.dash_clientside.callback_context;
        if (!ctx.triggered_id || !(clicks || []).some(Boolean)) {
            return window.dash_clientside.no_update;
        }
        return {"id": ctx.triggered_id.id, "at": Date.now()};
    }""",
    Output(ids.retry_of, "data"), Input({"type": ids.retry, "id": ALL}, "n_clicks"),
    prevent_initial_call=True)


@callback(Output(ids.job, "data", allow_duplicate=True),
          Output(ids.message, "children", allow_duplicate=True),
          Input(ids.retry_of, "data"), prevent_initial_call=True)
def retry(chosen: dict | None):
    if not isinstance(chosen, dict) or not str(chosen.get("id", "")).isdigit():
        raise PreventUpdate
    account = current_account()
    if account is None or not account.can_write:
        return no_update, _refused("只读账号（大屏）不能生成简报。")
    record = records.get(int(chosen["id"]))
    ancestors = region_ancestors()
    if record is None or not records.may_see(record, scope=account.scope,
                                             username=account.username, ancestors=ancestors):
        return no_update, _refused("没有这份简报，或它不在您的权限范围内。")
    if down := jobs_unavailable(current_app.config["COCKPIT_SETTINGS"]):
        return no_update, _refused(down)
    try:
        briefing_id = jobs.retry(record["id"], account=account)
    except (BadAddress, BadWindow, ValueError) as refused:
        return no_update, _refused(str(refused))
    return ({"id": briefing_id, "token": job_token(briefing_id, account.username)},
            html.P(f"已重新提交简报 #{briefing_id}……", className="brief-ok"))


def run_job(report, job: dict | None) -> tuple[object, object]:
    """The background job: produce the briefing ``job`` names, if its signature is right."""
    if not job or "id" not in job:
        raise PreventUpdate
    server = dash.get_app().server
    with server.app_context():
        engine().dispose(close=False)  # a job process never shares its parent's connections
        record = records.get(int(job["id"]))
        if record is None or not hmac.compare_digest(
                str(job.get("token", "")), job_token(record["id"], record["username"])):
            return _refused("无法开始：简报编号无效。"), no_update
        done = jobs.produce(record["id"], report=lambda share, words: report(
            (str(share), f"{share}% {words}")))
    if done.get("status") == "done":
        return (html.P([f"简报 #{done['id']} 已生成（{done['pages']} 页，"
                        f"{view.size_text(done['size_bytes'])}）：",
                        html.A("下载 " + done["title"], href=file_href(done["id"]),
                               className="brief-download-now")], className="brief-ok"),
                done["id"])
    return _refused(f"简报 #{job['id']} 生成失败：{done.get('message') or '原因不明'}"), job["id"]


@callback(Output(ids.message, "children", allow_duplicate=True),
          Output(ids.done, "data"),
          Input(ids.job, "data"),
          background=True,
          running=[(Output(ids.submit, "disabled"), True, False),
                   (Output(ids.progress, "className"), "brief-progress is-running",
                    "brief-progress")],
          progress=[Output(ids.progress, "value"), Output(ids.progress_text, "children")],
          progress_default=["0", ""],
          prevent_initial_call=True)
def produce_in_background(set_progress, job):
    return run_job(set_progress, job)


@callback(Output(ids.listing, "children", allow_duplicate=True),
          Input(ids.done, "data"), Input(ids.refresh, "n_intervals"),
          prevent_initial_call=True)
def refresh(_done, _ticks):
    try:
        return listing(current_account())
    except StoreUnavailable:
        return _refused(ERRORS["store_down"])
