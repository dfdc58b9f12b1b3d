"""The registry of panels: every panel the cockpit can show, in the order it shows them.

A panel is a function ``(PanelContext) -> PanelModel | None`` (``None``: nothing to show for
this context, e.g. no disaster event) registered with :func:`panel`::

    @panel("tasks", "重大任务", order=70, surfaces=ALL_SURFACES)
    def tasks(ctx: PanelContext) -> PanelModel | None: ...

``order`` places it among the others (overview 0, indicators 10, map 20, ranking 30, trend 40,
risk 50, problems 60, tasks 70, directives 80, red lights 90); the module that defines it is
listed in :mod:`panels.catalogue`.

Adding a panel is one registered function: every surface that lists it draws it, with the
surface's own renderer for its key if it has one and the generic one otherwise.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from data.store import query_memo
from panels.context import PanelContext
from panels.model import PanelModel

#: The surfaces that render panels.
DESK, SCREEN, MEETING, BRIEFING = "desk", "screen", "meeting", "briefing"
ALL_SURFACES = frozenset({DESK, SCREEN, MEETING, BRIEFING})

Builder = Callable[[PanelContext], PanelModel | None]


@dataclass(frozen=True)
class PanelSpec:
    key: str
    #: The panel's name, for menus, the screen's ``?panels=`` and a briefing's sections.
    title: str
    build: Builder
    #: Surfaces that show the panel by default.
    surfaces: frozenset[str]
    #: Its place in the order of panels (smaller first).
    order: int


REGISTRY: dict[str, PanelSpec] = {}


def panel(key: str, title: str, *, order: int, surfaces: Iterable[str] = ALL_SURFACES
          ) -> Callable[[Builder], Builder]:
    """Register a panel function under ``key``, at place ``order``."""
    def register(build: Builder) -> Builder:
        if key in REGISTRY and REGISTRY[key].build is not build:
            raise ValueError(f"panel {key!r} is registered twice")
        REGISTRY[key] = PanelSpec(key, title, build, frozenset(surfaces), order)
        return build
    return register


def keys(surface: str | None = None) -> list[str]:
    """The panels' keys in order (those a surface shows by default, if one is named)."""
    _load()
    ordered = sorted(REGISTRY.values(), key=lambda spec: spec.order)
    return [spec.key for spec in ordered if surface is None or surface in spec.surfaces]


def spec(key: str) -> PanelSpec:
    _load()
    return REGISTRY[key]


#: Models already built within :func:`built_once`, by (context, key).
_built: ContextVar[dict | None] = ContextVar("panels_built", default=None)


@contextmanager
def built_once() -> Iterator[None]:
    """Within it, each panel is built once per context: a surface that shows a panel and the
    overview made from it (or a briefing that compares several windows) pays once; and each
    query is read once (:func:`data.store.query_memo`, as within a request)."""
    token = _built.set({})
    try:
        with query_memo():
            yield
    finally:
        _built.reset(token)


def build(ctx: PanelContext, key: str) -> PanelModel | None:
    """One panel's model for ``ctx``."""
    built = _built.get()
    if built is None:
        return spec(key).build(ctx)
    if (ctx, key) not in built:
        built[(ctx, key)] = spec(key).build(ctx)
    return built[(ctx, key)]


def build_all(ctx: PanelContext, *, surface: str | None = None,
              only: Iterable[str] | None = None) -> dict[str, PanelModel]:
    """The models of the panels of a surface (or those named in ``only``), in order; panels
    with nothing to show for ``ctx`` are left out."""
    wanted = list(only) if only is not None else keys(surface)
    with query_memo():  # each query read once for all the panels (as within a request)
        built = [(key, build(ctx, key)) for key in wanted]
    return {key: model for key, model in built if model is not None}


def _load() -> None:
    """Import the modules that register the built-in panels (once)."""
    import panels.catalogue  # noqa: F401 - registers the panels
