"""Builders of the /data page: the kinds with their templates and columns, the upload form,
the batches, one batch (its reasons, or its rows), and the push API's instructions.

Data in, components out; no store access.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import datetime

import pandas as pd
from dash import dcc, html

STATUS_NAMES = {"accepted": "已导入", "refused": "已拒收", "withdrawn": "已撤销"}
CHANNEL_NAMES = {"page": "页面上传", "cli": "命令行", "api": "接口推送"}
#: The column headers of a batch's rows, by table column.
ROW_HEADERS = {
    "source_row": "文件行", "indicator_code": "指标", "region_adcode": "地区", "period": "期间",
    "value": "数值", "year": "年度", "target": "目标值", "due_month": "完成时限",
    "wording": "表述", "source": "来源", "basis": "依据", "updated_at": "更新时间",
    "code": "编码", "name": "名称", "title": "标题", "task_id": "任务", "reported_on": "报告日期",
    "progress": "进度", "summary": "进展", "reporter": "报告人", "list_code": "清单",
    "department_code": "单位", "category": "类别", "severity": "严重程度", "stage": "阶段",
    "found_on": "发现日期", "deadline": "整改期限", "problem_id": "问题", "to_stage": "阶段",
    "moved_by": "经办人", "moved_at": "时间", "note": "说明", "event_id": "过程",
    "hazard_code": "灾种", "level_code": "等级", "assessed_at": "研判时间", "kind": "类型",
    "issuer": "发文单位", "issued_at": "发出时间", "acknowledged_at": "签收时间",
    "reported_at": "报告时间", "people": "转移人数", "started_at": "开始", "ended_at": "结束",
    "group_code": "任务组", "lead_department": "牵头单位", "start_date": "开始日期",
    "due_date": "完成日期",
}
HIDDEN_ROW_COLUMNS = ("id", "batch_id", "description")
#: Codes shown in a batch's rows by their Chinese names.
SOURCE_WORDS = {"demo": "演示", "import": "导入", "api": "推送", "plan": "方案",
                "document": "年度文件", "derived": "推算", "user": "填报"}


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or (
        value is pd.NaT)


def _when(value) -> str:
    if _missing(value):
        return "—"
    return f"{pd.Timestamp(value):%Y-%m-%d %H:%M}"


def status_badge(status: str) -> html.Span:
    return html.Span(STATUS_NAMES.get(status, status), className=f"dt-status dt-{status}")


def kind_picker(kinds: list[dict], *, selected: str, href_for: Callable[[str], str]) -> html.Nav:
    """The kinds as links (the URL is the state): name and what it holds."""
    return html.Nav([
        dcc.Link([html.Span(k["name"], className="dt-kind-name"),
                  html.Code(k["code"], className="dt-kind-code")],
                 href=href_for(k["code"]), title=k["description"],
                 className="dt-kind" + (" is-selected" if k["code"] == selected else ""))
        for k in kinds], className="dt-kinds", **{"aria-label": "导入类型"})


def kind_panel(kind: dict, *, demo_topic: str | None) -> html.Section:
    """One kind: what it holds, its templates, its columns."""
    rows = [html.Tr([html.Th(c["name"], scope="row"), html.Td(html.Code(c["code"])),
                     html.Td("必填" if c["required"] else "选填",
                             className="dt-required" if c["required"] else ""),
                     html.Td(c["help"], className="dt-help"),
                     html.Td(c["example"], className="dt-example")])
            for c in kind["columns"]]
    notes = [html.P(kind["description"], className="dt-lead")]
    if demo_topic:
        notes.append(html.P(f"当前{demo_topic}仍是演示数据：导入成功后，{demo_topic}的演示数据将被"
                            "清除（同一事务），页面只显示真实数据。", className="dt-warning"))
    return html.Section([
        html.H3(f"{kind['name']} · 填写说明", className="panel-title"),
        *notes,
        html.Table([
            html.Thead(html.Tr([html.Th(h) for h in ("列名", "英文列码", "", "填写说明", "示例")])),
            html.Tbody(rows),
        ], className="dt-table dt-columns"),
    ], className="card dt-kind-panel", **{"aria-label": "模板与填写说明"})


def _actor(actor: str) -> list:
    """``系统管理员（演示）（admin）``: the account's user name (the last bracket) is shown as
    the code it is."""
    name, _, user = actor.removesuffix("）").rpartition("（")
    return [name, "（", html.Code(user), "）"] if name else [actor]


def upload_form(kind: dict, *, max_bytes: int, actor: str) -> html.Section:
    """The templates, then the upload: who, which file, a progress bar; the browser sends
    the file itself (assets/50-data.js)."""
    max_mb = max_bytes // 1048576
    return html.Section([
        html.H3(f"导入{kind['name']}", className="panel-title"),
        html.Div([
            html.Span("① 下载模板：", className="dt-label"),
            html.A("Excel 模板（.xlsx）", href=f"/data/template/{kind['code']}.xlsx",
                   className="button dt-template", download=""),
            html.A("CSV 模板", href=f"/data/template/{kind['code']}.csv",
                   className="button button-quiet dt-template", download=""),
            html.Span(f"② 按说明填写。③ 上传：接受 .xlsx 和 CSV（UTF-8 或 GB18030/GBK），"
                      f"不超过 {max_mb} MB；表头可用中文列名或英文列码。整份文件校验通过才导入，"
                      "有任何一行不合格则一行不写，并列出每行的问题。", className="dt-hint"),
        ], className="dt-templates"),
        html.Div([
            html.Div([
                html.Span("导入人", className="control-label"),
                html.Span(_actor(actor), className="dt-actor"),
            ], className="dt-field"),
            html.Div([
                html.Label("文件", htmlFor="data-file", className="control-label"),
                # Dash has no file input that streams: assets/50-data.js puts a native
                # <input type="file" id="data-file"> here and sends the file itself.
                html.Div(id="data-file-slot", className="dt-file-slot",
                         **{"data-accept": ".xlsx,.csv,.txt"}),
            ], className="dt-field dt-field-wide"),
            html.Button("上传并导入", id="data-upload-button", n_clicks=0,
                        className="button dt-upload-button",
                        **{"data-kind": kind["code"], "data-max-bytes": str(max_bytes)}),
        ], className="dt-form"),
        html.Div([
            html.Progress(id="data-progress", max="100", value="0", className="dt-progress"),
            html.Span("", id="data-progress-text", className="dt-progress-text",
                      role="status", **{"aria-live": "polite"}),
        ], className="dt-progress-row"),
    ], className="card dt-upload", **{"aria-label": "上传文件"})


def batches_table(frame: pd.DataFrame, *, kind_names: dict[str, str],
                  href_for: Callable[[int], str], selected: int | None = None) -> html.Section:
    if frame.empty:
        body = [html.P("还没有导入记录。", className="dt-empty")]
    else:
        header = ("批次", "时间", "类型", "文件或系统", "导入人", "方式", "状态", "行数", "新增",
                  "更新", "未变", "清除演示", "说明")
        rows = []
        for row in frame.itertuples():
            origin = row.filename if isinstance(row.filename, str) else (
                row.system_name if isinstance(row.system_name, str) else "—")
            note = row.message if row.status == "refused" and isinstance(row.message, str) else (
                f"{row.withdrawn_by} 于 {_when(row.withdrawn_at)} 撤销"
                if row.status == "withdrawn" else "")
            rows.append(html.Tr([
                html.Th(dcc.Link(f"第{row.id}批", href=href_for(int(row.id))), scope="row"),
                html.Td(_when(row.created_at)),
                html.Td(kind_names.get(row.kind, row.kind), className="dt-left"),
                html.Td(origin, className="dt-left dt-origin", title=origin),
                html.Td(row.actor, className="dt-left"),
                html.Td(CHANNEL_NAMES.get(row.channel, row.channel), className="dt-left"),
                html.Td(status_badge(row.status), className="dt-left"),
                html.Td(f"{row.rows:,}"), html.Td(f"{row.inserted:,}"),
                html.Td(f"{row.updated:,}"), html.Td(f"{row.unchanged:,}"),
                html.Td(f"{row.demo_cleared:,}" if row.demo_cleared else "—"),
                html.Td(note, className="dt-left dt-note", title=note),
            ], className="is-selected" if selected == int(row.id) else None))
        body = [html.Div(html.Table([html.Thead(html.Tr([html.Th(h) for h in header])),
                                     html.Tbody(rows)], className="dt-table dt-batches"),
                         className="dt-scroll")]
    return html.Section([html.H3("导入批次", className="panel-title"), *body],
                        className="card dt-batches-card", **{"aria-label": "导入批次"})


def batch_detail(batch: dict, *, kind_name: str, rows: pd.DataFrame, replaced: int,
                 can_withdraw: bool) -> html.Section:
    origin = batch.get("filename") or batch.get("system_name") or "—"
    facts = [
        ("类型", kind_name), ("文件或系统", origin), ("导入人", batch["actor"]),
        ("方式", CHANNEL_NAMES.get(batch["channel"], batch["channel"])),
        ("时间", _when(batch["created_at"])),
        ("大小", f"{batch['size_bytes'] / 1024:,.1f} KB" if batch.get("size_bytes") else "—"),
    ]
    if batch["status"] != "refused":
        facts += [("行数", f"{batch['rows']:,}"), ("新增", f"{batch['inserted']:,}"),
                  ("更新", f"{batch['updated']:,}"), ("未变", f"{batch['unchanged']:,}"),
                  ("清除演示数据", f"{batch['demo_cleared']:,}")]
    if batch["status"] == "withdrawn":
        facts.append(("撤销", f"{batch['withdrawn_by']}，{_when(batch['withdrawn_at'])}"))
    children = [
        html.H3([f"第{batch['id']}批", status_badge(batch["status"])], className="panel-title"),
        html.Dl([html.Div([html.Dt(label), html.Dd(value)]) for label, value in facts],
                className="dt-facts"),
    ]
    if batch["status"] == "refused":
        children.append(html.P(batch.get("message") or "", className="dt-refused",
                               role="alert"))
        children.append(issues_table(batch.get("errors") or [],
                                     count=int(batch.get("error_count") or 0)))
    else:
        if can_withdraw:
            children.append(withdraw_form(batch["id"], replaced=replaced))
        children.append(rows_table(rows, total=int(batch["inserted"] + batch["updated"]),
                                   withdrawn=batch["status"] == "withdrawn"))
    return html.Section(children, className="card dt-batch", id="data-batch",
                        **{"aria-label": f"第{batch['id']}批"})


def issues_table(issues: list[dict], *, count: int) -> html.Div:
    rows = [html.Tr([html.Td("—" if i.get("row") is None else str(i["row"])),
                     html.Td(i.get("column") or "—", className="dt-left"),
                     html.Td(i.get("value") or "", className="dt-left dt-value"),
                     html.Td(i.get("reason") or "", className="dt-left dt-reason")])
            for i in issues]
    more = (html.P(f"共 {count} 处问题，此处列出前 {len(issues)} 处。", className="dt-hint")
            if count > len(issues) else None)
    return html.Div([
        html.Table([html.Caption("不合格的行（修改后重新上传整个文件）"),
                    html.Thead(html.Tr([html.Th(h) for h in ("行", "列", "值", "原因")])),
                    html.Tbody(rows)], className="dt-table dt-issues"),
        more,
    ])


def withdraw_form(batch_id: int | None, *, replaced: int, hidden: bool = False) -> html.Div:
    """The 撤销本批 form (hidden, with nothing to withdraw, where the page shows no
    accepted batch: its callback is registered, and its inputs are always on the page)."""
    return html.Div(hidden=hidden, children=[
        html.P(f"撤销本批将删除本批写入的数据，并恢复被本批替换的 {replaced:,} 行原有数据"
               "（一个事务）。被本批清除的演示数据不会恢复。", className="dt-hint"),
        html.Div([
            dcc.ConfirmDialogProvider(
                html.Button("撤销本批", className="button dt-withdraw-button",
                            id="data-withdraw-button"),
                id="data-withdraw-confirm",
                message=f"确定撤销第{batch_id}批？本批写入的数据将被删除，被替换的数据将恢复。"),
        ], className="dt-form"),
        html.P("", id="data-withdraw-message", className="dt-message", role="status"),
    ], className="dt-withdraw")


def rows_table(rows: pd.DataFrame, *, total: int, withdrawn: bool) -> html.Div:
    if withdrawn:
        return html.P("本批已撤销，其数据已从库中删除。", className="dt-hint")
    if rows.empty:
        return html.P("本批的数据已被之后的批次全部替换，或本批没有新增和更新的行"
                      "（未变的行不记入本批）。", className="dt-hint")
    columns = [c for c in rows.columns if c not in HIDDEN_ROW_COLUMNS]
    columns = ["source_row", *[c for c in columns if c != "source_row"]]
    body = []
    shown_rows = rows[columns].copy()
    if "source" in shown_rows:
        shown_rows["source"] = shown_rows["source"].map(lambda v: SOURCE_WORDS.get(v, v))
    for record in shown_rows.itertuples(index=False):
        body.append(html.Tr([html.Td(_cell(v)) for v in record]))
    shown = f"（共 {total:,} 行，显示前 {len(rows):,} 行）" if total > len(rows) else ""
    return html.Div([
        html.Table([html.Caption(f"本批写入且仍在库中的数据{shown}"),
                    html.Thead(html.Tr([html.Th(ROW_HEADERS.get(c, c)) for c in columns])),
                    html.Tbody(body)], className="dt-table dt-rows"),
    ], className="dt-scroll")


def _cell(value) -> str:
    if _missing(value):
        return "—"
    if isinstance(value, datetime | pd.Timestamp):
        return _when(value)
    if isinstance(value, float):
        return f"{value:,.4f}".rstrip("0").rstrip(".")
    return str(value)


def api_panel(*, tokens: list, kinds: list[str], base_url: str) -> html.Section:
    example = (
        f"curl -X POST {base_url}api/v1/indicator-values \\\n"
        "  -H \"Authorization: Bearer $COCKPIT_TOKEN\" \\\n"
        "  -H \"Content-Type: application/json\" \\\n"
        "  -d '{\"rows\": [{\"indicator_code\": \"DG_ZLB_DAU\", \"adcode\": \"330106\", "
        "\"period\": \"2026-10\", \"value\": 12.5}]}'")
    listed = []
    for token in tokens:
        revoked = token.revoked_at is not None
        bound = token.user.display_name if token.user is not None else "全部地区和部门"
        listed.append(html.Tr([
            html.Th(token.name, scope="row"), html.Td(bound),
            html.Td(html.Code(f"{token.prefix}…")),
            html.Td("已吊销" if revoked else "有效",
                    className="dt-revoked" if revoked else "dt-valid"),
            html.Td(_when(token.created_at)), html.Td(_when(token.last_used_at))]))
    token_table = (html.Table([html.Thead(html.Tr([html.Th(h) for h in (
        "系统", "推送范围", "令牌前缀", "状态", "创建时间", "最近使用")])), html.Tbody(listed)],
        className="dt-table dt-tokens") if listed
        else html.P(["还没有数据推送令牌。管理员在服务器上运行 ",
                     html.Code("flask --app app create-token --kind api --name 系统名称"),
                     " 创建（或在用户管理页面）。"], className="dt-hint"))
    return html.Section([
        html.H3("数据推送接口（供各业务系统自动报送）", className="panel-title"),
        html.P(["各系统用 ", html.Code("POST /api/v1/<类型>"),
                " 推送 JSON 行，校验规则与文件导入相同，全部通过才写入；"
                "每次推送记为一个批次。类型：",
                html.Code(" ".join(kinds)),
                "。接口说明（OpenAPI）：",
                html.A(html.Code("/api/v1/openapi.json"), href="/api/v1/openapi.json"), "。"],
               className="dt-lead"),
        html.Pre(example, className="dt-code"),
        token_table,
    ], className="card dt-api", **{"aria-label": "数据推送接口"})
