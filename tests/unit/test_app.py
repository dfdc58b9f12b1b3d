"""The Dash app as a WSGI app and its page functions, on a throw-away SQLite store
(``tests/conftest.py`` points the settings at it before ``app`` is imported)."""

from __future__ import annotations

import gzip
import json
import re

import pytest
from dash import no_update

from data.reference import PROVINCE, read_indicators
from tests.layout_tools import classes, find, text_of


def test_healthz_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json()["database"] == "ok"


def test_healthz_says_when_the_database_is_down(client, database_down):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "error", "database": "unreachable",
                                   "cache": "local"}


def test_healthz_answers_within_a_second_when_the_database_hangs(cockpit, client):
    """A database that accepts connections and never answers (a listener of the test's own)
    holds neither the health check nor a page for long."""
    import socket
    import threading
    import time

    from data import health
    from data.store import EXTENSION, make_engine

    listener = socket.create_server(("127.0.0.1", 0))
    held = []
    stop = threading.Event()

    def accept_and_say_nothing():
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except TimeoutError:
                continue

    acceptor = threading.Thread(target=accept_and_say_nothing, daemon=True)
    acceptor.start()
    port = listener.getsockname()[1]
    extensions = cockpit.server.extensions
    working = extensions[EXTENSION]
    extensions[EXTENSION] = make_engine(f"postgresql+psycopg://u@127.0.0.1:{port}/none")
    try:
        for _ in range(2):  # the second finds the first probe still hanging: not doubled
            started = time.monotonic()
            response = client.get("/healthz")
            assert time.monotonic() - started < 2.5
            assert response.status_code == 503
            assert response.get_json() == {"status": "error", "database": "no_answer"}
        assert len(held) == 1
        # Connecting gives up by itself (after 3 s): the store counts as unreachable.
        assert health._running.result(timeout=10)["database"] == "unreachable"
    finally:
        extensions[EXTENSION] = working
        stop.set()
        acceptor.join(timeout=5)
        for conn in held:
            conn.close()
        listener.close()
    assert client.get("/healthz").status_code == 200  # back by itself


def test_province_page_has_kpi_cards_map_ranking_and_trend(request_context):
    from pages.region import page as region

    page = region.layout()
    assert "region-page" in classes(page)
    cards = find(page, lambda c: "kpi-card" in classes(c))
    assert len(cards) == len(read_indicators())
    groups = find(page, lambda c: "system-group" in classes(c))
    assert [g.children[0].children[0] for g in groups][:2] == [
        "一体化智能化公共数据平台", "党建统领整体智治"]
    graphs = {c.id: c for c in find(page, lambda c: type(c).__name__ == "Graph")}
    assert set(graphs) == {"region-map", "region-ranking", "region-trend", "region-risk-map"}
    locations = graphs["region-map"].figure.data[0].locations
    assert len(locations) == 11
    assert graphs["region-map"].config["topojsonURL"].endswith("/assets/topojson/")


def test_kpi_tooltips_tell_the_story_of_the_figure(request_context):
    from pages.region import page as region

    page = region.layout(adcode="330100", indicator="DG_ZLB_DAU", period="2026-10")
    card = next(c for c in find(page, lambda c: "kpi-card" in classes(c))
                if "日活跃用户数" in text_of(c))
    for fragment in ("当前值", "年度目标", "完成率", "序时进度", "亮灯规则", "责任单位",
                     "省大数据发展管理局", "更新时间：2026-11-10"):
        assert fragment in card.title
    assert "is-selected" in classes(card)
    assert card.href == "/region/330100?indicator=DG_ZLB_DAU&period=2026-10"


def test_breadcrumbs_lead_back_up_keeping_the_view(request_context):
    from pages.region import page as region

    page = region.layout(adcode="330106", indicator="DE_TOTAL", period="2025-03")
    crumbs = find(page, lambda c: "breadcrumb" in classes(c))[0]
    links = [(text_of(c), c.href) for c in find(crumbs, lambda c: "crumb-link" in classes(c))]
    assert links == [("浙江省", "/?indicator=DE_TOTAL&period=2025-03"),
                     ("杭州市", "/region/330100?indicator=DE_TOTAL&period=2025-03")]
    current = find(crumbs, lambda c: "crumb-current" in classes(c))[0]
    assert text_of(current) == "西湖区"


@pytest.mark.parametrize(
    ("params", "fragment"),
    [
        ({"adcode": "999999"}, "未找到行政区划代码为“999999”"),
        ({"adcode": "<script>"}, "未找到行政区划代码"),
        ({"adcode": PROVINCE, "indicator": "NOPE"}, "未找到编码为“NOPE”的指标"),
        ({"adcode": PROVINCE, "period": "2026-13"}, "格式不正确"),
        ({"adcode": PROVINCE, "period": "26-1"}, "格式不正确"),
        ({"adcode": PROVINCE, "period": "2019-01"}, "可选范围为 2020-12 至 2026-10"),
    ],
)
def test_a_wrong_address_gets_a_message_and_a_way_home(request_context, params, fragment):
    from pages.region import page as region

    page = region.layout(**params)
    assert "message-page" in classes(page)
    assert fragment in text_of(page)
    home = find(page, lambda c: getattr(c, "href", None) == "/")
    assert home and text_of(home[0]) == "返回全省驾驶舱"


def test_a_database_that_is_down_gets_a_message_not_a_traceback(cockpit, database_down):
    from pages.region import page as region

    with cockpit.server.test_request_context("/"):
        page = region.layout(adcode=PROVINCE)
        assert "暂时无法连接数据库" in text_of(page)
        shell = cockpit.shell_layout()
        assert find(shell, lambda c: "store-down" in classes(c))


