"""What a briefing says, apart from how it is printed: the panel models of a region and a
window, side by side with the window before (环比) and a year earlier (同比).

Every figure comes from a panel model (:mod:`panels`) built for the same context as the desk
and the large screen would build it, so the three can never disagree; the briefing only sets
models side by side (:mod:`panels.compare`) and puts them in sentences (:mod:`briefing.summary`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from data import queries
from data import risk_queries as rq
from data.reference import PROVINCE
from data.scope import Scope
from data.windows import Window
from panels import registry, topics
from panels.compare import Comparison, compare
from panels.context import PanelContext, default_indicator, make_context
from panels.model import PanelModel

#: The sections a user may choose, in the order they are printed (the cover always comes).
SECTIONS: dict[str, str] = {
    "summary": "摘要",
    "overview": "总览",
    "indicators": "核心指标",
    "red_lights": "红灯、黄灯指标",
    "map": "地图与排名",
    "trend": "趋势",
    "risk": "风险“五色图”",
    "tasks": "逾期和风险任务",
    "problems": "问题清单",
    "directives": "批示督办",
    "race": "赛马榜",
    "appeals": "民呼我为",
    "appendix": "规则附录",
}

#: A progress callback: (share done 0–100, what is being done).
Progress = Callable[[int, str], None]


@dataclass(frozen=True)
class BriefingRequest:
    """What to brief on: a region, a window, the sections and the map's indicator."""

    adcode: str = PROVINCE
    window: Window | None = None
    sections: tuple[str, ...] = tuple(SECTIONS)
    indicator: str | None = None

    def __post_init__(self) -> None:
        unknown = [s for s in self.sections if s not in SECTIONS]
        if unknown:
            raise ValueError(f"没有这些简报章节：{'、'.join(unknown)}。")
        if not self.sections:
            raise ValueError("请至少选择一个简报章节。")
        # The printed order, whatever order they were chosen in.
        object.__setattr__(self, "sections",
                           tuple(s for s in SECTIONS if s in set(self.sections)))


@dataclass(frozen=True)
class Viewer:
    """Who the briefing is made for (its watermark): name and unit."""

    name: str
    unit: str


@dataclass
class Briefing:
    request: BriefingRequest
    viewer: Viewer
    ctx: PanelContext
    comparison: Comparison
    #: Models of the window shown, by key (``tasks`` and ``directives`` with every row).
    models: dict[str, PanelModel]
    #: The same models for the window before and a year earlier (those the changes need).
    previous: dict[str, PanelModel]
    year_before: dict[str, PanelModel]
    #: Five-colour maps of the disaster events within the window (each at its worst moment).
    risk: list[PanelModel]
    made_at: datetime
    demo: bool
    freshness: datetime | None
    summary: list[str] = field(default_factory=list)

    @property
    def window(self) -> Window:
        return self.ctx.time_window

    @property
    def title(self) -> str:
        return f"{self.ctx.region_name}数字化改革{self.window.report_name}"

    @property
    def file_name(self) -> str:
        """``杭州市数字化改革月报-2026-10.pdf``."""
        return f"{self.title}-{self.window.key}.pdf"

    def has(self, section: str) -> bool:
        return section in self.request.sections


#: Panels each section needs for the window shown, and for the comparisons.
NEEDS: dict[str, tuple[str, ...]] = {
    "summary": ("overview", "indicators", "red_problems"),
    "overview": ("overview",),
    "indicators": ("indicators",),
    "red_lights": ("red_lights",),
    "map": ("map", "ranking"),
    "trend": ("trend",),
    "tasks": ("tasks",),
    "problems": ("problems", "red_problems"),
    "directives": ("directives",),
    "race": ("race",),
    "appeals": ("appeals",),
}
COMPARED: dict[str, tuple[str, ...]] = {
    "summary": ("overview", "indicators"),
    "overview": ("overview",),
    "indicators": ("indicators",),
    "map": ("ranking",),
    "tasks": ("tasks",),
    "problems": ("red_problems",),
}
#: Rows a briefing lists in full where the screen shows only the first few.
ALL_ROWS = 100_000


