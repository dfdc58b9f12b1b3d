"""Users and tokens, for administrators: ``/admin``.

    /admin              the users (with their live sessions), a form for a new user, the tokens
    /admin?user=xihu    … and that user's form: edit, new password, disable/enable, sign out

Every change goes through :mod:`data.accounts` (which checks it, refuses it with reasons and
writes it to the audit log). Every callback checks that the signed-in user is an
administrator and that each input is what the form can send, before anything else: a forged
callback from anyone else changes nothing and says why. A refused form answers with every
reason and keeps what was typed; a done one refreshes the tables; a token's secret is shown
once, when it is made.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

import dash
from dash import Input, Output, State, callback, dcc, html, no_update

from auth import current_account, require_admin
from components import admin as view
from components.admin import FIELDS, ids
from components.frame import message_page, page_or_message
from config.labels import ERRORS
from data import accounts, queries
from data import tasks_queries as tq
from data.accounts import Account, AccountRefused, NotAllowed
from data.reference import PROVINCE
from data.scope import EVERYTHING
from data.store import StoreUnavailable
from panels.addresses import BadAddress

dash.register_page(__name__, path="/admin", title="用户与令牌 · 数字化改革驾驶舱", name="用户管理",
                   order=91, roles=("admin",))


def admin_href(user: str | None = None) -> str:
    return f"/admin?{urlencode({'user': user})}" if user else "/admin"


def layout(user: object = None, **_: object) -> html.Div:
    account = current_account()
    if account is None or not account.is_admin:
        return message_page("无权限：用户和令牌由管理员管理。", title="无权限")

    def build() -> html.Div:
        if user is not None and not isinstance(user, str):
            raise BadAddress("地址中的参数重复了，请只保留一个。")
        return admin_page(selected=user or None)

    return page_or_message(build)


# --- what the page shows ---------------------------------------------------------------------

def region_options() -> view.Options:
    tree = queries.regions(scope=EVERYTHING)
    names = dict(zip(tree["adcode"], tree["name"], strict=True))
    return [(a, " · ".join([names[p] for p in ancestors if p != PROVINCE] + [names[a]]))
            for a, ancestors in zip(tree["adcode"], tree["ancestors"], strict=True)]


def department_options() -> view.Options:
    frame = tq.departments(scope=EVERYTHING)
    return list(zip(frame["code"], frame["name"], strict=True))


def users_table(selected: str | None = None) -> html.Table:
    return view.users_table(accounts.list_users(), sessions=accounts.live_sessions(),
                            region_names=queries.region_names(scope=EVERYTHING),
                            department_names=dict(department_options()),
                            href_for=admin_href, selected=selected)


def token_user_options() -> view.Options:
    return [(a.username, f"{a.display_name}（{a.username} · {a.role_name}）")
            for a in accounts.list_users() if a.active]


def admin_page(*, selected: str | None) -> html.Div:
    chosen = accounts.find_user(selected) if selected else None
    if selected and chosen is None:
        raise BadAddress(f"未找到用户“{selected[:40]}”。")
    regions, departments = region_options(), department_options()
    tokens = accounts.list_tokens()
    return html.Div([
        dcc.Store(id=ids.view, data={"user": chosen.username if chosen else None}),
        view.view_tabs("/admin"),
        html.H2(["用户与令牌", html.Span("每项修改都记入审计日志", className="heading-sub")],
                className="page-heading"),
        html.Section([html.H3("用户", className="panel-title"),
                      html.P("点击用户名修改该用户、重设密码、停用或强制下线。",
                             className="ad-hint"),
                      html.Div(users_table(selected), id=ids.users)],
                     className="card", **{"aria-label": "用户"}),
        view.user_panel(chosen, regions=regions, departments=departments) if chosen else None,
        view.new_user_panel(regions=regions, departments=departments),
        view.tokens_panel(tokens, user_options=token_user_options()),
    ], className="admin-page")


def tokens_outputs() -> tuple:
    """The tokens table and the revoke dropdown's options, as they are now."""
    tokens = accounts.list_tokens()
    return view.tokens_table(tokens), [{"label": t, "value": v}
                                       for v, t in view.live_token_options(tokens)]


