"""The cockpit's problem panel: the seven lists in the region's subtree, counts by light,
linking to ``/problems`` filtered by that region (and list)."""

from __future__ import annotations

from dash import html

from components.problems import list_light_panel
from data import clock
from data import problems_queries as pq
from data.problems_queries import ProblemFilter
from data.scope import Scope
from pages.problems.links import problems_href


def problems_panel(scope: Scope, adcode: str, period: str) -> html.Section | None:
    """Problems of ``adcode``'s subtree by list and light, as of the reference date (the
    lights are about today, not about the cockpit's month ``period``)."""
    today = clock.today(scope=scope)
    counts = pq.list_light_counts(scope=scope, adcode=adcode, today=today)
    if counts.empty or counts["total"].sum() == 0:
        return None
    tree = pq.regions(scope=scope).set_index("adcode")
    name = tree.at[adcode, "name"]
    return html.Section(
        list_light_panel(
            counts,
            title=f"七张问题清单 · {name} · 截至{today.year}年{today.month}月{today.day}日",
            href_for=lambda code: problems_href(ProblemFilter(region=adcode, list_code=code)),
            link_text=f"查看{name}全部问题 →",
        ),
        className="card topic-panel problems-panel", **{"aria-label": "七张问题清单"},
    )
