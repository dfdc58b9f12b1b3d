"""Signing in, sessions, and the checks every request passes (a new concern of the shell).

``init_auth(server, settings)`` wires it all into the Flask server: the secret key, the
session cookie's flags, Flask-Login (the user of a request is loaded from the store by the
session's secret), CSRF protection for forms (Flask-WTF), the same-origin check, the limit on
failed sign-ins, the sign-in pages and the user-management commands.

Pages and callbacks get the signed-in user with :func:`current_account` and what it may see
with :func:`data.scope.viewer_scope` (the one entry point; queries apply it in SQL).
"""

from __future__ import annotations

from datetime import timedelta

from flask import Flask, has_request_context
from flask_login import LoginManager, current_user
from flask_wtf.csrf import CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix

from auth import guard, views
from auth.ratelimit import LoginLimiter
from auth.secret import secret_key
from config.settings import Settings
from data.accounts import Account, NotAllowed, session_account

__all__ = ["current_account", "init_auth", "require_admin", "require_writer"]

SESSION_COOKIE = "cockpit_session"


def init_auth(server: Flask, settings: Settings) -> None:
    server.secret_key = secret_key(settings)
    server.config.update(
        SESSION_COOKIE_NAME=SESSION_COOKIE,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.https,
        # CSRF tokens are checked where a form is posted (sign-in, sign-out, admin forms);
        # Dash's callbacks are covered by the same-origin check instead.
        WTF_CSRF_CHECK_DEFAULT=False,
        WTF_CSRF_TIME_LIMIT=None,  # valid as long as the session that holds it
    )
    proxies = max(settings.proxy_count, 1 if settings.https else 0)
    if proxies:
        server.wsgi_app = ProxyFix(server.wsgi_app, x_for=proxies, x_proto=proxies,
                                   x_host=proxies, x_port=proxies)
    CSRFProtect(server)
    manager = LoginManager(server)
    manager.session_protection = None  # sessions live in the store and end there
    device_lifetime = timedelta(days=settings.device_session_days)

    @manager.user_loader
    def load_account(secret: str) -> Account | None:
        return session_account(secret, device_lifetime=device_lifetime)

    server.extensions["cockpit_login_limiter"] = LoginLimiter(settings)
    server.register_blueprint(views.blueprint)
    server.before_request(guard.check_request)
    server.after_request(guard.no_store)
    from auth.cli import register_cli

    register_cli(server)


def current_account() -> Account | None:
    """The signed-in user of this request, or ``None``."""
    if not has_request_context():
        return None
    user = current_user._get_current_object()
    return user if isinstance(user, Account) else None


def require_admin() -> Account:
    """The signed-in administrator; raises :class:`NotAllowed` for anyone else."""
    account = current_account()
    if account is None or not account.is_admin:
        raise NotAllowed("需要管理员权限。")
    return account


def require_writer() -> Account:
    """The signed-in user, if allowed to write (a wall screen is not)."""
    account = current_account()
    if account is None or not account.can_write:
        raise NotAllowed("只读账号（大屏）不能提交或修改任何内容。")
    return account
