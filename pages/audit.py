"""The audit log, for administrators: ``/audit``.

    /audit?user=xihu&action=login&outcome=ok&address=10.0.0.7&from=2026-11-01&to=2026-11-30

(all optional). The URL is the state, as on ``/problems``: every filter is a new address, so
Back undoes it and a link reproduces the view. The newest 2,000 events are listed (AG Grid);
the export (the app's one format, Excel or CSV) holds the newest 50,000 that pass the filters.
"""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

import dash
from dash import Input, Output, State, callback, ctx, dcc, html, no_update

from auth import current_account, require_admin
from components import audit as view
from components.admin import view_tabs
from components.export import Export
from components.frame import message_page, navigator, page_or_message
from data import audit
from data.accounts import now
from data.audit import AuditFilter
from panels.addresses import BadAddress, one_value

#: URL parameter → AuditFilter field.
PARAMS = {"user": "username", "action": "action", "outcome": "outcome", "address": "address",
          "from": "since", "to": "until"}
SHOWN = 2000  # events listed on the page
#: Events in one export, the newest (an Excel file of 50,000 is made in about 20 s on a busy
#: server, within the workers' 60 s); a narrower filter exports older ones.
EXPORT_LIMIT = 50_000


class ids:  # noqa: N801 - a namespace of component ids
    view = "audit-view"
    nav = "audit-nav"
    user = "audit-user"
    action = "audit-action"
    outcome = "audit-outcome"
    address = "audit-address"
    since = "audit-from"
    until = "audit-to"
    grid = "audit-grid"
    export_excel = "audit-export-excel"
    export_csv = "audit-export-csv"
    download = "audit-download"


CONTROLS = {ids.user: "username", ids.action: "action", ids.outcome: "outcome",
            ids.address: "address", ids.since: "since", ids.until: "until"}

# Reached from the tabs of /admin (the header has room for one administrators' entry).
dash.register_page(__name__, path="/audit", title="审计日志 · 数字化改革驾驶舱", name="审计日志",
                   order=92, roles=("admin",), nav=False)


def audit_href(filters: AuditFilter) -> str:
    values = {param: getattr(filters, field) for param, field in PARAMS.items()}
    query = {p: (v.isoformat() if isinstance(v, date) else v) for p, v in values.items() if v}
    return f"/audit?{urlencode(query)}" if query else "/audit"


def _day(param: str, raw: str) -> date:
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise BadAddress(f"参数“{param}”的日期“{raw[:20]}”不正确，"
                         "应为年-月-日，例如 2026-11-01。") from None


def resolve_filters(params: dict[str, object]) -> AuditFilter:
    """Check the URL's parameters (or a callback's values) and make an :class:`AuditFilter`."""
    values: dict[str, object] = {}
    for param, field in PARAMS.items():
        raw = params.get(param)
        if raw in (None, ""):
            continue
        raw = str(one_value(param, raw))
        raw = raw.strip()
        if len(raw) > 64:
            raise BadAddress(f"参数“{param}”过长。")
        values[field] = _day(param, raw) if field in ("since", "until") else raw
    if values.get("action") and values["action"] not in audit.ACTIONS:
        raise BadAddress(f"操作“{values['action']}”无法识别。")
    if values.get("outcome") and values["outcome"] not in audit.OUTCOMES:
        raise BadAddress(f"结果“{values['outcome']}”无法识别，应为 "
                         f"{'、'.join(audit.OUTCOMES)} 之一。")
    if values.get("since") and values.get("until") and values["since"] > values["until"]:
        raise BadAddress("起始日期晚于截止日期。")
    if values.get("username"):
        values["username"] = str(values["username"]).lower()
    return AuditFilter(**values)


def layout(**params: object) -> html.Div:
    account = current_account()
    if account is None or not account.is_admin:
        return message_page("无权限：审计日志由管理员查看。", title="无权限")
    return page_or_message(lambda: audit_view(resolve_filters(params)))