# --- the forms' callbacks: each checks who asks and what it is given ---------------------------

class Forged(ValueError):
    """An input no form of this page can send."""


def text(value: object) -> str:
    if value is None:
        return ""
    if not isinstance(value, str) or len(value) > 200:
        raise Forged(value)
    return value.strip()


def chosen_user(view_state: object) -> str:
    """The user name of the page's chosen user (``/admin?user=…``)."""
    if not isinstance(view_state, dict):
        raise Forged(view_state)
    username = text(view_state.get("user"))
    if not username:
        raise Forged(view_state)
    return username


def account_fields(values) -> dict:
    name, unit, title, role, region, department = (text(v) for v in values)
    return {"display_name": name, "unit": unit, "title": title or None, "role": role,
            "region": region or None, "department": department or None}


def respond(clicks: object, do: Callable[[Account], str], *, outputs: int,
            after: Callable[[], tuple] = tuple) -> tuple:
    """The answer of a form: ``do(admin)`` makes the change and says what was done, then
    ``after()`` gives the other outputs (the refreshed tables …); a refusal is said and
    changes no other output (what was typed stays)."""
    unchanged = (no_update,) * (outputs - 1)
    if not clicks:
        return no_update, *unchanged
    try:
        done = do(require_admin())
    except NotAllowed as refused:
        return view.message(str(refused)), *unchanged
    except Forged:
        return view.message("提交的内容无效，请在页面上重新填写。"), *unchanged
    except AccountRefused as refused:
        return view.message(refused.messages), *unchanged
    except StoreUnavailable:
        return view.message(ERRORS["store_down"]), *unchanged
    return done, *after()


@callback(
    Output(ids.new_message, "children"),
    Output(ids.users, "children", allow_duplicate=True),
    Output(ids.token_user, "options", allow_duplicate=True),
    Output(ids.new_username, "value"),
    *[Output(f"{ids.new}-{f}", "value") for f in FIELDS],
    Output(ids.new_password, "value"),
    Input(ids.new_submit, "n_clicks"),
    State(ids.new_username, "value"),
    *[State(f"{ids.new}-{f}", "value") for f in FIELDS],
    State(ids.new_password, "value"),
    prevent_initial_call=True,
)
def create(clicks, username, *rest):
    *values, password = rest

    def do(admin):
        made = accounts.create_user(username=text(username), password=text(password) or None,
                                    by=admin, **account_fields(values))
        note = "（大屏账号：请在下方为它创建设备令牌。）" if made.role == "screen" else ""
        return view.message(f"已创建用户 {made.username}（{made.role_name}）。{note}", ok=True,
                            extra=dcc.Link("修改该用户", href=admin_href(made.username)))

    # Done: the form is emptied for the next one.
    empty = ("", *("" if f in ("name", "unit", "title") else None for f in FIELDS), "")
    return respond(clicks, do, outputs=3 + len(empty), after=lambda: (
        users_table(), [{"label": t, "value": v} for v, t in token_user_options()], *empty))


@callback(
    Output(ids.edit_message, "children"),
    Output(ids.users, "children", allow_duplicate=True),
    Input(ids.edit_submit, "n_clicks"),
    State(ids.view, "data"),
    *[State(f"{ids.edit}-{f}", "value") for f in FIELDS],
    prevent_initial_call=True,
)
def edit(clicks, view_state, *values):
    def do(admin):
        changed = accounts.update_user(username=chosen_user(view_state), by=admin,
                                       **account_fields(values))
        return view.message(f"已保存 {changed.username} 的修改（如其可见范围改变，须重新登录）。",
                            ok=True)

    return respond(clicks, do, outputs=2, after=lambda: (users_table(chosen_user(view_state)),))


