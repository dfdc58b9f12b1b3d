"""A page's answer kept and sent again as it was sent: the pages' router's whole answer,
compressed once.

A page registered with ``kept=True`` (``dash.register_page(..., kept=True)``) shows the same
for every viewer with the same role and scope, at the same address, data version and moment:
it depends on nothing else (no user's name, no form signed by the viewer, nothing written
without bumping the data version). Its router answer — the page's layout and title as Dash
sends them — is kept here, compressed with Brotli and with gzip, under what the request asks
for (the router's inputs: the address's path and query), the viewer's role and scope, the data
version and the moment in steps of :data:`components.page_cache.NOW_STEP` minutes; the same
request finds it and gets it as it is, without Dash (a warm drill-down cost ~6 ms a call, 20×
a no-op callback at 8 clients: reading the kept page back, writing ~170 kB of JSON and
compressing it anew each time).

Requests that miss the same key at the same time in one process wait for the first to make
the page (one build, not one per request: eight clients opening a city at the same moment cost
eight builds before), unless the cache is down, when each makes its own.

An answer that is a message instead of its page (an address refused or naming nothing, the
store down: :data:`components.frame.MESSAGE_SHOWN`) is never kept, so every refusal is still
checked and logged. Every check before a callback (sign-in, same origin, a well-formed call)
runs first: :func:`install` registers the look-up after them. While the cache is down nothing
is found and nothing kept.
"""

from __future__ import annotations

import hashlib
import threading
import zlib

import brotli
from dash._pages import _path_to_page
from flask import Flask, Response, g, request

from components.frame import MESSAGE_SHOWN
from components.page_cache import now_step
from data import clock
from data.scope import viewer_scope
from data.store import StoreUnavailable, cache_get, cache_guard, cache_set, data_version

CALLBACK_PATH = "/_dash-update-component"
#: The pages' router callback of Dash (``dash.page_container``): its outputs as Dash names them.
ROUTER_OUTPUT = ".._pages_content.children..._pages_store.data.."
#: Brotli's quality for a kept answer: compressed once, sent many times.
BROTLI_QUALITY = 9
KEY = "cockpit_answer_key"
LOCK = "cockpit_answer_lock"
#: Seconds a request waits for another making the same page before it makes it itself.
WAIT_FOR_BUILD = 15

_building: dict[str, threading.Lock] = {}
_building_guard = threading.Lock()


def _kept_page_inputs() -> tuple | None:
    """The router's inputs of this request if it asks for a page registered ``kept=True``."""
    if request.method != "POST" or request.path != CALLBACK_PATH:
        return None
    body = request.get_json(silent=True)  # Flask keeps the parsed body for Dash
    if not isinstance(body, dict) or body.get("output") != ROUTER_OUTPUT:
        return None
    inputs = body.get("inputs")
    if not isinstance(inputs, list) or not all(isinstance(i, dict) for i in inputs):
        return None
    pathname = next((i.get("value") for i in inputs if i.get("property") == "pathname"), None)
    if not isinstance(pathname, str) or not _path_to_page(pathname.strip("/"))[0].get("kept"):
        return None
    return tuple((i.get("id"), i.get("property"), repr(i.get("value"))) for i in inputs)


def answer_key(inputs: tuple) -> str:
    from flask_login import current_user

    scope = viewer_scope()
    role = getattr(current_user, "role", None)
    words = repr((inputs, role, scope, now_step(clock.now(scope=scope))))
    digest = hashlib.blake2b(words.encode(), digest_size=16).hexdigest()
    return f"answer:v{data_version()}:{digest}"


def _encoding() -> str | None:
    """``br`` or ``gzip``, whichever the browser takes (Brotli first), or ``None``."""
    offered = {}
    for part in request.headers.get("Accept-Encoding", "").lower().split(","):
        name, *params = (p.strip() for p in part.split(";"))
        offered[name] = not any(p.replace(" ", "") in ("q=0", "q=0.0") for p in params)
    return next((name for name in ("br", "gzip") if offered.get(name)), None)


def _send(response: Response, packed: tuple[bytes, bytes], encoding: str) -> Response:
    response.set_data(packed[0] if encoding == "br" else packed[1])
    response.headers["Content-Encoding"] = encoding
    response.headers["Vary"] = "Accept-Encoding"
    return response


def kept_answer() -> Response | None:
    """``before_request``: the kept answer to this request, if there is one."""
    inputs = _kept_page_inputs()
    encoding = _encoding() if inputs is not None else None
    if encoding is None:
        return None
    try:
        key = answer_key(inputs)
    except StoreUnavailable:  # the page's own path says so, in its words
        return None
    setattr(g, KEY, key)
    found = cache_get(key)
    if found is None and cache_guard().available():
        found = _after_the_build_under_way(key)
    if found is None:
        return None
    return _send(Response(mimetype="application/json"), found, encoding)


def _after_the_build_under_way(key: str) -> tuple[bytes, bytes] | None:
    """Waits for a request of this process making the same answer, and returns what it kept;
    ``None`` when this request is the one to make it (it holds the key's lock until it ends)."""
    with _building_guard:
        lock = _building.setdefault(key, threading.Lock())
    if not lock.acquire(timeout=WAIT_FOR_BUILD):
        return None
    found = cache_get(key)
    if found is not None:
        lock.release()
        return found
    setattr(g, LOCK, (key, lock))
    return None


def release_build(_error: BaseException | None = None) -> None:
    """``teardown_request``: the answer is kept (or not) by now; the requests waiting go on."""
    held = g.pop(LOCK, None)
    if held is not None:
        key, lock = held
        with _building_guard:
            if _building.get(key) is lock:
                del _building[key]
        lock.release()


def keep_answer(response: Response) -> Response:
    """``after_request``, before compression: keeps the answer of a kept page, and sends it
    compressed (Flask-Compress leaves a response that is)."""
    key = g.get(KEY)
    if (key is None or g.get(MESSAGE_SHOWN) or response.status_code != 200
            or response.mimetype != "application/json"
            or "Content-Encoding" in response.headers or response.is_streamed):
        return response
    body = response.get_data()
    packed = (brotli.compress(body, quality=BROTLI_QUALITY), _gzip(body))
    cache_set(key, packed)
    return _send(response, packed, _encoding())


def _gzip(body: bytes) -> bytes:
    packer = zlib.compressobj(6, zlib.DEFLATED, 31)  # 31: with a gzip header and trailer
    return packer.compress(body) + packer.flush()


def install(server: Flask) -> None:
    """Registered after every other hook: the look-up runs after the checks before a request,
    and the keeping before Flask-Compress (Flask runs ``after_request`` in reverse order)."""
    server.before_request(kept_answer)
    server.after_request(keep_answer)
    server.teardown_request(release_build)
