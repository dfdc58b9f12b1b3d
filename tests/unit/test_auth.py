"""Signing in and what every request must show: sessions, cookie flags, CSRF, the same-origin
check, the limit on failed sign-ins, device sign-in for wall screens, and the commands."""

from __future__ import annotations

import json
import logging
import re
from http.cookies import SimpleCookie

import pytest

from data import accounts, audit
from data.accounts_demo import DEMO_SCREEN_TOKEN
from tests.auth_tools import (
    DEMO_PASSWORD,
    ORIGIN,
    csrf_token,
    same_origin_client,
    signed_in_client,
)

DASH_CALL = "/_dash-update-component"


@pytest.fixture(autouse=True)
def store(cockpit):
    """The tests read the audit log and the accounts directly too, each read in an app
    context of its own: one held across the test client's requests would share ``flask.g``
    (and so a signed-in user or a CSRF token) between them."""
    global SERVER
    SERVER = cockpit.server


SERVER = None


def in_store(function, *args, **kwargs):
    with SERVER.app_context():
        return function(*args, **kwargs)


def session_cookie(response) -> SimpleCookie:
    cookie = SimpleCookie()
    for header in response.headers.getlist("Set-Cookie"):
        if header.startswith("cockpit_session="):
            cookie.load(header)
            return cookie
    raise AssertionError(f"no session cookie in {response.headers.getlist('Set-Cookie')}")


def latest_events(action: str, n: int = 1):
    return in_store(audit.events, audit.AuditFilter(action=action), limit=n)


def sign_in(client, username, password=DEMO_PASSWORD, **extra):
    return client.post("/login", data={"csrf_token": csrf_token(client), "username": username,
                                       "password": password, **extra})


# --- every page needs a session -------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/", "/region/330100", "/problems?region=330100", "/tasks",
                                  "/risk", "/problems/1"])
def test_a_page_without_a_session_goes_to_the_sign_in_page(anonymous_client, path):
    response = anonymous_client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=/")


@pytest.mark.parametrize("path", ["/_dash-layout", "/_dash-dependencies"])
def test_dash_answers_401_without_a_session(anonymous_client, path):
    response = anonymous_client.get(path)
    assert response.status_code == 401
    assert "未登录" in response.get_json()["error"]


def test_a_callback_without_a_session_gets_401_and_no_data(anonymous_client):
    response = anonymous_client.post(DASH_CALL, json={"output": "x.children", "inputs": []})
    assert response.status_code == 401


@pytest.mark.parametrize("path", ["/login", "/login/device", "/healthz",
                                  "/assets/10-cockpit.css"])
def test_sign_in_pages_health_and_static_files_need_no_session(anonymous_client, path):
    assert anonymous_client.get(path).status_code == 200


def test_the_sign_in_page_is_chinese_with_labelled_fields(anonymous_client):
    html = anonymous_client.get("/login").get_data(as_text=True)
    assert '<html lang="zh-CN">' in html
    assert '<label for="username"' in html and '<label for="password"' in html
    assert 'name="csrf_token"' in html
    assert "leader" in html and "Demo-2026" in html  # demo data: the demo accounts are listed
    assert not re.findall(r'(?:src|href)="(?:https?:)?//', html)  # nothing from other hosts


# --- signing in -----------------------------------------------------------------------------------

def test_signing_in_sets_a_session_cookie_that_is_httponly_and_samesite(anonymous_client):
    response = sign_in(anonymous_client, "hangzhou", next="/tasks")
    assert response.status_code == 302 and response.headers["Location"] == "/tasks"
    morsel = session_cookie(response)["cockpit_session"]
    assert morsel["httponly"] is True
    assert morsel["samesite"] == "Lax"
    assert not morsel["secure"]  # plain HTTP here; COCKPIT_HTTPS=true adds it (test_secure…)
    assert anonymous_client.get("/tasks").status_code == 200
    event = latest_events("login").iloc[0]
    assert event["username"] == "hangzhou" and event["outcome"] == "ok"
    assert event["address"] == "127.0.0.1"


def test_a_wrong_password_is_refused_and_audited(anonymous_client):
    response = sign_in(anonymous_client, "dsj", "Wrong-password-1")
    assert response.status_code == 401
    assert "用户名或密码不正确" in response.get_data(as_text=True)
    assert anonymous_client.get("/").status_code == 302
    event = latest_events("login_failed").iloc[0]
    assert event["username"] == "dsj" and event["outcome"] == "failed"
    assert "Wrong-password-1" not in json.dumps(event.astype(str).to_dict())