def describe(filters: AuditFilter) -> str:
    """The filters in words (the heading and the export's note)."""
    parts = []
    if filters.username:
        parts.append(f"用户 {filters.username}")
    if filters.action:
        parts.append(audit.ACTIONS[filters.action])
    if filters.outcome:
        parts.append(audit.OUTCOMES[filters.outcome])
    if filters.address:
        parts.append(f"地址 {filters.address}")
    if filters.since or filters.until:
        parts.append(f"{filters.since or '最早'} 至 {filters.until or '今'}")
    return "，".join(parts) if parts else "全部事件"


def audit_view(filters: AuditFilter) -> html.Div:
    total = audit.count(filters)
    events = audit.events(filters, limit=SHOWN)
    shown = f"共 {total:,} 条" + (f"，列出最新 {SHOWN:,} 条" if total > SHOWN else "") + (
        f"，导出最新 {EXPORT_LIMIT:,} 条（缩小筛选可导出更早的）" if total > EXPORT_LIMIT else "")
    return html.Div([
        dcc.Store(id=ids.view, data=audit_href(filters)),
        navigator(ids.nav),
        view_tabs("/audit"),
        html.H2(["审计日志", html.Span(f"{describe(filters)} · {shown}", className="heading-sub")],
                className="page-heading"),
        view.filter_bar(ids, filters=filters, usernames=audit.usernames(),
                        clear_href=audit_href(AuditFilter())),
        html.Section([
            html.Div([html.H3(f"事件（{total:,} 条）", className="panel-title"),
                      html.Div([html.Button("导出 Excel", id=ids.export_excel, n_clicks=0,
                                            className="button"),
                                html.Button("导出 CSV", id=ids.export_csv, n_clicks=0,
                                            className="button")], className="au-actions")],
                     className="au-head"),
            view.event_grid(ids.grid, events),
            dcc.Download(id=ids.download),
        ], className="card", **{"aria-label": "审计事件"}),
    ], className="audit-page", **{"data-count": str(total)})


@callback(
    Output(ids.nav, "href", allow_duplicate=True),
    *[Input(c, "value") for c in CONTROLS],
    State(ids.view, "data"),
    prevent_initial_call=True,
)
def navigate(*args):
    *values, current = args
    return next_href(dict(zip(CONTROLS, values, strict=True)), current=current)


def next_href(values: dict[str, object], *, current: object) -> str:
    """The address of the chosen filters (``no_update`` if it is the current one); a value
    no control can send is refused."""
    require_admin()
    params = {param: values[control] for control, field in CONTROLS.items()
              for param, f in PARAMS.items() if f == field}
    target = audit_href(resolve_filters(params))
    return no_update if target == current else target


def export_file(kind: str, *, view_address: object) -> dict:
    """The ``dcc.Download`` data of every event that passes the page's filters."""
    account = require_admin()
    if not isinstance(view_address, str) or not view_address.startswith("/audit"):
        raise BadAddress("导出的筛选条件无效，请刷新页面。")
    from urllib.parse import parse_qs, urlsplit

    query = parse_qs(urlsplit(view_address).query)
    filters = resolve_filters({k: v[0] if len(v) == 1 else v for k, v in query.items()})
    rows = view.export_rows(audit.events(filters, limit=EXPORT_LIMIT))
    total = audit.count(filters)
    words = describe(filters) + (f"，最新 {EXPORT_LIMIT:,} 条（共 {total:,} 条）"
                                 if total > EXPORT_LIMIT else "")
    return Export(topic="审计日志", region="全部", filters=words,
                  as_of=now().date(), rows=rows, columns=view.EXPORT_COLUMNS, demo=False,
                  ).download(kind, by=account)  # marked with who exports it, and audited


@callback(
    Output(ids.download, "data"),
    Input(ids.export_excel, "n_clicks"),
    Input(ids.export_csv, "n_clicks"),
    State(ids.view, "data"),
    prevent_initial_call=True,
)
def export(_excel, _csv, view_address):
    kind = "csv" if ctx.triggered_id == ids.export_csv else "xlsx"
    return export_file(kind, view_address=view_address)
