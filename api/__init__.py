"""HTTP endpoints beside the Dash pages: the push API (``/api/v1/<kind>``, its OpenAPI
description) and the files of the /data page (uploads, templates).

``register(server)`` adds them to the Flask server; ``app.py`` calls it.
"""

from __future__ import annotations

from flask import Flask


def register(server: Flask) -> None:
    from api import files, push

    server.json.ensure_ascii = False  # Chinese messages stay readable in every JSON answer
    files.register(server)
    push.register(server)
