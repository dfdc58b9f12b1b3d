"""The headers every answer carries, and the limits every request is held to.

- **Content-Security-Policy**: scripts from the app only (its files, and Dash's own inline
  scripts by their hashes: :meth:`dash.Dash.csp_hashes`), no ``eval``; styles from the app
  (plus the ``style`` attributes and ``<style>`` elements that plotly.js, ag-grid and the
  dropdowns write at run time); images, fonts and requests to the app itself; no plugins; forms
  post only to the app. ``X-Content-Type-Options`` and ``Referrer-Policy`` are set by
  :func:`auth.guard.no_store` on every answer.
- **Frames**: no other site may frame the cockpit (its write forms would be clickjackable),
  unless ``COCKPIT_FRAME_ANCESTORS`` names origins that may (a wall screen's portal).
- **Host**: with ``COCKPIT_ALLOWED_HOSTS`` set, a request for any other host is refused (400).
- **Size**: a request body larger than an import may be (``COCKPIT_IMPORT_MAX_MB``, as base64 in
  a callback) is refused with 413 before it is read; the answer is a short Chinese message.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from flask import Flask, jsonify, request
from werkzeug.exceptions import RequestEntityTooLarge, SecurityError

from config.settings import Settings

#: A callback carries an uploaded file as base64 (4/3 of its size) inside JSON.
UPLOAD_OVERHEAD = 1.4
PLAIN_TEXT = {"Content-Type": "text/plain; charset=utf-8"}
#: Room for the rest of a request beside its file.
REQUEST_MARGIN = 1024 * 1024
#: The only clients that may see a traceback, and only with ``COCKPIT_DEBUG=true``.
LOOPBACK = frozenset({"127.0.0.1", "::1"})
SERVER_ERROR = "服务器内部错误，请稍后重试。如果问题持续，请联系管理员。"


def request_limit(settings: Settings) -> int:
    """The largest request body accepted, in bytes."""
    return int(settings.import_max_bytes * UPLOAD_OVERHEAD) + REQUEST_MARGIN


def frame_policy(frame_ancestors: str) -> str:
    """The Content-Security-Policy directive that says who may frame the cockpit."""
    return " ".join(["frame-ancestors 'self'", *frame_ancestors.split()])


def content_security_policy(*, script_hashes: list[str] | tuple[str, ...] = (),
                            frame_ancestors: str = "") -> str:
    """The whole policy: ``script_hashes`` are the app's inline scripts (Dash's renderer and
    its clientside callbacks), as ``'sha256-…'``."""
    directives = {
        "default-src": ["'self'"],
        "script-src": ["'self'", *script_hashes],
        # plotly.js, ag-grid and the dropdowns write <style> elements and style attributes.
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],  # plotly's PNG download, grid icons
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "worker-src": ["'self'", "blob:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
    }
    parts = [f"{name} {' '.join(values)}" for name, values in directives.items()]
    return "; ".join([*parts, frame_policy(frame_ancestors)])


#: Where :func:`init_headers` finds the function that gives the hashes of the app's inline
#: scripts (:func:`set_script_hashes`).
SCRIPT_HASHES = "cockpit_script_hashes"


def set_script_hashes(server: Flask, hashes: Callable[[], Sequence[str]]) -> None:
    """``hashes()``: the hashes of the inline scripts the app's pages carry now. Dash adds some
    at its first request (the pages' router and title), so they are asked for again with
    every page."""
    server.extensions[SCRIPT_HASHES] = hashes


def init_headers(server: Flask, settings: Settings) -> None:
    server.config["MAX_CONTENT_LENGTH"] = request_limit(settings)
    if settings.allowed_hosts:
        server.config["TRUSTED_HOSTS"] = [h.strip() for h in settings.allowed_hosts.split(",")
                                          if h.strip()]
    policies: dict[tuple[str, ...], str] = {}
    latest: list[tuple[str, ...]] = [()]

    @server.after_request
    def security_headers(response):
        hashes = latest[0]
        if response.mimetype == "text/html" and SCRIPT_HASHES in server.extensions:
            hashes = latest[0] = tuple(server.extensions[SCRIPT_HASHES]())
        if hashes not in policies:
            policies[hashes] = content_security_policy(
                script_hashes=hashes, frame_ancestors=settings.frame_ancestors)
        response.headers.setdefault("Content-Security-Policy", policies[hashes])
        if not settings.frame_ancestors:
            response.headers.setdefault("X-Frame-Options", "SAMEORIGIN")
        return response

    @server.after_request
    def no_traceback_for_others(response):
        """A 500 tells a client nothing of the server (with ``COCKPIT_DEBUG=true`` Dash answers
        with the traceback: only a browser on this machine may see it)."""
        if response.status_code == 500 and not (
                settings.debug and request.remote_addr in LOOPBACK):
            response.set_data(SERVER_ERROR.encode())
            response.headers["Content-Type"] = "text/plain; charset=utf-8"
            response.headers.pop("Content-Encoding", None)
        return response

    @server.errorhandler(SecurityError)
    def unknown_host(_error):
        return "未知的访问地址（主机名未被允许）。", 400, PLAIN_TEXT

    @server.errorhandler(RequestEntityTooLarge)
    def too_large(_error):
        limit_mb = request_limit(settings) // (1024 * 1024)
        message = f"请求过大（上限约 {limit_mb} MB），未被处理。请拆分后分批提交。"
        if request.path.startswith(("/_dash-", "/api/")) or request.is_json:
            response = jsonify(error=message)
            response.status_code = 413
            return response
        return message, 413, PLAIN_TEXT
