"""The region cockpit, the same at every level: ``/region/<adcode>`` (``/`` is the province).

The URL is the state: ``?indicator=<code>&period=YYYY-MM``. Every control navigates to a new
URL, and the layout is built from the URL, so a link reproduces a view and the browser's
back button works.
"""

from __future__ import annotations

import re
from urllib.parse import urlencode

import dash
from dash import Input, Output, State, callback, ctx, dcc, html, no_update

from components import charts
from components.frame import breadcrumb, message_page
from components.kpi import kpi_panel
from config.labels import (
    CHILD_NOUN,
    DROPDOWN_LABELS,
    ERRORS,
    LEVEL_NAMES,
    LEVEL_SCOPE,
    NOT_APPLICABLE,
    period_label,
)
from data import queries
from data.geo import boundaries
from data.reference import PROVINCE
from data.rules import applies_at
from data.scope import Scope, viewer_scope
from data.store import StoreUnavailable
from pages.region.panels import cockpit_panels

PERIOD_PATTERN = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


class ids:  # noqa: N801 - a namespace of component ids
    view = "region-view"
    period = "region-period"
    indicator = "region-indicator"
    map = "region-map"
    ranking = "region-ranking"
    trend = "region-trend"


def region_href(adcode: str, *, indicator: str | None = None, period: str | None = None) -> str:
    query = urlencode({k: v for k, v in (("indicator", indicator), ("period", period)) if v})
    path = "/" if adcode == PROVINCE else f"/region/{adcode}"
    return f"{path}?{query}" if query else path


def _title(adcode: str | None = None, **_: object) -> str:
    try:
        tree = queries.regions(scope=viewer_scope())
        name = tree.loc[tree["adcode"] == (adcode or PROVINCE), "name"]
        return f"{name.iloc[0]} · 数字化改革驾驶舱" if len(name) else "数字化改革驾驶舱"
    except StoreUnavailable:
        return "数字化改革驾驶舱"


dash.register_page(
    __name__,
    path="/region/330000",
    path_template="/region/<adcode>",
    title=_title,
    name="地区驾驶舱",
    nav=False,
)


class BadAddress(ValueError):
    """A part of the URL names nothing that exists; the message is shown to the user."""


def resolve_view(
    *, scope: Scope, adcode: str, indicator: str | None, period: str | None
) -> dict[str, str]:
    """Check the URL's parts against the store (and the viewer's scope) and fill in
    defaults."""
    try:
        queries.check_region(scope=scope, adcode=adcode)
    except queries.ScopeRefused as refused:
        raise BadAddress(str(refused)) from refused
    tree = queries.regions(scope=scope)
    catalogue = queries.indicators(scope=scope)
    if catalogue.empty:
        raise BadAddress(ERRORS["no_indicators"])
    if indicator is None:  # the first indicator counted at the region's level
        level = tree.loc[tree["adcode"] == adcode, "level"].iloc[0]
        counted = catalogue[[applies_at(lowest, level) for lowest in catalogue["lowest_level"]]]
        indicator = (counted if len(counted) else catalogue)["code"].iloc[0]
    elif indicator not in set(catalogue["code"]):
        raise BadAddress(ERRORS["unknown_indicator"].format(code=indicator))
    available = queries.periods(scope=scope)
    if not available:
        raise BadAddress(ERRORS["no_data"])
    if period is None:
        period = available[-1]
    elif not PERIOD_PATTERN.match(period):
        raise BadAddress(ERRORS["bad_period"].format(period=period))
    elif period not in available:
        raise BadAddress(ERRORS["period_out_of_range"].format(
            period=period, first=available[0], last=available[-1]))
    return {"adcode": adcode, "indicator": indicator, "period": period}


def layout(adcode: str = PROVINCE, indicator: str | None = None, period: str | None = None,
           **_: object) -> html.Div:
    scope = viewer_scope()
    try:
        view = resolve_view(scope=scope, adcode=str(adcode), indicator=indicator, period=period)
        return region_view(scope=scope, **view)
    except BadAddress as bad:
        return message_page(str(bad))
    except StoreUnavailable:
        return message_page(ERRORS["store_down"])


