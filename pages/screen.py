"""The large screen (一屏掌控): ``/screen`` (the viewer's own region) and ``/screen/<adcode>``.

The panels of the registry's SCREEN surface, drawn by :mod:`components.surfaces.screen` on a
1920×1080 canvas (:mod:`components.screen_canvas`). Settings are URL parameters
(:mod:`panels.screen`): ``rotate``, ``refresh``, ``reload``, ``idle``, ``panels``,
``indicator``, ``period``.

Refreshing: the browser asks ``/data-version`` (a few bytes) every ``refresh`` seconds; when the
store's version changed it sets :attr:`ids.version`, and :func:`refresh` rebuilds the models and
changes the screen in place: the figures of the charts and the blocks of text that changed, never
the charts themselves (a screen left on for weeks must not build a new chart at each change; a
panel is replaced whole only when its frame changed). A click (or a tap) on the map drills down
to the region's screen, keeping the settings.
"""

from __future__ import annotations

import dash
from dash import ALL, Input, Output, State, callback, clientside_callback, ctx, html, no_update

from components.frame import page_or_message
from components.screen_canvas import (
    FIGURE,
    PANEL,
    STATUS_KEY,
    TEXT,
    Update,
    canvas,
    changes,
    fingerprint,
    ids,
    parts,
    prints_of,
    status,
)
from components.surfaces import screen as surface
from config.labels import PRODUCT_NAME
from data import queries
from data.store import data_version
from panels import registry
from panels.addresses import STALE_STATE, BadAddress, screen_href, state_dict
from panels.context import PanelContext, from_address
from panels.model import PanelModel
from panels.screen import CENTRE, ScreenSettings, screen_settings, side_panels

dash.register_page(__name__, path="/screen", path_template="/screen/<adcode>",
                   title=f"大屏 · {PRODUCT_NAME}", name="大屏", order=90)


def layout(adcode: str | None = None, **params: object) -> html.Div:
    return page_or_message(lambda: screen_view(adcode, screen_settings(params)))


#: Charts with an id of their own (the map, whose click drills), updated by that id.
NAMED = (surface.MAP_ID,)


def context_of(adcode: str | None, settings: ScreenSettings) -> PanelContext:
    return from_address(adcode=adcode, indicator=settings.indicator, period=settings.period)


def build(context: PanelContext, keys: list[str] | None = None) -> dict[str, PanelModel]:
    """The models of the screen's panels (or of ``keys``), by key."""
    with registry.built_once():
        wanted = keys if keys is not None else registry.keys(registry.SCREEN)
        return registry.build_all(context, only=wanted)


def draw(context: PanelContext, keys: list[str] | None = None, *,
         models: dict[str, PanelModel] | None = None) -> dict:
    """Every panel's drawing by key (the centre's, then the side's), and the header's status."""
    models = models if models is not None else build(context, keys)
    drawn = {key: surface.render(model) for key, model in models.items()}
    for key, drawing in drawn.items():
        parts(key, drawing, named=NAMED)  # the ids a refresh updates in place
    info = queries.dataset_status(scope=context.scope)
    drawn[STATUS_KEY] = status(
        period_words=f"{context.period_words}指标 · {context.as_of_words}",
        updated_at=info["updated_at"], demo=info["demo"], demo_topics=info["demo_topics"])
    return drawn


def screen_view(adcode: str | None, settings: ScreenSettings) -> html.Div:
    context = context_of(adcode, settings)
    models = build(context)
    drawn = draw(context, models=models)
    available = [key for key in drawn if key not in CENTRE and key != STATUS_KEY]
    slots = side_panels(available, settings)
    query = settings.query()
    crumbs = [(name, screen_href(a, query) if visible else None)
              for a, name, visible in context.path()]
    crumbs[-1] = (context.region_name, None)
    shown = [*CENTRE, *(k for keys in slots.values() for k in keys)]
    view = {"adcode": context.adcode, "indicator": settings.indicator,
            "period": settings.period, "query": query, "keys": shown,
            "drill": drill_hrefs(models.get("map"), context.adcode, query)}
    header_status = drawn.pop(STATUS_KEY)
    drawn = {k: v for k, v in drawn.items() if k in shown}
    prints = {key: prints_of(key, drawing, named=NAMED) for key, drawing in drawn.items()}
    prints[STATUS_KEY] = fingerprint(header_status)
    return canvas(
        crumbs=crumbs, header_status=header_status, drawn=drawn, slots=slots, prints=prints,
        settings={"rotate": settings.rotate, "refresh": settings.refresh,
                  "reload": settings.reload, "idle": settings.idle},
        version=data_version(), view=view,
    )


