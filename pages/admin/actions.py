"""The callbacks of ``/admin``'s forms. Each one checks, before anything else, that the
signed-in user is an administrator and that every input is what the form can send: a forged
callback from anyone else changes nothing and says why. What they change goes through
:mod:`data.accounts` (which checks it again and writes it to the audit log). A refused form
answers with every reason and leaves the fields as typed; a done one refreshes the tables."""

from __future__ import annotations

from collections.abc import Callable

from dash import Input, Output, State, callback, dcc, no_update

from auth import require_admin
from components import admin as view
from config.labels import ERRORS
from data import accounts
from data.accounts import Account, AccountRefused, NotAllowed
from data.store import StoreUnavailable
from pages.admin.page import (
    FIELDS,
    admin_href,
    ids,
    token_user_options,
    tokens_outputs,
    users_table,
)


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
