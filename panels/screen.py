"""What the large screen (``/screen``) shows and how it behaves, from its address.

The screen's settings are URL parameters, so that a wall screen's start address says
everything: ``/screen/330100?rotate=20&refresh=60&reload=24&idle=120&panels=tasks,risk``.
:func:`screen_settings` checks them (a wrong one is a :class:`BadAddress` with its Chinese
message) and :func:`side_panels` places the chosen panels in the four side slots.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from panels import registry
from panels.addresses import BadAddress, one_value

#: Panels the screen's centre always shows (the headline figures and the map).
CENTRE = ("overview", "map")
#: The side slots, in the order panels fill them: left top, right top, left bottom, right
#: bottom; a slot given several panels rotates through them.
SLOTS = ("left-top", "right-top", "left-bottom", "right-bottom")
#: The side panels' default order (panels the registry adds later follow in its order):
#: indicators and red lights share a slot, ranking and problems, risk and trend, tasks and
#: directives.
DEFAULT_ORDER = ("indicators", "ranking", "risk", "tasks", "red_lights", "problems", "trend",
                 "directives")

DEFAULT_ROTATE = 20  # seconds
DEFAULT_REFRESH = 60  # seconds
MIN_REFRESH = 0.2  # seconds: a benchmark runs a screen fast; 0 stops refreshing


@dataclass(frozen=True)
class ScreenSettings:
    """A screen's settings (seconds, hours; ``0``: off)."""

    rotate: float = DEFAULT_ROTATE
    refresh: float = DEFAULT_REFRESH
    reload: float = 0
    idle: float = 0
    #: The side panels in the order asked for (``None``: the default).
    panels: tuple[str, ...] | None = None
    indicator: str | None = None
    period: str | None = None

    def query(self) -> dict[str, object]:
        """The URL parameters that differ from the defaults (for the screen's links)."""
        defaults = ScreenSettings()
        out: dict[str, object] = {}
        for name in ("rotate", "refresh", "reload", "idle"):
            value = getattr(self, name)
            if value != getattr(defaults, name):
                out[name] = f"{value:g}"
        if self.panels is not None:
            out["panels"] = ",".join(self.panels)
        out.update({k: v for k, v in (("indicator", self.indicator), ("period", self.period))
                    if v})
        return out


def _seconds(name: str, raw: object, *, default: float, minimum: float = 0) -> float:
    if raw is None or raw == "":
        return default
    if not isinstance(raw, str):
        raise BadAddress(f"参数“{name}”只能出现一次。")
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value < 0 or (0 < value < minimum):
        floor = f"0（关闭）或不小于 {minimum:g} 的数" if minimum else "不小于 0 的数"
        raise BadAddress(f"参数“{name}”应为{floor}，而不是“{raw}”。")
    return value


def side_keys() -> list[str]:
    """Every panel the screen can put in a side slot, in the default order."""
    available = [k for k in registry.keys(registry.SCREEN) if k not in CENTRE]
    known = [k for k in DEFAULT_ORDER if k in available]
    return known + [k for k in available if k not in known]


def _panels(raw: object) -> tuple[str, ...] | None:
    if raw is None or raw == "":
        return None
    if not isinstance(raw, str):
        raise BadAddress("参数“panels”只能出现一次，面板之间用逗号分隔。")
    wanted = [part.strip() for part in raw.split(",") if part.strip()]
    options = side_keys()
    unknown = [k for k in wanted if k not in options and k not in CENTRE]
    if unknown:
        names = "、".join(f"{k}（{registry.spec(k).title}）" for k in options)
        raise BadAddress(f"未知的面板：{'、'.join(unknown)}。可选的面板有：{names}。")
    chosen = tuple(dict.fromkeys(k for k in wanted if k not in CENTRE))
    if not chosen:
        raise BadAddress("参数“panels”没有列出任何可放在两侧的面板。")
    return chosen


def screen_settings(params: Mapping[str, object]) -> ScreenSettings:
    """The settings of a screen's address (its query parameters)."""
    for name in ("indicator", "period"):
        one_value(name, params.get(name))
    return ScreenSettings(
        rotate=_seconds("rotate", params.get("rotate"), default=DEFAULT_ROTATE, minimum=1),
        refresh=_seconds("refresh", params.get("refresh"), default=DEFAULT_REFRESH,
                         minimum=MIN_REFRESH),
        reload=_seconds("reload", params.get("reload"), default=0, minimum=0.01),
        idle=_seconds("idle", params.get("idle"), default=0, minimum=1),
        panels=_panels(params.get("panels")),
        indicator=str(params["indicator"]) if params.get("indicator") else None,
        period=str(params["period"]) if params.get("period") else None,
    )


def side_panels(available: list[str], settings: ScreenSettings) -> dict[str, list[str]]:
    """The side panels by slot: the panels asked for (or the default ones) that have
    something to show, dealt to the slots in turn."""
    order = [k for k in (settings.panels or side_keys()) if k in available]
    slots: dict[str, list[str]] = {slot: [] for slot in SLOTS}
    for i, key in enumerate(order):
        slots[SLOTS[i % len(SLOTS)]].append(key)
    return slots
