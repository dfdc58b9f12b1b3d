"""The large screen without a browser: its settings from the address, the panels dealt to its
slots, the same figures as the desk, a refresh that sends only what changed, and the tiny
data-version answer it polls."""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from dash import no_update
from sqlalchemy import select, update

from data.reference import PROVINCE
from data.schema import IndicatorValue
from data.scope import EVERYTHING
from data.store import engine, write_transaction
from panels import registry
from panels.addresses import BadAddress, screen_href
from panels.context import make_context
from panels.screen import (
    CENTRE,
    DEFAULT_REFRESH,
    DEFAULT_ROTATE,
    SLOTS,
    ScreenSettings,
    screen_settings,
    side_keys,
    side_panels,
)
from tests.layout_tools import classes, find, text_of

HANGZHOU = "330100"


# --- settings from the address ---------------------------------------------------------------

def test_the_settings_default_and_round_trip_through_the_address():
    assert screen_settings({}) == ScreenSettings(rotate=DEFAULT_ROTATE, refresh=DEFAULT_REFRESH)
    settings = screen_settings({"rotate": "0", "refresh": "2.5", "reload": "24", "idle": "90",
                                "panels": "tasks,map,risk", "indicator": "DG_ZLB_DAU"})
    assert settings.rotate == 0 and settings.refresh == 2.5 and settings.reload == 24
    assert settings.panels == ("tasks", "risk")  # the centre's panels are always there
    query = settings.query()
    assert query == {"rotate": "0", "refresh": "2.5", "reload": "24", "idle": "90",
                     "panels": "tasks,risk", "indicator": "DG_ZLB_DAU"}
    assert screen_settings(query) == settings
    assert screen_href(HANGZHOU, query).startswith("/screen/330100?rotate=0&refresh=2.5")
    assert screen_href(PROVINCE, ScreenSettings().query()) == "/screen"


@pytest.mark.parametrize(("params", "fragment"), [
    ({"rotate": "abc"}, "参数“rotate”应为0（关闭）或不小于 1 的数，而不是“abc”"),
    ({"refresh": "-5"}, "参数“refresh”"),
    ({"refresh": "0.01"}, "不小于 0.2"),
    ({"idle": "inf"}, "参数“idle”"),
    ({"rotate": ["1", "2"]}, "只能出现一次"),
    ({"panels": "tasks,nope"}, "未知的面板：nope。可选的面板有：indicators（核心指标）"),
    ({"panels": "map"}, "没有列出任何"),
])
def test_a_wrong_setting_is_refused_in_words(params, fragment):
    with pytest.raises(BadAddress, match=fragment):
        screen_settings(params)


def test_the_side_panels_are_dealt_to_the_slots_in_turn():
    every = side_keys()
    assert not set(CENTRE) & set(every)
    assert set(every) == set(registry.keys(registry.SCREEN)) - set(CENTRE)
    slots = side_panels(every, ScreenSettings())
    assert list(slots) == list(SLOTS)
    assert slots["left-top"][:2] == ["indicators", "red_lights"]
    assert sorted(k for keys in slots.values() for k in keys) == sorted(every)
    # Asked for three, one of which has nothing to show: two slots, one panel each.
    chosen = side_panels([k for k in every if k != "risk"],
                         ScreenSettings(panels=("tasks", "risk", "problems")))
    assert chosen == {"left-top": ["tasks"], "right-top": ["problems"], "left-bottom": [],
                      "right-bottom": []}


# --- the page, as functions -----------------------------------------------------------------------

def graphs_by_id(layout) -> dict:
    return {g.id: g for g in find(layout, lambda c: type(c).__name__ == "Graph")
            if isinstance(getattr(g, "id", None), str)}


#: What a trace shows (its look — fonts, colour scales, sizes — is the surface's own).
DATA_FIELDS = ("x", "y", "z", "locations", "customdata", "lon", "lat", "text", "hovertext",
               "marker")


def data_of(figure) -> list[dict]:
    return [{k: repr(v) for k, v in trace.to_plotly_json().items() if k in DATA_FIELDS}
            for trace in figure.data]


