"""The briefing's figures: a panel model's own plotly figure, themed for paper and drawn by
plotly's static export (kaleido, which drives headless Chromium) as a PNG at twice the print
size, its colours then reduced to a palette (flat map fills and text lose nothing visible and the
file shrinks about fourfold). Not SVG: WeasyPrint's SVG renderer drops the colour bar's gradient
and the names' outline, Chromium's picture is the desk's exactly.

Chromium is started once per process (:func:`start`) and kept: the first figure of a process
costs about two seconds, each one after it a few tenths. Nothing is fetched from outside: the
base map topology is the app's empty one (``assets/topojson``), MathJax is off and plotly.js
is the one the plotly package ships.
"""

from __future__ import annotations

import io
import os
import threading
import warnings

import plotly.graph_objects as go

from briefing import environment
from components import theme
from config.settings import PROJECT_ROOT, get_settings

TOPOJSON = (PROJECT_ROOT / "assets" / "topojson").as_uri() + "/"
#: Width of the figures in CSS pixels (the A4 text block is 180 mm ≈ 680 px at 96 dpi; drawn
#: a little wider, then scaled, so that labels keep their proportion to the page).
WIDTH = 900

_lock = threading.Lock()
_started_in: int | None = None


class FigureError(RuntimeError):
    """A figure could not be drawn (the message says why, in Chinese)."""


def start() -> None:
    """Start Chromium for the figures of this process (once; later calls return at once)."""
    global _started_in
    if _started_in == os.getpid():
        return
    with _lock:
        if _started_in == os.getpid():
            return
        environment.require()
        browser = environment.chromium()
        settings = get_settings()
        # Chromium finds fonts through fontconfig only: name the briefing's font folder.
        os.environ["FONTCONFIG_FILE"] = str(environment.fontconfig_file(
            settings.instance_dir / "fontconfig"))
        if browser:
            os.environ["BROWSER_PATH"] = browser
        import kaleido

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            kaleido.start_sync_server(mathjax=False, silence_warnings=True)
        _started_in = os.getpid()


def png(figure: go.Figure, *, height: int, width: int = WIDTH, colours: int = 256) -> bytes:
    """``figure`` (themed for paper) as a PNG of twice ``width`` × ``height`` pixels."""
    start()
    import kaleido

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            data = kaleido.calc_fig_sync(
                theme.paper(figure).to_dict(),
                opts={"format": "png", "width": width, "height": height, "scale": 2},
                topojson=TOPOJSON)
    except Exception as error:  # noqa: BLE001 - Chromium's many ways to fail, told in words
        raise FigureError(f"绘制图表失败：{type(error).__name__}: {error}") from error
    if not isinstance(data, bytes) or not data.startswith(b"\x89PNG"):
        raise FigureError("绘制图表失败：Chromium 没有返回图像。")
    return _palette(data, colours)


def _palette(data: bytes, colours: int) -> bytes:
    """The PNG with its colours reduced to an adaptive palette."""
    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        reduced = image.convert("RGB").quantize(colors=colours,
                                                method=Image.Quantize.FASTOCTREE)
        out = io.BytesIO()
        reduced.save(out, format="PNG")
    return out.getvalue()


def stop() -> None:
    """Stop this process's Chromium (tests, benchmarks)."""
    global _started_in
    if _started_in != os.getpid():
        return
    import kaleido

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        kaleido.stop_sync_server(silence_warnings=True)
    _started_in = None