@callback(
    Output({"type": PANEL, "key": ALL}, "children"),
    Output({"type": FIGURE, "key": ALL, "n": ALL}, "figure"),
    Output({"type": TEXT, "key": ALL, "n": ALL}, "children"),
    Output(surface.MAP_ID, "figure"),
    Output(ids.status, "children"),
    Output(ids.prints, "data"),
    Input(ids.version, "data"),
    State(ids.view, "data"),
    State(ids.prints, "data"),
    prevent_initial_call=True,
)
def refresh(_version, view, prints):
    """The store changed: redraw the screen's panels and change on the screen only what
    differs."""
    view = screen_state(view)
    if not isinstance(prints, dict | None):
        raise BadAddress(STALE_STATE)
    settings = ScreenSettings(indicator=view.get("indicator"), period=view.get("period"))
    drawn = draw(context_of(view["adcode"], settings), keys=list(view["keys"]))
    update = changed(drawn, prints or {}, [o["id"]["key"] for o in ctx.outputs_list[0]])
    return (update.panels(ctx.outputs_list[0]), update.parts_for(ctx.outputs_list[1]),
            update.parts_for(ctx.outputs_list[2]), update.parts.get(surface.MAP_ID, no_update),
            update.status, update.prints)


def screen_state(view: object) -> dict:
    """The screen's state as the page keeps it (a forged or stale one: the page's message)."""
    found = state_dict(view, {"adcode": str, "keys": list, "query": dict})
    if not all(isinstance(k, str) for k in found["keys"]) or not isinstance(
            found.get("indicator"), str | None) or not isinstance(found.get("period"), str | None):
        raise BadAddress(STALE_STATE)
    return found


def changed(drawn: dict, prints: dict, keys: list[str]) -> Update:
    """What differs between the drawings ``drawn`` and the screen's fingerprints ``prints``
    (:func:`components.screen_canvas.changes`; the map's chart by its own id)."""
    if any(key not in drawn for key in keys):  # nothing to show now (an event ended): say so
        drawn = {**{key: html.P("暂无数据", className="ss-empty") for key in keys}, **drawn}
    return changes(drawn, prints, keys, named=NAMED)


def drill_hrefs(model: PanelModel | None, adcode: str, query: dict) -> dict[str, str]:
    """The address each region on the map drills to (its own screen, with the settings); the
    region shown now is not a link."""
    rows = model.rows if model is not None else []
    return {row["adcode"]: screen_href(row["adcode"], query) for row in rows
            if row["adcode"] != adcode}


#: A click (or a tap) on a region of the map opens that region's screen. In the browser, from
#: the addresses the view carries: Dash calls a callback whose input is in a newly drawn part
#: of the page with an empty click (a new view, a new map), and on a screen that would be a
#: request to the server for nothing each time.
clientside_callback(
    """(click, view) => {
        const point = click && click.points && click.points[0];
        if (!point || !view || !view.drill) { return window.dash_clientside.no_update; }
        const custom = point.customdata;
        const adcode = String(Array.isArray(custom) && custom.length ? custom[0] : point.location);
        return view.drill[adcode] || window.dash_clientside.no_update;
    }""",
    Output(ids.nav, "href", allow_duplicate=True),
    Input(surface.MAP_ID, "clickData"),
    State(ids.view, "data"),
    prevent_initial_call=True,
)