@callback(
    Output(ids.password_message, "children"),
    Output(ids.password, "value"),
    Output(ids.users, "children", allow_duplicate=True),
    Input(ids.password_submit, "n_clicks"),
    State(ids.view, "data"),
    State(ids.password, "value"),
    prevent_initial_call=True,
)
def new_password(clicks, view_state, password):
    def do(admin):
        username = chosen_user(view_state)
        accounts.set_password(username=username, password=text(password), by=admin)
        return view.message(f"已为 {username} 设置新密码，其已登录的会话均已退出。", ok=True)

    return respond(clicks, do, outputs=3,
                   after=lambda: ("", users_table(chosen_user(view_state))))


@callback(
    Output(ids.actions_message, "children"),
    Output(ids.active_submit, "children"),
    Output(ids.active_submit, "className"),
    Output(ids.users, "children", allow_duplicate=True),
    Input(ids.active_submit, "n_clicks"),
    State(ids.view, "data"),
    prevent_initial_call=True,
)
def toggle_active(clicks, view_state):
    def do(admin):
        current = accounts.find_user(chosen_user(view_state))
        if current is None:
            raise AccountRefused([f"未找到用户“{chosen_user(view_state)}”。"])
        accounts.set_active(username=current.username, active=not current.active, by=admin)
        words = "已停用（其会话已全部退出）" if current.active else "已启用"
        return view.message(f"{current.username} {words}。", ok=True)

    def after():
        active = accounts.find_user(chosen_user(view_state)).active
        return ("停用" if active else "启用", "button ad-button" + (" ad-danger" if active else ""),
                users_table(chosen_user(view_state)))

    return respond(clicks, do, outputs=4, after=after)


@callback(
    Output(ids.actions_message, "children", allow_duplicate=True),
    Output(ids.users, "children", allow_duplicate=True),
    Input(ids.sessions_submit, "n_clicks"),
    State(ids.view, "data"),
    prevent_initial_call=True,
)
def sign_out_everywhere(clicks, view_state):
    def do(admin):
        username = chosen_user(view_state)
        ended = accounts.end_sessions(username=username, by=admin)
        return view.message(f"{username} 的 {ended} 个会话已退出。", ok=True)

    return respond(clicks, do, outputs=2, after=lambda: (users_table(chosen_user(view_state)),))


@callback(
    Output(ids.token_message, "children"),
    Output(ids.tokens, "children"),
    Output(ids.revoke_token, "options"),
    Output(ids.token_name, "value"),
    Input(ids.token_submit, "n_clicks"),
    State(ids.token_kind, "value"),
    State(ids.token_name, "value"),
    State(ids.token_user, "value"),
    prevent_initial_call=True,
)
def create_token(clicks, kind, name, username):
    from flask import request

    def do(admin):
        made, secret = accounts.create_token(kind=text(kind), name=text(name),
                                             username=text(username) or None, by=admin)
        return view.message(f"已创建{accounts.TOKEN_KINDS[made.kind]} #{made.id}（{made.name}）。",
                            ok=True, extra=view.secret_shown_once(
                                kind=made.kind, secret=secret, host_url=request.host_url))

    return respond(clicks, do, outputs=4, after=lambda: (*tokens_outputs(), ""))


@callback(
    Output(ids.revoke_message, "children"),
    Output(ids.tokens, "children", allow_duplicate=True),
    Output(ids.revoke_token, "options", allow_duplicate=True),
    Output(ids.revoke_token, "value"),
    Input(ids.revoke_submit, "n_clicks"),
    State(ids.revoke_token, "value"),
    prevent_initial_call=True,
)
def revoke(clicks, token_id):
    def do(admin):
        chosen = text(token_id)
        if not chosen:
            raise AccountRefused(["请先选择要吊销的令牌。"])
        if not chosen.isdigit():
            raise Forged(token_id)
        revoked = accounts.revoke_token(token_id=int(chosen), by=admin)
        return view.message(f"已吊销令牌 #{revoked.id}（{revoked.name}），用它登录的大屏已退出。",
                            ok=True)

    return respond(clicks, do, outputs=4, after=lambda: (*tokens_outputs(), None))
