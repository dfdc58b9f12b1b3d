"""The sign-in pages: ``/login`` (a person), ``/login/device`` (a wall screen) and
``/logout``. Plain server-made HTML (no Dash), so they load fast and work without a session.

A wall screen's address is ``/login/device#token=<device token>&next=/screen``: the token is
after ``#``, so the browser never sends it in a URL (no server or proxy logs it); the page's
script posts it, the server checks it and sets the session, and the screen goes on to
``next``. A screen restarted in the morning opens the same address and is in again.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    redirect,
    render_template,
    request,
    session,
)
from flask_login import current_user, login_user, logout_user
from flask_wtf.csrf import CSRFError

from config.labels import PRODUCT_NAME
from config.settings import Settings
from data import accounts, audit
from data.store import StoreUnavailable

blueprint = Blueprint("auth", __name__, template_folder="templates", static_folder="static",
                      static_url_path="/login-static")

MESSAGES = {
    "bad_credentials": "用户名或密码不正确。",
    "blocked": "登录失败次数过多，请 {minutes} 分钟后再试。",
    "csrf": "页面已过期或来源不明，请重新登录。",
    "logged_out": "您已退出登录。",
    "expired": "请先登录。",
    "store_down": "暂时无法连接数据库，请稍后再试。",
    "bad_token": "设备令牌无效或已被吊销，请联系管理员。",
    "no_token": "请使用管理员提供的大屏地址（含设备令牌）。",
}


def settings() -> Settings:
    return current_app.config["COCKPIT_SETTINGS"]


def safe_next(target: str | None) -> str:
    """Only a path on this site (never ``//host`` or ``scheme:``) may follow a sign-in."""
    if not target:
        return "/"
    parts = urlsplit(target)
    if (parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//")
            or "\\" in target or any(ord(c) < 32 for c in target)):
        return "/"
    return target


def _asset(name: str) -> str:
    return f"{current_app.config.get('COCKPIT_ASSETS_URL', '/assets/')}{name}"


def _demo_accounts() -> list[accounts.Account]:
    try:
        return [a for a in accounts.list_users()
                if a.source == "demo" and a.active and a.role != "screen"]
    except StoreUnavailable:
        return []


def _page(*, mode: str, status: int = 200, message: str | None = None,
          message_class: str = "is-error", username: str = "", next_url: str = "/"):
    title = "请登录" if mode == "password" else "大屏设备登录"
    html = render_template(
        "login.html", title=title, product=PRODUCT_NAME, mode=mode, message=message,
        message_class=message_class, username=username, next=next_url, asset=_asset,
        demo_accounts=_demo_accounts() if mode == "password" else [],
        demo_password=accounts.DEMO_PASSWORD)
    response = current_app.make_response((html, status))
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Frame-Options"] = "DENY"
    return response


def _limiter():
    return current_app.extensions["cockpit_login_limiter"]


@blueprint.get("/login")
def login():
    next_url = safe_next(request.args.get("next"))
    if current_user.is_authenticated:
        return redirect(next_url)
    reason = request.args.get("reason")
    message = MESSAGES.get(reason) if reason in ("logged_out", "expired") else None
    return _page(mode="password", message=message, message_class="is-info", next_url=next_url)


@blueprint.post("/login")
def login_submit():
    current_app.extensions["csrf"].protect()
    username = (request.form.get("username") or "").strip().lower()[:40]
    password = request.form.get("password") or ""
    next_url = safe_next(request.form.get("next"))
    address = audit.client_address()
    wait = _limiter().retry_after(username, address)
    if wait is not None:
        audit.record("login_blocked", by_name=username or None, outcome="refused")
        return _page(mode="password", status=429, username=username, next_url=next_url,
                     message=MESSAGES["blocked"].format(minutes=max(1, -(-wait // 60))))
    try:
        account = accounts.check_password(username, password)
    except StoreUnavailable:
        return _page(mode="password", status=503, message=MESSAGES["store_down"],
                     username=username, next_url=next_url)
    if account is None:
        _limiter().failed(username, address)
        audit.record("login_failed", by_name=username or None, outcome="failed")
        return _page(mode="password", status=401, message=MESSAGES["bad_credentials"],
                     username=username, next_url=next_url)
    _limiter().succeeded(username)
    _start_session(account, kind="password",
                   lifetime=timedelta(hours=settings().session_hours))
    audit.record("login", by=account)
    return redirect(next_url)


@blueprint.get("/login/device")
def device_login():
    next_url = safe_next(request.args.get("next") or "/screen")
    return _page(mode="device", next_url=next_url)


@blueprint.post("/login/device")
def device_login_submit():
    current_app.extensions["csrf"].protect()
    next_url = safe_next(request.form.get("next") or "/screen")
    secret = (request.form.get("token") or "").strip()
    address = audit.client_address()
    wait = _limiter().retry_after("device", address)
    if wait is not None:
        audit.record("login_blocked", by_name="device", outcome="refused")
        return _page(mode="device", status=429, next_url=next_url,
                     message=MESSAGES["blocked"].format(minutes=max(1, -(-wait // 60))))
    if not secret:
        return _page(mode="device", status=400, message=MESSAGES["no_token"],
                     next_url=next_url)
    try:
        token = accounts.verify_token(secret, kind="device")
    except StoreUnavailable:
        return _page(mode="device", status=503, message=MESSAGES["store_down"],
                     next_url=next_url)
    if token is None or token.user is None or not token.user.active:
        _limiter().failed("device", address)
        audit.record("device_login_failed", outcome="failed",
                     detail=f"令牌前缀 {secret[:10]}" if secret.startswith("dev_") else None)
        return _page(mode="device", status=401, message=MESSAGES["bad_token"],
                     next_url=next_url)
    _start_session(token.user, kind="device", token_id=token.id,
                   lifetime=timedelta(days=settings().device_session_days))
    audit.record("device_login", by=token.user, target=f"device#{token.id} {token.name}")
    return redirect(next_url)


def _start_session(account: accounts.Account, *, kind: str, lifetime: timedelta,
                   token_id: int | None = None) -> None:
    secret = accounts.open_session(
        account=account, kind=kind, lifetime=lifetime, token_id=token_id,
        address=audit.client_address(), user_agent=request.headers.get("User-Agent"))
    session.clear()  # nothing of the anonymous session (its CSRF token) carries over
    login_user(replace(account, session_secret=secret, session_kind=kind))


@blueprint.post("/logout")
def logout():
    current_app.extensions["csrf"].protect()
    if current_user.is_authenticated:
        accounts.close_session(accounts.digest(current_user.get_id()))
        audit.record("logout", by=current_user._get_current_object())
        logout_user()
    session.clear()
    return redirect("/login?reason=logged_out")


@blueprint.app_errorhandler(CSRFError)
def csrf_refused(_error: CSRFError):
    device = request.path.startswith("/login/device")
    return _page(mode="device" if device else "password", status=400,
                 message=MESSAGES["csrf"],
                 next_url=safe_next(request.form.get("next")))
