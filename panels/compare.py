"""A window compared with the window before (环比) and the same window a year earlier (同比).

:func:`compare` makes the two contexts to compare a context with; every surface builds the same
panels for them and sets the models side by side (:func:`stat_changes`, :func:`value_change`,
:func:`rank_changes`), so that a change is always the difference of two figures a surface shows.

The rule (one place):

- 环比: the previous window as it stood at its end; its indicators at its last month with figures
  — or, where that is the month shown now (a week inside a month), the month before.
- 同比: the same window a year earlier, at the same point: the indicators of the same month a year
  earlier, tasks, problems and directives as they stood on the same day a year earlier.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, time

from components import format as fmt
from data import queries
from data.queries import shift_period
from panels.context import PanelContext
from panels.model import Stat

#: The symbols of a change of rank (a smaller rank number is better).
UP, DOWN, SAME = "▲", "▼", "持平"


@dataclass(frozen=True)
class Comparison:
    current: PanelContext
    #: The window before (环比); ``None`` where it has no figures.
    previous: PanelContext | None
    #: The same window a year earlier (同比); ``None`` where it has no figures.
    year_before: PanelContext | None


def _year_earlier(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def compare(ctx: PanelContext) -> Comparison:
    """The contexts ``ctx`` is compared with (see the module's docstring)."""
    window = ctx.time_window
    available = set(queries.periods(scope=ctx.scope))
    before = window.previous()
    period = before.indicator_period(sorted(available))
    if period == ctx.period:
        period = shift_period(ctx.period, -1)
    previous = None
    if period in available:
        previous = ctx.but(window=before, period=period, today=before.end,
                           now=datetime.combine(before.end, time(23, 59, 59)))
    year_period = shift_period(ctx.period, -12)
    year_before = None
    if year_period in available:
        year_before = ctx.but(window=window.year_before(), period=year_period,
                              today=_year_earlier(ctx.today),
                              now=datetime.combine(_year_earlier(ctx.now.date()),
                                                   ctx.now.time()))
    return Comparison(current=ctx, previous=previous, year_before=year_before)


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def count_change(now: float | None, before: float | None, *, unit: str = "",
                 percent: bool = False) -> str:
    """``+3``, ``-2``, ``持平``; for a rate, in points (``+1.5个百分点``); ``—`` without both."""
    if _missing(now) or _missing(before):
        return "—"
    change = float(now) - float(before)
    if percent:
        return SAME if round(change, 1) == 0 else f"{change:+.1f}个百分点"
    if round(change, 6) == 0:
        return SAME
    text = f"{change:+,.0f}" if float(change).is_integer() else f"{change:+,.1f}"
    return f"{text}{unit}"


def stat_changes(now: list[Stat], before: list[Stat] | None) -> dict[str, str]:
    """For each stat code, its change against the same stat of another model."""
    previous = {s.code: s for s in before or []}
    return {s.code: count_change(s.value, previous[s.code].value if s.code in previous else None,
                                 percent=s.unit == "%" or s.text.endswith("%"))
            for s in now}


def value_change(now: dict, before: dict | None) -> str:
    """An indicator row's change against the same indicator's row of another model: points
    for rates, a percentage otherwise (the desk's 同比 wording)."""
    if before is None or now.get("value") is None or before.get("value") is None:
        return "—"
    unit = now.get("unit") or before.get("unit") or ""
    change = now["value"] - before["value"]
    ratio = change / before["value"] * 100.0 if before["value"] else None
    decimals = max(len(now["value_text"].split(".")[1]) if "." in now["value_text"] else 0, 0)
    return fmt.year_on_year(change=change, ratio=ratio, unit=unit, decimals=decimals)


def rank_changes(now: list[dict], before: list[dict] | None) -> dict[str, str]:
    """For each region (by adcode) of a ranking, how its rank moved since ``before``:
    ``▲2`` (up two places), ``▼1``, ``持平``, ``—`` (not ranked in one of them)."""
    previous = {r["adcode"]: r.get("rank") for r in before or []}
    changes = {}
    for row in now:
        was, rank = previous.get(row["adcode"]), row.get("rank")
        if rank is None or was is None:
            changes[row["adcode"]] = "—"
        elif was == rank:
            changes[row["adcode"]] = SAME
        else:
            changes[row["adcode"]] = f"{UP if rank < was else DOWN}{abs(was - rank)}"
    return changes
