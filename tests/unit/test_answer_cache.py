"""A kept page's whole answer sent again as it was (components/answer_cache.py): the same
request of a viewer of the same role and scope gets the same bytes without the page being
made; a refusal, a message, another viewer, a write to the store or a page not registered
``kept=True`` is never answered from it."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

import brotli
import pytest

from data.store import cache, write_transaction
from tests.auth_tools import an_administrator, signed_in_client

ROUTER = {"output": ".._pages_content.children..._pages_store.data..",
          "outputs": [{"id": "_pages_content", "property": "children"},
                      {"id": "_pages_store", "property": "data"}],
          "changedPropIds": ["_pages_location.pathname"], "state": []}


def route(client, address: str, encoding: str | None = "gzip, deflate, br"):
    """The pages' router called for ``address`` as the browser calls it."""
    parts = urlsplit(address)
    body = {**ROUTER, "inputs": [
        {"id": "_pages_location", "property": "pathname", "value": parts.path},
        {"id": "_pages_location", "property": "search",
         "value": f"?{parts.query}" if parts.query else ""}]}
    headers = {"Accept-Encoding": encoding} if encoding else {}
    return client.post("/_dash-update-component", json=body, headers=headers)


def page_text(response) -> str:
    """The answer as text, whatever it was sent in."""
    data = response.get_data()
    if response.headers.get("Content-Encoding") == "br":
        data = brotli.decompress(data)
    elif response.headers.get("Content-Encoding") == "gzip":
        import gzip

        data = gzip.decompress(data)
    return json.dumps(json.loads(data), ensure_ascii=False)


@pytest.fixture(autouse=True)
def one_moment(monkeypatch):
    """Every request of a test at one moment of the pinned day: a kept answer lasts 10 minutes
    (the time of day is part of its key), and a test must not depend on when it runs."""
    from datetime import datetime, time

    from data import clock

    pinned_today = clock.today
    monkeypatch.setattr(clock, "now", lambda *, scope: datetime.combine(
        pinned_today(scope=scope), time(9, 31)))


def forget_answers(cockpit) -> None:
    """Empties the cockpit's own cache (outside its app context, flask-caching would empty the
    cache of whichever app a test set up last)."""
    with cockpit.server.app_context():
        cache.clear()


class Counting:
    """The page's own layout function, counted: how often the page was really made."""

    def __init__(self, monkeypatch, module, name: str) -> None:
        self.calls = 0
        original = getattr(module, name)

        def counted(*args, **kwargs):
            self.calls += 1
            return original(*args, **kwargs)

        monkeypatch.setattr(module, name, counted)


@pytest.fixture
def region_made(cockpit, monkeypatch):
    from pages.region import page as region

    forget_answers(cockpit)
    return Counting(monkeypatch, region, "served_layout")


def test_the_same_request_gets_the_same_bytes_without_making_the_page(client, region_made):
    first = route(client, "/region/330100")
    again = route(client, "/region/330100")
    assert first.status_code == again.status_code == 200
    assert first.headers["Content-Encoding"] == again.headers["Content-Encoding"] == "br"
    assert first.get_data() == again.get_data()
    assert region_made.calls == 1
    assert "杭州市" in page_text(again)
    gzipped = route(client, "/region/330100", encoding="gzip")  # kept in both encodings
    assert gzipped.headers["Content-Encoding"] == "gzip"
    assert page_text(gzipped) == page_text(again) and region_made.calls == 1


def test_another_address_is_made_anew(client, region_made):
    route(client, "/region/330100")
    route(client, "/region/330200")
    route(client, "/region/330100?period=2026-08")
    assert region_made.calls == 3


def test_a_write_to_the_store_makes_it_anew(cockpit, client, region_made):
    route(client, "/region/330100")
    with cockpit.server.app_context(), write_transaction():
        pass
    route(client, "/region/330100")
    assert region_made.calls == 2


def test_a_refused_address_is_never_kept(cockpit, region_made):
    xihu = signed_in_client(cockpit.server, "xihu")  # 西湖区: 宁波市 is outside its scope
    for _ in range(2):
        answer = route(xihu, "/region/330200")
        assert answer.status_code == 200 and "message-page" in page_text(answer)
    answer = route(xihu, "/region/999999")
    assert "message-page" in page_text(answer)
    assert region_made.calls == 3


def test_viewers_of_another_scope_or_role_never_get_it(cockpit, client):
    forget_answers(cockpit)
    leader = page_text(route(client, "/problems"))
    xihu = page_text(route(signed_in_client(cockpit.server, "xihu"), "/problems"))
    assert leader != xihu and "西湖区" in xihu
    admin = signed_in_client(cockpit.server, *an_administrator(cockpit.server))
    for_admin = page_text(route(admin, "/rankings"))
    for_leader = page_text(route(client, "/rankings"))
    assert "调整权重" in for_admin and "调整权重" not in for_leader
    assert "调整权重" in page_text(route(admin, "/rankings"))


def test_pages_not_registered_as_kept_are_made_every_time(cockpit, client, monkeypatch):
    from pages import briefings

    forget_answers(cockpit)
    made = Counting(monkeypatch, briefings, "layout")
    import dash

    page = next(p for p in dash.page_registry.values() if p["path"] == "/briefings")
    monkeypatch.setitem(page, "layout", briefings.layout)
    for _ in range(2):
        assert route(client, "/briefings").status_code == 200
    assert made.calls == 2


def test_a_browser_that_takes_no_compression_gets_the_page_made(client, region_made):
    for _ in range(2):
        answer = route(client, "/region/330100", encoding=None)
        assert "Content-Encoding" not in answer.headers and "杭州市" in page_text(answer)
    assert region_made.calls == 2


def test_requests_missing_at_the_same_moment_wait_for_one_build(cockpit, monkeypatch):
    """Four viewers open the same city at once: the page is made once, and all four get it."""
    import threading
    import time

    from pages.region import page as region

    forget_answers(cockpit)
    made = Counting(monkeypatch, region, "served_layout")
    counted = region.served_layout

    def slow(*args, **kwargs):  # long enough for the others to arrive meanwhile
        time.sleep(0.5)
        return counted(*args, **kwargs)

    monkeypatch.setattr(region, "served_layout", slow)
    clients = [signed_in_client(cockpit.server, "leader") for _ in range(4)]
    answers: list = [None] * 4
    start = threading.Barrier(4)

    def open_city(index: int) -> None:
        start.wait()
        answers[index] = route(clients[index], "/region/330300")

    threads = [threading.Thread(target=open_city, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert all(a is not None and a.status_code == 200 for a in answers)
    assert len({page_text(a) for a in answers}) == 1 and "温州市" in page_text(answers[0])
    assert made.calls == 1
