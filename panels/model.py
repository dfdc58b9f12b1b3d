"""The plain model of a panel: what it shows, apart from how it is drawn.

A panel function (see :mod:`panels.registry`) turns a :class:`~panels.context.PanelContext`
into a :class:`PanelModel`. Every surface — the desk page, the large screen, the meeting slides
and the PDF briefing — renders the same model, so they can never disagree.

The model is plain data: strings, numbers, dates, plotly figures. Lights, statuses and levels
are English codes (``red``, ``overdue``, ``RED``); the Chinese word that goes with a code in
this panel travels beside it (``light_word``), so that a renderer needs no rule to draw it.
Colours come from :mod:`config.labels` by code; a risk level, whose colour is data, carries it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

import plotly.graph_objects as go


@dataclass(frozen=True)
class Link:
    """Where to open the panel's subject, in words and as an address."""

    text: str
    href: str


@dataclass(frozen=True)
class Stat:
    """One figure: a headline number, or a count of a light, status or level.

    ``code`` says what is counted (``red``, ``overdue``, ``RED``, ``open``); ``light`` is the
    colour key of :data:`config.labels.LIGHTS` (or ``done``) it is drawn with, ``colour`` an
    explicit fill where the colour is data (risk levels).
    """

    code: str
    label: str
    value: float | int | None
    text: str
    unit: str = ""
    light: str | None = None
    colour: str | None = None
    note: str = ""
    href: str | None = None


@dataclass(frozen=True)
class Column:
    """A column of :attr:`PanelModel.rows`: the field, its Chinese header and its kind.

    Kinds: ``text``, ``number`` (right-aligned, ``field`` holds the formatted text),
    ``light`` (the row's ``light`` code with ``light_word``), ``level`` (a risk level: ``field``
    is its word, the row's ``colour`` its colour of the five), ``link`` (``field`` is the text,
    ``href`` the address).
    """

    field: str
    header: str
    kind: str = "text"


@dataclass(frozen=True)
class Group:
    """A group of rows (the indicators of one system): its code, name and counts."""

    code: str
    name: str
    stats: tuple[Stat, ...] = ()


@dataclass
class PanelModel:
    """What one panel shows for one context."""

    #: The panel's key in the registry (``indicators``, ``map`` …).
    key: str
    #: What the panel is: ``核心指标``, ``重大任务`` ….
    title: str
    #: The region it shows, in words: ``杭州市`` (or ``杭州市各县（市、区）``).
    region: str
    #: The period it shows, in words: ``2026年10月`` or ``截至2026年11月22日``.
    period: str
    #: Figures by name (``map``, ``ranking`` …).
    figures: dict[str, go.Figure] = field(default_factory=dict)
    #: Headline figures and counts, in the order they are shown.
    stats: list[Stat] = field(default_factory=list)
    #: Table rows (plain values; lights as codes) and their columns.
    rows: list[dict[str, Any]] = field(default_factory=list)
    columns: list[Column] = field(default_factory=list)
    #: Groups the rows belong to (``row["group"]`` is a group's code).
    groups: list[Group] = field(default_factory=list)
    #: The rule behind its lights or statuses, in words.
    rule: str = ""
    #: Where to open it.
    link: Link | None = None
    #: When its figures were last updated (``None``: not known).
    freshness: datetime | None = None
    #: The moment its figures stand at, in words (``2026年10月``, ``2026年11月22日``): a page
    #: states one "as of" line from its panels' (:func:`panels.as_of.as_of_line`).
    as_of: str = ""
    #: A remark under the rows (``另有 3 项…``).
    note: str = ""
    #: Said instead of the content when there is nothing to show.
    empty: str = ""
    #: Anything a panel's own renderer needs beyond the fields above (plain values only).
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def subtitle(self) -> str:
        """The region and period, as every surface states them under the title."""
        return " · ".join(part for part in (self.region, self.period) if part)

    def but(self, **changes: Any) -> PanelModel:
        return replace(self, **changes)
