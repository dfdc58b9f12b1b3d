"""The pieces of the administrators' page (``/admin``): its component ids, the users and
tokens tables, the forms and the messages they answer with. Pure functions of what they are
given (the page fetches)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from dash import dcc, html

from config.labels import DROPDOWN_LABELS
from data.accounts import ROLE_RULES, ROLES, TOKEN_KINDS, Account, TokenInfo

Options = list[tuple[str, str]]  # (value, label)

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


def message(lines: str | Iterable[str] | None, *, ok: bool = False,
            extra: object = None) -> html.Div | None:
    """A form's answer: green when done, red with every reason when refused."""
    if lines is None:
        return None
    lines = [lines] if isinstance(lines, str) else list(lines)
    body = html.P(lines[0]) if len(lines) == 1 else html.Ul([html.Li(t) for t in lines])
    return html.Div([body, extra], className=f"form-message {'is-ok' if ok else 'is-error'}",
                    role="status" if ok else "alert")


def field(label: str, component, *, hint: str | None = None, wide: bool = False) -> html.Div:
    parts = [html.Label(label, htmlFor=component.id, className="control-label"), component]
    if hint:
        parts.append(html.Small(hint, className="ad-hint"))
    return html.Div(parts, className="ad-field" + (" ad-field-wide" if wide else ""))


def text_input(component_id: str, value: str | None = None, *, kind: str = "text",
               placeholder: str = "", autocomplete: str = "off") -> dcc.Input:
    return dcc.Input(id=component_id, type=kind, value=value or "", placeholder=placeholder,
                     autoComplete=autocomplete, className="ad-input", debounce=False)


def dropdown(component_id: str, options: Options, value: str | None, *,
             placeholder: str = "（无）", clearable: bool = True,
             width: str = "100%") -> dcc.Dropdown:
    return dcc.Dropdown(id=component_id, options=[{"label": t, "value": v} for v, t in options],
                        value=value, clearable=clearable, searchable=True,
                        placeholder=placeholder, labels=DROPDOWN_LABELS,
                        className="control", style={"width": width})


ROLE_OPTIONS: Options = list(ROLES.items())
TOKEN_KIND_OPTIONS: Options = list(TOKEN_KINDS.items())


def account_fields(prefix: str, *, account: Account | None, regions: Options,
                   departments: Options) -> list[html.Div]:
    """Name, unit, title, role, region and department (a new user's or one being edited)."""
    return [
        field("姓名（或大屏名称）", text_input(f"{prefix}-name",
                                         account.display_name if account else None)),
        field("单位", text_input(f"{prefix}-unit", account.unit if account else None),
              wide=True),
        field("职务（签发批示时署名，可空）",
              text_input(f"{prefix}-title", account.title if account else None)),
        field("角色", dropdown(f"{prefix}-role", ROLE_OPTIONS,
                             account.role if account else None, placeholder="请选择")),
        field("地区", dropdown(f"{prefix}-region", regions,
                             account.region if account else None)),
        field("部门", dropdown(f"{prefix}-department", departments,
                             account.department if account else None)),
    ]


def role_rules() -> html.Ul:
    """What each role sees, in one line each."""
    return html.Ul([html.Li([html.B(ROLES[r]), f"：{w}"]) for r, w in ROLE_RULES.items()],
                   className="ad-roles")


def users_table(users: list[Account], *, sessions: dict[int, int],
                region_names: dict[str, str], department_names: dict[str, str],
                href_for: Callable[[str], str], selected: str | None) -> html.Table:
    head = html.Thead(html.Tr([html.Th(h) for h in (
        "用户名", "姓名", "单位", "角色", "地区", "部门", "状态", "在线会话")]))
    rows = []
    for a in users:
        rows.append(html.Tr([
            html.Td(dcc.Link(a.username, href=href_for(a.username))),
            html.Td(a.display_name), html.Td(a.unit), html.Td(a.role_name),
            html.Td(region_names.get(a.region, a.region) if a.region else "—"),
            html.Td(department_names.get(a.department, a.department) if a.department else "—"),
            html.Td("启用" if a.active else "已停用",
                    className="ad-on" if a.active else "ad-off"),
            html.Td(str(sessions.get(a.id, 0)), className="num"),
        ], className="is-selected" if a.username == selected else None,
            **{"data-username": a.username}))
    return html.Table([head, html.Tbody(rows)], className="ad-table ad-users")


def _when(value) -> str:
    return f"{value:%Y-%m-%d %H:%M}" if value is not None else "—"


def tokens_table(tokens: list[TokenInfo]) -> html.Table | html.P:
    if not tokens:
        return html.P("还没有令牌。", className="ad-hint")
    head = html.Thead(html.Tr([html.Th(h) for h in (
        "编号", "类型", "名称", "所属账号", "前缀", "创建", "创建人", "最近使用", "状态")]))
    rows = [html.Tr([
        html.Td(f"#{t.id}"), html.Td(TOKEN_KINDS.get(t.kind, t.kind)), html.Td(t.name),
        html.Td(f"{t.user.display_name}（{t.user.username}）" if t.user else "—"),
        html.Td(html.Code(f"{t.prefix}…")), html.Td(_when(t.created_at)),
        html.Td(t.created_by), html.Td(_when(t.last_used_at)),
        html.Td(f"已吊销 {_when(t.revoked_at)}" if t.revoked_at else "有效",
                className="ad-off" if t.revoked_at else "ad-on"),
    ], **{"data-token": str(t.id)}) for t in tokens]
    return html.Table([head, html.Tbody(rows)], className="ad-table ad-tokens")


