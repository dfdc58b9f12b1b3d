"""A light, a status or a level as a badge: a fill, a symbol and a word (never colour alone)."""

from __future__ import annotations

from dash import html

from components.risk_map import ink_for
from config.labels import light_style


def light_badge(code: str, word: str, *, title: str | None = None,
                class_name: str = "") -> html.Span:
    """``code`` is a light code (green, yellow, red, none) or ``done``; ``word`` the word this
    light has where it is shown (正常, 逾期, 推进中 …)."""
    style = light_style(code)
    props = {"title": title} if title else {}
    return html.Span(
        [html.Span(style.symbol, className="light-symbol", **{"aria-hidden": "true"}), word],
        className=f"light light-{code} {class_name}".strip(),
        style={"backgroundColor": style.colour, "color": style.ink}, **props)


def level_chip(word: str, colour: str) -> html.Span:
    """A risk level (its colour is data: the five colours) as a chip with its word, in white
    or near-black, whichever reads on the colour."""
    return html.Span(word, className="level-chip", style={"backgroundColor": colour,
                                                          "color": ink_for(colour)})