def region_view(*, scope: Scope, adcode: str, indicator: str, period: str) -> html.Div:
    tree = queries.regions(scope=scope).set_index("adcode")
    region = tree.loc[adcode]
    level = region["level"]
    catalogue = queries.indicators(scope=scope).set_index("code")
    meta = catalogue.loc[indicator]

    crumbs = [(name, region_href(a, indicator=indicator, period=period) if visible else None)
              for a, name, visible in queries.region_path(scope=scope, adcode=adcode)]
    crumbs[-1] = (region["name"], None)

    status = queries.indicator_status(scope=scope, adcodes=(adcode,), period=period)
    comparison = queries.region_comparison(scope=scope, adcode=adcode, indicator=indicator,
                                           period=period)
    geojson = boundaries().feature_collection(tuple(comparison["adcode"]))
    trend = queries.indicator_trend(scope=scope, adcode=adcode, indicator=indicator,
                                    period=period)
    when = period_label(period)
    unit_text = f"（{meta['unit']}）"
    compared = CHILD_NOUN[level]
    # A county is compared with the other counties of its city (those the viewer sees).
    group_name = region["name"]
    if level == "county" and region["parent_adcode"] in tree.index:
        group_name = tree.loc[region["parent_adcode"], "name"]
    elif level == "county":
        compared = ""
    topojson_url = dash.get_asset_url("topojson/")

    return html.Div(
        [
            dcc.Store(id=ids.view, data={"adcode": adcode, "indicator": indicator,
                                         "period": period}),
            html.Div(
                [
                    breadcrumb(crumbs),
                    html.Div(
                        [
                            html.Label("期间", htmlFor=ids.period, className="control-label"),
                            dcc.Dropdown(
                                labels=DROPDOWN_LABELS,
                                id=ids.period,
                                options=[{"label": period_label(p), "value": p}
                                         for p in reversed(queries.periods(scope=scope))],
                                value=period, clearable=False, searchable=False,
                                className="control period-control",
                            ),
                            html.Label("指标", htmlFor=ids.indicator, className="control-label"),
                            dcc.Dropdown(
                                labels=DROPDOWN_LABELS,
                                id=ids.indicator,
                                options=[{"label": f"{row['system_name']} · {row['name']}",
                                          "value": code}
                                         for code, row in catalogue.iterrows()],
                                value=indicator, clearable=False,
                                className="control indicator-control",
                            ),
                        ],
                        className="controls",
                    ),
                ],
                className="page-bar",
            ),
            html.H2(
                [region["name"], html.Span(LEVEL_NAMES[level], className="level-tag"),
                 html.Span(f"{when} · 核心指标", className="heading-sub")],
                className="page-heading",
            ),
            html.Section(
                kpi_panel(status, period=period, selected=indicator,
                          href_for=lambda code: region_href(adcode, indicator=code,
                                                            period=period)),
                className="kpi-section", **{"aria-label": "核心指标"},
            ),
            html.Div(
                [
                    html.Section(
                        dcc.Graph(
                            id=ids.map,
                            figure=charts.region_map(
                                comparison, geojson,
                                title=f"{group_name}{compared} · {meta['name']}{unit_text}"
                                      f" · {when}"),
                            config=charts.graph_config(topojson_url),
                            className="map-graph",
                        ),
                        className="card map-card", **{"aria-label": "地图"},
                    ),
                    html.Section(
                        dcc.Graph(
                            id=ids.ranking,
                            figure=charts.ranking_bars(
                                comparison, title=f"{compared}排名 · {meta['name']} · {when}"),
                            config={"displaylogo": False, "displayModeBar": False},
                        ),
                        className="card ranking-card", **{"aria-label": "排名"},
                    ),
                ],
                className="map-row",
            ),
            html.Div(cockpit_panels(scope=scope, adcode=adcode, period=period),
                     className="panel-row"),
            html.Section(
                dcc.Graph(
                    id=ids.trend,
                    figure=charts.trend_lines(
                        trend, title=f"{region['name']} · {meta['name']} · 月度趋势（至{when}）",
                        unit=meta["unit"], decimals=int(meta["decimals"]))
                    if applies_at(meta["lowest_level"], level) else charts.empty_figure(
                        f"{meta['name']}{LEVEL_SCOPE[meta['lowest_level']]}，"
                        f"{region['name']}{NOT_APPLICABLE}"),
                    config={"displaylogo": False, "displayModeBar": False},
                ),
                className="card trend-card", **{"aria-label": "趋势"},
            ),
        ],
        className="region-page",
        **{"data-adcode": adcode, "data-level": level},
    )


@callback(
    Output("app-url", "href", allow_duplicate=True),
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