def live_token_options(tokens: list[TokenInfo]) -> Options:
    return [(str(t.id), f"#{t.id} {TOKEN_KINDS.get(t.kind, t.kind)} · {t.name}")
            for t in tokens if t.revoked_at is None]


def secret_shown_once(*, kind: str, secret: str, host_url: str) -> html.Div:
    """The new token's secret: shown this once, never again."""
    if kind == "device":
        address = f"{host_url.rstrip('/')}/login/device#token={secret}&next=/screen"
        how = [html.P("把大屏浏览器的启动地址设为："), html.Pre(address, className="ad-secret")]
    else:
        how = [html.P("推送系统在请求头中携带："),
               html.Pre(f"Authorization: Bearer {secret}", className="ad-secret")]
    return html.Div([html.P("令牌只显示这一次，关闭或刷新页面后无法再查看，请立即妥善保存。",
                            className="ad-warning"), *how])


#: The administrators' pages, as tabs above each of them.
ADMIN_TABS = (("用户与令牌", "/admin"), ("审计日志", "/audit"), ("数据导入", "/data"))


def view_tabs(current: str) -> html.Nav:
    return html.Nav([html.Span(name, className="ad-tab is-current", **{"aria-current": "page"})
                     if href == current else dcc.Link(name, href=href, className="ad-tab")
                     for name, href in ADMIN_TABS], className="ad-tabs",
                    **{"aria-label": "系统管理"})


# --- the page's panels ------------------------------------------------------------------------

def button(label: str, component_id: str, *, danger: bool = False) -> html.Button:
    return html.Button(label, id=component_id, n_clicks=0,
                       className="button ad-button" + (" ad-danger" if danger else ""))


def user_panel(chosen: Account, *, regions: Options, departments: Options) -> html.Section:
    controls = [
        html.Div([
            field("新密码", text_input(ids.password, kind="password",
                                              autocomplete="new-password"),
                       hint="至少 10 位，含大写、小写、数字、符号中的三类；重设后该用户须重新登录"),
            button("重设密码", ids.password_submit),
        ], className="ad-form") if chosen.role != "screen" else None,
        html.Div(id=ids.password_message),
        html.Div([
            button("停用" if chosen.active else "启用", ids.active_submit, danger=chosen.active),
            button("强制下线", ids.sessions_submit),
        ], className="ad-actions"),
        html.Div(id=ids.actions_message),
    ]
    return html.Section([
        html.H3(f"修改用户：{chosen.display_name}（{chosen.username}）", className="panel-title"),
        html.Div(account_fields(ids.edit, account=chosen, regions=regions,
                                     departments=departments), className="ad-grid"),
        html.Div(button("保存修改", ids.edit_submit), className="ad-actions"),
        html.Div(id=ids.edit_message),
        *controls,
    ], className="card ad-user", **{"aria-label": "修改用户"})


def new_user_panel(*, regions: Options, departments: Options) -> html.Section:
    return html.Section([
        html.H3("新建用户", className="panel-title"),
        role_rules(),
        html.Div([
            field("用户名", text_input(ids.new_username, placeholder="如 zhangsan"),
                       hint="2–40 位小写字母、数字或 _ . -"),
            *account_fields(ids.new, account=None, regions=regions,
                                 departments=departments),
            field("初始密码", text_input(ids.new_password, kind="password",
                                               autocomplete="new-password"),
                       hint="至少 10 位，含大写、小写、数字、符号中的三类；大屏账号不设密码"),
        ], className="ad-grid"),
        html.Div(button("新建用户", ids.new_submit), className="ad-actions"),
        html.Div(id=ids.new_message),
    ], className="card", **{"aria-label": "新建用户"})


def tokens_panel(tokens: list[TokenInfo], *, user_options: Options) -> html.Section:
    return html.Section([
        html.H3("令牌", className="panel-title"),
        html.P("大屏设备令牌让墙上的大屏免密码登录（须属于大屏账号）；数据推送令牌供外部系统调用"
               " /api 推送数据（可属于某账号，按其范围限定）。令牌只在创建时显示一次。",
               className="ad-hint"),
        html.Div(tokens_table(tokens), id=ids.tokens),
        html.Div([
            field("类型", dropdown(ids.token_kind, TOKEN_KIND_OPTIONS, "device",
                                           clearable=False, width="170px")),
            field("名称", text_input(ids.token_name,
                                             placeholder="大屏所在位置或推送系统"), wide=True),
            field("所属账号", dropdown(ids.token_user, user_options, None,
                                             width="280px")),
            button("创建令牌", ids.token_submit),
        ], className="ad-form"),
        html.Div(id=ids.token_message),
        html.Div([
            field("吊销令牌", dropdown(ids.revoke_token,
                                             live_token_options(tokens), None,
                                             placeholder="选择有效令牌", width="320px")),
            button("吊销", ids.revoke_submit, danger=True),
        ], className="ad-form"),
        html.Div(id=ids.revoke_message),
    ], className="card", **{"aria-label": "令牌"})
