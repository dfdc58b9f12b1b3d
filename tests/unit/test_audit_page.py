"""The audit page ``/audit``: built from its address, filters that navigate (Back undoes
them), the export in the one format, and nothing for anyone but an administrator."""

from __future__ import annotations

import base64
import io
import json

import pandas as pd
import pytest

from tests.auth_tools import an_administrator, signed_in, signed_in_client
from tests.layout_tools import find, text_of
from tests.unit.test_admin_page import NOTICE, fire
from tests.unit.test_forged_callbacks import call, callbacks, harvest


@pytest.fixture(scope="module")
def admin(cockpit):
    client = signed_in_client(cockpit.server, *an_administrator(cockpit.server))
    signed_in_client(cockpit.server, "xihu")  # a login to find
    return client


def grid_of(page):
    return find(page, lambda c: getattr(c, "id", None) == "audit-grid")[0]


@pytest.mark.parametrize(("params", "words"), [
    ({"action": "nope"}, "操作“nope”无法识别"),
    ({"outcome": "maybe"}, "结果“maybe”无法识别"),
    ({"from": "2026-13-01"}, "日期“2026-13-01”不正确"),
    ({"from": "2026-11-02", "to": "2026-11-01"}, "起始日期晚于截止日期"),
    ({"user": ["a", "b"]}, "只能出现一次"),
    ({"address": "x" * 80}, "过长"),
])
def test_a_wrong_address_gets_a_message(cockpit, params, words):
    from pages import audit

    with signed_in(cockpit.server, "admin"):
        assert words in text_of(audit.layout(**params))


def test_the_page_is_built_from_its_address(cockpit, admin):
    from data import audit as log
    from pages import audit

    with signed_in(cockpit.server, "admin"):
        page = audit.layout(action="login", user="xihu")
        rows = grid_of(page).rowData
        expected = log.count(log.AuditFilter(action="login", username="xihu"))
        assert 0 < len(rows) == expected
        assert {r["action_name"] for r in rows} == {"登录"}
        assert {r["username"] for r in rows} == {"xihu"}
        assert "用户 xihu，登录" in text_of(page)
        everything = grid_of(audit.layout()).rowData
        assert {r["action_name"] for r in everything} >= {"登录", "新建用户"}
        nothing = audit.layout(**{"from": "2001-01-01", "to": "2001-01-31"})
        assert grid_of(nothing).rowData == []


def test_filters_navigate_and_forged_values_are_refused(cockpit, admin):
    values = {"audit-user": None, "audit-action": "login_failed", "audit-outcome": None,
              "audit-address": "", "audit-from": "2026-11-01", "audit-to": None,
              "audit-view": "/audit"}
    answer = choose(admin, values)
    assert answer["audit-nav"]["href"] == "/audit?action=login_failed&from=2026-11-01"
    same = choose(admin, {**values, "audit-view": "/audit?action=login_failed&from=2026-11-01"})
    assert "audit-nav" not in same
    forged = choose(admin, {**values, "audit-action": "drop_table"})
    assert forged == {NOTICE: {"children": "操作“drop_table”无法识别。"}}
    listed = choose(admin, {**values, "audit-user": ["xihu", "leader"]})
    assert "audit-nav" not in listed and "只能出现一次" in str(listed)
    refused = choose(signed_in_client(cockpit.server, "xihu"), values)
    assert refused == {NOTICE: {"children": "需要管理员权限。"}}


def choose(client, values):
    """The filters' callback, the action chosen."""
    spec = next(c for c in callbacks(client) if "audit-action" in
                {i["id"] for i in c["inputs"]})
    keyed = {(json.dumps(i["id"]), i["property"]): values.get(i["id"])
             for i in spec["inputs"] + spec["state"]}
    response = call(client, spec, keyed, ("audit-action", "value"))
    assert response.status_code == 200
    body = response.get_json()
    notice = body.get("sideUpdate", {}).get("app-notice-text")
    return {**body.get("response", {}), **({NOTICE: notice} if notice else {})}


def test_the_export_holds_every_filtered_event_and_is_audited(cockpit, admin):
    from data import audit as log

    values = {"audit-view": "/audit?action=login&user=xihu"}
    answer = fire(admin, "audit-download", values, "audit-export-csv")
    download = answer["audit-download"]["data"]
    assert download["filename"].startswith("审计日志_全部_") and download["filename"].endswith(
        ".csv")
    table = pd.read_csv(io.BytesIO(base64.b64decode(download["content"])), encoding="utf-8-sig")
    assert list(table.columns)[:7] == ["时间", "用户", "操作", "对象", "详情", "地址", "结果"]
    assert table["导出标记"].str.startswith("导入管理员 · ").all()  # who exported it
    with cockpit.server.app_context():
        assert len(table) == log.count(log.AuditFilter(action="login", username="xihu")) > 0
        exported = log.events(log.AuditFilter(action="export", username="importer"))
    assert set(table["操作"]) == {"登录"} and set(table["用户"]) == {"xihu"}
    assert download["filename"] in set(exported["target"])

    xlsx = fire(admin, "audit-download", values, "audit-export-excel")["audit-download"]["data"]
    sheet = pd.read_excel(io.BytesIO(base64.b64decode(xlsx["content"])), header=None)
    assert sheet.iloc[0, 0].startswith("审计日志 · 全部 · 用户 xihu，登录")
    xihu = signed_in_client(cockpit.server, "xihu")
    refused = fire(xihu, "audit-download", values, "audit-export-csv")
    assert refused == {NOTICE: {"children": "需要管理员权限。"}}


def test_the_admin_harvest_sees_the_pages(cockpit, admin):
    """The admin's own pages answer without an error (the forged-callback replays use them)."""
    for address in ("/admin", "/admin?user=xihu", "/audit", "/audit?action=login"):
        text = harvest(admin, address)["text"]
        assert "无权限" not in text and "无法显示该页面" not in text, address


def test_days_are_typed_in_chinese_order_not_the_browsers(cockpit):
    """The browser's own date field shows its UI language's order (mm/dd/yyyy): the filters
    take 年-月-日 as text, and a wrong one gets the message with an example."""
    from pages import audit

    with signed_in(cockpit.server, "admin"):
        page = audit.layout(**{"from": "2026-11-01"})
        days = find(page, lambda c: getattr(c, "id", None) in ("audit-from", "audit-to"))
        assert len(days) == 2 and {d.type for d in days} == {"text"}
        assert {d.placeholder for d in days} == {"年-月-日"}
        assert days[0].value == "2026-11-01"
        assert "应为年-月-日，例如 2026-11-01" in text_of(audit.layout(**{"to": "11/30/2026"}))
