"""The administrators' page ``/admin``: its callbacks posted through Dash's own dispatch (the
test client, the same-origin check, the session) as an administrator and as everyone else.

An administrator creates, edits, resets, disables and signs out users and makes and revokes
tokens; refused input is answered with every reason and the form keeps what was typed (its
fields are not among the answer's outputs); anyone else — a forged callback from the leader,
a county user or the wall screen — changes nothing.
"""

from __future__ import annotations

import json

import pytest

from tests.auth_tools import an_administrator, signed_in, signed_in_client
from tests.layout_tools import classes, find, text_of
from tests.unit.test_forged_callbacks import call, callbacks, outputs_of

STRONG = "Qiantang-River-2026"
NOTICE = "notice"  # where fire() puts the notice bar's words


def fire(client, first_output: str, values: dict[str, object], trigger: str):
    """Post the callback whose first output is ``first_output`` and whose input is
    ``trigger`` with ``values`` (component id → value of the property the callback reads),
    ``trigger`` clicked."""
    spec = next(c for c in callbacks(client)
                if (outputs_of(c["output"]) if c["output"].startswith("..")
                    else [outputs_of(c["output"])])[0]["id"] == first_output
                and trigger in {i["id"] for i in c["inputs"]})
    keyed = {}
    for item in spec["inputs"] + spec["state"]:
        value = values.get(item["id"])
        if item["id"] == trigger:
            value = 1
        keyed[(json.dumps(item["id"]), item["property"])] = value
    response = call(client, spec, keyed, (trigger, "n_clicks"))
    if response.status_code == 400:  # a value of a type no form sends (auth/callback_requests)
        return {"refused": response.get_json()["error"]}
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    body = response.get_json()
    notice = body.get("sideUpdate", {}).get("app-notice-text")  # app.callback_error's words
    return {**body["response"], **({NOTICE: notice} if notice else {})}


def said(answer: dict, component: str) -> str:
    if "refused" in answer:  # refused before the callback: the same words for the user
        assert "请求格式不正确" in answer["refused"]
        return "提交的内容无效（请求格式不正确）"
    return json.dumps(answer.get(component, {}), ensure_ascii=False)


@pytest.fixture(scope="module")
def admin(cockpit):
    return signed_in_client(cockpit.server, *an_administrator(cockpit.server))


def new_user(**fields) -> dict[str, object]:
    base = {"admin-new-username": "wz-staff", "admin-new-name": "温州市数据局 王五",
            "admin-new-unit": "温州市数据局", "admin-new-title": "", "admin-new-role": "region",
            "admin-new-region": "330300", "admin-new-department": None,
            "admin-new-password": STRONG}
    return {**base, **{f"admin-new-{k}": v for k, v in fields.items()}}


def users(cockpit) -> dict[str, object]:
    from data import accounts

    with cockpit.server.app_context():
        return {a.username: a for a in accounts.list_users()}


def test_only_an_administrator_sees_the_pages(cockpit):
    import app
    from pages import admin, audit

    for username in ("leader", "xihu", "dsj"):
        with signed_in(cockpit.server, username) as account:
            assert "无权限" in text_of(admin.layout())
            assert "无权限" in text_of(audit.layout())
            names = [n for n, _ in app.nav_items(account)]
            assert "用户管理" not in names and "审计日志" not in names
    with signed_in(cockpit.server, "admin") as account:
        page = admin.layout()
        assert "admin-page" in classes(page)
        table = text_of(find(page, lambda c: "ad-users" in classes(c))[0])
        for words in ("leader", "xihu", "西湖区", "省领导", "大屏账号", "省大数据发展管理局"):
            assert words in table, words
        names = [n for n, _ in app.nav_items(account)]
        assert "用户管理" in names and "审计日志" not in names  # a tab of /admin
        assert "未找到用户“nobody”" in text_of(admin.layout(user="nobody"))
        assert "参数重复" in text_of(admin.layout(user=["a", "b"]))
        edit = admin.layout(user="xihu")
        assert "修改用户：" in text_of(edit)
        assert find(edit, lambda c: getattr(c, "id", None) == "admin-active-submit")


