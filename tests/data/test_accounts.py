"""Users, sessions, tokens and the audit log in the store (SQLite and PostgreSQL), the secret
key, the cookie flags behind HTTPS, and the limit on failed sign-ins shared through Redis."""

from __future__ import annotations

import os
import stat
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import update

from config.settings import Settings
from data import accounts, audit
from data.accounts_demo import DEMO_ACCOUNTS, DEMO_SCREEN_TOKEN, seed_demo_accounts
from data.auth_schema import UserSession
from data.migrate import alembic_config
from data.scope import NOTHING, Scope
from data.store import engine, write_transaction
from tests.conftest import REDIS_URL, make_store_app, port_open, require

STRONG = "Gov-Cockpit-2026!"
LIFETIME = timedelta(hours=1)


def make_admin(username: str = "root") -> accounts.Account:
    return accounts.create_user(username=username, display_name="管理员", unit="信息中心",
                                role="admin", password=STRONG, by=None, source="cli")


def actions() -> list[str]:
    return list(audit.events(audit.AuditFilter())["action"])


# --- users ---------------------------------------------------------------------------------------

def test_no_account_exists_until_one_is_made(fresh):
    assert accounts.list_users() == []
    assert accounts.check_password("leader", accounts.DEMO_PASSWORD) is None


def test_a_user_is_made_with_a_hashed_password_and_audited(fresh):
    made = accounts.create_user(username="HZ-Staff", display_name="张三", unit="杭州市大数据局",
                                role="region", region="330100", password=STRONG, by=None)
    assert made.username == "hz-staff" and made.scope == Scope(regions=("330100",))
    assert accounts.check_password("hz-staff", STRONG) == made
    assert accounts.check_password("hz-staff", STRONG.lower()) is None
    from sqlalchemy import select

    from data.auth_schema import User
    from data.store import read_connection
    with read_connection() as conn:
        stored = conn.execute(select(User.password_hash)).scalar_one()
    assert stored.startswith("$argon2id$") and STRONG not in stored
    event = audit.events(audit.AuditFilter(action="user_create")).iloc[0]
    assert (event["username"], event["target"]) == ("命令行", "hz-staff")


@pytest.mark.parametrize(("password", "reason"), [
    ("Short-1a", "至少 10 位"),
    ("alllowercaseletters", "至少三类"),
    ("Demo-2026", "过于常见"),
    ("Admin@12345", "过于常见"),
    ("my-wangwu-Pass1", "不能包含用户名"),
])
def test_a_new_password_must_be_strong(fresh, password, reason):
    with pytest.raises(accounts.AccountRefused) as refused:
        accounts.create_user(username="wangwu", display_name="王五", unit="省大数据局",
                             role="department", department="BIGDATA", password=password,
                             by=None)
    assert any(reason in m for m in refused.value.messages), refused.value.messages
    assert accounts.find_user("wangwu") is None


@pytest.mark.parametrize(("fields", "reason"), [
    ({"role": "region"}, "须指定地区"),
    ({"role": "department"}, "须指定部门"),
    ({"role": "leader", "region": "330100"}, "不能再指定"),
    ({"role": "region", "region": "999999"}, "未找到行政区划代码"),
    ({"role": "department", "department": "NOPE"}, "未找到编码为“NOPE”"),
    ({"role": "king"}, "无法识别"),
    ({"role": "region", "region": "330100", "username": "Bad Name"}, "用户名须为"),
])
def test_roles_need_their_region_or_department(fresh, fields, reason):
    values = {"username": "someone", "display_name": "某人", "unit": "某单位",
              "password": STRONG, "by": None, **fields}
    with pytest.raises(accounts.AccountRefused) as refused:
        accounts.create_user(**values)
    assert any(reason in m for m in refused.value.messages), refused.value.messages


def test_scopes_follow_roles():
    def account(role, region=None, department=None, active=True):
        return accounts.Account(id=1, username="u", display_name="u", unit="u", title=None,
                                role=role, region=region, department=department,
                                active=active, source="cli")

    assert account("leader").scope == Scope()
    assert account("region", "330106").scope == Scope(regions=("330106",))
    assert account("department", None, "BIGDATA").scope == Scope(departments=("BIGDATA",))
    both = account("region", "330100", "BIGDATA").scope
    assert both == Scope(regions=("330100",), departments=("BIGDATA",))
    screen = account("screen", "330100").scope
    assert screen.read_only and screen.regions == ("330100",)
    assert account("region", "330100", active=False).scope == NOTHING


