"""Signing in, for tests that call pages and callbacks as functions or through Flask's test
client (browser tests sign in through ``tests/browser/conftest.py``).

- ``signed_in(server, "xihu")``: a request context in which the demo account ``xihu`` is
  the signed-in user (a real session in the store), so ``viewer_scope()`` and
  ``auth.current_account()`` answer for it.
- ``signed_in_client(server, "dsj")``: a test client signed in at ``/login`` like a browser,
  sending this site's ``Origin`` with every request (the same-origin check).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import timedelta

from flask import Flask
from flask.testing import FlaskClient
from flask_login import login_user

DEMO_PASSWORD = "Demo-2026"
ORIGIN = "http://localhost"


@contextmanager
def signed_in(server: Flask, username: str | None = "leader", path: str = "/"
              ) -> Iterator[object]:
    """A request context with ``username`` signed in (``None``: nobody)."""
    from data import accounts

    with server.test_request_context(path, headers={"Origin": ORIGIN}):
        account = None
        if username is not None:
            account = accounts.find_user(username)
            assert account is not None, f"no account {username!r} (seed-demo makes them)"
            secret = accounts.open_session(account=account, kind="password",
                                           lifetime=timedelta(hours=1))
            account = replace(account, session_secret=secret, session_kind="password")
            login_user(account)
        yield account


def same_origin_client(server: Flask) -> FlaskClient:
    client = server.test_client()
    client.environ_base["HTTP_ORIGIN"] = ORIGIN
    return client


def csrf_token(client: FlaskClient, path: str = "/login") -> str:
    page = client.get(path).get_data(as_text=True)
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found, f"no CSRF token on {path}"
    return found.group(1)


def signed_in_client(server: Flask, username: str = "leader",
                     password: str = DEMO_PASSWORD) -> FlaskClient:
    """A test client that signed in at ``/login`` as ``username``."""
    client = same_origin_client(server)
    response = client.post("/login", data={"csrf_token": csrf_token(client),
                                           "username": username, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return client


#: An administrator the tests make for themselves: the demo ``admin`` may be locked out for a
#: while by the sign-in tests' failed attempts.
TEST_ADMIN = ("importer", "Upload-Ledger-2026-river")


def an_administrator(server: Flask) -> tuple[str, str]:
    """(user name, password) of an administrator, made once in ``server``'s store."""
    from data import accounts

    with server.app_context():
        if accounts.find_user(TEST_ADMIN[0]) is None:
            accounts.create_user(username=TEST_ADMIN[0], display_name="导入管理员",
                                 unit="省数字化改革办", role="admin", password=TEST_ADMIN[1],
                                 by=None, source="cli")
    return TEST_ADMIN
