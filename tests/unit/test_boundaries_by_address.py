"""A page's maps name their boundaries by address; the address answers the same features."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

from dash import dcc

from components.boundaries import ROUTE
from data.geo import boundaries
from tests.auth_tools import signed_in
from tests.layout_tools import find


def test_a_pages_map_names_its_boundaries_and_the_address_answers_them(cockpit, client):
    from pages.region import page as region

    with signed_in(cockpit.server, "leader"):
        page = region.layout(adcode="330100")
    graph = find(page, lambda c: isinstance(c, dcc.Graph)
                 and getattr(c, "id", "") == "region-map")[0]
    choropleths = [t for t in graph.figure.data if t.type == "choropleth" and len(t.locations)]
    assert choropleths and all(isinstance(t.geojson, str) for t in choropleths)
    drawn = {a for t in choropleths for a in t.locations}
    named = set()
    for trace in choropleths:
        assert trace.geojson.startswith(ROUTE + "?")
        answer = client.get(trace.geojson, headers={"Accept-Encoding": "identity"})
        assert answer.status_code == 200 and "immutable" in answer.headers["Cache-Control"]
        features = answer.get_json()["features"]
        named |= {f["properties"]["adcode"] for f in features}
        detail = parse_qs(urlsplit(trace.geojson).query)["detail"][0]
        expected = boundaries().feature_collection(sorted(trace.locations),
                                                   coarse=detail == "coarse")
        assert features == json.loads(json.dumps(expected["features"]))
    assert named == drawn  # Hangzhou's 13 counties, each once
    assert len(drawn) == 13


def test_the_figures_of_a_panel_keep_their_boundaries(request_context):
    """The PDF briefing draws the models' figures with kaleido: they keep the features."""
    from data.scope import EVERYTHING
    from panels import registry
    from panels.context import make_context

    model = registry.build(make_context(scope=EVERYTHING, adcode="330100"), "map")
    assert all(isinstance(t.geojson, dict) for t in model.figures["map"].data
               if t.type == "choropleth")


def test_a_wrong_boundaries_address_gets_a_chinese_message(client):
    for query in ("detail=fine&adcodes=999999", "detail=huge&adcodes=330102", "detail=fine"):
        answer = client.get(f"{ROUTE}?{query}")
        assert answer.status_code == 404 and "未知的行政区划" in answer.get_json()["error"]
