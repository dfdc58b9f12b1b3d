"""gunicorn's own error pages, in Chinese.

A request gunicorn refuses before the app sees it (a request line over its limit, a header
too large, a malformed request) gets a page written by gunicorn itself, in English. gunicorn
has no setting for that page; it writes it with ``gunicorn.util.write_error``, which
:func:`install` (called from ``config/gunicorn.conf.py``) replaces with :func:`write_error`:
the same status line, a Chinese page.
"""

from __future__ import annotations

import html

from gunicorn import util

from config.labels import PRODUCT_NAME

#: What each status gunicorn answers by itself means for the person who sees it.
MESSAGES = {
    400: "请求格式不正确，服务器无法处理。",
    403: "请求被拒绝。",
    414: "地址太长（超过 4 KB），服务器无法处理。请回到首页，重新选择筛选条件。",
    417: "请求格式不正确，服务器无法处理。",
    431: "请求头太大，服务器无法处理。请清除本站的 Cookie 后重试。",
    500: "服务器内部错误，请稍后重试。",
    501: "请求格式不受支持，服务器无法处理。",
}

PAGE = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>无法显示该页面 · {product}</title></head>
<body style="font-family:'Noto Sans SC','Microsoft YaHei',sans-serif;margin:3rem auto;
max-width:40rem;padding:0 1rem;color:#1f2937">
<h1 style="font-size:1.4rem">无法显示该页面</h1>
<p>{message}</p>
<p><a href="/">返回首页</a></p>
</body></html>"""


def error_page(status: int) -> bytes:
    """The Chinese page for a status gunicorn answers by itself."""
    message = MESSAGES.get(status, MESSAGES[400 if status < 500 else 500])
    return PAGE.format(product=html.escape(PRODUCT_NAME), message=html.escape(message)).encode()


def write_error(sock, status_int: int, reason: str, mesg: str) -> None:  # noqa: ARG001
    """``gunicorn.util.write_error`` with a Chinese page (gunicorn's details are logged by
    gunicorn already; they are not for the person who sees the page)."""
    body = error_page(int(status_int))
    head = (f"HTTP/1.1 {status_int} {reason}\r\nConnection: close\r\n"
            "Content-Type: text/html; charset=utf-8\r\n"
            f"Content-Length: {len(body)}\r\n\r\n").encode("latin-1")
    util.write_nonblock(sock, head + body)


def install() -> None:
    util.write_error = write_error
