"""The /data page and its upload, called as functions and through the test client: only an
administrator imports, nobody types a name, and a refused upload writes nothing."""

from __future__ import annotations

import pytest

from data.imports.batches import batches
from data.scope import EVERYTHING
from tests.auth_tools import an_administrator, signed_in, signed_in_client
from tests.imports_corpus import csv_bytes
from tests.layout_tools import classes, find, text_of

UPLOAD = "/data/upload?kind=indicator-values"
HEADERS = {"X-Requested-With": "cockpit-upload", "X-File-Name": "%E5%8D%81%E6%9C%88.csv",
           "Content-Type": "application/octet-stream"}


def test_the_page_is_an_administrators(cockpit):
    from pages import data

    with signed_in(cockpit.server, "leader"):
        page = data.layout()
        assert "无权限" in text_of(page)
        assert not find(page, lambda c: "data-page" in classes(c))
    with signed_in(cockpit.server, "admin"):
        page = data.layout(kind="indicator-targets")
        assert "data-page" in classes(page)
        kinds = find(page, lambda c: "dt-kind" in classes(c))
        assert {text_of(k) for k in kinds} >= {"年度目标indicator-targets",
                                               "指标数据indicator-values"}
        assert "系统管理员（演示）（admin）" in text_of(page)  # the importer is who signed in
        assert "演示数据将被清除" in text_of(page)


def test_a_wrong_address_on_the_data_page_gets_a_message(cockpit):
    from pages import data

    with signed_in(cockpit.server, "admin"):
        assert "没有“nope”这种导入类型" in text_of(data.layout(kind="nope"))
        assert "批次号" in text_of(data.layout(batch="x1"))
        assert "没有第999999批导入" in text_of(data.layout(batch="999999"))
        assert "参数重复" in text_of(data.layout(kind=["a", "b"]))


def test_only_an_administrator_may_upload(cockpit):
    leader = signed_in_client(cockpit.server, "leader")
    answer = leader.post(UPLOAD, data=csv_bytes([["DG_ZLB_DAU", "330106", "2026-10", "1"]]),
                         headers=HEADERS)
    assert answer.status_code == 403 and "管理员" in answer.get_json()["message"]


@pytest.fixture(scope="module")
def importer(cockpit):
    return an_administrator(cockpit.server)


def test_an_upload_must_come_from_the_page(cockpit, importer):
    admin = signed_in_client(cockpit.server, *importer)
    answer = admin.post(UPLOAD, data=b"x", headers={"Content-Type": "text/csv"})
    assert answer.status_code == 400 and "数据导入" in answer.get_json()["message"]
    foreign = admin.post(UPLOAD, data=b"x", headers={**HEADERS, "Origin": "http://evil.example"})
    assert foreign.status_code == 403


def test_a_refused_upload_is_answered_and_recorded_with_who_did_it(cockpit, importer):
    admin = signed_in_client(cockpit.server, *importer)
    answer = admin.post(UPLOAD, data=csv_bytes([["DG_ZLB_DAU", "火星区", "2026-10", "1"]]),
                        headers=HEADERS)
    assert answer.status_code == 200
    payload = answer.get_json()
    assert not payload["accepted"] and payload["errors"][0]["reason"].startswith("没有这个地区")
    with cockpit.server.app_context():
        latest = batches(scope=EVERYTHING, limit=1).iloc[0]
    assert latest["id"] == payload["batch"] and latest["status"] == "refused"
    assert latest["filename"] == "十月.csv" and latest["actor"] == "导入管理员（importer）"
    assert latest["channel"] == "page"


def test_the_importer_is_named_with_the_user_name_as_code() -> None:
    """Only the account's user name is set as code (a monospaced font has no Chinese)."""
    from dash import html

    from components.imports import _actor

    parts = _actor("系统管理员（演示）（admin）")
    codes = [p.children for p in parts if isinstance(p, html.Code)]
    assert codes == ["admin"] and parts[0] == "系统管理员（演示）"
    assert _actor("张三") == ["张三"]