def test_only_an_administrator_manages_users(fresh):
    admin = make_admin()
    staff = accounts.create_user(username="staff", display_name="员工", unit="某单位",
                                 role="region", region="330100", password=STRONG, by=admin)
    with pytest.raises(accounts.NotAllowed):
        accounts.create_user(username="other", display_name="其他", unit="某单位",
                             role="leader", password=STRONG, by=staff)
    with pytest.raises(accounts.NotAllowed):
        accounts.set_active(username="root", active=False, by=staff)
    with pytest.raises(accounts.AccountRefused):
        accounts.set_active(username="root", active=False, by=admin)  # not oneself
    event = audit.events(audit.AuditFilter(action="user_create")).iloc[0]
    assert event["username"] == "root"


# --- sessions ------------------------------------------------------------------------------------

def test_a_session_lives_until_it_expires_or_ends(fresh, monkeypatch):
    user = make_admin("alice")
    secret = accounts.open_session(account=user, kind="password", lifetime=LIFETIME)
    found = accounts.session_account(secret, device_lifetime=LIFETIME)
    assert found == user and found.get_id() == secret
    assert accounts.session_account(secret + "x", device_lifetime=LIFETIME) is None
    opened = accounts.now()
    monkeypatch.setattr(accounts, "now", lambda: opened + LIFETIME + timedelta(seconds=1))
    assert accounts.session_account(secret, device_lifetime=LIFETIME) is None  # kept, expired
    monkeypatch.undo()
    assert accounts.session_account(secret, device_lifetime=LIFETIME) == user
    # a session cut short in the store (as every write that changes a session, with the
    # accounts version) ends at once
    with write_transaction(figures=False, accounts=True) as conn:
        conn.execute(update(UserSession).values(
            expires_at=accounts.now() - timedelta(seconds=1)))
    assert accounts.session_account(secret, device_lifetime=LIFETIME) is None


def session_reads(app) -> list[str]:
    """The statements that read a session from ``app``'s store, as they are sent."""
    from sqlalchemy import event

    sent: list[str] = []

    def seen(conn, cursor, statement, *args):
        if "user_sessions" in statement and statement.lstrip().upper().startswith("SELECT"):
            sent.append(statement)

    with app.app_context():
        event.listen(engine(), "before_cursor_execute", seen)
    return sent


def test_a_live_session_is_read_from_the_store_once_until_accounts_change(fresh):
    """Each worker keeps the live sessions it has read; a sign-out, a disabled user or any write
    in another worker (another app on the same store) ends a kept session at its next use."""
    user = make_admin("alice")
    other = make_store_app(str(engine().url.render_as_string(hide_password=False)))
    reads = session_reads(fresh)
    secret = accounts.open_session(account=user, kind="password", lifetime=LIFETIME)
    for _ in range(3):
        assert accounts.session_account(secret, device_lifetime=LIFETIME) == user
    assert len(reads) == 1
    with other.app_context():  # "another worker" signs the session out
        accounts.close_session(accounts.digest(secret))
    assert accounts.session_account(secret, device_lifetime=LIFETIME) is None
    assert len(reads) == 2

    second = accounts.open_session(account=user, kind="password", lifetime=LIFETIME)
    assert accounts.session_account(second, device_lifetime=LIFETIME) == user
    with other.app_context():  # the user's name changed elsewhere: the session shows it
        accounts.update_user(username="alice", display_name="新名字", unit="信息中心",
                             title=None, role="admin", region=None, department=None, by=None)
    assert accounts.session_account(second, device_lifetime=LIFETIME).display_name == "新名字"
    third = second
    with other.app_context(), write_transaction():  # any figure written
        pass
    before = len(reads)
    assert accounts.session_account(third, device_lifetime=LIFETIME) is not None
    assert len(reads) == before + 1  # read again
    with other.app_context():
        engine().dispose()


