"""The /data page's files: the upload of an import (streamed to disk, then imported) and the
templates to download.

    POST /data/upload?kind=indicator-values      body: the file's bytes
         headers: X-File-Name (percent-encoded), X-Requested-With: cockpit-upload
    GET  /data/template/<kind>.xlsx | .csv

Uploading is for administrators (the importer is the signed-in user); a template, which
holds only the catalogue's codes and names, for anyone signed in. The same-origin check of
:mod:`auth.guard` applies to the upload like to every write.
The upload answers JSON (status 200 whether the file was accepted or refused: both are
recorded batches): the import's outcome (``accepted``, ``batch``, counts, or the ``message``
and ``errors``). A file over the size limit is refused before it is read (413). The
custom header makes the browser ask first for a cross-site request, which it is refused.
"""

from __future__ import annotations

import tempfile
import uuid
from pathlib import Path
from urllib.parse import unquote

from flask import Flask, Response, current_app, jsonify, request

from data.imports.registry import KINDS
from data.scope import viewer_scope

UPLOAD_HEADER = "cockpit-upload"
CHUNK = 1 << 20
MAX_NAME = 200


def _error(message: str, status: int):
    return jsonify(accepted=False, message=message, errors=[], error_count=0), status


def _header_text(name: str, limit: int) -> str:
    return unquote(request.headers.get(name, "")).strip()[:limit]


def register(server: Flask) -> None:
    @server.post("/data/upload")
    def upload():
        from auth import require_admin
        from data.accounts import NotAllowed
        from data.imports.run import Refused, audited, record_refusal, run_import
        from data.store import StoreUnavailable

        settings = current_app.config["COCKPIT_SETTINGS"]
        try:
            account = require_admin()
        except NotAllowed as refused:
            return _error(f"{refused} 数据导入由管理员操作。", 403)
        if request.headers.get("X-Requested-With") != UPLOAD_HEADER:
            return _error("请从“数据导入”页面上传文件。", 400)
        kind = request.args.get("kind", "")
        if kind not in KINDS:
            return _error(f"未知的导入类型“{kind[:40]}”。", 400)
        filename = _header_text("X-File-Name", MAX_NAME) or "upload"
        actor = f"{account.display_name}（{account.username}）"
        limit = settings.import_max_bytes
        length = request.content_length
        scope = viewer_scope()
        batch = {"kind": kind, "channel": "page", "filename": filename, "system_name": None,
                 "actor": actor, "size_bytes": length, "sha256": None}
        try:
            if length is not None and length > limit:
                outcome = audited(record_refusal(batch, Refused(_too_big(length, limit)),
                                                 scope=scope), batch, account)
                return jsonify(outcome.as_dict()), 413
            folder = settings.upload_dir
            folder.mkdir(parents=True, exist_ok=True)
            with tempfile.TemporaryDirectory(dir=folder) as tmp:
                path = Path(tmp) / f"{uuid.uuid4().hex}.upload"
                written = _stream_to(path, limit)
                if written > limit:
                    refused = batch | {"size_bytes": written}
                    outcome = audited(record_refusal(refused, Refused(_too_big(written, limit)),
                                                     scope=scope), refused, account)
                    return jsonify(outcome.as_dict()), 413
                if written == 0:
                    return _error("没有收到文件内容。", 400)
                outcome = run_import(path, kind=kind, channel="page", actor=actor,
                                     filename=filename, max_bytes=limit, scope=scope,
                                     account=account)
        except StoreUnavailable:
            return _error("暂时无法连接数据库，文件未导入，请稍后再试。", 503)
        # A refused file is a completed request (the batch records it), not an HTTP error.
        return jsonify(outcome.as_dict()), 200

    @server.get("/data/template/<kind>.<ext>")
    def template(kind: str, ext: str):
        from data.imports.templates import csv_template, xlsx_template

        if kind not in KINDS or ext not in ("xlsx", "csv"):
            return Response("没有这个模板。", status=404, mimetype="text/plain; charset=utf-8")
        spec = KINDS[kind]
        if ext == "csv":
            body, mimetype = csv_template(kind), "text/csv; charset=utf-8"
        else:
            body = xlsx_template(kind)
            mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        name = f"{spec.name}导入模板.{ext}"
        response = Response(body, mimetype=mimetype)
        from urllib.parse import quote

        response.headers["Content-Disposition"] = (
            f"attachment; filename=\"{kind}-template.{ext}\"; filename*=UTF-8''{quote(name)}")
        return response


def _too_big(size: int, limit: int) -> str:
    return (f"文件大小 {size / 1048576:.1f} MB，超过上限 {limit / 1048576:.0f} MB。"
            "请拆分后分批导入（上限可由管理员通过 COCKPIT_IMPORT_MAX_MB 调整）。")


def _stream_to(path: Path, limit: int) -> int:
    """Copy the request body to ``path`` in chunks; stop one chunk past ``limit``."""
    written = 0
    with open(path, "wb") as out:
        while chunk := request.stream.read(CHUNK):
            written += len(chunk)
            if written > limit:
                return written
            out.write(chunk)
    return written
