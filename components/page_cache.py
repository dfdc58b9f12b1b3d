"""A page built once per data version and context, not on every request.

A region cockpit is the same for everyone who sees it with the same scope, region, indicator,
period and day, until the store changes: :func:`cached_page` keeps the page's JSON (the form
Dash sends it in, compressed) in the app's cache under the data version and that context, so
that every worker and every viewer after the first gets it without building a figure. "Now"
counts to the minute (a disaster event's moment is shown to the minute at most).
"""

from __future__ import annotations

import hashlib
import json
import logging
import zlib
from collections.abc import Callable
from dataclasses import replace

from dash.development.base_component import Component
from plotly.io.json import to_json_plotly

from data.store import cache, data_version
from panels.context import PanelContext

log = logging.getLogger(__name__)


def page_key(name: str, context: PanelContext) -> str:
    minute = replace(context, now=context.now.replace(second=0, microsecond=0))
    digest = hashlib.blake2b(repr(minute).encode(), digest_size=16).hexdigest()
    return f"page:{name}:v{data_version()}:{digest}"


def cached_page(name: str, build: Callable[[PanelContext], Component],
                context: PanelContext) -> Component | dict:
    """``build(context)``, or the JSON of the same page built earlier (plain dicts, which Dash
    sends as they are)."""
    key = page_key(name, context)
    try:
        found = cache.get(key)
    except Exception:  # a cache that is down costs speed, never an answer
        log.warning("cache unavailable; building page %s", name, exc_info=True)
        return build(context)
    if found is not None:
        return json.loads(zlib.decompress(found))
    page = build(context)
    packed = to_json_plotly(page)
    try:
        cache.set(key, zlib.compress(packed.encode(), 6))
    except Exception:
        log.warning("cache unavailable; page %s not stored", name, exc_info=True)
    return json.loads(packed)
