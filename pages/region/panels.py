"""Topic panels of the region cockpit (tasks, problems, risk …), below the map.

Each panel is a function ``(scope, adcode, period) -> component | None`` that reads its data
from ``data/`` and builds its layout with ``components/``; it says which region and period
it shows. A panel that has nothing to show returns ``None``. Add a topic by appending its
function to ``PANELS``.
"""

from __future__ import annotations

from collections.abc import Callable

import dash
from dash import dcc, html
from dash.development.base_component import Component

from components import risk as risk_view
from components.charts import graph_config
from data import clock, queries
from data import risk_queries as rq
from data.geo import boundaries
from data.risk_rules import OVERALL, count_by_level
from data.scope import Scope
from pages.problems.panel import problems_panel
from pages.risk import risk_href
from pages.tasks.panel import task_panel

Panel = Callable[[Scope, str, str], Component | None]

def risk_panel(scope: Scope, adcode: str, period: str) -> Component | None:
    """A small five-colour map of the current or latest disaster event."""
    found = rq.cockpit_moment(scope=scope, now=clock.now(scope=scope))
    if found is None:
        return None
    event, at = found
    tree = queries.regions(scope=scope).set_index("adcode")
    parent = tree.loc[adcode, "parent_adcode"]
    if tree.loc[adcode, "level"] != "county" or parent not in tree.index:
        parent = adcode  # a county among its city's counties, if the viewer sees the city
    frame = rq.risk_map(scope=scope, event_id=int(event["id"]), parent=parent,
                        hazard=OVERALL, at=at)
    levels = rq.risk_levels(scope=scope)
    names = rq.hazards(scope=scope).set_index("code")["name"].to_dict()
    figure = risk_view.risk_map_figure(
        frame, boundaries().feature_collection(tuple(frame["adcode"]), coarse=True), levels,
        hazard_names=names, labels=False, height=300)
    href = risk_href(region=parent, event=int(event["id"]), at=at,
                     county=adcode if adcode != parent else None)
    return html.Section([
        html.H3([f"自然灾害风险“五色图” · {tree.loc[parent, 'name']}",
                 html.Span(f"{event['name']} · {risk_view.time_label(at)}",
                           className="panel-sub")], className="panel-title"),
        html.Div([
            dcc.Graph(figure=figure, id="region-risk-map",
                      config=graph_config(dash.get_asset_url("topojson/")) | {
                          "staticPlot": True}),
            risk_view.level_legend(count_by_level(frame, levels)),
        ], className="risk-panel-body"),
        dcc.Link("打开“五色图” ›", href=href, className="chip-link"),
    ], className="card topic-panel risk-panel", **{"aria-label": "自然灾害风险五色图"})


PANELS: list[Panel] = [risk_panel, problems_panel, task_panel]


def cockpit_panels(*, scope: Scope, adcode: str, period: str) -> list[Component]:
    built = (panel(scope, adcode, period) for panel in PANELS)
    return [component for component in built if component is not None]