def test_an_unknown_user_gets_the_same_answer(anonymous_client):
    response = sign_in(anonymous_client, "nobody-here", "Whatever-123")
    assert response.status_code == 401
    assert "用户名或密码不正确" in response.get_data(as_text=True)


@pytest.mark.parametrize("target", ["//evil.example/x", "https://evil.example/",
                                    "/\\evil.example", "javascript:alert(1)"])
def test_signing_in_never_redirects_to_another_site(anonymous_client, target):
    response = sign_in(anonymous_client, "leader", next=target)
    assert response.headers["Location"] == "/"


def test_passwords_never_reach_the_log(anonymous_client, caplog):
    caplog.set_level(logging.DEBUG)
    secret = "Never-logged-Pw-93"
    sign_in(anonymous_client, "leader", secret)
    sign_in(anonymous_client, "leader")
    assert secret not in caplog.text and DEMO_PASSWORD not in caplog.text


def test_signing_out_ends_the_session_everywhere_at_once(cockpit):
    client = signed_in_client(cockpit.server, "xihu")
    stolen = client.get_cookie("cockpit_session").value
    assert client.get("/_dash-layout").status_code == 200
    response = client.post("/logout", data={"csrf_token": csrf_token(client, "/login/device")})
    assert response.status_code == 302, response.get_data(as_text=True)
    assert response.headers["Location"] == "/login?reason=logged_out"
    replay = same_origin_client(cockpit.server)
    replay.set_cookie("cockpit_session", stolen)
    assert replay.get("/_dash-layout").status_code == 401  # the cookie is dead server-side
    assert latest_events("logout").iloc[0]["username"] == "xihu"


def test_the_header_names_the_user_with_a_sign_out_form(client):
    layout = json.dumps(client.get("/_dash-layout").get_json(), ensure_ascii=False)
    assert "省领导（演示）" in layout and "省委改革办" in layout and "省领导" in layout
    assert '"action": "/logout"' in layout and '"csrf_token"' in layout
    assert "watermark" in layout


# --- CSRF and the same-origin check ---------------------------------------------------------------

def test_a_sign_in_without_its_csrf_token_is_refused(anonymous_client):
    response = anonymous_client.post("/login", data={"username": "leader",
                                                     "password": DEMO_PASSWORD})
    assert response.status_code == 400
    assert "页面已过期或来源不明" in response.get_data(as_text=True)
    assert anonymous_client.get("/").status_code == 302


def test_a_csrf_token_of_another_browser_is_refused(cockpit):
    other = same_origin_client(cockpit.server)
    token = csrf_token(other)
    victim = same_origin_client(cockpit.server)
    victim.get("/login")
    response = victim.post("/login", data={"csrf_token": token, "username": "leader",
                                           "password": DEMO_PASSWORD})
    assert response.status_code == 400


@pytest.mark.parametrize("headers", [
    {"Origin": "http://evil.example"},
    {"Origin": "null"},
    {"Referer": "http://evil.example/page"},
    {"Sec-Fetch-Site": "cross-site", "Origin": ORIGIN},
    {"Sec-Fetch-Site": "same-site", "Origin": ORIGIN},
    {},  # a request that says nothing about where it comes from
])
def test_a_callback_from_another_site_cannot_write(cockpit, headers):
    client = signed_in_client(cockpit.server, "leader")
    client.environ_base.pop("HTTP_ORIGIN")
    response = client.post(DASH_CALL, json={"output": "x.children", "inputs": []},
                           headers=headers)
    assert response.status_code == 403
    assert "跨站请求被拒绝" in response.get_json()["error"]


@pytest.mark.parametrize(("headers", "allowed"), [
    ({"Origin": ORIGIN}, True),
    ({"Referer": f"{ORIGIN}/tasks?x=1"}, True),
    ({"Sec-Fetch-Site": "same-origin"}, True),
    ({"Sec-Fetch-Site": "same-origin", "Origin": ORIGIN}, True),
    ({"Origin": "http://localhost:8050"}, False),  # another port is another site
    ({"Origin": "https://localhost"}, False),
    ({"Sec-Fetch-Site": "none"}, False),  # typed into the address bar: no origin to trust
])
def test_the_same_origin_rule(cockpit, headers, allowed):
    from auth.guard import same_origin

    with cockpit.server.test_request_context("/x", method="POST", headers=headers):
        assert same_origin() is allowed


