"""The cockpit's task panel (``/`` and ``/region/<adcode>``): counts by status for the
region's subtree, the overdue and at-risk tasks first, each linking to its page."""

from __future__ import annotations

from dash.development.base_component import Component

from components.tasks import task_panel as build_panel
from data import clock, queries
from data import tasks_queries as tq
from data.reference import PROVINCE
from data.scope import Scope


def task_panel(scope: Scope, adcode: str, period: str) -> Component | None:
    """``period`` is the cockpit's month; tasks are judged on the reference date, which the
    panel states."""
    today = clock.today(scope=scope)
    tasks = tq.region_tasks(scope=scope, adcode=adcode, today=today)
    if tasks.empty and tq.task_table(scope=scope, today=today).empty:
        return None  # no task data loaded
    tree = queries.regions(scope=scope).set_index("adcode")
    name = tree.loc[adcode, "name"] if adcode in tree.index else adcode
    href = "/tasks" if adcode == PROVINCE else f"/tasks?region={adcode}"
    return build_panel(tasks, region_name=name, today=today, counts=tq.status_counts(tasks),
                       list_href=href)
