"""``/appeals`` as functions: the address checked with Chinese messages, the controls'
addresses, the hot-appeals panel, and a wall screen that may not raise a problem."""

from __future__ import annotations

import pytest
from dash import no_update

from data.scope import EVERYTHING, Scope
from panels import registry
from panels.addresses import BadAddress
from panels.context import make_context
from tests.auth_tools import signed_in


@pytest.fixture
def page(cockpit):
    from pages import appeals

    return appeals


def test_the_address_is_checked(page, request_context):
    view = page.resolve(scope=EVERYTHING, params={})
    assert (view.region, view.category, view.weeks, view.week) == (
        "330000", None, 13, "2026-11-16")
    assert page.resolve(scope=Scope(regions=("330106",)), params={}).region == "330106"
    for params, words in [({"category": "UFO"}, "未找到编码为“UFO”的诉求类别"),
                          ({"weeks": "7"}, "可选 4、13、26 或 52 周"),
                          ({"weeks": "x"}, "时段“x”无法识别"),
                          ({"region": "999999"}, "未找到"),
                          ({"category": ["LAND", "WAGES"]}, "只能出现一次")]:
        with pytest.raises(BadAddress, match=words):
            page.resolve(scope=EVERYTHING, params=params)
    with pytest.raises(BadAddress, match="无权限"):
        page.resolve(scope=Scope(regions=("330100",)), params={"region": "330200"})


def test_the_controls_navigate(page):
    view = {"region": "330100", "category": None, "weeks": 13, "week": "2026-11-16"}
    assert page.next_href(page.ids.category, category="WAGES", weeks=None, map_click=None,
                          view_data=view) == "/appeals?region=330100&category=WAGES"
    assert page.next_href(page.ids.weeks, category=None, weeks=26, map_click=None,
                          view_data=view) == "/appeals?region=330100&weeks=26"
    click = {"points": [{"customdata": ["330106"]}]}
    assert page.next_href(page.ids.map, category=None, weeks=None, map_click=click,
                          view_data=view) == "/appeals?region=330106"
    assert page.next_href(page.ids.weeks, category=None, weeks=13, map_click=None,
                          view_data=view) is no_update


def test_the_hot_appeals_panel(cockpit, request_context):
    model = registry.build(make_context(scope=EVERYTHING, adcode="330100"), "appeals")
    assert model.title == "民呼我为 · 热度榜" and len(model.rows) == 5
    assert model.stats[0].value > 0
    assert registry.spec("appeals").surfaces == registry.ALL_SURFACES
    warnings = next(s for s in model.stats if s.code == "warnings")
    assert warnings.value >= 1 and "西湖区住房保障和物业" in warnings.note


def test_a_wall_screen_raises_nothing(page, cockpit):
    with signed_in(cockpit.server, "screen"):
        answer = page.raise_warning({"unit": "330106", "category": "HOUSING"},
                                    {"region": "330000", "category": None, "weeks": 13})
    assert "只读" in answer
