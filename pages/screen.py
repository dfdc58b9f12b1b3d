"""The large screen (一屏掌控): ``/screen`` (the viewer's own region) and ``/screen/<adcode>``.

The panels of the registry's SCREEN surface, drawn by :mod:`components.surfaces.screen` on a
1920×1080 canvas (:mod:`components.screen_canvas`). Settings are URL parameters
(:mod:`panels.screen`): ``rotate``, ``refresh``, ``reload``, ``idle``, ``panels``,
``indicator``, ``period``.

Refreshing: the browser asks ``/data-version`` (a few bytes) every ``refresh`` seconds; when the
store's version changed it sets :attr:`ids.version`, and :func:`refresh` rebuilds the models and
sends back only the panels whose drawing changed. A click (or a tap) on the map drills down to
the region's screen, keeping the settings.
"""

from __future__ import annotations

import dash
from dash import ALL, Input, Output, State, callback, ctx, html, no_update

from components import charts
from components.frame import page_or_message
from components.screen_canvas import PANEL, STATUS_KEY, canvas, fingerprint, ids, status
from components.surfaces import screen as surface
from config.labels import PRODUCT_NAME
from data import queries
from data.store import data_version
from panels import registry
from panels.addresses import STALE_STATE, BadAddress, screen_href, state_dict
from panels.context import PanelContext, from_address
from panels.screen import CENTRE, ScreenSettings, screen_settings, side_panels

dash.register_page(__name__, path="/screen", path_template="/screen/<adcode>",
                   title=f"大屏 · {PRODUCT_NAME}", name="大屏", order=90)


def layout(adcode: str | None = None, **params: object) -> html.Div:
    return page_or_message(lambda: screen_view(adcode, screen_settings(params)))


def context_of(adcode: str | None, settings: ScreenSettings) -> PanelContext:
    return from_address(adcode=adcode, indicator=settings.indicator, period=settings.period)


def draw(context: PanelContext, keys: list[str] | None = None) -> dict:
    """Every panel's drawing by key (the centre's, then the side's), and the header's status."""
    with registry.built_once():
        wanted = keys if keys is not None else registry.keys(registry.SCREEN)
        models = registry.build_all(context, only=wanted)
    drawn = {key: surface.render(model) for key, model in models.items()}
    info = queries.dataset_status(scope=context.scope)
    drawn[STATUS_KEY] = status(
        period_words=f"{context.period_words}指标 · {context.as_of_words}",
        updated_at=info["updated_at"], demo=info["demo"], demo_topics=info["demo_topics"])
    return drawn


def screen_view(adcode: str | None, settings: ScreenSettings) -> html.Div:
    context = context_of(adcode, settings)
    drawn = draw(context)
    available = [key for key in drawn if key not in CENTRE and key != STATUS_KEY]
    slots = side_panels(available, settings)
    query = settings.query()
    crumbs = [(name, screen_href(a, query) if visible else None)
              for a, name, visible in context.path()]
    crumbs[-1] = (context.region_name, None)
    shown = [*CENTRE, *(k for keys in slots.values() for k in keys)]
    view = {"adcode": context.adcode, "indicator": settings.indicator,
            "period": settings.period, "query": query, "keys": shown}
    return canvas(
        crumbs=crumbs, header_status=drawn.pop(STATUS_KEY),
        drawn={k: v for k, v in drawn.items() if k in shown}, slots=slots,
        settings={"rotate": settings.rotate, "refresh": settings.refresh,
                  "reload": settings.reload, "idle": settings.idle},
        version=data_version(), view=view,
    )


@callback(
    Output({"type": PANEL, "key": ALL}, "children"),
    Output(ids.status, "children"),
    Output(ids.prints, "data"),
    Input(ids.version, "data"),
    State(ids.view, "data"),
    State(ids.prints, "data"),
    prevent_initial_call=True,
)
def refresh(_version, view, prints):
    """The store changed: redraw the screen's panels and send only those that differ."""
    view = screen_state(view)
    if not isinstance(prints, dict | None):
        raise BadAddress(STALE_STATE)
    settings = ScreenSettings(indicator=view.get("indicator"), period=view.get("period"))
    drawn = draw(context_of(view["adcode"], settings), keys=list(view["keys"]))
    return changed(drawn, prints or {}, [o["id"]["key"] for o in ctx.outputs_list[0]])


def screen_state(view: object) -> dict:
    """The screen's state as the page keeps it (a forged or stale one: the page's message)."""
    found = state_dict(view, {"adcode": str, "keys": list, "query": dict})
    if not all(isinstance(k, str) for k in found["keys"]) or not isinstance(
            found.get("indicator"), str | None) or not isinstance(found.get("period"), str | None):
        raise BadAddress(STALE_STATE)
    return found


def changed(drawn: dict, prints: dict, keys: list[str]) -> tuple[list, object, dict]:
    """The bodies of ``keys`` whose drawing differs from ``prints`` (others: no update), the
    header's status if it changed, and the new fingerprints."""
    new = dict(prints)
    bodies = []
    for key in keys:
        if key not in drawn:  # nothing to show now (an event ended): say so, keep the frame
            drawn[key] = html.P("暂无数据", className="ss-empty")
        digest = fingerprint(drawn[key])
        bodies.append(no_update if prints.get(key) == digest else drawn[key])
        new[key] = digest
    head = fingerprint(drawn[STATUS_KEY])
    status_out = no_update if prints.get(STATUS_KEY) == head else drawn[STATUS_KEY]
    new[STATUS_KEY] = head
    return bodies, status_out, new


@callback(
    Output("app-url", "href", allow_duplicate=True),
    Input(surface.MAP_ID, "clickData"),
    State(ids.view, "data"),
    prevent_initial_call=True,
)
def drill(click, view):
    """A click (or tap) on a region of the map opens that region's screen."""
    view = screen_state(view)
    adcode = charts.clicked_adcode(click)
    if adcode is None or adcode == view["adcode"]:
        return no_update
    return screen_href(adcode, view["query"])
