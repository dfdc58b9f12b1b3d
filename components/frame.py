"""The frame around every page: header, navigation, breadcrumb, messages, footer."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from dash import dcc, html
from dash.development.base_component import Component
from flask import g, has_request_context

from config.labels import (
    BACK_HOME,
    DEMO_BADGE,
    DEMO_BADGE_TITLE,
    ERROR_TITLE,
    ERRORS,
    PRODUCT_NAME,
)
from data.queries import ScopeRefused
from data.store import StoreUnavailable
from panels.addresses import BadAddress

#: The header's menu (the navigation, status and user; folded on a phone).
MENU_ID = "app-menu"


def header(*, nav_items: list[tuple[str, str]], demo: bool,
           updated_at: datetime | None, store_down: bool = False,
           user_menu: html.Div | None = None,
           demo_topics: list[str] | None = None) -> html.Header:
    status = []
    if demo:
        title = DEMO_BADGE_TITLE
        if demo_topics:
            title += f"仍为演示数据的内容：{'、'.join(demo_topics)}。"
        status.append(html.Span(DEMO_BADGE, className="demo-badge", title=title))
    if store_down:
        status.append(html.Span("数据库未连接", className="store-down"))
    elif updated_at is not None:
        status.append(html.Span(f"数据更新于 {updated_at:%Y-%m-%d %H:%M}",
                                className="freshness"))
    return html.Header(
        [
            dcc.Link([html.Span("浙", className="brand-mark", **{"aria-hidden": "true"}),
                      html.Span(PRODUCT_NAME, className="brand-name")],
                     href="/", className="brand"),
            # On a phone the navigation, the status and the user fold into a menu
            # (assets/07-menu.js opens it); on a desk the wrapper is invisible to the layout.
            html.Button([html.Span("☰", **{"aria-hidden": "true"}), "菜单"],
                        className="menu-toggle", type="button",
                        **{"aria-expanded": "false", "aria-controls": MENU_ID}),
            html.Div([
                html.Nav([dcc.Link(name, href=href, className="nav-link")
                          for name, href in nav_items], className="nav",
                         **{"aria-label": "主导航"}),
                html.Div(status, className="header-status"),
                user_menu,
            ], id=MENU_ID, className="header-menu"),
        ],
        className="app-header",
    )


def user_menu(*, name: str, unit: str, role: str, csrf_token: str) -> html.Div:
    """The signed-in user's name, unit and role, and the sign-out button (a form posted
    with its CSRF token)."""
    return html.Div(
        [
            html.Span(name, className="user-name"),
            html.Span(unit, className="user-unit"),
            html.Span(role, className="user-role"),
            html.Form(
                [dcc.Input(type="hidden", name="csrf_token", value=csrf_token),
                 html.Button("退出", type="submit", className="logout-button")],
                method="POST", action="/logout", className="logout-form",
            ),
        ],
        className="user-menu", **{"aria-label": "当前用户"},
    )


#: Copies of the watermark's text, enough to cover a 4K screen.
WATERMARK_COPIES = 40


def watermark(*, who: str, when: datetime) -> html.Div:
    """A faint watermark over the whole page: who is looking, and when (the time is kept
    current in the browser by ``assets/05-session.js``), so that screenshots and printouts
    can be traced. The page carries one copy of the text; the browser repeats it
    (``data-copies``, ``assets/05-session.js``) rather than Dash drawing 120 components."""
    stamp = f"{when:%Y-%m-%d %H:%M}"
    mark = html.Div([html.Div(who), html.Div(stamp, className="watermark-time")],
                    className="watermark-mark")
    return html.Div(mark, className="watermark", **{
        "aria-hidden": "true", "data-server-time": when.isoformat(timespec="seconds"),
        "data-copies": str(WATERMARK_COPIES)})


def navigator(location_id: str) -> dcc.Location:
    """A page's own address bar: the output of the page's callbacks that go to another address.

    Dash calls a callback whose inputs arrive with a page (its dropdowns, its map) as soon as the
    page is drawn when the callback's output is outside the page, ``prevent_initial_call`` or
    not: with the frame's address bar as the output, every load of a page cost a request that
    answered "no change" and a second pass of Dash over the whole page. With an output inside
    the page, the callback waits for a control to be used. Going there is the same: the address
    changes in the browser's history (Back works) and the page is drawn anew."""
    return dcc.Location(id=location_id, refresh="callback-nav")


def breadcrumb(items: list[tuple[str, str | None]]) -> html.Nav:
    """``items`` are (name, href); the last one (the current region) has no link, nor has
    an ancestor the viewer may not open (``href`` ``None``: shown as text)."""
    parts = []
    for i, (name, href) in enumerate(items):
        if i:
            parts.append(html.Span("›", className="crumb-sep", **{"aria-hidden": "true"}))
        if href is None and i < len(items) - 1:
            parts.append(html.Span(name, className="crumb-text"))
        elif href is None:
            parts.append(html.Span(name, className="crumb-current", **{"aria-current": "page"}))
        else:
            parts.append(dcc.Link(name, href=href, className="crumb-link"))
    return html.Nav(parts, className="breadcrumb", **{"aria-label": "地区层级"})


#: Set in ``flask.g`` when a request answers with a message instead of its page: such an
#: answer is never kept for others (:mod:`components.answer_cache`).
MESSAGE_SHOWN = "cockpit_message_shown"


def message_page(message: str, *, title: str = ERROR_TITLE) -> html.Div:
    if has_request_context():
        setattr(g, MESSAGE_SHOWN, True)
    return html.Div(
        [html.H2(title), html.P(message, className="message-text"),
         dcc.Link(BACK_HOME, href="/", className="button")],
        className="message-page", role="alert",
    )


#: The one place where a callback that could not finish says why (see app.callback_error).
NOTICE_ID = "app-notice"


def notice_bar() -> html.Div:
    """Where a control that could not do its work (the store is down, a value names nothing,
    the viewer may not do it) says so, in the same words as a page that cannot load."""
    return html.Div([html.Span(id=f"{NOTICE_ID}-text"),
                     html.Button("知道了", id=f"{NOTICE_ID}-close", className="notice-close",
                                 n_clicks=0)],
                    id=NOTICE_ID, className="app-notice", role="alert", hidden=True)


def callback_notice(error: Exception) -> str | None:
    """The words for an expected failure inside a callback (``None``: not an expected one)."""
    if isinstance(error, StoreUnavailable):
        return ERRORS["store_down"]
    if isinstance(error, BadAddress | PermissionError | ScopeRefused):
        return str(error) or "无权限。"
    return None


def page_or_message(build: Callable[[], Component]) -> Component:
    """A page's layout, or the one message every page gives when its address names nothing
    that exists (:class:`~panels.addresses.BadAddress`) or the store cannot be reached."""
    try:
        return build()
    except (BadAddress, ScopeRefused) as bad:
        return message_page(str(bad))
    except StoreUnavailable:
        return message_page(ERRORS["store_down"])


def footer(attribution: str) -> html.Footer:
    return html.Footer(html.Small(attribution), className="app-footer")
