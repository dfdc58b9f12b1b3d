"""One "as of" line per page, made from the moments of the panels it shows: a single date
when they all stand at one, otherwise each date with the panels that stand at it (indicators
are monthly, tasks and problems are judged on today, the risk map on its latest assessment)."""

from __future__ import annotations

from collections.abc import Iterable

from panels import registry
from panels.model import PanelModel


def as_of_line(models: Iterable[PanelModel]) -> str:
    """``数据截至2026年11月22日``, or ``数据时点：2026年10月（核心指标、地图）；2026年11月22日
    （七张问题清单、重大任务）`` — dates in the order the panels come."""
    groups: dict[str, list[str]] = {}
    for model in models:
        if model.as_of:
            known = registry.REGISTRY.get(model.key)  # the models were built: all loaded
            name = known.title if known else model.title
            groups.setdefault(model.as_of, []).append(name)
    if not groups:
        return ""
    if len(groups) == 1:
        return f"数据截至{next(iter(groups))}"
    return "数据时点：" + "；".join(f"{when}（{'、'.join(names)}）"
                                 for when, names in groups.items())
