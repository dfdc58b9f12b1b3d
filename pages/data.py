"""Data in, and where every figure came from: ``/data``.

    /data?kind=indicator-values            the kind's templates, columns and the upload
    /data?kind=indicator-values&batch=12   … and one batch: its reasons, or its rows

The upload goes to ``POST /data/upload`` (``api/files.py``) straight from the browser
(``assets/50-data.js``), streamed and with a progress bar; the answer moves the page to the
new batch's address. The batches are listed newest first; an accepted batch can be withdrawn
(撤销本批) from its page. The push API's instructions and its tokens are at the bottom.
For administrators: the importer and the one who withdraws are the signed-in user.
"""

from __future__ import annotations

from urllib.parse import urlencode

import dash
from dash import Input, Output, State, callback, html, no_update

from auth import current_account, require_admin
from components import imports as view
from components.frame import message_page, navigator
from config.labels import ERROR_TITLE, ERRORS
from data import queries
from data.accounts import NotAllowed, list_tokens
from data.imports import batches as store
from data.imports.registry import KINDS
from data.scope import viewer_scope
from data.store import StoreUnavailable
from panels.addresses import BadAddress

DEFAULT_KIND = "indicator-values"


class ids:  # noqa: N801 - a namespace of component ids
    view = "data-view"
    nav = "data-nav"
    withdraw_confirm = "data-withdraw-confirm"
    withdraw_message = "data-withdraw-message"


def refusal(kind: object, batch: object) -> tuple[str, str] | None:
    """(message, heading) when the viewer may not use the page or its address names
    nothing; ``None`` when the page can be built."""
    account = current_account()
    if account is None or not account.is_admin:
        return "无权限：数据导入由管理员操作。", "无权限"
    if isinstance(kind, list) or isinstance(batch, list):
        return "地址中的参数重复了，请只保留一个。", ERROR_TITLE
    if kind is not None and kind not in KINDS:
        return f"没有“{str(kind)[:40]}”这种导入类型。可用：{'、'.join(KINDS)}。", ERROR_TITLE
    if batch is not None and not str(batch).isdigit():
        return f"批次号“{str(batch)[:20]}”不正确，应为数字。", ERROR_TITLE
    return None


def _check_address(kind: object = None, batch: object = None, **_: object) -> None:
    """The address's HTTP status: 403 for anyone but an administrator, 404 for a bad one."""
    refused = refusal(kind, batch)
    if refused is not None:
        raise (PermissionError if refused[1] == "无权限" else BadAddress)(refused[0])


dash.register_page(__name__, path="/data", title="数据导入 · 数字化改革驾驶舱", name="数据导入",
                   order=90, roles=("admin",), check_address=_check_address)


def data_href(*, kind: str | None = None, batch: int | None = None) -> str:
    query = urlencode({k: v for k, v in (("kind", kind), ("batch", batch)) if v})
    return f"/data?{query}" if query else "/data"


def _kind_view(code: str) -> dict:
    spec = KINDS[code]
    return {"code": code, "name": spec.name, "description": spec.description,
            "columns": [{"code": c.code, "name": c.name, "required": c.required,
                         "help": c.help, "example": c.example} for c in spec.columns]}


def layout(kind: str | None = None, batch: str | None = None, **_: object) -> html.Div:
    refused = refusal(kind, batch)
    if refused is not None:
        return message_page(refused[0], title=refused[1])
    account = current_account()
    scope = viewer_scope()
    kind = kind or DEFAULT_KIND
    try:
        return data_page(scope=scope, kind=kind, batch_id=int(batch) if batch else None,
                         actor=f"{account.display_name}（{account.username}）")
    except StoreUnavailable:
        return message_page(ERRORS["store_down"])


def data_page(*, scope, kind: str, batch_id: int | None, actor: str) -> html.Div:
    from flask import current_app, request

    settings = current_app.config["COCKPIT_SETTINGS"]
    status = queries.dataset_status(scope=scope)
    topic = KINDS[kind].topic
    from data.demo_topics import TOPIC_NAMES

    demo_topic = TOPIC_NAMES[topic] if TOPIC_NAMES[topic] in status["demo_topics"] else None
    kind_names = {code: spec.name for code, spec in KINDS.items()}
    detail, found = None, None
    if batch_id is not None:
        found = store.batch(scope=scope, batch_id=batch_id)
        if found is None:
            detail = html.P(f"没有第{batch_id}批导入。", className="dt-refused", role="alert")
        else:
            detail = view.batch_detail(
                found, kind_name=kind_names.get(found["kind"], found["kind"]),
                rows=store.batch_rows(scope=scope, batch_id=batch_id),
                replaced=store.replaced_count(scope=scope, batch_id=batch_id),
                can_withdraw=found["status"] == "accepted")
    withdrawable = detail is not None and found is not None and found["status"] == "accepted"
    return html.Div([
        dash.dcc.Store(id=ids.view, data={"kind": kind, "batch": batch_id}),
        navigator(ids.nav),
        None if withdrawable else view.withdraw_form(None, replaced=0, hidden=True),
        html.H2(["数据导入", html.Span("真实数据替换演示数据 · 每个数字可追溯到批次和文件行",
                                       className="heading-sub")], className="page-heading"),
        detail,
        view.kind_picker([_kind_view(code) for code in KINDS], selected=kind,
                         href_for=lambda code: data_href(kind=code)),
        html.Div([
            view.upload_form(_kind_view(kind), max_bytes=settings.import_max_bytes, actor=actor),
            view.kind_panel(_kind_view(kind), demo_topic=demo_topic),
        ], className="dt-row"),
        view.batches_table(store.batches(scope=scope, limit=100), kind_names=kind_names,
                           href_for=lambda b: data_href(kind=kind, batch=b), selected=batch_id),
        view.api_panel(tokens=[t for t in list_tokens() if t.kind == "api"], kinds=list(KINDS),
                       base_url=request.host_url),
    ], className="data-page")


@callback(
    Output(ids.withdraw_message, "children"),
    Output(ids.nav, "href", allow_duplicate=True),
    Input(ids.withdraw_confirm, "submit_n_clicks"),
    State(ids.view, "data"),
    prevent_initial_call=True,
)
def withdraw(submitted, view_state):
    """Withdraw the page's batch; the page is rebuilt from its address."""
    return submit_withdraw(submitted=submitted, view_state=view_state)


def submit_withdraw(*, submitted, view_state) -> tuple:
    if not submitted or not isinstance(view_state, dict):
        return no_update, no_update
    batch_id = view_state.get("batch")
    if not isinstance(batch_id, int) or isinstance(batch_id, bool):
        return no_update, no_update
    try:
        account = require_admin()
    except NotAllowed as refused:
        return str(refused), no_update
    kind = view_state.get("kind") if view_state.get("kind") in KINDS else None
    try:
        store.withdraw(batch_id, actor=f"{account.display_name}（{account.username}）",
                       scope=viewer_scope(), account=account)
    except store.WithdrawRefused as refused:
        return str(refused), no_update
    except StoreUnavailable:
        return ERRORS["store_down"], no_update
    # A new address (so the page is rebuilt) that is still the batch's page.
    return no_update, data_href(kind=kind, batch=batch_id) + "&withdrawn=1"
