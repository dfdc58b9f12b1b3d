"""The push API: systems that report by themselves send rows as JSON.

    POST /api/v1/<kind>          Authorization: Bearer <token>    Content-Type: application/json
         {"rows": [{"indicator_code": "DG_ZLB_DAU", "adcode": "330106",
                    "period": "2026-10", "value": 12.5}, ...]}
    GET  /api/v1/openapi.json    the OpenAPI 3.1 description (no token needed)
    GET  /api/v1/kinds           the kinds and their columns

The rows are checked exactly as a file's rows are (:mod:`data.imports`), all or nothing: a
push with one bad row writes nothing and answers 422 with each row's index and reason. Every
push is a batch, listed on /data with the system's name, and an event of the audit log.

The token is checked before the request gets here (:mod:`auth.guard`, the one token
mechanism: ``flask --app app create-token --kind api --name NAME [--user USER]``); a token
bound to an account writes only inside that account's regions and departments.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator

from flask import Flask, current_app, g, jsonify, request

from data.imports.cells import Issue
from data.imports.kinds import Kind
from data.imports.reader import Row, Table
from data.imports.registry import KINDS

#: A push is parsed whole, so its size is bounded more tightly than a file's.
MAX_PUSH_BYTES = 20 * 1024 * 1024
MAX_PUSH_ROWS = 100_000


class JsonRows(Table):
    """The rows of a push as a table: the header is every key used, in order of appearance."""

    format = "json"

    def __init__(self, rows: list) -> None:
        header: dict[str, None] = {}
        for row in rows:
            if isinstance(row, dict):
                header.update(dict.fromkeys(str(k) for k in row))
        self.header = tuple(header)
        self._rows = rows

    def rows(self) -> Iterator[Row]:
        for index, row in enumerate(self._rows):
            yield Row(index + 1, tuple(_cell(row.get(k)) for k in self.header))


def _cell(value):
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return value


def problem(status: int, message: str, **extra):
    body = {"accepted": False, "message": message, **extra}
    response = jsonify(body)
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="cockpit"'
    return response


def api_errors(kind: Kind, issues: list[Issue]) -> list[dict]:
    """Issues as the API reports them: the row's index in ``rows`` and the column's code."""
    codes = {c.name: c.code for c in kind.columns}
    out = []
    for issue in issues:
        out.append({"index": issue.row - 1 if issue.row else None, "row": issue.row,
                    "column": codes.get(issue.column, issue.column),
                    "column_name": issue.column, "value": issue.value,
                    "reason": issue.reason})
    return out


def register(server: Flask) -> None:
    @server.post("/api/v1/<kind>")
    def push(kind: str):
        from data.imports.run import Refused, import_table, record_refusal
        from data.store import StoreUnavailable

        spec = KINDS.get(kind)
        if spec is None:
            return problem(404, f"未知的数据类型“{kind[:40]}”。可用：{'、'.join(KINDS)}。")
        token = g.get("api_token")
        if token is None:  # the guard lets no request through without one; never trust that
            return problem(401, "缺少有效的数据推送令牌：Authorization: Bearer <令牌>。")
        settings = current_app.config["COCKPIT_SETTINGS"]
        limit = min(settings.import_max_bytes, MAX_PUSH_BYTES)
        if request.content_length is not None and request.content_length > limit:
            return problem(413, f"请求体超过 {limit // 1048576} MB，请分批推送"
                                f"（每次不超过 {MAX_PUSH_ROWS} 行）。")
        if request.mimetype != "application/json":
            return problem(415, "请求体应为 JSON（Content-Type: application/json）。")
        body = request.get_data(cache=False)
        if len(body) > limit:
            return problem(413, f"请求体超过 {limit // 1048576} MB，请分批推送。")
        try:
            payload = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as bad:
            return problem(400, f"请求体不是有效的 JSON（UTF-8）：{str(bad)[:120]}")
        rows = payload.get("rows") if isinstance(payload, dict) else payload
        if not isinstance(rows, list):
            return problem(400, "请求体应为 {\"rows\": [ {...}, ... ]}（或直接是行的数组）。")
        if not rows:
            return problem(400, "rows 是空的：没有要导入的行。")
        if len(rows) > MAX_PUSH_ROWS:
            return problem(413, f"一次最多推送 {MAX_PUSH_ROWS} 行（本次 {len(rows)} 行），请分批。")
        batch = {"kind": kind, "channel": "api", "filename": None,
                 "system_name": token.name, "actor": token.name,
                 "size_bytes": len(body), "sha256": hashlib.sha256(body).hexdigest()}
        try:
            objects = [i for i, row in enumerate(rows) if not isinstance(row, dict)]
            if objects:
                issues = [Issue(i + 1, None, None, "这一项不是对象（应为 {\"列码\": 值, ...}）")
                          for i in objects]
                outcome = record_refusal(batch, Refused(
                    f"rows 中有 {len(objects)} 项不是对象，未导入。", issues), scope=token.scope)
            else:
                outcome = import_table(JsonRows(rows), batch=batch, scope=token.scope)
        except StoreUnavailable:
            return problem(503, "暂时无法连接数据库，数据未写入，请稍后重试。")
        body_out = outcome.as_dict() | {"errors": api_errors(spec, outcome.issues)}
        return jsonify(body_out), (200 if outcome.accepted else 422)

    @server.get("/api/v1/openapi.json")
    def openapi():
        return jsonify(openapi_document())

    @server.get("/api/v1/kinds")
    def kinds():
        return jsonify({code: {"name": spec.name, "description": spec.description,
                               "columns": [{"code": c.code, "name": c.name,
                                            "required": c.required, "type": c.json_type,
                                            "help": c.help, "example": c.example}
                                           for c in spec.columns]}
                        for code, spec in KINDS.items()})


def _row_schema(spec: Kind) -> dict:
    properties = {}
    for column in spec.columns:
        kind = column.json_type
        types = [kind, "string"] if kind != "string" else ["string", "number"]
        properties[column.code] = {"type": [*types, "null"] if not column.required else types,
                                   "description": f"{column.name}：{column.help}",
                                   "examples": [column.example] if column.example else []}
    return {"type": "object", "properties": properties,
            "required": [c.code for c in spec.required], "additionalProperties": False}


def openapi_document() -> dict:
    error = {"type": "object", "properties": {
        "index": {"type": ["integer", "null"], "description": "出错行在 rows 中的下标（从0起）"},
        "row": {"type": ["integer", "null"], "description": "出错行的序号（从1起）"},
        "column": {"type": ["string", "null"]}, "column_name": {"type": ["string", "null"]},
        "value": {"type": ["string", "null"]}, "reason": {"type": "string"}}}
    outcome = {"type": "object", "properties": {
        "accepted": {"type": "boolean"}, "batch": {"type": ["integer", "null"]},
        "kind": {"type": "string"}, "rows": {"type": "integer"},
        "inserted": {"type": "integer"}, "updated": {"type": "integer"},
        "unchanged": {"type": "integer"}, "demo_cleared": {"type": "integer"},
        "message": {"type": "string"}, "error_count": {"type": "integer"},
        "errors": {"type": "array", "items": {"$ref": "#/components/schemas/RowError"}}},
        "required": ["accepted", "message"]}
    paths = {}
    schemas = {"RowError": error, "Outcome": outcome}
    for code, spec in KINDS.items():
        name = "".join(part.title() for part in code.split("-"))
        schemas[f"{name}Row"] = _row_schema(spec)
        paths[f"/api/v1/{code}"] = {"post": {
            "operationId": f"push_{code.replace('-', '_')}",
            "summary": f"推送{spec.name}",
            "description": spec.description + " 全部校验通过才写入（一个事务），否则一行不写，"
                           "返回每行的下标和原因；重复推送相同数据不会产生变化。",
            "security": [{"bearer": []}],
            "requestBody": {"required": True, "content": {"application/json": {"schema": {
                "type": "object", "required": ["rows"], "properties": {"rows": {
                    "type": "array", "minItems": 1, "maxItems": MAX_PUSH_ROWS,
                    "items": {"$ref": f"#/components/schemas/{name}Row"}}}}}}},
            "responses": {
                "200": {"description": "已导入（新增、更新、未变的行数）",
                        "content": {"application/json": {"schema": {
                            "$ref": "#/components/schemas/Outcome"}}}},
                "400": {"description": "请求体不是有效的 JSON 或没有 rows",
                        "content": {"application/json": {"schema": {
                            "$ref": "#/components/schemas/Outcome"}}}},
                "401": {"description": "缺少或无效的访问令牌"},
                "413": {"description": "请求体或行数超过上限"},
                "415": {"description": "Content-Type 不是 application/json"},
                "422": {"description": "有不合格的行：一行未写，errors 列出每行的原因",
                        "content": {"application/json": {"schema": {
                            "$ref": "#/components/schemas/Outcome"}}}},
                "503": {"description": "数据库暂不可用，未写入"},
            }}}
    return {
        "openapi": "3.1.0",
        "info": {"title": "数字化改革驾驶舱 数据推送接口", "version": "1",
                 "description": "各系统按行推送数据，与文件导入同样校验、同样全有或全无。"
                                "每次推送是一个导入批次，可在 /data 查看和撤销。"},
        "servers": [{"url": "/"}],
        "paths": paths,
        "components": {"schemas": schemas, "securitySchemes": {
            "bearer": {"type": "http", "scheme": "bearer",
                       "description": "flask --app app create-token --kind api --name 系统名称 "
                                      "创建的数据推送令牌"}}},
    }
