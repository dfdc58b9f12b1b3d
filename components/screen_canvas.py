"""The large screen's canvas: a 1920×1080 stage scaled as a whole to any display.

The layout (see the design's sketch): a header with the title, the region's breadcrumb, the
period, the data's freshness, 演示数据 and a clock; the headline figures and the map in the
centre; two side slots left and right, each rotating through the panels dealt to it. The
browser part (scaling, rotation, refresh, idle return, taps, the connection banner) is
``assets/70-screen.js``, driven by the stage's ``data-*`` settings.
"""

from __future__ import annotations

import hashlib
import uuid
from datetime import datetime

from dash import dcc, html
from dash.development.base_component import Component
from plotly.io.json import to_json_plotly

from config.labels import DEMO_BADGE, DEMO_BADGE_TITLE, PRODUCT_NAME

#: The id of a panel's body on the screen (its ``key`` is the panel's); the refresh callback
#: replaces only the bodies whose drawing changed.
PANEL = "screen-panel"
STATUS_KEY = "_status"


class ids:  # noqa: N801 - a namespace of component ids
    stage = "screen-stage"
    view = "screen-view"
    version = "screen-version"
    prints = "screen-prints"
    status = "screen-status"


def fingerprint(component: Component) -> str:
    """A short digest of a drawing: equal drawings, equal digests."""
    return hashlib.sha256(to_json_plotly(component).encode()).hexdigest()[:16]


def status(*, period_words: str, updated_at: datetime | None, demo: bool,
           demo_topics: list[str]) -> html.Div:
    """The header's right-hand words: what period, how fresh, and 演示数据."""
    parts: list = [html.Span(period_words, className="sh-period")]
    if updated_at is not None:
        parts.append(html.Span(f"数据更新于 {updated_at:%Y-%m-%d %H:%M}", className="sh-fresh"))
    if demo:
        title = DEMO_BADGE_TITLE + (f"仍为演示数据的内容：{'、'.join(demo_topics)}。"
                                    if demo_topics else "")
        parts.append(html.Span(DEMO_BADGE, className="sh-demo", title=title))
    return html.Div(parts, className="sh-status")


def panel_body(key: str, drawn: Component) -> html.Div:
    return html.Div(drawn, id={"type": PANEL, "key": key}, className="screen-panel-body")


def slot(name: str, keys: list[str], drawn: dict[str, Component]) -> html.Div:
    """A side slot holding its panels on top of each other; the first is shown, and the
    rotation shows the others in turn."""
    frames = [html.Div(panel_body(key, drawn[key]), className="screen-frame"
                       + (" is-current" if i == 0 else ""), **{"data-panel": key})
              for i, key in enumerate(keys)]
    return html.Div(frames, className="screen-slot", **{"data-slot": name,
                                                        "data-count": str(len(keys))})


def canvas(*, crumbs: list[tuple[str, str | None]], header_status: Component,
           drawn: dict[str, Component], slots: dict[str, list[str]], settings: dict,
           version: int, view: dict) -> html.Div:
    """The whole screen. ``drawn`` holds every panel's drawing by key (``overview`` and
    ``map`` for the centre), ``slots`` the side panels by slot, ``settings`` the browser's
    timers (seconds; 0: off)."""
    trail: list = []
    for i, (name, href) in enumerate(crumbs):
        if i:
            trail.append(html.Span("›", className="crumb-sep", **{"aria-hidden": "true"}))
        trail.append(dcc.Link(name, href=href, className="crumb-link") if href
                     else html.Span(name, className="crumb-current"))
    header = html.Header([
        html.Div([html.H1(PRODUCT_NAME, className="sh-title"),
                  html.Nav(trail, className="sh-crumbs", **{"aria-label": "地区层级"})],
                 className="sh-left"),
        html.Div(header_status, id=ids.status, className="sh-status-box"),
        html.Div([html.Span(className="sh-rotation", **{"aria-live": "polite"}),
                  html.Time(className="sh-clock")], className="sh-right"),
    ], className="screen-header")

    def side(names: tuple[str, str]) -> list:
        return [slot(name, slots[name], drawn) for name in names if slots[name]]

    return html.Div(
        [
            dcc.Store(id=ids.view, data=view),
            dcc.Store(id=ids.version, data=version),
            dcc.Store(id=ids.prints, data={**{key: fingerprint(c) for key, c in drawn.items()},
                                           STATUS_KEY: fingerprint(header_status)}),
            html.Div([
                header,
                html.Div("连接中断，正在重试", className="screen-banner", role="status",
                         hidden=True),
                html.Div(side(("left-top", "left-bottom")), className="screen-side is-left"),
                html.Div([panel_body(key, drawn[key]) for key in ("overview", "map")
                          if key in drawn], className="screen-centre"),
                html.Div(side(("right-top", "right-bottom")), className="screen-side is-right"),
            ], className="screen-canvas"),
        ],
        id=ids.stage, className="screen-stage",
        **{f"data-{name}": f"{value:g}" for name, value in settings.items()},
        # A new view (a drill is a new page, whose stage React may build in the old one's
        # place) is told by its own token.
        **{"data-version": str(version), "data-view": uuid.uuid4().hex[:12]},
    )
