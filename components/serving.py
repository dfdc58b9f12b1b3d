"""How the server sends what it sends: compressed (Brotli or gzip), static files compressed
once per process and kept by the browser. The app (``app.py``) and the benchmark's floor app
(``scripts/bench_floor.py``) are served alike."""

from __future__ import annotations

from flask import Flask, request
from flask_compress import Compress

#: Responses that never change for a given URL (fingerprinted bundles and assets) are
#: compressed once per process and kept; everything else is compressed per response.
STATIC_PREFIXES = ("/_dash-component-suites/", "/assets/")


class StaticCompressionCache:
    """Flask-Compress cache backend that only keeps compressed static files."""

    def __init__(self) -> None:
        self._store: dict[str, bytes] = {}

    def get(self, key: str) -> bytes | None:
        return self._store.get(key)

    def set(self, key: str, value: bytes) -> None:
        if not key.endswith(";-"):
            self._store[key] = value


def _compression_key(req) -> str:
    return req.full_path if req.path.startswith(STATIC_PREFIXES) else "-"


def enable_compression(server: Flask) -> None:
    server.config.update(
        COMPRESS_ALGORITHM=["br", "gzip"],
        COMPRESS_BR_LEVEL=5,
        COMPRESS_CACHE_BACKEND=StaticCompressionCache,
        COMPRESS_CACHE_KEY=_compression_key,
        COMPRESS_MIMETYPES=[
            "text/html", "text/css", "text/plain", "application/javascript",
            "text/javascript", "application/json", "image/svg+xml",
        ],
    )
    server.extensions["cockpit_compress"] = Compress(server)
    # Registered after Compress, so it runs before it (Flask runs them in reverse order).
    server.after_request(keep_assets)


#: A fingerprinted asset (``?m=<mtime>``, as Dash links them) never changes under its address;
#: the others (fonts named by the CSS, the map's empty topology) are kept a day.
ASSET_CACHE = {True: "public, max-age=31536000, immutable", False: "public, max-age=86400"}


def keep_assets(response):
    """Files of ``/assets/`` are read whole before Flask-Compress sees them, so that they are
    compressed once and kept (Flask sends a file as a stream, which Flask-Compress would
    compress anew on every request), and the browser keeps them."""
    if request.path.startswith("/assets/") and response.status_code == 200:
        if response.is_streamed:
            response.direct_passthrough = False
            response.make_sequence()
        response.headers["Cache-Control"] = ASSET_CACHE["m" in request.args]
    return response
