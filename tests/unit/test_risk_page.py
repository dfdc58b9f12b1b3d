"""The /risk page built from its URL, on the seeded throw-away store."""

from __future__ import annotations

import pytest

from tests.auth_tools import signed_in
from tests.layout_tools import classes, find, text_of


@pytest.fixture
def risk(cockpit):
    from pages import risk

    with signed_in(cockpit.server, "leader", "/risk"):
        yield risk


def graph(page, component_id):
    return find(page, lambda c: getattr(c, "id", None) == component_id)[0]


def test_the_default_view_is_the_latest_event_at_its_peak_for_all_counties(risk):
    page = risk.layout()
    assert "risk-page" in classes(page)
    figure = graph(page, risk.ids.map).figure
    assert len(figure.data[0].locations) == 90
    legend = text_of(find(page, lambda c: getattr(c, "id", None) == risk.ids.legend)[0])
    for word in ("红色（高风险）", "橙色", "黄色", "蓝色", "绿色（低风险）", "无数据"):
        assert word in legend
    assert "2024年6月梅汛期强降雨" in text_of(page)


def test_a_city_view_shows_its_counties_with_names_and_the_chosen_county(risk):
    page = risk.layout(region="330200", event="1", hazard="SEAWALL", at="2021-07-25T12:00",
                       county="330225")
    figure = graph(page, risk.ids.map).figure
    assert len(figure.data[0].locations) == 10
    assert figure.data[1].mode == "text"  # county names on a city's map
    widths = dict(zip(figure.data[0].locations, figure.data[0].marker.line.width, strict=True))
    assert widths["330225"] > widths["330206"]
    detail = find(page, lambda c: getattr(c, "id", None) == risk.ids.detail)[0]
    assert "象山县 · 各灾种风险等级变化" in text_of(detail)
    assert "2021年7月25日 12:00" in text_of(page)


def test_a_county_in_the_url_opens_its_city_with_it_selected(risk):
    page = risk.layout(region="330225", event="1")
    state = find(page, lambda c: getattr(c, "id", None) == risk.ids.view)[0].data
    assert (state["region"], state["county"]) == ("330200", "330225")


@pytest.mark.parametrize(("params", "fragment"), [
    ({"event": "99"}, "未找到编号为“99”的灾害过程"),
    ({"event": "<b>x</b>"}, "未找到编号为“<b>x</b>”的灾害过程"),
    ({"hazard": "METEOR"}, "未找到编码为“METEOR”的灾种"),
    ({"region": "123456"}, "未找到行政区划代码为“123456”"),
    ({"event": "1", "at": "yesterday"}, "格式不正确"),
])
def test_a_wrong_risk_address_gets_a_message(risk, params, fragment):
    page = risk.layout(**params)
    assert "message-page" in classes(page)
    assert fragment in text_of(page)


def test_moving_the_time_patches_only_what_changes(risk):
    page = risk.layout(event="1")
    state = find(page, lambda c: getattr(c, "id", None) == risk.ids.view)[0].data
    from dash._callback_context import context_value
    from dash._utils import AttributeDict

    context_value.set(AttributeDict(triggered_inputs=[{"prop_id": "risk-time.value",
                                                       "value": 0}]))
    patch, legend, warned, title, evacuation, total, label, detail = (
        risk.show_moment(0, None, state))
    operations = patch.to_plotly_json()["operations"]
    assert {tuple(op["location"]) for op in operations} == {("data", 0, "z"),
                                                           ("data", 0, "text")}
    assert label == "2021年7月22日 00:00"
    assert total.endswith("人")
