"""Meeting mode (``/meeting``): the panels as full-screen slides, in the order of a monthly
meeting (月例会): the overview, each system's indicators with their lights, the red and yellow
lights, the overdue and at-risk tasks, the problem lists, the risk map; then the other panels of
the registry's MEETING surface (the map, the ranking, the directives …).

:func:`slides` turns the models of one context into that deck; a slide names the panel it
shows and, where a panel fills several slides, the part of it (an indicator system, a page of
rows). No Dash here: the meeting renderer (:mod:`components.surfaces.meeting`) draws a slide.
"""

from __future__ import annotations

from dataclasses import dataclass

from panels import registry
from panels.model import PanelModel

#: The panels in the order of a 月例会; other MEETING panels follow in the registry's order.
MEETING_ORDER = ("overview", "indicators", "red_lights", "tasks", "problems", "risk")
#: Rows of a table on one slide (18 px and more on the 1920×1080 canvas).
ROWS_PER_SLIDE = 10


@dataclass(frozen=True)
class Slide:
    #: The panel shown.
    key: str
    #: The slide's title.
    title: str
    #: An indicator system's code (the indicators panel, one slide per system).
    group: str | None = None
    #: The rows of the model shown, as a slice ``(start, stop)`` (``None``: as the panel
    #: chooses).
    rows: tuple[int, int] | None = None


def deck_keys() -> list[str]:
    meeting = registry.keys(registry.MEETING)
    return [k for k in MEETING_ORDER if k in meeting] + [k for k in meeting
                                                         if k not in MEETING_ORDER]


def _pages(key: str, title: str, count: int) -> list[Slide]:
    """A table's slides, ``ROWS_PER_SLIDE`` rows each (one slide when it is empty)."""
    parts = max(1, -(-count // ROWS_PER_SLIDE))
    return [Slide(key, title if parts == 1 else f"{title}（{i + 1}/{parts}）",
                  rows=(i * ROWS_PER_SLIDE, (i + 1) * ROWS_PER_SLIDE)) for i in range(parts)]


def slides(models: dict[str, PanelModel]) -> list[Slide]:
    """The deck of a context's models (panels with nothing to show are left out)."""
    deck: list[Slide] = []
    for key in deck_keys():
        model = models.get(key)
        if model is None:
            continue
        if key == "indicators":
            deck += [Slide(key, f"{group.name} · 指标亮灯", group=group.code)
                     for group in model.groups]
        elif key in ("red_lights", "directives"):
            deck += _pages(key, model.title, len(model.rows))
        elif key == "tasks":
            deck.append(Slide(key, "逾期和风险任务"))
        else:
            deck.append(Slide(key, model.title))
    return deck


def slide_number(raw: object, count: int) -> int:
    """The slide asked for in the address (1 … ``count``; none: the first)."""
    from panels.addresses import BadAddress

    if raw is None or raw == "":
        return 1
    if not isinstance(raw, str) or not raw.isdigit() or not 1 <= int(raw) <= count:
        raise BadAddress(f"没有第“{raw}”页：本次会议共 {count} 页，请用 1 至 {count}。")
    return int(raw)
