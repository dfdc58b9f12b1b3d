"""``/briefings/<id>/file``: the download of a produced briefing.

The address carries the briefing's number only (an integer: nothing to traverse); the file is
found through its record, must lie in the briefing folder and exist whole (files are renamed
into place when complete). Only a viewer who may see the briefing gets it (the one it was made
for, or one whose scope covers everything it shows: :func:`data.briefings.may_see`); every
download is in the audit log.
"""

from __future__ import annotations

from urllib.parse import quote

from flask import Blueprint, Response, send_file

from auth import current_account
from briefing import files
from data import audit, queries
from data import briefings as records
from data.scope import EVERYTHING
from data.store import StoreUnavailable

blueprint = Blueprint("briefing_files", __name__)

PAGE = """<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{title}</title>
<link rel="stylesheet" href="/assets/10-cockpit.css"></head><body><main class="app-main">
<div class="message-page" role="alert"><h2>{title}</h2><p class="message-text">{message}</p>
<a class="button" href="/briefings">返回简报</a></div></main></body></html>"""


def _message(status: int, title: str, message: str) -> Response:
    return Response(PAGE.format(title=title, message=message), status=status,
                    content_type="text/html; charset=utf-8")


def file_href(briefing_id: int) -> str:
    return f"/briefings/{int(briefing_id)}/file"


@blueprint.get("/briefings/<int:briefing_id>/file")
def download(briefing_id: int) -> Response:
    account = current_account()
    if account is None:  # the guard signs people in first; a safety net
        return _message(401, "请先登录", "请登录后再下载简报。")
    try:
        record = records.get(briefing_id)
        tree = queries.regions(scope=EVERYTHING)
    except StoreUnavailable:
        return _message(503, "暂时无法连接数据库", "请稍后再试。")
    ancestors = dict(zip(tree["adcode"], tree["ancestors"], strict=True))
    if record is None or not records.may_see(record, scope=account.scope,
                                             username=account.username, ancestors=ancestors):
        if record is not None:
            audit.record("briefing_download", by=account, target=f"简报 #{briefing_id}",
                         detail="不在权限范围内", outcome="refused")
        return _message(404, "没有这份简报", "没有这份简报，或它不在您的权限范围内。")
    if record["status"] != "done":
        return _message(409, "简报尚未生成", f"这份简报{records.STATUSES[record['status']]}："
                                         f"{record['message'] or ''}")
    path = files.stored(record["file_name"])
    if path is None:
        return _message(410, "文件已不存在", "这份简报的文件已不存在，请重新生成。")
    audit.record("briefing_download", by=account,
                 target=f"{record['region_name']} {record['window_key']}",
                 detail=f"简报 #{briefing_id}")
    response = send_file(path, mimetype="application/pdf", as_attachment=True,
                         download_name=record["title"] or f"简报-{briefing_id}.pdf",
                         max_age=0)
    # An ASCII fallback name for old clients; the UTF-8 name for everyone else.
    response.headers["Content-Disposition"] = (
        f"attachment; filename=\"briefing-{briefing_id}.pdf\"; "
        f"filename*=UTF-8''{quote(record['title'] or f'简报-{briefing_id}.pdf')}")
    return response
