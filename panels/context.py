"""The context every panel is built from: who is looking, at which region, for which period,
and what "today" and "now" are.

A page makes one context per request (:func:`from_address`, which asks
:func:`data.scope.viewer_scope` once) and hands it to every panel; a briefing or a test makes
one with :func:`make_context` for any scope. The context is frozen and holds only plain values,
so that two equal contexts give equal panels.

A context may carry a window of time (:class:`data.windows.Window`: a week, a month, two
months, a quarter, a year). Without one it is the month of ``period`` as of today — every page
so far. With one (``make_context(window=…)``) the indicators show the window's last month with
figures (``period``) and "today" and "now" are the window's last day and its end, or today and
now while the window is not over, so that tasks, problems, directives and risk events are told as
they stood then. :func:`data.windows` says what each kind of window is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime

import pandas as pd

from components import format as fmt
from config.labels import CHILD_NOUN, ERRORS, period_label
from data import clock, queries
from data.reference import PROVINCE
from data.rules import applies_at
from data.scope import Scope, home_region, viewer_scope
from data.windows import Window
from panels.addresses import BadAddress, one_value

PERIOD_PATTERN = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
WINDOW_NOT_STARTED = "{window}尚未开始（今天是 {today:%Y-%m-%d}）。"
NO_FIGURES_IN_WINDOW = "{window}及以前没有指标数据，可选范围为 {first} 至 {last}。"


@dataclass(frozen=True)
class PanelContext:
    #: What the viewer may see (applied by every query).
    scope: Scope
    #: The region shown (its subtree for counts): a 6-digit adcode.
    adcode: str
    #: The month of the indicators, ``YYYY-MM``.
    period: str
    #: The indicator the map, the ranking and the trend show.
    indicator: str
    #: The day every rule is judged on (:func:`data.clock.today`).
    today: date
    #: The moment (:func:`data.clock.now`), for what happens in time (a disaster event).
    now: datetime
    #: The window of time shown (``None``: the month of ``period``, as of today).
    window: Window | None = None

    def but(self, **changes: object) -> PanelContext:
        """A copy with ``changes``; a new period without a window drops the window."""
        if "period" in changes and "window" not in changes:
            changes["window"] = None
        return replace(self, **changes)

    @property
    def time_window(self) -> Window:
        """The window shown: the one given, else the month of ``period``."""
        return self.window or Window.month(self.period)

    # --- what the panels say about the context (read through cached queries) ----------------

    def tree(self) -> pd.DataFrame:
        """The regions the viewer may see, by adcode: read once per context (every panel of a
        page asks for it, most of them several times) and shared: not to be changed."""
        found = self.__dict__.get("_tree")
        if found is None:
            found = queries.regions(scope=self.scope).set_index("adcode")
            object.__setattr__(self, "_tree", found)  # a cache, not a field: eq and hash ignore it
        return found

    def region(self) -> pd.Series:
        return self.tree().loc[self.adcode]

    @property
    def region_name(self) -> str:
        return str(self.region()["name"])

    @property
    def level(self) -> str:
        return str(self.region()["level"])

    @property
    def compared_parent(self) -> str:
        """The region whose children are compared on the map and the ranking: the region
        itself, or for a county its city (a county is shown among its city's counties)."""
        region = self.region()
        parent = str(region["parent_adcode"])
        # A viewer limited to the county sees no city: the county is compared with nothing.
        return parent if region["level"] == "county" and parent in self.tree().index \
            else self.adcode

    @property
    def compared_words(self) -> str:
        """``浙江省各设区市``, ``杭州市各县（市、区）`` (a county seen alone: its name)."""
        if self.level == "county" and self.compared_parent == self.adcode:
            return self.region_name
        return f"{self.tree().loc[self.compared_parent, 'name']}{CHILD_NOUN[self.level]}"

    @property
    def period_words(self) -> str:
        return period_label(self.period)

    @property
    def as_of_words(self) -> str:
        """``截至2026年11月22日``: topics judged on today (tasks, problems)."""
        return fmt.as_of(self.today)

    @property
    def day_words(self) -> str:
        """``2026年11月22日``: the day of the topics judged on today."""
        return fmt.long_day(self.today)

    def share_statuses(self) -> None:
        """Judge the indicators once for the panels of this build that show them — the cards
        of the region, the map and ranking of the regions it is compared with, their board
        (赛马榜) and the board of the month before (the change of rank), the red lights: every
        indicator of the region and of those regions, this month and the month before, from
        one read (:func:`data.queries.share_statuses`; within a request or a query memo)."""
        tree = self.tree()
        members = tuple(tree.index[tree["parent_adcode"] == self.compared_parent])
        before = queries.shift_period(self.period, -1)
        periods = ((before, self.period) if before in queries.periods(scope=self.scope)
                   else (self.period,))
        queries.share_statuses(scope=self.scope, adcodes=(self.adcode, *members),
                               periods=periods)

    def ancestors(self) -> list[str]:
        """The adcodes above the region, the province first (those the viewer may see)."""
        tree = self.tree()
        return [a for a in self.region()["ancestors"] if a in tree.index]

    def path(self) -> list[tuple[str, str, bool]]:
        """(adcode, name, visible) from the province down to the region: a breadcrumb names
        every ancestor and links those the viewer may open."""
        return queries.region_path(scope=self.scope, adcode=self.adcode)


#: The level of the regions a region's map and ranking compare (a city's map shows its counties;
#: a county's, its city's counties).
COMPARED_LEVEL = {"province": "city", "city": "county", "county": "county"}


def default_indicator(tree: pd.DataFrame, catalogue: pd.DataFrame, adcode: str) -> str:
    """The indicator a region's page (and its briefing's map) shows when none is chosen: the
    first of the catalogue counted at the level its map and ranking compare — a city's map shows
    its counties, and an indicator counted only down to cities would leave it all 不适用 —, else
    the first counted at the region's own level, else the first."""
    level = tree.loc[tree["adcode"] == adcode, "level"].iloc[0]
    for wanted in (COMPARED_LEVEL[level], level):
        counted = catalogue[[applies_at(lowest, wanted) for lowest in catalogue["lowest_level"]]]
        if len(counted):
            return str(counted["code"].iloc[0])
    return str(catalogue["code"].iloc[0])


def make_context(*, scope: Scope, adcode: str = PROVINCE, indicator: str | None = None,
                 period: str | None = None, window: Window | None = None) -> PanelContext:
    """A context for ``scope``, checked against the store and with defaults filled in: the
    first indicator of the catalogue and the latest month with data.

    With a ``window`` (and no ``period``), the period is the window's last month with figures
    and today and now are the window's end (see the module's docstring).

    Raises :class:`~panels.addresses.BadAddress` (with the Chinese message) for a region,
    indicator or period that does not exist, and ``StoreUnavailable`` when the store is down.
    """
    adcode = str(adcode)
    try:  # unknown, or outside the viewer's scope (无权限, written to the audit log)
        queries.check_region(scope=scope, adcode=adcode)
    except queries.ScopeRefused as refused:
        raise BadAddress(str(refused)) from refused
    tree = queries.regions(scope=scope)
    catalogue = queries.indicators(scope=scope)
    if indicator is None:
        if catalogue.empty:
            raise BadAddress(ERRORS["no_data"])
        indicator = default_indicator(tree, catalogue, adcode)
    elif indicator not in set(catalogue["code"]):
        raise BadAddress(ERRORS["unknown_indicator"].format(code=indicator))
    available = queries.periods(scope=scope)
    if not available:
        raise BadAddress(ERRORS["no_data"])
    if window is not None:
        if period is not None:
            raise ValueError("give a period or a window, not both")
        period = window.indicator_period(available)
        if period is None:
            raise BadAddress(NO_FIGURES_IN_WINDOW.format(
                window=window.label, first=available[0], last=available[-1]))
        today, now = clock.today(scope=scope), clock.now(scope=scope)
        if window.start > today:
            raise BadAddress(WINDOW_NOT_STARTED.format(window=window.label, today=today))
        return PanelContext(scope=scope, adcode=adcode, period=period, indicator=indicator,
                            today=window.as_of(today), now=window.moment(now), window=window)
    if period is None:
        period = available[-1]
    elif not PERIOD_PATTERN.match(str(period)):
        raise BadAddress(ERRORS["bad_period"].format(period=period))
    elif period not in available:
        raise BadAddress(ERRORS["period_out_of_range"].format(
            period=period, first=available[0], last=available[-1]))
    return PanelContext(scope=scope, adcode=adcode, period=str(period), indicator=indicator,
                        today=clock.today(scope=scope), now=clock.now(scope=scope))


def from_address(*, adcode: str | None = None, indicator: object = None,
                 period: object = None) -> PanelContext:
    """The context of a page's address, for the person viewing it (the one call of
    :func:`viewer_scope` of the request). Without a region the viewer lands on their own
    level (:func:`data.scope.home_region`: a county user at the county). A repeated parameter
    is refused."""
    for name, value in (("indicator", indicator), ("period", period)):
        one_value(name, value)
    scope = viewer_scope()
    return make_context(scope=scope, adcode=str(adcode or home_region(scope) or PROVINCE),
                        indicator=indicator or None, period=period or None)
