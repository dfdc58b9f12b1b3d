"""The region cockpit, the same at every level: ``/`` (the province) and ``/region/<adcode>``.

The URL is the state: ``?indicator=<code>&period=YYYY-MM``. Every control navigates to a new
URL, and the layout is built from the URL, so a link reproduces a view and the browser's
back button works. The page draws the panels of :mod:`panels` with the desk renderer: the
indicators by system on top, the map and the ranking, the topic panels, the trend.
"""

from __future__ import annotations

import dash
from dash import Input, Output, State, callback, ctx, dcc, html, no_update

from components import charts
from components.frame import breadcrumb, navigator, page_or_message
from components.page_cache import cached_address_page, cached_page
from components.static import static, static_parts
from components.surfaces import desk
from config.labels import DROPDOWN_LABELS, LEVEL_NAMES, PRODUCT_NAME, period_label
from data import clock, queries
from data.reference import PROVINCE
from data.scope import viewer_scope
from data.store import StoreUnavailable
from panels import registry
from panels.addresses import STALE_STATE, BadAddress, region_href, state_dict
from panels.as_of import as_of_line
from panels.context import PanelContext, from_address

#: Panels with a place of their own on this page; any other desk panel goes in the panel row.
PLACED = ("indicators", "map", "ranking", "trend")


class ids:  # noqa: N801 - a namespace of component ids
    view = "region-view"
    nav = "region-nav"
    period = "region-period"
    indicator = "region-indicator"
    map = "region-map"
    ranking = "region-ranking"
    trend = "region-trend"


def _title(adcode: str | None = None, **_: object) -> str:
    try:
        tree = queries.regions(scope=viewer_scope())
        name = tree.loc[tree["adcode"] == (adcode or PROVINCE), "name"]
        return f"{name.iloc[0]} · {PRODUCT_NAME}" if len(name) else PRODUCT_NAME
    except StoreUnavailable:
        return PRODUCT_NAME


def _check_address(adcode: str | None = None, indicator: object = None, period: object = None,
                   **_: object) -> None:
    """Raises what :func:`layout` would show as a message (the address's HTTP status)."""
    from_address(adcode=adcode, indicator=indicator, period=period)


dash.register_page(
    __name__,
    path="/",
    path_template="/region/<adcode>",
    title=_title,
    check_address=_check_address,
    name="全省驾驶舱",
    order=0,
    kept=True,  # the same for every viewer of one role and scope (components.answer_cache)
    layout=lambda **params: served_layout(**params),
)


def layout(adcode: str | None = None, indicator: str | None = None, period: str | None = None,
           **_: object) -> html.Div:
    """``/`` (no ``adcode``): the cockpit of the viewer's own level; ``/region/<adcode>``."""
    return page_or_message(lambda: region_view(
        from_address(adcode=adcode, indicator=indicator, period=period)))


def served_layout(adcode: str | None = None, indicator: str | None = None,
                  period: str | None = None, **_: object) -> html.Div | dict:
    """What the pages' router sends: :func:`layout`, built once per data version and context,
    and found again by its address without making the context (:mod:`components.page_cache`)."""
    def page() -> html.Div | dict:
        return cached_page("region", region_view, from_address(
            adcode=adcode, indicator=indicator, period=period))

    def kept() -> html.Div | dict:
        scope = viewer_scope()
        return cached_address_page(
            "region", page, address={"adcode": adcode, "indicator": indicator, "period": period},
            scope=scope, now=clock.now(scope=scope))

    return page_or_message(kept)


def controls(context: PanelContext) -> html.Div:
    catalogue = queries.indicators(scope=context.scope)
    return html.Div(
        [
            html.Label("期间", htmlFor=ids.period, className="control-label"),
            dcc.Dropdown(
                labels=DROPDOWN_LABELS, id=ids.period,
                options=[{"label": period_label(p), "value": p}
                         for p in reversed(queries.periods(scope=context.scope))],
                value=context.period, clearable=False, searchable=False,
                className="control period-control",
            ),
            html.Label("指标", htmlFor=ids.indicator, className="control-label"),
            dcc.Dropdown(
                labels=DROPDOWN_LABELS, id=ids.indicator,
                options=[{"label": f"{row.system_name} · {row.name}", "value": row.code}
                         for row in catalogue.itertuples(index=False)],
                value=context.indicator, clearable=False,
                className="control indicator-control",
            ),
        ],
        className="controls",
    )


def region_view(context: PanelContext) -> html.Div:
    crumbs = [(name, region_href(a, indicator=context.indicator, period=context.period)
               if visible else None) for a, name, visible in context.path()]
    crumbs[-1] = (context.region_name, None)
    models = registry.build_all(context, surface=registry.DESK)
    # A panel without a chart only shows: plain HTML in one component (components.static); a
    # panel with one keeps its chart, and the rest of it (title, figures, table, legend) is HTML.
    drawn = {key: static_parts(desk.render(model, prefix="region")) if model.figures
             else static(desk.render(model, prefix="region")) for key, model in models.items()}
    others = [drawn[key] for key in models if key not in PLACED]

    return html.Div(
        [
            dcc.Store(id=ids.view, data={"adcode": context.adcode,
                                         "indicator": context.indicator,
                                         "period": context.period}),
            navigator(ids.nav),
            html.Div([breadcrumb(crumbs), controls(context)], className="page-bar"),
            html.H2(
                [context.region_name,
                 html.Span(LEVEL_NAMES[context.level], className="level-tag"),
                 html.Span(f"{context.period_words} · 核心指标", className="heading-sub")],
                className="page-heading",
            ),
            html.P(as_of_line(models.values()), className="page-as-of"),
            html.Section(drawn.get("indicators"), className="kpi-section",
                         **{"aria-label": "核心指标"}),
            html.Div([drawn["map"], drawn["ranking"]], className="map-row"),
            html.Div(others, className="panel-row"),
            drawn["trend"],
        ],
        className="region-page",
        **{"data-adcode": context.adcode, "data-level": context.level},
    )


@callback(
    Output(ids.nav, "href", allow_duplicate=True),
    Input(ids.map, "clickData"),
    Input(ids.ranking, "clickData"),
    Input(ids.period, "value"),
    Input(ids.indicator, "value"),
    State(ids.view, "data"),
    prevent_initial_call=True,
)
def navigate(map_click, ranking_click, period, indicator, view):
    """Turn a click or a choice into a new URL; the page is rebuilt from the URL."""
    return next_href(ctx.triggered_id, map_click=map_click, ranking_click=ranking_click,
                     period=period, indicator=indicator, view=view)


def next_href(trigger: str | None, *, map_click: dict | None, ranking_click: dict | None,
              period: str | None, indicator: str | None, view: dict) -> str:
    view = state_dict(view, {"adcode": str, "indicator": str | None, "period": str | None})
    if not isinstance(period, str | None) or not isinstance(indicator, str | None):
        raise BadAddress(STALE_STATE)
    adcode = view["adcode"]
    if trigger == ids.map:
        adcode = charts.clicked_adcode(map_click) or adcode
    elif trigger == ids.ranking:
        adcode = charts.clicked_adcode(ranking_click) or adcode
    target = {"adcode": adcode, "indicator": indicator or view["indicator"],
              "period": period or view["period"]}
    if target == view:
        return no_update
    return region_href(target["adcode"], indicator=target["indicator"], period=target["period"])