def test_disabling_changing_the_password_or_the_scope_ends_sessions(fresh):
    make_admin()
    user = accounts.create_user(username="bob", display_name="鲍勃", unit="杭州市",
                                role="region", region="330100", password=STRONG, by=None)

    def new_session():
        return accounts.open_session(account=user, kind="password", lifetime=LIFETIME)

    def alive(secret):
        return accounts.session_account(secret, device_lifetime=LIFETIME) is not None

    first = new_session()
    accounts.set_password(username="bob", password="Another-Strong-9", by=None)
    assert not alive(first)
    assert accounts.check_password("bob", "Another-Strong-9") is not None
    second = new_session()
    accounts.update_user(username="bob", display_name="鲍勃", unit="杭州市", title=None,
                         role="region", region="330106", department=None, by=None)
    assert not alive(second)
    third = new_session()
    accounts.set_active(username="bob", active=False, by=None)
    assert not alive(third)
    assert accounts.check_password("bob", "Another-Strong-9") is None
    assert {"password_set", "user_update", "user_disable"} <= set(actions())


# --- tokens --------------------------------------------------------------------------------------

def test_a_device_token_belongs_to_a_screen_and_is_stored_hashed(fresh):
    with pytest.raises(accounts.AccountRefused):
        accounts.create_token(kind="device", name="大屏", by=None)
    accounts.create_user(username="wall", display_name="大屏", unit="指挥中心", role="screen",
                         region="330100", password=None, by=None)
    info, secret = accounts.create_token(kind="device", name="指挥中心大屏", username="wall",
                                         by=None)
    assert secret.startswith("dev_") and len(secret) > 40
    assert info.prefix == secret[:10] and info.user.username == "wall"
    from sqlalchemy import select

    from data.auth_schema import AccessToken
    from data.store import read_connection
    with read_connection() as conn:
        stored = conn.execute(select(AccessToken.token_hash)).scalar_one()
    assert stored == accounts.digest(secret) and secret not in stored
    assert accounts.verify_token(secret, kind="device").id == info.id
    assert accounts.verify_token(secret, kind="api") is None  # a device token is not an api one
    session = accounts.open_session(account=info.user, kind="device", token_id=info.id,
                                    lifetime=LIFETIME)
    accounts.revoke_token(token_id=info.id, by=None)
    assert accounts.verify_token(secret, kind="device") is None
    assert accounts.session_account(session, device_lifetime=LIFETIME) is None
    assert {"token_create", "token_revoke"} <= set(actions())


def test_an_api_token_may_be_bound_to_an_account_scope(fresh):
    accounts.create_user(username="hzdata", display_name="杭州数据中台", unit="杭州市大数据局",
                         role="region", region="330100", password=STRONG, by=None)
    bound, secret = accounts.create_token(kind="api", name="杭州数据中台", username="hzdata",
                                          by=None)
    free, other = accounts.create_token(kind="api", name="省数据中台", by=None)
    assert accounts.verify_token(secret, kind="api").scope == Scope(regions=("330100",))
    assert accounts.verify_token(other, kind="api").scope == Scope()
    accounts.set_active(username="hzdata", active=False, by=None)
    assert accounts.verify_token(secret, kind="api") is None
    listed = {t.id: t for t in accounts.list_tokens()}
    assert set(listed) == {bound.id, free.id}
    assert all(secret not in repr(t) and other not in repr(t) for t in listed.values())


# --- demo accounts -------------------------------------------------------------------------------

def test_demo_accounts_are_made_once_and_leave_real_accounts_alone(fresh):
    accounts.create_user(username="admin", display_name="真管理员", unit="信息中心",
                         role="admin", password=STRONG, by=None, source="cli")
    with write_transaction() as conn:
        said = seed_demo_accounts(conn)
    assert "Demo-2026" in said
    with write_transaction() as conn:
        assert "未改动" in seed_demo_accounts(conn)
    assert accounts.check_password("admin", accounts.DEMO_PASSWORD) is None  # the real one
    assert accounts.check_password("admin", STRONG).display_name == "真管理员"
    for username in set(DEMO_ACCOUNTS) - {"admin", "screen"}:
        assert accounts.check_password(username, accounts.DEMO_PASSWORD) is not None
    assert accounts.find_user("xihu").scope == Scope(regions=("330106",))
    assert accounts.find_user("dsj").scope == Scope(departments=("BIGDATA",))
    screen = accounts.verify_token(DEMO_SCREEN_TOKEN, kind="device")
    assert screen.user.username == "screen" and screen.user.scope.read_only