def test_the_header_marks_demo_data_and_its_freshness(cockpit, request_context):
    shell = cockpit.shell_layout()
    badge = find(shell, lambda c: "demo-badge" in classes(c))
    assert badge and text_of(badge[0]) == "演示数据"
    fresh = find(shell, lambda c: "freshness" in classes(c))
    assert text_of(fresh[0]) == "数据更新于 2026-11-10 09:30"


def test_clicks_and_choices_become_urls():
    from pages.region.page import ids, next_href

    view = {"adcode": PROVINCE, "indicator": "DG_ONE_NET", "period": "2026-10"}
    city_click = {"points": [{"location": "330100", "customdata": ["330100"]}]}
    assert next_href(ids.map, map_click=city_click, ranking_click=None, period="2026-10",
                     indicator="DG_ONE_NET", view=view) == (
        "/region/330100?indicator=DG_ONE_NET&period=2026-10")
    label_click = {"points": [{"customdata": ["330200"]}]}
    assert next_href(ids.ranking, map_click=None, ranking_click=label_click, period="2026-10",
                     indicator="DG_ONE_NET", view=view).startswith("/region/330200?")
    assert next_href(ids.period, map_click=None, ranking_click=None, period="2025-01",
                     indicator="DG_ONE_NET", view=view) == "/?indicator=DG_ONE_NET&period=2025-01"
    assert next_href(ids.indicator, map_click=None, ranking_click=None, period="2026-10",
                     indicator="DG_ONE_NET", view=view) is no_update


def test_the_map_payload_stays_small(request_context):
    """The figure JSON of a region page's map (boundaries included)."""
    from pages.region import page as region

    for adcode, limit in ((PROVINCE, 160_000), ("330100", 120_000), ("330106", 120_000)):
        page = region.layout(adcode=adcode)
        graph = find(page, lambda c: getattr(c, "id", None) == "region-map")[0]
        assert len(graph.figure.to_json()) < limit, adcode


def test_the_page_shell_is_chinese_and_loads_nothing_from_other_hosts(client):
    html = client.get("/").get_data(as_text=True)
    assert '<html lang="zh-CN">' in html
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources, "the index page should load scripts and styles"
    assert all(s.startswith("/") for s in sources), sources


def test_bundles_are_served_compressed_and_compressed_once(cockpit, client):
    plotly_js = "/assets/plotly-cockpit.min.js"  # the app's own plotly.js (scripts/plotly_bundle)
    raw = client.get(plotly_js, headers={"Accept-Encoding": "identity"})
    packed = client.get(plotly_js, headers={"Accept-Encoding": "br, gzip"})
    assert packed.headers["Content-Encoding"] == "br"
    assert len(packed.get_data()) < len(raw.get_data()) * 0.35
    layout = client.get("/_dash-layout", headers={"Accept-Encoding": "gzip"})
    assert layout.headers["Content-Encoding"] == "gzip"
    assert json.loads(gzip.decompress(layout.get_data()))
    kept = cockpit.server.extensions["cockpit_compress"].cache._store
    assert f"br;{plotly_js}?" in kept
    assert not any("_dash-layout" in key for key in kept)  # dynamic answers are never kept
    # The browser keeps a fingerprinted asset (Dash links them with ?m=<mtime>) for good.
    fingerprinted = client.get(plotly_js + "?m=1", headers={"Accept-Encoding": "br"})
    assert "immutable" in fingerprinted.headers["Cache-Control"]
    assert fingerprinted.get_data() == packed.get_data()


def test_a_callback_that_meets_a_store_down_says_so_in_the_notice_bar(client, monkeypatch):
    """One message style: the control leaves the page as it is and the notice bar says why,
    in the words of a page that cannot load (not a traceback, not a silent failure)."""
    from config.labels import ERRORS
    from data.store import StoreUnavailable
    from pages.tasks import page as tasks

    def down(*_args, **_kwargs):
        raise StoreUnavailable("no database")

    monkeypatch.setattr(tasks, "export_download", down)
    view = {"group": None, "system": None, "department": None, "region": None,
            "status": None, "due_within": None}
    response = client.post("/_dash-update-component", json={
        "output": "tasks-download.data",
        "outputs": {"id": "tasks-download", "property": "data"},
        "inputs": [{"id": "tasks-export-xlsx", "property": "n_clicks", "value": 1},
                   {"id": "tasks-export-csv", "property": "n_clicks", "value": None}],
        "changedPropIds": ["tasks-export-xlsx.n_clicks"],
        "state": [{"id": "tasks-view", "property": "data", "value": view}],
    })
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    answer = response.get_json()
    assert "tasks-download" not in answer.get("response", {})
    assert answer["sideUpdate"]["app-notice-text"]["children"] == ERRORS["store_down"]
    assert answer["sideUpdate"]["app-notice"]["hidden"] is False


def test_a_bug_in_a_callback_is_not_hidden(client, monkeypatch):
    from pages.tasks import page as tasks

    def broken(*_args, **_kwargs):
        raise KeyError("a bug")

    monkeypatch.setattr(tasks, "export_download", broken)
    response = client.post("/_dash-update-component", json={
        "output": "tasks-download.data",
        "outputs": {"id": "tasks-download", "property": "data"},
        "inputs": [{"id": "tasks-export-xlsx", "property": "n_clicks", "value": 1},
                   {"id": "tasks-export-csv", "property": "n_clicks", "value": None}],
        "changedPropIds": ["tasks-export-xlsx.n_clicks"],
        "state": [{"id": "tasks-view", "property": "data", "value": {}}],
    })
    assert response.status_code == 500