def test_create_edit_reset_disable_and_sign_out_a_user(cockpit, admin):
    from data import audit

    refused = fire(admin, "admin-new-message", new_user(password="short"), "admin-new-submit")
    assert "密码至少 10 位" in said(refused, "admin-new-message")
    assert "admin-new-username" not in refused  # what was typed stays
    assert "wz-staff" not in users(cockpit)

    made = fire(admin, "admin-new-message", new_user(), "admin-new-submit")
    assert "已创建用户 wz-staff（地区用户）" in said(made, "admin-new-message")
    assert made["admin-new-username"]["value"] == made["admin-new-password"]["value"] == ""
    assert made["admin-new-name"]["value"] == "" and made["admin-new-region"]["value"] is None
    assert "wz-staff" in said(made, "admin-users")
    again = fire(admin, "admin-new-message", new_user(), "admin-new-submit")
    assert "已存在" in said(again, "admin-new-message")
    assert users(cockpit)["wz-staff"].scope.regions == ("330300",)

    staff = signed_in_client(cockpit.server, "wz-staff", STRONG)
    assert staff.get("/").status_code == 200
    view = {"admin-view": {"user": "wz-staff"}}
    edit = {"admin-edit-name": "王五", "admin-edit-unit": "鹿城区数据局", "admin-edit-title": "",
            "admin-edit-role": "region", "admin-edit-region": "330302",
            "admin-edit-department": None}
    bad = fire(admin, "admin-edit-message", {**view, **edit, "admin-edit-region": None},
               "admin-edit-submit")
    assert "地区用户须指定地区" in said(bad, "admin-edit-message")
    saved = fire(admin, "admin-edit-message", {**view, **edit}, "admin-edit-submit")
    assert "已保存 wz-staff" in said(saved, "admin-edit-message")
    assert users(cockpit)["wz-staff"].region == "330302"
    assert staff.get("/").status_code == 302  # its scope changed: signed out

    weak = fire(admin, "admin-password-message", {**view, "admin-password": "abc"},
                "admin-password-submit")
    assert "密码至少 10 位" in said(weak, "admin-password-message")
    assert "admin-password" not in weak
    reset = fire(admin, "admin-password-message", {**view, "admin-password": STRONG + "!"},
                 "admin-password-submit")
    assert "已为 wz-staff 设置新密码" in said(reset, "admin-password-message")
    staff = signed_in_client(cockpit.server, "wz-staff", STRONG + "!")

    ended = fire(admin, "admin-actions-message", view, "admin-sessions-submit")
    assert "1 个会话已退出" in said(ended, "admin-actions-message")
    assert staff.get("/").status_code == 302

    off = fire(admin, "admin-actions-message", view, "admin-active-submit")
    assert "已停用" in said(off, "admin-actions-message") and off["admin-active-submit"][
        "children"] == "启用"
    assert not users(cockpit)["wz-staff"].active
    on = fire(admin, "admin-actions-message", view, "admin-active-submit")
    assert "已启用" in said(on, "admin-actions-message")
    assert users(cockpit)["wz-staff"].active

    with cockpit.server.app_context():
        done = audit.events(audit.AuditFilter(username="importer"))
    wanted = {"user_create", "user_update", "password_set", "sessions_revoke", "user_disable",
              "user_enable"}
    assert wanted <= set(done.loc[done["target"] == "wz-staff", "action"])