def test_the_screen_draws_the_same_figures_as_the_desk(request_context):
    """One context, two surfaces: the map's and the ranking's data are the models' own."""
    from pages.region import page as desk_page
    from pages.screen import layout

    desk = graphs_by_id(desk_page.layout(adcode=HANGZHOU))
    screen_layout = layout(adcode=HANGZHOU, rotate="0")
    assert "screen-map" in graphs_by_id(screen_layout)
    def body(key):
        return find(screen_layout, lambda c: getattr(c, "id", None) == {"type": "screen-panel",
                                                                         "key": key})[0]

    for key in ("map", "ranking", "trend"):
        drawn = find(body(key), lambda c: type(c).__name__ == "Graph")[0].figure
        assert data_of(drawn) == data_of(desk[f"region-{key}"].figure), key
    # The counts of tasks by status are the desk's.
    desk_counts = [text_of(c) for c in find(desk_page.layout(adcode=HANGZHOU),
                                            lambda c: "task-count-number" in classes(c))]
    numbers = find(body("tasks"), lambda c: classes(c) == "ss-number")
    assert [text_of(c) for c in numbers] == desk_counts


def test_no_text_on_the_screens_figures_is_under_18_px(request_context):
    from pages.screen import layout

    drawn = find(layout(rotate="0"), lambda c: type(c).__name__ == "Graph")
    assert {t.type for g in drawn for t in g.figure.data} >= {"choropleth", "bar", "scatter"}
    for graph in drawn:
        figure = graph.figure
        assert figure.layout.font.size >= 18
        for trace in figure.data:
            if "textfont" in trace and trace.textfont.size is not None:
                assert trace.textfont.size >= 18, trace.type
            if trace.type == "bar":  # plotly would shrink a label to its bar's thickness
                assert trace.constraintext == "none"


def test_the_map_drills_to_the_addresses_the_view_carries(request_context):
    """A click on the map is turned into an address in the browser (no request): the view
    carries each region's screen, with the settings; the region shown now is not a link."""
    from pages.screen import layout

    def drill(page):
        return find(page, lambda c: getattr(c, "id", None) == "screen-view")[0].data["drill"]

    province = drill(layout(rotate="0", idle="30"))
    assert len(province) == 11 and province[HANGZHOU] == "/screen/330100?rotate=0&idle=30"
    city = drill(layout(adcode=HANGZHOU))
    assert len(city) == 13 and HANGZHOU not in city
    assert city["330106"] == "/screen/330106"
    county = drill(layout(adcode="330106"))  # among its city's counties, itself left out
    assert "330106" not in county and "330105" in county


@pytest.mark.parametrize("indicator", ["PDP_SHARE_SAT", "DG_ZLB_DAU", "DL_PETITIONS"])
def test_the_screens_rankings_start_at_zero(request_context, indicator):
    """A bar's length is its value: the ranking of the regions and the race's scores (98 to
    104) are drawn from zero on the screen, as on the desk."""
    from pages.screen import layout

    bars = {}
    for graph in find(layout(rotate="0", indicator=indicator),
                      lambda c: type(c).__name__ == "Graph"):
        if graph.figure.data and graph.figure.data[0].type == "bar":
            bars[graph.id["key"]] = graph.figure.layout.xaxis
    assert set(bars) >= {"ranking", "race"}
    for key, axis in bars.items():
        assert axis.rangemode == "tozero", key
        assert axis.range is None or axis.range[0] == 0, (key, axis.range)


def test_a_wrong_address_gets_the_message_page(request_context):
    from pages.screen import layout

    page = layout(rotate="soon")
    assert "message-page" in classes(page)
    assert "参数“rotate”" in text_of(page)
    assert "未找到行政区划代码为“999999”" in text_of(layout(adcode="999999"))


@contextmanager
def changed_value(value: float):
    where = (IndicatorValue.indicator_code == "PDP_SHARE_SAT",
             IndicatorValue.region_adcode == HANGZHOU, IndicatorValue.period == "2026-10")
    with engine().connect() as conn:
        old = conn.execute(select(IndicatorValue.value).where(*where)).scalar_one()
    try:
        with write_transaction() as conn:
            conn.execute(update(IndicatorValue).where(*where).values(value=value))
        yield
    finally:
        with write_transaction() as conn:
            conn.execute(update(IndicatorValue).where(*where).values(value=old))


