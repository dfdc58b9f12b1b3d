"""Browser tests: one gunicorn server per session, driven by Debian's headless Chromium.

Every page needs a session. Each browser context starts signed in as the demo ``leader``
(the session cookie of a real sign-in at ``/login`` is put into the context's storage state),
so a test written for the leader needs nothing. To be someone else, a test takes the
``sign_in`` fixture and calls ``sign_in(page, "xihu")`` (any demo account: leader, hangzhou,
xihu, dsj, admin); ``sign_in(page, None)`` signs out (to see the sign-in page).

The server is the real deployment (``config/gunicorn.conf.py``, two workers) on a free port,
with a throw-away SQLite store in a temp dir, created with the same two commands as
``make run`` (``init-db`` and ``seed-demo``). Every test checks at teardown that the page
logged no console error, raised no JavaScript error and asked no host but this machine for
anything (such requests are aborted and recorded).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, Request, Route, expect

from tests.browser.regions import Region, load_regions
from tests.browser.server import (
    REPO_ROOT,
    SESSION_COOKIE,
    Server,
    flask_command,
    login_cookie,
    start_gunicorn,
    wait_until_healthy,
    warm_up,
)

ARTIFACTS = REPO_ROOT / "test-artifacts"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
LOCAL_HOSTS = {"127.0.0.1", "localhost"}

expect.set_options(timeout=15_000)


# --- Chromium -------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def browser_type_launch_args() -> dict:
    """Debian's Chromium, never a downloaded one. Missing: fail under CI=true, else skip."""
    if not Path(CHROMIUM).exists():
        reason = ("Debian chromium not installed: apt-get install -y chromium chromium-driver"
                  f" ({CHROMIUM} is missing)")
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}; the browser tests are required under CI=true",
                        pytrace=False)
        pytest.skip(reason)
    return {"executable_path": CHROMIUM, "headless": True, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict, base_url: str,
                         session_cookies) -> dict:
    """Every context starts signed in as ``leader``."""
    return {**browser_context_args, "base_url": base_url,
            "viewport": {"width": 1600, "height": 1000}, "locale": "zh-CN",
            "storage_state": {"cookies": session_cookies("leader"), "origins": []}}


# --- the server -------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def server_instance(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A temp instance dir with a migrated, demo-seeded SQLite store."""
    instance_dir = tmp_path_factory.mktemp("cockpit-browser")
    flask_command(instance_dir, "init-db")
    flask_command(instance_dir, "seed-demo")
    return instance_dir


@pytest.fixture(scope="session")
def live_server(browser_type_launch_args: dict, server_instance: Path) -> Iterator[Server]:
    # browser_type_launch_args first: no server is started when Chromium is missing.
    server = start_gunicorn(server_instance, workers=2, log_name="gunicorn.log")
    try:
        wait_until_healthy(server)
        warm_up(server)
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def base_url(live_server: Server) -> str:
    return live_server.url


# --- who is signed in -------------------------------------------------------------------------

@pytest.fixture(scope="session")
def session_cookies(live_server: Server):
    """``session_cookies(username)``: the cookies of a real sign-in as that demo account
    (one sign-in per account per test session), for a browser context."""
    signed_in: dict[str, list[dict]] = {}
    host = urlsplit(live_server.url).hostname

    def cookies(username: str) -> list[dict]:
        if username not in signed_in:
            value = login_cookie(live_server.url, username)
            signed_in[username] = [{"name": SESSION_COOKIE, "value": value, "domain": host,
                                    "path": "/", "expires": -1, "httpOnly": True,
                                    "secure": False, "sameSite": "Lax"}]
        return signed_in[username]

    return cookies


@pytest.fixture
def sign_in(session_cookies):
    """``sign_in(page, "hangzhou")``: the page's browser context is that demo account from
    now on (``None``: nobody). Navigate afterwards."""

    def as_user(page: Page, username: str | None) -> None:
        page.context.clear_cookies()
        if username is not None:
            page.context.add_cookies(session_cookies(username))

    return as_user


# --- what every browser test checks -----------------------------------------------------------

@dataclass
class PageProblems:
    console_errors: list[str] = field(default_factory=list)
    #: Pages answered 404 or 403 on purpose (a bad address keeps its Chinese message but
    #: answers with its status): Chromium logs their "Failed to load resource", not an error.
    refused_documents: set[str] = field(default_factory=set)
    page_errors: list[str] = field(default_factory=list)
    outside_requests: list[str] = field(default_factory=list)


@pytest.fixture(autouse=True)
def page_problems(request: pytest.FixtureRequest) -> Iterator[PageProblems]:
    """No console error, no JS error and no request to another host, in any browser test."""
    problems = PageProblems()
    if "page" not in request.fixturenames:
        yield problems
        return
    page: Page = request.getfixturevalue("page")

    def on_console(message) -> None:
        if message.type == "error":
            url = (message.location or {}).get("url", "?")
            if url in problems.refused_documents and message.text.startswith(
                    "Failed to load resource: the server responded with a status of 40"):
                return
            problems.console_errors.append(f"{message.text} @ {url}")

    def on_response(response) -> None:
        if response.request.resource_type == "document" and response.status in (403, 404):
            problems.refused_documents.add(response.url)

    def on_route(route: Route, req: Request) -> None:
        host = urlsplit(req.url).hostname
        if host is not None and host not in LOCAL_HOSTS:
            problems.outside_requests.append(req.url)
            route.abort("blockedbyclient")
        else:
            route.continue_()

    page.on("response", on_response)
    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.page_errors.append(str(error)))
    page.context.route("**/*", on_route)
    yield problems
    with contextlib.suppress(PlaywrightError):
        page.context.unroute_all(behavior="ignoreErrors")
    assert not problems.outside_requests, f"requests to other hosts: {problems.outside_requests}"
    assert not problems.page_errors, f"JavaScript errors: {problems.page_errors}"
    assert not problems.console_errors, f"console errors: {problems.console_errors}"


# --- helpers for the tests ----------------------------------------------------------------------

@pytest.fixture(scope="session")
def regions() -> dict[str, Region]:
    return load_regions()


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
