"""The headers every answer carries and the limits every request is held to (auth/headers.py)."""

from __future__ import annotations

import pytest

from auth.headers import content_security_policy, frame_policy, request_limit
from config.settings import Settings


def policy_of(answer) -> dict[str, list[str]]:
    directives = [d.split() for d in answer.headers["Content-Security-Policy"].split(";")]
    return {d[0]: d[1:] for d in directives if d}


def test_no_other_site_may_frame_the_cockpit(client):
    answer = client.get("/")
    assert policy_of(answer)["frame-ancestors"] == ["'self'"]
    assert answer.headers["X-Frame-Options"] == "SAMEORIGIN"
    assert answer.headers["X-Content-Type-Options"] == "nosniff"
    assert answer.headers["Referrer-Policy"] == "same-origin"
    assert "X-Frame-Options" in client.get("/login").headers


def test_a_configured_portal_may_frame_the_cockpit():
    assert frame_policy("https://portal.example.gov.cn") == \
        "frame-ancestors 'self' https://portal.example.gov.cn"
    whole = content_security_policy(frame_ancestors="https://a.example https://b.example")
    assert whole.endswith("frame-ancestors 'self' https://a.example https://b.example")


def test_scripts_come_from_the_app_only_and_every_inline_script_is_hashed(client, cockpit):
    """No inline script runs but Dash's own (hashed), no eval, nothing from another host; the
    hashes match the scripts the shell really carries."""
    import base64
    import hashlib
    import re

    answer = client.get("/")
    policy = policy_of(answer)
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["connect-src"] == ["'self'"] and policy["form-action"] == ["'self'"]
    scripts = policy["script-src"]
    assert scripts[0] == "'self'" and all(s.startswith("'sha256-") for s in scripts[1:])
    assert not {"'unsafe-inline'", "'unsafe-eval'", "*", "data:"} & set(scripts)
    html = answer.get_data(as_text=True)
    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>(.*?)</script>", html, re.S)
    executed = [body for attrs, body in inline if "application/json" not in attrs]
    assert len(executed) >= 2  # the renderer and the clientside callbacks
    for body in executed:
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in scripts, body[:80]
    assert "<script>" not in client.get("/login").get_data(as_text=True)
    assert "<script>" not in client.get("/login/device").get_data(as_text=True)
    for page in ("/login", "/login/device", "/healthz"):
        assert "script-src 'self'" in client.get(page).headers["Content-Security-Policy"]


def test_a_request_larger_than_an_import_may_be_is_refused_before_it_is_read(client, cockpit):
    limit = cockpit.server.config["MAX_CONTENT_LENGTH"]
    assert limit == request_limit(Settings(import_max_mb=50))
    body = b"{" + b" " * (limit + 10) + b"}"
    answer = client.post("/_dash-update-component", data=body,
                         content_type="application/json")
    assert answer.status_code == 413
    assert "请求过大" in answer.get_json()["error"]
    assert b"Traceback" not in answer.data


def test_only_allowed_hosts_are_answered(monkeypatch):
    from werkzeug.test import EnvironBuilder

    import app as cockpit_app

    server = cockpit_app.server
    monkeypatch.setitem(server.config, "TRUSTED_HOSTS", ["cockpit.example.gov.cn"])
    with server.test_client() as client:
        answer = client.get("/healthz", headers={"Host": "evil.example.com"})
        assert answer.status_code == 400 and "主机名未被允许" in answer.get_data(as_text=True)
        builder = EnvironBuilder(path="/healthz", headers={"Host": "cockpit.example.gov.cn"})
        assert client.open(builder).status_code in (200, 503)


@pytest.mark.parametrize("megabytes", [1, 50])
def test_the_limit_leaves_room_for_a_file_as_base64(megabytes):
    settings = Settings(import_max_mb=megabytes)
    assert request_limit(settings) > megabytes * 1024 * 1024 * 4 / 3


DEBUG_PROBE = """
import app
import auth.guard
server = app.server
auth.guard.PUBLIC_PATHS = auth.guard.PUBLIC_PATHS | {"/boom"}  # no sign-in needed here

@server.get("/boom")
def boom():
    raise KeyError("a-secret-setting")

client = server.test_client()
for address in ("127.0.0.1", "10.1.2.3"):
    answer = client.get("/boom", environ_base={"REMOTE_ADDR": address})
    print(address, answer.status_code, "a-secret-setting" in answer.get_data(as_text=True),
          "服务器内部错误" in answer.get_data(as_text=True))
"""


@pytest.mark.parametrize("debug", ["true", "false"])
def test_a_traceback_is_shown_to_this_machine_only_and_only_when_debugging(tmp_path, debug):
    """``COCKPIT_DEBUG=true`` (Dash's dev tools answer a failure with its traceback): a client
    on another machine gets the short Chinese message; without debug, nobody sees more."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {k: v for k, v in os.environ.items() if not k.startswith("COCKPIT_")}
    env.update(COCKPIT_DEBUG=debug, COCKPIT_INSTANCE_DIR=str(tmp_path))
    done = subprocess.run([sys.executable, "-c", DEBUG_PROBE], env=env, text=True,
                          capture_output=True, timeout=120, cwd=Path(__file__).parents[2])
    lines = dict(line.split(" ", 1) for line in done.stdout.splitlines() if " " in line)
    assert lines.get("10.1.2.3") == "500 False True", done.stdout + done.stderr[-2000:]
    expected = "500 True False" if debug == "true" else "500 False True"
    assert lines.get("127.0.0.1") == expected, done.stdout + done.stderr[-2000:]
