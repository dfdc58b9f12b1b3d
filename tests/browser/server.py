"""Starting the cockpit for the browser tests, as ``make run`` does, on a throw-away store.

Every subprocess gets the COCKPIT_ settings given here and none of the developer's own, so
a developer's database or cache is never touched.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 60.0
#: Every demo account's password (seed-demo); see the README's demo accounts.
DEMO_PASSWORD = "Demo-2026"
SESSION_COOKIE = "cockpit_session"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_env(instance_dir: Path, *, port: int = 0, workers: int = 2,
               database_url: str = "") -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("COCKPIT_")}
    env.update(
        COCKPIT_INSTANCE_DIR=str(instance_dir),
        # Empty: a SQLite file in the instance dir (never the developer's own store).
        COCKPIT_DATABASE_URL=database_url,
        COCKPIT_CACHE_TYPE="filesystem",
        COCKPIT_HOST="127.0.0.1",
        COCKPIT_PORT=str(port),
        COCKPIT_WORKERS=str(workers),
        PYTHONUNBUFFERED="1",
    )
    return env


def flask_command(instance_dir: Path, command: str, *args: str, database_url: str = "",
                  check: bool = True, input: str | None = None  # noqa: A002 - subprocess's
                  ) -> subprocess.CompletedProcess:
    """``flask --app app:server <command> [args]`` with the test run's own Python."""
    done = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "app:server", command, *args],
        cwd=REPO_ROOT, env=server_env(instance_dir, database_url=database_url),
        capture_output=True, text=True, timeout=300, check=False, input=input,
    )
    if check and done.returncode:
        pytest.fail(f"flask {command} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}",
                    pytrace=False)
    return done


@dataclass
class Server:
    process: subprocess.Popen
    url: str
    log: Path
    log_file: IO[str] | None = field(repr=False, default=None)

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        if self.log_file is not None:
            self.log_file.close()
            self.log_file = None


def start_gunicorn(instance_dir: Path, *, workers: int, log_name: str,
                   database_url: str = "", port: int | None = None) -> Server:
    """``gunicorn -c config/gunicorn.conf.py app:server`` on a free port (or ``port``, to
    start a stopped server again at its address); output to a file."""
    port = port or free_port()
    log = instance_dir / log_name
    log_file = log.open("a", encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.conf.py", "app:server"],
        cwd=REPO_ROOT, env=server_env(instance_dir, port=port, workers=workers,
                                      database_url=database_url),
        stdout=log_file, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
    )
    return Server(process, f"http://127.0.0.1:{port}", log, log_file)


def http_status(url: str, timeout: float = 10.0) -> int:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 - local
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        error.close()
        return error.code


def wait_until_healthy(server: Server) -> None:
    """Poll /healthz until 200; fail with gunicorn's output if it dies or never gets there."""
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        if server.process.poll() is not None:
            server.stop()
            pytest.fail(f"gunicorn exited with {server.process.returncode}:\n{server.output()}",
                        pytrace=False)
        try:
            if http_status(f"{server.url}/healthz", timeout=2) == 200:
                return
        except OSError:
            pass
        if time.monotonic() > deadline:
            server.stop()
            pytest.fail(f"/healthz not 200 within {START_TIMEOUT:.0f} s:\n{server.output()}",
                        pytrace=False)
        time.sleep(0.2)


def wait_for_worker_boot(server: Server) -> None:
    """Wait until gunicorn has booted its workers, without sending them any request."""
    deadline = time.monotonic() + START_TIMEOUT
    while "Booting worker" not in server.output():
        if server.process.poll() is not None or time.monotonic() > deadline:
            server.stop()
            pytest.fail(f"gunicorn booted no worker:\n{server.output()}", pytrace=False)
        time.sleep(0.05)


def login_cookie(base_url: str, username: str = "leader",
                 password: str = DEMO_PASSWORD) -> str:
    """Sign in at ``/login`` as a person would (the form, its CSRF token, the password) and
    return the value of the session cookie."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with opener.open(f"{base_url}/login", timeout=10) as response:
        form = response.read().decode("utf-8")
    token = re.search(r'name="csrf_token" value="([^"]+)"', form)
    assert token, "the sign-in page has no CSRF token"
    data = urllib.parse.urlencode({"csrf_token": token.group(1), "username": username,
                                   "password": password, "next": "/healthz"}).encode()
    request = urllib.request.Request(f"{base_url}/login", data=data,
                                     headers={"Origin": base_url})
    with opener.open(request, timeout=10) as response:
        response.read()
        if not response.url.endswith("/healthz"):
            raise AssertionError(f"signing in as {username} failed (landed on {response.url})")
    cookie = next((c.value for c in jar if c.name == SESSION_COOKIE), None)
    assert cookie, f"no session cookie after signing in as {username}"
    return cookie


def bundle_paths(base_url: str, cookie: str | None = None) -> list[str]:
    """The Dash bundles (``/_dash-component-suites/...``) the index page makes a browser load
    (the page needs a session: as ``leader`` unless a session cookie is given)."""
    cookie = cookie or login_cookie(base_url)
    request = urllib.request.Request(f"{base_url}/",
                                     headers={"Cookie": f"{SESSION_COOKIE}={cookie}"})
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        html = response.read().decode("utf-8")
    return sorted(set(re.findall(r'"(/_dash-component-suites/[^"]+)"', html)))


def fetch_all(urls: list[str], *, parallel: int) -> list[int]:
    with ThreadPoolExecutor(max_workers=parallel) as pool:
        return list(pool.map(http_status, urls))


def warm_up(server: Server) -> None:
    """Check that both workers serve the Dash bundles before a browser comes.

    A fresh worker used to answer parallel first requests with HTTP 500 (see
    test_cold_start.py, which tests that directly). Bursts of parallel requests reach both
    workers; the server is ready when three bursts in a row are all 200, so that such a
    regression fails one test clearly instead of the browser tests at random.
    """
    urls = [server.url + path for path in bundle_paths(server.url)] * 2
    deadline = time.monotonic() + START_TIMEOUT
    clean = 0
    while clean < 3:
        statuses = fetch_all(urls, parallel=16)
        clean = clean + 1 if set(statuses) == {200} else 0
        if time.monotonic() > deadline:
            pytest.fail(f"Dash bundles still failing ({statuses}):\n{server.output()}",
                        pytrace=False)
