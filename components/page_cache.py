"""A page built once per data version and context, not on every request.

A region cockpit is the same for everyone who sees it with the same scope, region, indicator,
period and day, until the store changes: :func:`cached_page` keeps the page's JSON (the form
Dash sends it in, compressed) in the app's cache under the data version and that context, so
that every worker and every viewer after the first gets it without building a figure. "Now"
counts in steps of :data:`NOW_STEP` minutes: only the moment a disaster event is shown at
depends on it, and assessments come hours apart.
"""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

import orjson
from dash.development.base_component import Component
from plotly.io.json import to_json_plotly

from data.scope import Scope
from data.store import cache_get, cache_set, data_version
from panels.context import PanelContext

#: Minutes within which "now" is the same for a kept page.
NOW_STEP = 10


def now_step(now: datetime) -> datetime:
    """``now`` to the :data:`NOW_STEP` minutes: the moment of a kept page."""
    return now.replace(minute=now.minute - now.minute % NOW_STEP, second=0, microsecond=0)


def page_key(name: str, context: PanelContext) -> str:
    digest = hashlib.blake2b(repr(replace(context, now=now_step(context.now))).encode(),
                             digest_size=16)
    digest = digest.hexdigest()
    return f"page:{name}:v{data_version()}:{digest}"


def cached_page(name: str, build: Callable[[PanelContext], Component],
                context: PanelContext) -> Component | dict:
    """``build(context)``, or the JSON of the same page built earlier (plain dicts, which Dash
    sends as they are)."""
    key = page_key(name, context)
    found = cache_get(key)  # None also while the cache is down: the page is built
    if found is not None:
        return orjson.loads(zlib.decompress(found))
    page = build(context)
    packed = to_json_plotly(page)
    cache_set(key, zlib.compress(packed.encode(), 6))
    return orjson.loads(packed)


def address_key(name: str, address: dict, scope: Scope, now: datetime) -> str:
    """What a page's context is made of, before it is made: the address as requested, the
    viewer's scope, the data version (which covers a pinned "today") and the calendar's moment
    in steps of :data:`NOW_STEP` minutes."""
    words = repr((sorted(address.items()), scope, now_step(now)))
    digest = hashlib.blake2b(words.encode(), digest_size=16).hexdigest()
    return f"page-at:{name}:v{data_version()}:{digest}"


def cached_address_page(name: str, page: Callable[[], Component | dict], *, address: dict,
                        scope: Scope, now: datetime) -> Component | dict:
    """``page()`` (which checks the address and makes the context), or what it gave for the
    same address, viewer, data version and moment before, without making the context again
    (5 of the ~12 ms a kept city page cost a request). An address refused (a region that
    does not exist or is outside the viewer's scope) raises in ``page()`` and is never kept,
    so every refusal is still checked and written to the audit log. While the cache is down
    the page is built (:func:`data.store.cache_get` logs that once)."""
    key = address_key(name, address, scope, now)
    found = cache_get(key)
    if found is not None:
        return orjson.loads(zlib.decompress(found))
    built = page()
    packed = to_json_plotly(built).encode()
    cache_set(key, zlib.compress(packed, 6))
    return orjson.loads(packed)
