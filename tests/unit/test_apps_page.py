"""``/apps`` as functions: the address checked with Chinese messages, the controls' addresses
and the export of the filtered ledger."""

from __future__ import annotations

import pytest
from dash import no_update

from data.scope import EVERYTHING, Scope
from panels.addresses import BadAddress


@pytest.fixture
def page(cockpit):
    from pages import apps

    return apps


def test_the_address_is_checked(page, request_context):
    assert page.resolve(scope=EVERYTHING, params={"level": "city"}).level == "city"
    for params, words in [({"level": "town"}, "层级“town”无法识别"),
                          ({"app": "NOPE"}, "未找到编码为“NOPE”的应用"),
                          ({"system": "X"}, "未找到编码为“X”的体系"),
                          ({"dept": ["A", "B"]}, "只能出现一次")]:
        with pytest.raises(BadAddress, match=words):
            page.resolve(scope=EVERYTHING, params=params)
    # Ningbo's 特色应用 is not Hangzhou's to see.
    with pytest.raises(BadAddress, match="NBZD"):
        page.resolve(scope=Scope(regions=("330100",)), params={"app": "NBZD"})


def test_the_controls_navigate(page):
    view = {"system": None, "level": "city", "dept": None, "app": None}
    assert page.next_href(page.ids.app, values={page.ids.app: "QQZX"}, view_data=view) == \
        "/apps?level=city&app=QQZX"
    assert page.next_href(page.ids.level, values={page.ids.level: None}, view_data=view) == \
        "/apps"
    assert page.next_href(page.ids.level, values={page.ids.level: "city"},
                          view_data=view) is no_update


def test_the_export_is_the_filtered_ledger(page, request_context):
    download = page.export_file("csv", scope=EVERYTHING,
                                view_data={"system": None, "level": "city", "dept": None,
                                           "app": None})
    assert download["filename"].startswith("重大应用一本账_浙江省_")
    import base64

    text = (base64.b64decode(download["content"]) if download.get("base64")
            else download["content"].encode()).decode("utf-8-sig")
    lines = text.strip().splitlines()
    assert lines[0].startswith("应用,体系,牵头单位,层级")
    assert len(lines) == 1 + 7 and "亲清在线" in text and "浙里办" not in text
