"""What every request must show before it reaches a page, a callback or the API.

- Every address but the sign-in pages, ``/healthz`` and the static files (fonts, styles,
  scripts: no data) needs a session. A page opened without one is sent to ``/login``; Dash's
  own requests (layout, callbacks) get ``401`` JSON, which the browser turns into the sign-in
  page (``assets/05-session.js``).
- ``/api/…`` needs an ``Authorization: Bearer <api token>`` (:func:`data.accounts.verify_token`),
  never a cookie: a pushing system has no session, and a browser's cookie cannot be used to
  write there. The token is in ``flask.g.api_token`` for the endpoint.
- A request that can change something (POST, PUT, PATCH, DELETE) and carries a cookie must
  come from this site's own pages (the same-origin check): Dash's callbacks, the sign-in and
  sign-out forms, the admin page. Forms also carry a CSRF token (Flask-WTF).
"""

from __future__ import annotations

from urllib.parse import quote, urlsplit

from flask import g, jsonify, redirect, request
from flask_login import current_user

from data import accounts
from data.store import StoreUnavailable

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
PUBLIC_PATHS = frozenset({"/login", "/login/device", "/healthz", "/_favicon.ico",
                          "/favicon.ico"})
#: Static files: the sign-in page needs the styles and fonts; bundles hold no data.
PUBLIC_PREFIXES = ("/assets/", "/_dash-component-suites/", "/login-static/")
API_PREFIX = "/api/"


def request_origin() -> str | None:
    """The origin the browser says the request comes from (``Origin``, else ``Referer``)."""
    origin = request.headers.get("Origin")
    if origin and origin != "null":
        return origin.rstrip("/")
    referer = request.headers.get("Referer")
    if referer:
        parts = urlsplit(referer)
        if parts.scheme and parts.netloc:
            return f"{parts.scheme}://{parts.netloc}"
    return "null" if origin == "null" else None


def same_origin() -> bool:
    """Whether a state-changing request comes from this site's own pages.

    The browser's ``Sec-Fetch-Site`` is trusted when present; otherwise ``Origin`` (or
    ``Referer``) must equal this site's scheme and host (as the proxy forwards them where
    proxies are trusted). A request that says nothing about where it comes from is refused.
    """
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None and fetch_site not in ("same-origin", "none"):
        return False
    origin = request_origin()
    if origin is None:
        return fetch_site == "same-origin"
    return origin == request.host_url.rstrip("/")


def _refuse_cross_site():
    return jsonify(error="跨站请求被拒绝：只能从本站页面提交。"), 403


def _sign_in_first():
    if request.method == "GET" and not request.path.startswith("/_dash-"):
        target = request.full_path if request.query_string else request.path
        return redirect(f"/login?next={quote(target, safe='/?=&')}")
    response = jsonify(error="未登录或登录已过期，请重新登录。", login="/login")
    response.status_code = 401
    return response


def _api_token():
    header = request.headers.get("Authorization", "")
    scheme, _, secret = header.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        if request.method in SAFE_METHODS and current_user.is_authenticated:
            return None  # a signed-in person may read the API's description
        response = jsonify(error="需要数据推送令牌：Authorization: Bearer <令牌>。")
        response.status_code = 401
        response.headers["WWW-Authenticate"] = 'Bearer realm="cockpit"'
        return response
    token = accounts.verify_token(secret.strip(), kind="api")
    if token is None:
        response = jsonify(error="令牌无效或已被吊销。")
        response.status_code = 401
        response.headers["WWW-Authenticate"] = 'Bearer realm="cockpit", error="invalid_token"'
        return response
    g.api_token = token
    return None


def check_request():
    """``before_request``: answers the request itself when it may not go on."""
    path = request.path
    try:
        if path.startswith(API_PREFIX):
            return _api_token()
        if request.method not in SAFE_METHODS and not same_origin():
            return _refuse_cross_site()
        if path in PUBLIC_PATHS or path.startswith(PUBLIC_PREFIXES):
            return None
        if current_user.is_authenticated:
            return None
    except StoreUnavailable:
        return _store_down()
    return _sign_in_first()


STORE_DOWN_PAGE = """<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">
<title>数据源暂不可用</title><link rel="stylesheet" href="/assets/10-cockpit.css"></head>
<body><main class="app-main"><div class="message-page" role="alert"><h2>数据源暂不可用</h2>
<p class="message-text">暂时无法连接数据库，无法确认登录状态。请稍后刷新页面，已有数据不受影响。</p>
</div></main></body></html>"""


def _store_down():
    """The store holds the sessions: while it is away nobody can be let in."""
    if request.method == "GET" and not request.path.startswith("/_dash-"):
        return STORE_DOWN_PAGE, 503, {"Content-Type": "text/html; charset=utf-8",
                                      "Retry-After": "30"}
    response = jsonify(error="数据源暂不可用：暂时无法连接数据库，请稍后再试。")
    response.status_code = 503
    response.headers["Retry-After"] = "30"
    return response


def no_store(response):
    """``after_request``: pages and answers made for one user are never kept by a cache
    between the browser and the server (static files may be)."""
    if not request.path.startswith(PUBLIC_PREFIXES):
        response.headers.setdefault("Cache-Control", "no-store")
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    return response