def test_a_cross_site_sign_in_form_is_refused(anonymous_client):
    token = csrf_token(anonymous_client)
    response = anonymous_client.post("/login", headers={"Origin": "http://evil.example"},
                                     data={"csrf_token": token, "username": "leader",
                                           "password": DEMO_PASSWORD})
    assert response.status_code == 403


# --- failed sign-ins are limited ------------------------------------------------------------------

def test_after_five_failures_even_the_right_password_waits(cockpit):
    password = "Rate-limited-2026!"
    in_store(accounts.create_user, username="ratelimited", display_name="限流测试",
             unit="测试单位", role="leader", password=password, by=None)
    client = same_origin_client(cockpit.server)
    client.environ_base["REMOTE_ADDR"] = "10.9.8.7"
    for _ in range(5):
        assert sign_in(client, "ratelimited", "Wrong-password-2").status_code == 401
    blocked = sign_in(client, "ratelimited", password)
    assert blocked.status_code == 429
    assert "登录失败次数过多" in blocked.get_data(as_text=True)
    assert latest_events("login_blocked").iloc[0]["username"] == "ratelimited"
    # Another user from the same address is not blocked by that user's count.
    assert sign_in(client, "dsj").status_code == 302


def test_one_address_trying_many_names_is_limited_too(cockpit):
    client = same_origin_client(cockpit.server)
    client.environ_base["REMOTE_ADDR"] = "10.9.8.8"
    for i in range(20):
        sign_in(client, f"guess{i}", "Wrong-password-3")
    assert sign_in(client, "hangzhou").status_code == 429


# --- wall screens ---------------------------------------------------------------------------------

def test_a_wall_screen_signs_in_with_its_device_token_and_is_read_only(anonymous_client):
    page = anonymous_client.get("/login/device").get_data(as_text=True)
    assert "/login-static/device-login.js" in page
    script = anonymous_client.get("/login-static/device-login.js").get_data(as_text=True)
    assert "location.hash" in script  # the token travels after '#', never in a logged URL
    response = anonymous_client.post("/login/device", data={
        "csrf_token": csrf_token(anonymous_client, "/login/device"),
        "token": DEMO_SCREEN_TOKEN, "next": "/region/330000"})
    assert response.status_code == 302 and response.headers["Location"] == "/region/330000"
    assert anonymous_client.get("/_dash-layout").status_code == 200
    screen = in_store(accounts.find_user, "screen")
    assert screen.scope.read_only and screen.scope.regions == ("330000",)
    assert not screen.can_write
    assert latest_events("device_login").iloc[0]["username"] == "screen"


def test_a_wrong_device_token_is_refused(anonymous_client):
    response = anonymous_client.post("/login/device", data={
        "csrf_token": csrf_token(anonymous_client, "/login/device"),
        "token": "dev_not-a-real-token"})
    assert response.status_code == 401
    assert "设备令牌无效" in response.get_data(as_text=True)


def test_revoking_the_token_signs_the_screen_out(cockpit):
    client = same_origin_client(cockpit.server)
    _, secret = in_store(accounts.create_token, kind="device", name="测试大屏",
                         username="screen", by=None)
    client.post("/login/device", data={"csrf_token": csrf_token(client, "/login/device"),
                                       "token": secret})
    assert client.get("/_dash-layout").status_code == 200
    token = next(t for t in in_store(accounts.list_tokens) if t.name == "测试大屏")
    in_store(accounts.revoke_token, token_id=token.id, by=None)
    assert client.get("/_dash-layout").status_code == 401


# --- the push API's door -------------------------------------------------------------------------

def test_the_api_takes_a_bearer_token_not_a_cookie(cockpit, client):
    assert client.post("/api/v1/anything", json={}).status_code == 401
    _, secret = in_store(accounts.create_token, kind="api", name="测试系统", by=None)
    bearer = same_origin_client(cockpit.server)
    response = bearer.post("/api/v1/anything", json={},
                           headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code in (404, 405)  # through the door; no endpoint there yet
    wrong = bearer.post("/api/v1/anything", json={},
                        headers={"Authorization": "Bearer api_wrong"})
    assert wrong.status_code == 401
    assert wrong.headers["WWW-Authenticate"].startswith("Bearer")
