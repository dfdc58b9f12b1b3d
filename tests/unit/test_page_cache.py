"""A page kept by its address (components/page_cache.py): found again without making its
context, never kept when refused, made anew when the data or the viewer changes."""

from __future__ import annotations

from datetime import datetime

import pytest
from dash import html

from components.page_cache import cached_address_page
from data.scope import EVERYTHING, Scope
from panels.addresses import BadAddress

AT = datetime(2026, 11, 22, 9, 31)


class Builder:
    def __init__(self, refuse: bool = False) -> None:
        self.calls = 0
        self.refuse = refuse

    def __call__(self):
        self.calls += 1
        if self.refuse:
            raise BadAddress("地区不存在")
        return html.Div(f"第{self.calls}次", id="kept")


def test_the_same_address_is_found_without_building(request_context):
    build = Builder()
    address = {"adcode": "330100", "indicator": None, "period": None}
    first = cached_address_page("t1", build, address=address, scope=EVERYTHING, now=AT)
    again = cached_address_page("t1", build, address=address, scope=EVERYTHING,
                                now=AT.replace(minute=38))
    assert build.calls == 1
    assert first == again and again["props"]["children"] == "第1次"


def test_another_viewer_address_or_moment_is_built_anew(request_context):
    build = Builder()
    address = {"adcode": "330100", "indicator": None, "period": None}
    cached_address_page("t2", build, address=address, scope=EVERYTHING, now=AT)
    cached_address_page("t2", build, address=address, scope=Scope(regions=("330100",)), now=AT)
    cached_address_page("t2", build, address={**address, "period": "2026-09"},
                        scope=EVERYTHING, now=AT)
    cached_address_page("t2", build, address=address, scope=EVERYTHING,
                        now=AT.replace(minute=41))
    assert build.calls == 4


def test_a_write_to_the_store_builds_it_anew(request_context):
    from data.store import write_transaction

    build = Builder()
    address = {"adcode": "330100", "indicator": None, "period": None}
    cached_address_page("t3", build, address=address, scope=EVERYTHING, now=AT)
    with write_transaction():
        pass
    from flask import g

    g.pop("cockpit_versions", None)  # the versions are read once per request
    cached_address_page("t3", build, address=address, scope=EVERYTHING, now=AT)
    assert build.calls == 2


def test_a_refused_address_is_never_kept(request_context):
    build = Builder(refuse=True)
    address = {"adcode": "999999", "indicator": None, "period": None}
    for _ in range(2):
        with pytest.raises(BadAddress):
            cached_address_page("t4", build, address=address, scope=EVERYTHING, now=AT)
    assert build.calls == 2