def build_model(ctx: PanelContext, key: str) -> PanelModel | None:
    """A panel's model for the briefing: the registry's, with every row of the lists the
    screen cuts short (tasks, directives)."""
    if key == "tasks":
        return topics.tasks(ctx, limit=ALL_ROWS)
    if key == "directives":
        return topics.directives(ctx, limit=ALL_ROWS)
    return registry.build(ctx, key)


def _build(ctx: PanelContext | None, keys: Iterable[str]) -> dict[str, PanelModel]:
    if ctx is None:
        return {}
    built = {key: build_model(ctx, key) for key in dict.fromkeys(keys)}
    return {key: model for key, model in built.items() if model is not None}


def map_indicator(scope: Scope, adcode: str) -> str | None:
    """The map's indicator when none is chosen: the desk page's own default
    (:func:`panels.context.default_indicator`: one counted at the level the map compares)."""
    tree = queries.regions(scope=scope)
    catalogue = queries.indicators(scope=scope)
    if adcode not in set(tree["adcode"]) or catalogue.empty:
        return None  # make_context says why
    return default_indicator(tree, catalogue, adcode)


def window_risk(ctx: PanelContext) -> list[PanelModel]:
    """The five-colour map of each disaster event within the window, at its worst moment
    within it (the peak, else the last assessment up to the window's end)."""
    window = ctx.time_window
    models = []
    events = rq.risk_events(scope=ctx.scope)
    for event in events.sort_values("started_at").itertuples(index=False):
        if not window.overlaps(event.started_at, event.ended_at):
            continue
        times = [t for t in rq.assessment_times(scope=ctx.scope, event_id=int(event.id))
                 if window.start <= t.date() and t <= ctx.now]
        if not times:
            continue
        peak = rq.peak_time(scope=ctx.scope, event_id=int(event.id))
        moment = peak if peak in times else times[-1]
        model = registry.build(ctx.but(now=moment), "risk")
        if model is not None and model.extra.get("event") == int(event.id):
            models.append(model)
    return models


def compose(request: BriefingRequest, *, scope: Scope, viewer: Viewer, made_at: datetime,
            progress: Progress | None = None) -> Briefing:
    """The briefing of ``request`` as ``scope`` may see it. Raises
    :class:`panels.addresses.BadAddress` for a region, indicator or window that names nothing."""
    with registry.built_once():
        return _compose(request, scope=scope, viewer=viewer, made_at=made_at,
                        tell=progress or (lambda share, words: None))


def _compose(request: BriefingRequest, *, scope: Scope, viewer: Viewer, made_at: datetime,
             tell: Progress) -> Briefing:
    ctx = make_context(scope=scope, adcode=request.adcode, window=request.window,
                       indicator=request.indicator or map_indicator(scope, request.adcode))
    tell(10, "汇总本期指标、任务和问题")
    sections = request.sections
    models = _build(ctx, (k for s in sections for k in NEEDS.get(s, ())))
    comparison = compare(ctx)
    tell(25, "对比上期和去年同期")
    wanted = [k for s in sections for k in COMPARED.get(s, ())]
    previous = _build(comparison.previous, wanted)
    year_before = _build(comparison.year_before, wanted)
    risk = window_risk(ctx) if "risk" in sections or "summary" in sections else []
    status = queries.dataset_status(scope=scope)
    briefing = Briefing(request=request, viewer=viewer, ctx=ctx, comparison=comparison,
                        models=models, previous=previous, year_before=year_before, risk=risk,
                        made_at=made_at, demo=bool(status["demo"]),
                        freshness=status["updated_at"])
    from briefing.summary import sentences

    briefing.summary = sentences(briefing)
    tell(40, "数据已就绪")
    return briefing
