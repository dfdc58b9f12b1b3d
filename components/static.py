"""A part of a page that only shows (no id, no callback): the same HTML, drawn by one component.

Dash keeps every component of a page in its store and, whenever anything changes (a callback
starts or ends, a chart reports its size), asks each one whether it changed: with the cockpit's
~900 components that was 10–20 ms per change and 150 ms of blocking time after each load, and
React drew each of them through Dash's wrapper. A block of cards or a table made of html
components and links is sent instead as one :class:`Static` whose ``tree`` prop is that HTML
(``{"t": tag, "p": props, "c": children}``); ``assets/04-static.js`` draws it with React alone.
Tags, classes, styles, titles, ``aria-*`` and ``data-*`` are kept; a :class:`dcc.Link` stays a
link that moves within the app (Dash's own way: the history, then its address bar), a click
with a modifier key opens it as the browser would.
"""

from __future__ import annotations

from dash import dcc
from dash.development.base_component import Component

#: Where the browser finds the component (``window.cockpit_components``).
NAMESPACE = "cockpit_components"
#: The html components' props that are Dash's own, not the element's.
DASH_ONLY = {"n_clicks", "n_clicks_timestamp", "disable_n_clicks", "key", "loading_state"}


class Static(Component):
    """HTML drawn by ``assets/04-static.js`` from ``tree`` (see the module)."""

    _children_props: list[str] = []
    _base_nodes: list[str] = []
    _namespace = NAMESPACE
    _type = "Static"

    def __init__(self, tree=None, **kwargs):
        self._prop_names = ["tree"]
        self._valid_wildcard_attributes: list[str] = []
        self.available_properties = ["tree"]
        self.available_wildcard_properties: list[str] = []
        super().__init__(tree=tree, **kwargs)


def tree(node: object) -> object:
    """``node`` (a component, text or a list of them) as the tree ``Static`` draws."""
    if node is None or isinstance(node, bool):
        return None
    if isinstance(node, str | int | float):
        return str(node)
    if isinstance(node, list | tuple):
        return [tree(n) for n in node]
    if not isinstance(node, Component):
        raise TypeError(f"not a component: {node!r}")
    props = {k: v for k, v in node.to_plotly_json()["props"].items() if k not in DASH_ONLY}
    if "id" in props:
        raise ValueError(f"{node._type} {props['id']!r} has an id: it stays a Dash component")
    children = props.pop("children", None)
    if isinstance(node, dcc.Link):
        reload = props.pop("refresh", False)  # a link that reloads the page is a plain link
        return {"t": "a", "p": props, "c": tree(children), "link": not reload}
    if node._namespace != "dash_html_components":
        raise ValueError(f"{node._namespace}.{node._type} is not plain HTML")
    return {"t": node._type.lower(), "p": props, "c": tree(children)}


def static(component: Component) -> Static:
    """``component`` and everything in it, drawn as plain HTML by one component. The
    components it was made from stay its ``children`` on this side (never sent: not a prop),
    for code that looks into a layout (the tests)."""
    drawn = Static(tree=tree(component))
    drawn.children = component
    return drawn


def static_parts(component: Component) -> Component:
    """``component`` with every part of it that only shows drawn as plain HTML: each child that
    is plain HTML without an id becomes one :class:`Static`, a child that holds a Dash component
    (a chart, a control, anything with an id) stays and is looked into in turn. A panel keeps
    its chart as a Dash component; its title, figures, table and legend are one component each."""
    children = getattr(component, "children", None)
    if not isinstance(children, list | tuple | Component):
        return component
    kept = []
    for child in children if isinstance(children, list | tuple) else [children]:
        if not isinstance(child, Component):
            kept.append(child)
            continue
        try:
            drawn = Static(tree=tree(child))
        except (TypeError, ValueError):
            kept.append(static_parts(child))
        else:
            drawn.children = child
            kept.append(drawn)
    component.children = kept if isinstance(children, list | tuple) else kept[0]
    return component
