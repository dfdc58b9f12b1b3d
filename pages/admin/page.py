"""Users and tokens, for administrators: ``/admin`` (the forms' callbacks: ``actions.py``).

    /admin              the users (with their live sessions), a form for a new user, the tokens
    /admin?user=xihu    … and that user's form: edit, new password, disable/enable, sign out

Every change goes through :mod:`data.accounts` (which checks it, refuses it with reasons and
writes it to the audit log). Every callback checks that the signed-in user is an
administrator and that each input is what the form can send, before anything else: a forged
callback from anyone else changes nothing. A refused form keeps what was typed; a token's
secret is shown once, when it is made.
"""

from __future__ import annotations

from urllib.parse import urlencode

import dash
from dash import dcc, html

from auth import current_account
from components import admin as view
from components.frame import message_page, page_or_message
from data import accounts, queries
from data import tasks_queries as tq
from data.accounts import Account
from data.reference import PROVINCE
from data.scope import EVERYTHING
from panels.addresses import BadAddress

#: The fields of a user's form, by the suffix of their ids (admin-new-name, admin-edit-name …).
FIELDS = ("name", "unit", "title", "role", "region", "department")


class ids:  # noqa: N801 - a namespace of component ids
    view = "admin-view"
    users = "admin-users"
    new = "admin-new"  # prefix of the new user's fields: admin-new-name …
    new_username = "admin-new-username"
    new_password = "admin-new-password"
    new_submit = "admin-new-submit"
    new_message = "admin-new-message"
    edit = "admin-edit"  # prefix of the chosen user's fields
    edit_submit = "admin-edit-submit"
    edit_message = "admin-edit-message"
    password = "admin-password"
    password_submit = "admin-password-submit"
    password_message = "admin-password-message"
    active_submit = "admin-active-submit"
    sessions_submit = "admin-sessions-submit"
    actions_message = "admin-actions-message"
    tokens = "admin-tokens"
    token_kind = "admin-token-kind"
    token_name = "admin-token-name"
    token_user = "admin-token-user"
    token_submit = "admin-token-submit"
    token_message = "admin-token-message"
    revoke_token = "admin-revoke-token"
    revoke_submit = "admin-revoke-submit"
    revoke_message = "admin-revoke-message"


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
        user_panel(chosen, regions=regions, departments=departments) if chosen else None,
        new_user_panel(regions=regions, departments=departments),
        tokens_panel(tokens),
    ], className="admin-page")


def _button(label: str, component_id: str, *, danger: bool = False) -> html.Button:
    return html.Button(label, id=component_id, n_clicks=0,
                       className="button ad-button" + (" ad-danger" if danger else ""))


def user_panel(chosen: Account, *, regions, departments) -> html.Section:
    controls = [
        html.Div([
            view.field("新密码", view.text_input(ids.password, kind="password",
                                              autocomplete="new-password"),
                       hint="至少 10 位，含大写、小写、数字、符号中的三类；重设后该用户须重新登录"),
            _button("重设密码", ids.password_submit),
        ], className="ad-form") if chosen.role != "screen" else None,
        html.Div(id=ids.password_message),
        html.Div([
            _button("停用" if chosen.active else "启用", ids.active_submit, danger=chosen.active),
            _button("强制下线", ids.sessions_submit),
        ], className="ad-actions"),
        html.Div(id=ids.actions_message),
    ]
    return html.Section([
        html.H3(f"修改用户：{chosen.display_name}（{chosen.username}）", className="panel-title"),
        html.Div(view.account_fields(ids.edit, account=chosen, regions=regions,
                                     departments=departments), className="ad-grid"),
        html.Div(_button("保存修改", ids.edit_submit), className="ad-actions"),
        html.Div(id=ids.edit_message),
        *controls,
    ], className="card ad-user", **{"aria-label": "修改用户"})


def new_user_panel(*, regions, departments) -> html.Section:
    return html.Section([
        html.H3("新建用户", className="panel-title"),
        view.role_rules(),
        html.Div([
            view.field("用户名", view.text_input(ids.new_username, placeholder="如 zhangsan"),
                       hint="2–40 位小写字母、数字或 _ . -"),
            *view.account_fields(ids.new, account=None, regions=regions,
                                 departments=departments),
            view.field("初始密码", view.text_input(ids.new_password, kind="password",
                                               autocomplete="new-password"),
                       hint="至少 10 位，含大写、小写、数字、符号中的三类；大屏账号不设密码"),
        ], className="ad-grid"),
        html.Div(_button("新建用户", ids.new_submit), className="ad-actions"),
        html.Div(id=ids.new_message),
    ], className="card", **{"aria-label": "新建用户"})


def tokens_panel(tokens) -> html.Section:
    return html.Section([
        html.H3("令牌", className="panel-title"),
        html.P("大屏设备令牌让墙上的大屏免密码登录（须属于大屏账号）；数据推送令牌供外部系统调用"
               " /api 推送数据（可属于某账号，按其范围限定）。令牌只在创建时显示一次。",
               className="ad-hint"),
        html.Div(view.tokens_table(tokens), id=ids.tokens),
        html.Div([
            view.field("类型", view.dropdown(ids.token_kind, view.TOKEN_KIND_OPTIONS, "device",
                                           clearable=False, width="170px")),
            view.field("名称", view.text_input(ids.token_name,
                                             placeholder="大屏所在位置或推送系统"), wide=True),
            view.field("所属账号", view.dropdown(ids.token_user, token_user_options(), None,
                                             width="280px")),
            _button("创建令牌", ids.token_submit),
        ], className="ad-form"),
        html.Div(id=ids.token_message),
        html.Div([
            view.field("吊销令牌", view.dropdown(ids.revoke_token,
                                             view.live_token_options(tokens), None,
                                             placeholder="选择有效令牌", width="320px")),
            _button("吊销", ids.revoke_submit, danger=True),
        ], className="ad-form"),
        html.Div(id=ids.revoke_message),
    ], className="card", **{"aria-label": "令牌"})


def tokens_outputs() -> tuple:
    """The tokens table and the revoke dropdown's options, as they are now."""
    tokens = accounts.list_tokens()
    return view.tokens_table(tokens), [{"label": t, "value": v}
                                       for v, t in view.live_token_options(tokens)]


from pages.admin import actions  # noqa: E402, F401 - the forms' callbacks
