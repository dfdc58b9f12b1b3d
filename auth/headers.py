"""The headers every answer carries, and the limits every request is held to.

- **Frames**: no other site may frame the cockpit (its write forms would be clickjackable),
  unless ``COCKPIT_FRAME_ANCESTORS`` names origins that may (a wall screen's portal).
- **Host**: with ``COCKPIT_ALLOWED_HOSTS`` set, a request for any other host is refused (400).
- **Size**: a request body larger than an import may be (``COCKPIT_IMPORT_MAX_MB``, as base64 in
  a callback) is refused with 413 before it is read; the answer is a short Chinese message.
"""

from __future__ import annotations

from flask import Flask, jsonify, request
from werkzeug.exceptions import RequestEntityTooLarge, SecurityError

from config.settings import Settings

#: A callback carries an uploaded file as base64 (4/3 of its size) inside JSON.
UPLOAD_OVERHEAD = 1.4
PLAIN_TEXT = {"Content-Type": "text/plain; charset=utf-8"}
#: Room for the rest of a request beside its file.
REQUEST_MARGIN = 1024 * 1024


def request_limit(settings: Settings) -> int:
    """The largest request body accepted, in bytes."""
    return int(settings.import_max_bytes * UPLOAD_OVERHEAD) + REQUEST_MARGIN


def frame_policy(frame_ancestors: str) -> str:
    """The Content-Security-Policy that says who may frame the cockpit."""
    return " ".join(["frame-ancestors 'self'", *frame_ancestors.split()])


def init_headers(server: Flask, settings: Settings) -> None:
    server.config["MAX_CONTENT_LENGTH"] = request_limit(settings)
    if settings.allowed_hosts:
        server.config["TRUSTED_HOSTS"] = [h.strip() for h in settings.allowed_hosts.split(",")
                                          if h.strip()]
    policy = frame_policy(settings.frame_ancestors)

    @server.after_request
    def security_headers(response):
        response.headers.setdefault("Content-Security-Policy", policy)
        if not settings.frame_ancestors:
            response.headers.setdefault("X-Frame-Options", "SAMEORIGIN")
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