def test_a_refresh_changes_only_what_changed_and_in_place(request_context):
    """A new figure goes into the chart already on the screen (its ``figure``), a changed
    number into its block of text; no chart is replaced by a new one, and the panels the
    figure is not on are left alone."""
    from components.screen_canvas import STATUS_KEY
    from pages.screen import changed, draw, layout

    page = layout(rotate="0")
    prints = find(page, lambda c: getattr(c, "id", None) == "screen-prints")[0].data
    view = find(page, lambda c: getattr(c, "id", None) == "screen-view")[0].data
    keys = list(view["keys"])
    ctx = make_context(scope=EVERYTHING)
    update = changed(draw(ctx, keys), prints, keys)
    assert not update.bodies and not update.parts and update.status is no_update  # no change
    with changed_value(12.5):
        update = changed(draw(ctx, keys), prints, keys)
    # The map and the ranking: their figures only (the map by its own id, which drills).
    assert "screen-map" in update.parts and "ranking/f0" in update.parts
    assert {part.split("/")[0] for part in update.parts} >= {"ranking"}
    assert not {"map", "ranking"} & set(update.bodies)
    # A panel of text only (the red lights' table) is replaced; nothing else is touched.
    assert not {"tasks", "problems", "directives", "overview"} & set(update.bodies)
    assert not any(p.startswith(("tasks/", "problems/", "directives/")) for p in update.parts)
    new = update.prints
    assert new[STATUS_KEY] == prints[STATUS_KEY] and new["tasks"] == prints["tasks"]
    assert new["map"]["frame"] == prints["map"]["frame"]
    assert new["map"]["parts"]["screen-map"] != prints["map"]["parts"]["screen-map"]


def test_a_panel_whose_frame_changed_is_replaced_whole(request_context):
    """Another number of charts or blocks (here: a panel that has nothing to show any more)
    replaces the panel's body; its parts are not sent."""
    from pages.screen import changed, draw, layout

    page = layout(rotate="0")
    prints = find(page, lambda c: getattr(c, "id", None) == "screen-prints")[0].data
    keys = ["map", "ranking"]
    drawn = draw(make_context(scope=EVERYTHING), keys)
    del drawn["ranking"]
    update = changed(drawn, prints, keys)
    assert "ranking" in update.bodies and "暂无数据" in text_of(update.bodies["ranking"])
    assert not any(p.startswith("ranking/") for p in update.parts)
    assert "map" not in update.bodies


def test_the_parts_of_a_drawing_get_ids_and_the_same_ids_again():
    from dash import dcc, html

    from components.screen_canvas import FIGURE, TEXT, parts, prints_of

    def drawing():
        return html.Div([html.H2("标题"), html.Div([dcc.Graph(figure={"data": []}),
                                                    html.Ul([html.Li("1 个")])]),
                         dcc.Graph(id="named", figure={"data": []}), "文字"])

    first, second = drawing(), drawing()
    found = parts("k", first, named=("named",))
    assert [(p.name, p.prop) for p in found] == [
        ("k/t0", "children"), ("k/f0", "figure"), ("k/t1", "children"), ("named", "figure")]
    assert found[0].id == {"type": TEXT, "key": "k", "n": 0}
    assert found[1].id == {"type": FIGURE, "key": "k", "n": 0}
    assert [p.name for p in parts("k", first, named=("named",))] == [p.name for p in found]
    # The same drawing with another number: the same frame, another part.
    second.children[1].children[1].children[0].children = "2 个"
    a, b = prints_of("k", first, named=("named",)), prints_of("k", second, named=("named",))
    assert a["frame"] == b["frame"] and a["parts"]["k/t1"] != b["parts"]["k/t1"]
    assert a["parts"]["k/f0"] == b["parts"]["k/f0"]
    # A drawing without a chart has no parts: it is its frame.
    assert parts("k", html.Div([html.P("只有文字")])) == []


def test_the_data_version_answer_is_a_few_bytes_and_needs_a_session(client, anonymous_client):
    answer = client.get("/data-version")
    assert answer.status_code == 200 and answer.headers["Cache-Control"] == "no-store"
    assert isinstance(answer.get_json()["version"], int) and len(answer.data) < 64
    assert anonymous_client.get("/data-version").status_code == 302  # to the sign-in page
