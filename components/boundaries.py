"""Map boundaries by address: a page's maps name their boundaries by a URL that plotly.js
fetches once, instead of carrying them in every figure.

A choropleth built from :meth:`data.geo.Boundaries.feature_collection` carries its features
and the detail they were cut at. :func:`by_address` swaps them for
``/geo/boundaries.json?detail=fine&adcodes=330102,330105…``, which every worker answers with
the same features (the boundaries are read and simplified identically at each start-up). The
browser keeps the answer, and plotly.js keeps what it fetched by URL, so moving between pages
sends no boundary twice; a page build's JSON holds values only. The PDF briefing draws the
figures themselves (kaleido has no server to ask), so only the pages' graphs are swapped.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from urllib.parse import urlencode

import plotly.graph_objects as go
from flask import Flask, Response, request

from data.geo import COUNTIES_FILE, DETAIL_MEMBER, boundaries

ROUTE = "/geo/boundaries.json"
DETAILS = ("fine", "coarse")
#: Changes with the boundary file, so that a browser never keeps boundaries of another one.
VERSION = hashlib.blake2b(COUNTIES_FILE.read_bytes(), digest_size=6).hexdigest()


def address(adcodes: list[str], detail: str) -> str:
    query = urlencode({"v": VERSION, "detail": detail, "adcodes": ",".join(sorted(adcodes))})
    return f"{ROUTE}?{query}"


def by_address(figure: go.Figure) -> go.Figure:
    """``figure`` with every choropleth's boundaries named by address (a copy if any is)."""
    swapped = None
    for index, trace in enumerate(figure.data):
        geojson = getattr(trace, "geojson", None) if trace.type == "choropleth" else None
        if (not isinstance(geojson, dict) or geojson.get(DETAIL_MEMBER) not in DETAILS
                or not geojson["features"]):
            continue
        if swapped is None:
            swapped = go.Figure(figure)
        adcodes = [feature["properties"]["adcode"] for feature in geojson["features"]]
        swapped.data[index].geojson = address(adcodes, geojson[DETAIL_MEMBER])
    return swapped if swapped is not None else figure


@lru_cache(maxsize=512)
def _answer(adcodes: tuple[str, ...], detail: str) -> bytes:
    features = boundaries().feature_collection(adcodes, coarse=detail == "coarse")
    return json.dumps(features, separators=(",", ":")).encode()


def register(server: Flask) -> None:
    @server.get(ROUTE)
    def boundaries_json():
        detail = request.args.get("detail", "fine")
        adcodes = tuple(sorted(a for a in request.args.get("adcodes", "").split(",") if a))
        known = set(boundaries().counties["adcode"]) | set(boundaries().cities["adcode"])
        if detail not in DETAILS or not adcodes or not set(adcodes) <= known:
            return Response(json.dumps({"error": "未知的行政区划或边界精度。"},
                                       ensure_ascii=False),
                            status=404, mimetype="application/json")
        response = Response(_answer(adcodes, detail), mimetype="application/json")
        # The address names the boundary file's version: the answer never changes under it.
        response.headers["Cache-Control"] = "private, max-age=31536000, immutable"
        return response