def test_tokens_are_made_shown_once_and_revoked(cockpit, admin):
    from data import accounts

    no_screen = fire(admin, "admin-token-message", {
        "admin-token-kind": "device", "admin-token-name": "大厅", "admin-token-user": None},
        "admin-token-submit")
    assert "设备令牌须属于一个大屏账号" in said(no_screen, "admin-token-message")
    fire(admin, "admin-new-message", new_user(username="wall-wz", name="温州指挥中心大屏",
                                              role="screen", password=""), "admin-new-submit")
    assert users(cockpit)["wall-wz"].role == "screen"
    made = fire(admin, "admin-token-message", {
        "admin-token-kind": "device", "admin-token-name": "温州指挥中心",
        "admin-token-user": "wall-wz"}, "admin-token-submit")
    message = said(made, "admin-token-message")
    secret = message.split("#token=")[1].split("&next=/screen")[0]
    assert secret.startswith("dev_") and "只显示这一次" in message
    assert secret not in said(made, "admin-tokens")  # the list never shows it
    with cockpit.server.app_context():
        token = accounts.verify_token(secret, kind="device")
    assert token is not None and token.user.username == "wall-wz"
    option = {"label": f"#{token.id} 大屏设备令牌 · 温州指挥中心", "value": str(token.id)}
    assert option in made["admin-revoke-token"]["options"]

    nothing = fire(admin, "admin-revoke-message", {"admin-revoke-token": None},
                   "admin-revoke-submit")
    assert "请先选择" in said(nothing, "admin-revoke-message")
    revoked = fire(admin, "admin-revoke-message", {"admin-revoke-token": str(token.id)},
                   "admin-revoke-submit")
    assert f"已吊销令牌 #{token.id}" in said(revoked, "admin-revoke-message")
    assert option not in revoked["admin-revoke-token"]["options"]
    with cockpit.server.app_context():
        assert accounts.verify_token(secret, kind="device") is None


FORGED = [  # (first output, values, trigger): each would change something for an admin
    ("admin-new-message", new_user(username="forged-x"), "admin-new-submit"),
    ("admin-edit-message", {"admin-view": {"user": "xihu"}, "admin-edit-name": "x",
                            "admin-edit-unit": "x", "admin-edit-role": "leader"},
     "admin-edit-submit"),
    ("admin-password-message", {"admin-view": {"user": "leader"},
                                "admin-password": "Forged-Password-2026"},
     "admin-password-submit"),
    ("admin-actions-message", {"admin-view": {"user": "xihu"}}, "admin-active-submit"),
    ("admin-actions-message", {"admin-view": {"user": "xihu"}}, "admin-sessions-submit"),
    ("admin-token-message", {"admin-token-kind": "api", "admin-token-name": "forged"},
     "admin-token-submit"),
    ("admin-revoke-message", {"admin-revoke-token": "1"}, "admin-revoke-submit"),
]


def store_state(cockpit):
    from data import accounts

    with cockpit.server.app_context():
        return ([(a.username, a.role, a.region, a.active) for a in accounts.list_users()],
                [(t.id, t.revoked_at) for t in accounts.list_tokens()],
                accounts.live_sessions())


@pytest.mark.parametrize("username", ["leader", "xihu", "screen"])
def test_a_forged_callback_by_anyone_else_changes_nothing(cockpit, username):
    from tests.unit.test_forged_callbacks import signed_in_client_device

    client = (signed_in_client_device(cockpit) if username == "screen"
              else signed_in_client(cockpit.server, username))
    before = store_state(cockpit)
    for output, values, trigger in FORGED:
        answer = fire(client, output, values, trigger)
        assert "管理员" in said(answer, output), (output, trigger)
        assert set(answer) == {output}, answer  # nothing else is touched
    after = store_state(cockpit)
    assert after[:2] == before[:2]
    assert "forged-x" not in users(cockpit)


def test_inputs_no_form_can_send_are_refused(cockpit, admin):
    before = store_state(cockpit)
    for values in (new_user(username=["a", "b"]), new_user(region={"x": 1}),
                   new_user(password=12345678901)):
        answer = fire(admin, "admin-new-message", values, "admin-new-submit")
        assert "提交的内容无效" in said(answer, "admin-new-message")
    for view in ({"user": ["xihu"]}, "xihu", None):
        answer = fire(admin, "admin-actions-message", {"admin-view": view},
                      "admin-active-submit")
        assert "提交的内容无效" in said(answer, "admin-actions-message")
    answer = fire(admin, "admin-revoke-message", {"admin-revoke-token": "1 OR 1=1"},
                  "admin-revoke-submit")
    assert "提交的内容无效" in said(answer, "admin-revoke-message")
    assert store_state(cockpit)[:2] == before[:2]
