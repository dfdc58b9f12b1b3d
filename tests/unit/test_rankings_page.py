"""``/rankings`` as functions: the address checked with Chinese messages, the controls'
addresses, and the weights only an administrator may save."""

from __future__ import annotations

from datetime import date

import pytest
from dash import no_update

from data.scope import EVERYTHING, Scope
from panels.addresses import BadAddress
from tests.auth_tools import an_administrator, signed_in

TODAY = date(2026, 11, 22)


@pytest.fixture
def page(cockpit):
    from pages import rankings

    return rankings


def test_the_address_is_checked(page, request_context):
    board = page.resolve(scope=EVERYTHING, params={}, today=TODAY)
    assert (board.region, board.level, board.week) == ("330000", "city", "2026-W47")
    assert page.resolve(scope=Scope(regions=("330100",)), params={}, today=TODAY).level == \
        "county"
    for params, words in [({"of": "town"}, "比较层级“town”无法识别"),
                          ({"region": "330100", "of": "city"}, "比较层级“city”无法识别"),
                          ({"region": "330106"}, "请打开杭州市的赛马榜"),
                          ({"period": "2026-13"}, "2026-13"),
                          ({"week": "2027-W02"}, "尚未开始"),
                          ({"week": "W47"}, "格式不正确"),
                          ({"focus": "330106"}, "不在本榜单的比较范围内"),
                          ({"region": ["330100", "330200"]}, "只能出现一次")]:
        with pytest.raises(BadAddress, match=words):
            page.resolve(scope=EVERYTHING, params=params, today=TODAY)
    with pytest.raises(BadAddress, match="没有可与之比较的地区"):
        page.resolve(scope=Scope(regions=("330106",)), params={}, today=TODAY)
    with pytest.raises(BadAddress, match="无权限"):
        page.resolve(scope=Scope(regions=("330100",)), params={"region": "330000"}, today=TODAY)


def test_the_controls_navigate(page):
    view = {"region": "330000", "level": "city", "period": "2026-10", "focus": "330200",
            "week": "2026-W47"}
    href = page.next_href(page.ids.level, level="county", period=None, focus=None, week=None,
                          view_data=view)
    assert href == "/rankings?of=county&period=2026-10&week=2026-W47"
    assert page.next_href(page.ids.level, level="city", period=None, focus=None, week=None,
                          view_data=view) is no_update
    assert "focus=330300" in page.next_href(page.ids.focus, level=None, period=None,
                                            focus="330300", week=None, view_data=view)


def test_only_an_administrator_saves_weights(page, cockpit):
    codes = [{"type": page.ids.weight, "code": "DG_ONE_NET"}]
    with signed_in(cockpit.server, "leader"):
        assert page.save_weights([2.5], codes) == "需要管理员权限。"
    admin, _ = an_administrator(cockpit.server)
    with signed_in(cockpit.server, admin):
        assert page.save_weights([101], codes).startswith("未保存：")
        assert page.save_weights([2.5], codes).startswith("已保存，1 项")
        from data import ranking_queries as rq

        assert rq.weight_map(scope=EVERYTHING)["DG_ONE_NET"] == 2.5
        assert page.save_weights([1.5], codes).startswith("已保存，1 项")


def test_the_score_bars_start_at_zero_so_a_bar_is_as_long_as_its_score():
    import pandas as pd

    from components.ranking_charts import score_bars

    board = pd.DataFrame({"adcode": ["330100", "330200", "330300"],
                          "name": ["杭州市", "宁波市", "温州市"], "rank": [1, 2, 3],
                          "score": [98.4, 97.9, 97.5], "list_code": ["red", None, "yellow"]})
    figure = score_bars(board, [{"code": "red", "name": "红榜"}], title="赛马榜")
    assert figure.layout.xaxis.rangemode == "tozero" and figure.layout.xaxis.range is None
    assert list(figure.data[0].x) == [97.5, 97.9, 98.4]  # the best at the top
