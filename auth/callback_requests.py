"""Dash's callback requests, checked before Dash reads them.

The browser posts ``/_dash-update-component`` with the callback's output, its inputs and state
(each ``{"id", "property", "value"}``) and what triggered it. Dash trusts that shape: a body
that is not a JSON object, a missing field, an output no callback has, an input the callback
does not declare or a value of a type no component could send made it fail with a 500. Here
every such request is refused with 400 and a short Chinese message, before Dash sees it:

- the body is a JSON object in UTF-8; ``output`` names a callback of the app;
- ``inputs`` and ``state`` list exactly the callback's declared ones (by id and property; a
  pattern-matching ``ALL`` is a list of ids of that pattern);
- each value has the type its property has on the components the app uses
  (:data:`PROPERTY_TYPES`): a click count is a count, a click is a dict with a list of points,
  a dropdown's value a string, number or list of them, an address a string.

What a well-formed value *means* (a region outside the viewer's scope, a problem that does not
exist, a page state that names nothing) is each callback's to check; they answer with the
notice bar (``app.callback_error``).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable

from flask import Flask, jsonify, request

DASH_CALL = "/_dash-update-component"
#: Numbers beyond this cannot come from a browser (JavaScript's safe integers).
LARGEST = 2**53
WILDCARDS = (["ALL"], ["MATCH"], ["ALLSMALLER"])


def _finite(value: object) -> bool:
    if isinstance(value, bool):
        return True
    if isinstance(value, int):
        return abs(value) <= LARGEST
    if isinstance(value, float):
        return math.isfinite(value) and abs(value) <= LARGEST
    return True


def _scalar(value: object) -> bool:
    return value is None or (isinstance(value, str | int | float | bool) and _finite(value))


def _count(value: object) -> bool:
    return value is None or (isinstance(value, int) and not isinstance(value, bool)
                             and 0 <= value <= LARGEST)


def _click(value: object) -> bool:
    if value is None:
        return True
    if not isinstance(value, dict):
        return False
    points = value.get("points", [])
    return isinstance(points, list) and all(isinstance(p, dict) for p in points)


def _choice(value: object) -> bool:
    if isinstance(value, list):
        return len(value) <= 10_000 and all(_scalar(v) and v is not None for v in value)
    return _scalar(value)


def _number(value: object) -> bool:
    return value is None or (isinstance(value, int | float) and not isinstance(value, bool)
                             and _finite(value))


def _text(value: object) -> bool:
    return value is None or isinstance(value, str)


def _path(value: object) -> bool:
    return isinstance(value, str) and value.startswith("/")


def _flag(value: object) -> bool:
    return value is None or isinstance(value, bool)


def _json(value: object) -> bool:
    """Anything JSON can hold, with numbers a browser can send."""
    if isinstance(value, dict):
        return all(_json(v) for v in value.values())
    if isinstance(value, list):
        return all(_json(v) for v in value)
    return _scalar(value)


#: The type of each property the app's callbacks read, as its components define it.
PROPERTY_TYPES: dict[str, Callable[[object], bool]] = {
    "n_clicks": _count, "n_intervals": _count, "submit_n_clicks": _count,
    "clickData": _click, "hoverData": _click,
    "value": _choice, "max": _number, "min": _number, "disabled": _flag,
    "href": _text, "pathname": _path, "search": _text, "hash": _text,
    "data": _json, "id": _json,
}


class BadCall(ValueError):
    """A callback request no page of the app could send; the message is shown as it is."""


def _declared_id(declared: str) -> str | dict:
    return json.loads(declared) if declared.startswith("{") else declared


def _matches(sent: object, declared: str | dict) -> bool:
    if isinstance(declared, str):
        return sent == declared
    if not isinstance(sent, dict) or set(sent) != set(declared):
        return False
    return all(v in WILDCARDS or sent[k] == v for k, v in declared.items())


def _check_entries(field: str, sent: object, declared: list[dict]) -> None:
    if not isinstance(sent, list) or len(sent) != len(declared):
        raise BadCall(f"回调请求的“{field}”与该回调不符。")
    for entry, spec in zip(sent, declared, strict=True):
        pattern = _declared_id(spec["id"])
        many = isinstance(pattern, dict) and any(
            v in (["ALL"], ["ALLSMALLER"]) for v in pattern.values())
        items = entry if many and isinstance(entry, list) else [entry]
        if many and not isinstance(entry, list):
            raise BadCall(f"回调请求的“{field}”与该回调不符。")
        for item in items:
            if not isinstance(item, dict) or item.get("property") != spec["property"] \
                    or not _matches(item.get("id"), pattern):
                raise BadCall(f"回调请求的“{field}”与该回调不符。")
            check = PROPERTY_TYPES.get(spec["property"], _json)
            if not check(item.get("value")):
                raise BadCall(f"“{spec['property']}”的取值类型不正确。")


def check_call(body: object, callback_map: dict) -> None:
    """Raises :class:`BadCall` for a request no page of the app could send."""
    if not isinstance(body, dict):
        raise BadCall("回调请求应为 JSON 对象。")
    output = body.get("output")
    if not isinstance(output, str) or output not in callback_map:
        raise BadCall("未知的回调。")
    spec = callback_map[output]
    _check_entries("inputs", body.get("inputs"), spec["inputs"])
    _check_entries("state", body.get("state", []), spec["state"])
    if not isinstance(body.get("outputs"), dict | list):
        raise BadCall("回调请求缺少“outputs”。")
    changed = body.get("changedPropIds", [])
    if not isinstance(changed, list) or not all(isinstance(c, str) for c in changed):
        raise BadCall("回调请求的“changedPropIds”类型不正确。")


def init_callback_check(server: Flask, callback_map: dict) -> None:
    """Check every callback request (registered after Dash's own first-request setup, which
    fills ``callback_map``)."""

    @server.before_request
    def refuse_a_bad_call():
        if request.path != DASH_CALL or request.method != "POST":
            return None
        body = request.get_json(silent=True)
        try:
            if body is None:
                raise BadCall("回调请求不是有效的 JSON（UTF-8）。")
            check_call(body, callback_map)
        except BadCall as bad:
            response = jsonify(error=f"请求格式不正确：{bad}")
            response.status_code = 400
            return response
        return None
