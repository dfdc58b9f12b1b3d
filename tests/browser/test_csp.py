"""The Content-Security-Policy (auth/headers.py) in a real browser: every page draws with no
violation — scripts from the app and Dash's hashed inline scripts only, no eval — and a page
may be framed only by the origins ``COCKPIT_FRAME_ANCESTORS`` names.

Violations are caught twice: the page's ``securitypolicyviolation`` events (recorded by an
init script, which the policy does not govern) and the console errors every browser test
checks at teardown (Chromium logs each refusal there).
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__cspViolations.push(
    `${e.violatedDirective} ${e.blockedURI} @ ${e.sourceFile}:${e.lineNumber}`);
});
"""

#: Every page as the leader sees it, with one of its controls used where that loads more.
PAGES = ["/", "/region/330100", "/region/330106", "/risk", "/risk?event=1", "/problems",
         "/problems/1", "/tasks", "/tasks/ZD2026-015", "/rankings", "/appeals", "/apps",
         "/briefings", "/screen?rotate=0", "/meeting?slide=2", "/region/999999"]
ADMIN_PAGES = ["/data", "/admin", "/audit"]


def drawn(page: Page) -> None:
    page.wait_for_load_state("networkidle")
    expect(page.locator("._dash-loading")).to_have_count(0)


def violations(page: Page) -> list[str]:
    return page.evaluate("window.__cspViolations || []")


def test_every_page_draws_under_the_policy(page: Page, sign_in) -> None:
    page.context.add_init_script(RECORD_VIOLATIONS)
    found: dict[str, list[str]] = {}
    for who, paths in (("leader", PAGES), ("admin", ADMIN_PAGES)):
        if who != "leader":
            sign_in(page, who)
        for path in paths:
            answer = page.goto(path)
            policy = answer.headers["content-security-policy"]
            assert "script-src 'self'" in policy and "'unsafe-eval'" not in policy
            drawn(page)
            page.wait_for_timeout(300)  # charts draw after the layout
            if found_here := violations(page):
                found[path] = found_here
    # The grid's filter, a dropdown and a chart's hover: code that runs only on use.
    sign_in(page, "leader")
    page.goto("/tasks")
    drawn(page)
    page.locator("#tasks-status").click()
    page.keyboard.press("Escape")
    page.locator("#tasks-gantt .js-plotly-plot").hover()
    if found_here := violations(page):
        found["/tasks (used)"] = found_here
    assert not found, found


def test_the_sign_in_pages_run_no_inline_script(page: Page, sign_in) -> None:
    page.context.add_init_script(RECORD_VIOLATIONS)
    sign_in(page, None)
    for path in ("/login", "/login/device"):
        page.goto(path)
        expect(page.locator("form")).to_be_visible()
        assert violations(page) == [], path
    # The wall screen's address still signs in from its # (the script is a file now); from
    # another document, or only the # would change and the page would not load again.
    page.goto("about:blank")
    page.goto("/login/device#token=dev_Demo-2026-screen&next=/screen%3Frotate%3D0")
    expect(page).to_have_url(re.compile(r"/screen\?rotate=0$"))
    assert violations(page) == []


def test_another_site_may_not_frame_the_cockpit(page: Page, base_url: str, sign_in) -> None:
    """A page of another origin framing the cockpit gets Chromium's error page in the frame;
    the cockpit's own pages may frame it (the control)."""
    sign_in(page, None)
    page.goto("about:blank")
    page.set_content(f'<iframe id="f" src="{base_url}/login" width="600" height="400"></iframe>')
    page.wait_for_timeout(1000)
    framed = page.frames[1:]
    assert framed and all(not f.url.startswith(base_url) for f in framed), [
        f.url for f in framed]
    page.goto("/login")
    page.evaluate("""() => { const f = document.createElement('iframe');
        f.src = '/login/device'; document.body.appendChild(f); }""")
    expect(page.frame_locator("iframe").locator("#device-form")).to_be_visible()