# --- migrations ----------------------------------------------------------------------------------

def test_the_migrations_are_one_line():
    heads = ScriptDirectory.from_config(alembic_config()).get_heads()
    assert len(heads) == 1, f"Alembic has several heads {heads}: re-point the newest migration"


# --- the secret key ------------------------------------------------------------------------------

def test_the_secret_key_is_generated_once_into_the_instance_folder(tmp_path):
    from auth.secret import secret_key

    settings = Settings(instance_dir=tmp_path, secret_key="")
    with ThreadPoolExecutor(max_workers=8) as pool:  # workers starting together agree
        keys = set(pool.map(lambda _: secret_key(settings), range(8)))
    assert len(keys) == 1
    key = keys.pop()
    assert len(key) >= 48
    path = tmp_path / "secret_key"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert secret_key(settings) == key  # a restart keeps every session valid
    assert [p.name for p in tmp_path.iterdir()] == ["secret_key"]  # no temporary left


def test_a_secret_key_from_the_environment_wins_and_must_be_long(tmp_path):
    from auth.secret import WeakSecretKey, secret_key

    given = "k" * 40
    assert secret_key(Settings(instance_dir=tmp_path, secret_key=given)) == given
    assert not (tmp_path / "secret_key").exists()
    with pytest.raises(WeakSecretKey):
        secret_key(Settings(instance_dir=tmp_path, secret_key="short"))


# --- cookies behind HTTPS ------------------------------------------------------------------------

def test_behind_an_https_proxy_the_cookie_is_secure(tmp_path):
    from flask import Flask

    from auth import init_auth

    settings = Settings(instance_dir=tmp_path, https=True)
    server = Flask("https-test")
    init_auth(server, settings)
    assert server.config["SESSION_COOKIE_SECURE"] is True
    assert server.config["SESSION_COOKIE_HTTPONLY"] is True
    assert server.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    client = server.test_client()
    response = client.get("/login/device", headers={"X-Forwarded-Proto": "https",
                                                    "X-Forwarded-Host": "cockpit.gov.test"})
    cookie = next(h for h in response.headers.getlist("Set-Cookie")
                  if h.startswith("cockpit_session="))
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    # The proxy's scheme and host are what the same-origin check compares with: past it,
    # the form is stopped only by its missing CSRF token (400), not as cross-site (403).
    forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "cockpit.gov.test"}
    through = client.post("/login/device", headers={**forwarded,
                                                    "Origin": "https://cockpit.gov.test"})
    assert through.status_code == 400
    direct = client.post("/login/device", headers={"Origin": "https://cockpit.gov.test"})
    assert direct.status_code == 403


# --- failed sign-ins are counted across workers --------------------------------------------------

def limiter(url: str, prefix: str):
    from auth.ratelimit import LoginLimiter

    return LoginLimiter(Settings(cache_type="redis", redis_url=url, cache_key_prefix=prefix,
                                 login_attempts=3))


def test_failed_sign_ins_are_shared_by_every_worker_through_redis():
    require(port_open("127.0.0.1", 6379), "Redis is not reachable on 127.0.0.1:6379")
    prefix = f"cockpit-test-{uuid.uuid4().hex[:8]}:"
    worker_a, worker_b = limiter(f"{REDIS_URL}/0", prefix), limiter(f"{REDIS_URL}/0", prefix)
    for _ in range(3):
        assert worker_a.retry_after("alice", "10.0.0.1") is None
        worker_a.failed("alice", "10.0.0.1")
    wait = worker_b.retry_after("alice", "10.0.0.9")  # the other worker, another address
    assert wait is not None and 0 < wait <= 15 * 60
    assert worker_b.retry_after("bob", "10.0.0.9") is None
    worker_b.succeeded("alice")
    assert worker_a.retry_after("alice", "10.0.0.9") is None


def test_a_redis_that_is_down_still_counts_in_the_process():
    down = limiter("redis://127.0.0.1:1/0", "cockpit-test-down:")
    for _ in range(3):
        down.failed("carol", "10.0.0.2")
    assert down.retry_after("carol", "10.0.0.2") is not None
