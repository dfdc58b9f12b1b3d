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
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime

from dash import dcc, html, no_update
from dash.development.base_component import Component
from plotly.io.json import to_json_plotly

from components.frame import navigator
from config.labels import DEMO_BADGE, DEMO_BADGE_TITLE, PRODUCT_NAME

#: The id of a panel's body on the screen (its ``key`` is the panel's). A refresh changes a
#: panel in place: the figures of its charts (:data:`FIGURE`) and the blocks of text beside them
#: (:data:`TEXT`) that changed; it replaces a panel's body only when its frame changed (another
#: number of charts or blocks, another class) or when it has no chart at all.
PANEL = "screen-panel"
FIGURE = "screen-figure"
TEXT = "screen-text"
STATUS_KEY = "_status"


class ids:  # noqa: N801 - a namespace of component ids
    stage = "screen-stage"
    view = "screen-view"
    nav = "screen-nav"
    version = "screen-version"
    prints = "screen-prints"
    status = "screen-status"


def fingerprint(component: object) -> str:
    """A short digest of a drawing (or a figure, or a block's children): equal drawings, equal
    digests."""
    return hashlib.sha256(to_json_plotly(component).encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Part:
    """What a refresh may change in place: a chart's ``figure`` or a text block's ``children``,
    by the component's id, under a ``name`` unique on the screen."""

    name: str
    id: str | dict
    prop: str
    component: Component

    @property
    def value(self) -> object:
        return getattr(self.component, self.prop)


def _children(component: Component) -> list:
    kids = getattr(component, "children", None)
    if kids is None:
        return []
    return list(kids) if isinstance(kids, list | tuple) else [kids]


def _has_chart(component: object) -> bool:
    return isinstance(component, dcc.Graph) or (
        isinstance(component, Component)
        and any(_has_chart(kid) for kid in _children(component)))


def part_name(part_id: str | dict) -> str:
    """The name of a part in the fingerprints (a named chart keeps its own id)."""
    if isinstance(part_id, str):
        return part_id
    return f"{part_id['key']}/{'f' if part_id['type'] == FIGURE else 't'}{part_id['n']}"


def parts(key: str, drawing: Component, *, named: tuple[str, ...] = ()) -> list[Part]:
    """The parts of a panel's ``drawing`` a refresh updates in place, giving them ids: every
    chart (``{"type": FIGURE, "key": key, "n": i}``, or its own id if listed in ``named``) and
    every block of text beside a chart (``{"type": TEXT, …}``, the largest subtrees without a
    chart). A drawing without a chart has no parts. Calling it again gives the same ids."""
    found: list[Part] = []
    counts = {FIGURE: 0, TEXT: 0}

    def own(component: Component, kind: str) -> str | dict | None:
        current = getattr(component, "id", None)
        if current is None or (isinstance(current, dict) and current.get("type") == kind):
            current = {"type": kind, "key": key, "n": counts[kind]}
            counts[kind] += 1
            component.id = current
            return current
        return current if kind == FIGURE and current in named else None

    def visit(component: Component) -> None:
        if isinstance(component, dcc.Graph):
            part_id = own(component, FIGURE)
            if part_id is not None:
                found.append(Part(part_name(part_id), part_id, "figure", component))
            return
        for kid in _children(component):
            if not isinstance(kid, Component):
                continue
            if _has_chart(kid):
                visit(kid)
            else:
                part_id = own(kid, TEXT)
                if part_id is not None:
                    found.append(Part(part_name(part_id), part_id, "children", kid))

    if _has_chart(drawing):
        visit(drawing)
    return found


@contextmanager
def _without(found: list[Part]) -> Iterator[None]:
    """The drawing with its parts' values taken out (put back afterwards)."""
    kept = [part.value for part in found]
    for part in found:
        setattr(part.component, part.prop, None)
    try:
        yield
    finally:
        for part, value in zip(found, kept, strict=True):
            setattr(part.component, part.prop, value)


def prints_of(key: str, drawing: Component, *, named: tuple[str, ...] = ()) -> dict:
    """A panel's fingerprints: its ``frame`` (the drawing without its parts' values) and each
    part's value by name."""
    found = parts(key, drawing, named=named)
    with _without(found):
        frame = fingerprint(drawing)
    return {"frame": frame, "parts": {part.name: fingerprint(part.value) for part in found}}


@dataclass
class Update:
    """What a refresh changes: panels replaced whole (by key), parts changed in place (by
    name), the header's status (or no update), and the new fingerprints."""

    bodies: dict = field(default_factory=dict)
    parts: dict = field(default_factory=dict)
    status: object = no_update
    prints: dict = field(default_factory=dict)

    def panels(self, outputs: list[dict]) -> list:
        """The bodies for the callback's outputs ``{"type": PANEL, "key": ALL}``."""
        return [self.bodies.get(o["id"]["key"], no_update) for o in outputs]

    def parts_for(self, outputs: list[dict]) -> list:
        """The values for the callback's outputs of parts (:data:`FIGURE` or :data:`TEXT`)."""
        return [self.parts.get(part_name(o["id"]), no_update) for o in outputs]


def changes(drawn: dict, prints: dict, keys: list[str], *, named: tuple[str, ...] = ()
            ) -> Update:
    """What differs between the drawings ``drawn`` (by key, and the header's status under
    :data:`STATUS_KEY`) and the fingerprints ``prints`` of what the screen shows: a panel whose
    frame is the same changes only its parts that differ; another is replaced whole."""
    update = Update(prints=dict(prints))
    for key in keys:
        new = prints_of(key, drawn[key], named=named)
        old = prints.get(key)
        update.prints[key] = new
        if not isinstance(old, dict) or old.get("frame") != new["frame"]:
            update.bodies[key] = drawn[key]
            continue
        for part in parts(key, drawn[key], named=named):
            if old["parts"].get(part.name) != new["parts"][part.name]:
                update.parts[part.name] = part.value
    head = fingerprint(drawn[STATUS_KEY])
    if prints.get(STATUS_KEY) != head:
        update.status = drawn[STATUS_KEY]
    update.prints[STATUS_KEY] = head
    return update


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
           version: int, view: dict, prints: dict) -> html.Div:
    """The whole screen. ``drawn`` holds every panel's drawing by key (``overview`` and
    ``map`` for the centre), ``slots`` the side panels by slot, ``settings`` the browser's
    timers (seconds; 0: off), ``prints`` the drawings' fingerprints (:func:`prints_of`, and the
    header status's under :data:`STATUS_KEY`)."""
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
            navigator(ids.nav),
            dcc.Store(id=ids.version, data=version),
            dcc.Store(id=ids.prints, data=prints),
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
