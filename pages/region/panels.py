"""Topic panels of the region cockpit (tasks, problems, risk …), below the map.

Each panel is a function ``(scope, adcode, period) -> component | None`` that reads its data
from ``data/`` and builds its layout with ``components/``; it says which region and period
it shows. A panel that has nothing to show returns ``None``. Add a topic by appending its
function to ``PANELS``.
"""

from __future__ import annotations

from collections.abc import Callable

from dash.development.base_component import Component

from data.scope import Scope
from pages.tasks.panel import task_panel

Panel = Callable[[Scope, str, str], Component | None]

PANELS: list[Panel] = [task_panel]


def cockpit_panels(*, scope: Scope, adcode: str, period: str) -> list[Component]:
    built = (panel(scope, adcode, period) for panel in PANELS)
    return [component for component in built if component is not None]
