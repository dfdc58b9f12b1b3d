"""Meeting mode (会议模式): ``/meeting`` and ``/meeting/<adcode>``, one slide per address
(``?slide=N``), in the order of a monthly meeting (:mod:`panels.meeting`).

The keyboard drives it (``assets/71-meeting.js``): → and ← (or PageDown/PageUp) the next and
the previous slide, Home and End the first and the last, a number jumps there. Each slide is an
address of its own, so → changes the address and Back returns to the slide before.
"""

from __future__ import annotations

import json

import dash
from dash import dcc, html

from components.frame import page_or_message
from components.surfaces import meeting as surface
from config.labels import DEMO_BADGE, PRODUCT_NAME
from data import queries
from panels import registry
from panels.addresses import meeting_href
from panels.context import PanelContext, from_address
from panels.meeting import Slide, slide_number, slides

dash.register_page(__name__, path="/meeting", path_template="/meeting/<adcode>",
                   title=f"会议模式 · {PRODUCT_NAME}", name="会议模式", order=91)


def layout(adcode: str | None = None, slide: object = None, indicator: object = None,
           period: object = None, **_: object) -> html.Div:
    kept = {"indicator": indicator, "period": period}  # as asked (checked by the context)
    return page_or_message(lambda: meeting_view(
        from_address(adcode=adcode, indicator=indicator, period=period), slide, kept))


def meeting_view(context: PanelContext, raw_slide: object, kept: dict) -> html.Div:
    with registry.built_once():
        models = registry.build_all(context, surface=registry.MEETING)
    deck = slides(models)
    number = slide_number(raw_slide, len(deck))
    current = deck[number - 1]
    hrefs = [meeting_href(context.adcode, slide=i, settings=kept)
             for i in range(1, len(deck) + 1)]
    return html.Div(
        html.Div([header(context, number, len(deck)),
                  slide_view(current, models[current.key]),
                  footer(context, deck, number, hrefs)],
                 className="screen-canvas meeting-canvas"),
        className="screen-stage is-meeting",
        **{"data-rotate": "0", "data-refresh": "0", "data-slide": str(number),
           "data-hrefs": json.dumps(hrefs)},
    )


def header(context: PanelContext, number: int, count: int) -> html.Header:
    trail: list = []
    for i, (adcode, name, visible) in enumerate(context.path()):
        if i:
            trail.append(html.Span("›", className="crumb-sep", **{"aria-hidden": "true"}))
        current = adcode == context.adcode
        trail.append(html.Span(name, className="crumb-current") if current or not visible
                     else dcc.Link(name, href=meeting_href(adcode), className="crumb-link"))
    return html.Header([
        html.Div([html.H1(f"{PRODUCT_NAME} · 月例会", className="sh-title"),
                  html.Nav(trail, className="sh-crumbs", **{"aria-label": "地区层级"})],
                 className="sh-left"),
        html.Div(html.Span(f"{context.period_words}指标 · {context.as_of_words}",
                           className="sh-period"), className="sh-status"),
        html.Div([html.Span(f"第 {number} / {count} 页", className="ms-count"),
                  html.Time(className="sh-clock")], className="sh-right"),
    ], className="screen-header")


def slide_view(slide: Slide, model) -> html.Section:
    return html.Section([
        html.Header([html.H2(slide.title, className="ms-title"),
                     html.Span(model.subtitle, className="ms-sub")], className="ms-head"),
        surface.render(slide, model),
    ], className="ms-slide", **{"aria-label": slide.title, "data-panel": slide.key})


def footer(context: PanelContext, deck: list[Slide], number: int, hrefs: list[str]
           ) -> html.Footer:
    info = queries.dataset_status(scope=context.scope)
    status = []
    if info["updated_at"] is not None:
        status.append(html.Span(f"数据更新于 {info['updated_at']:%Y-%m-%d %H:%M}",
                                className="sh-fresh"))
    if info["demo"]:
        status.append(html.Span(DEMO_BADGE, className="sh-demo"))
    steps = [dcc.Link(str(i), href=href, title=s.title,
                      className="ms-step" + (" is-current" if i == number else ""))
             for i, (s, href) in enumerate(zip(deck, hrefs, strict=True), start=1)]
    return html.Footer([
        html.Div(status, className="ms-status"),
        html.Nav(steps, className="ms-steps", **{"aria-label": "页码"}),
        html.Span("← → 翻页 · Home / End 首页、末页 · 数字键跳转", className="ms-keys"),
    ], className="ms-footer")
