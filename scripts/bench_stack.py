"""Starting what the benchmark measures: the cockpit on a throw-away demo store, and the floor
app (scripts/bench_floor.py), both with gunicorn and the app's settings
(config/gunicorn.conf.py)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _answers(url: str) -> bool:
    """Whether the server answers at all (a refusal to sign in counts as an answer)."""
    try:
        with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - loopback
            response.read()
    except urllib.error.HTTPError:
        return True
    except OSError:
        return False
    return True


@dataclass
class Running:
    process: subprocess.Popen
    url: str

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()


def environment(instance: Path, port: int, workers: int, code: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("COCKPIT_")}
    env.update(COCKPIT_INSTANCE_DIR=str(instance), COCKPIT_HOST="127.0.0.1",
               COCKPIT_PORT=str(port), COCKPIT_WORKERS=str(workers), PYTHONPATH=str(code))
    return env


def flask(code: Path, instance: Path, *args: str) -> None:
    subprocess.run([sys.executable, "-m", "flask", "--app", "app:server", *args], cwd=code,
                   env=environment(instance, 0, 1, code), check=True, capture_output=True)


def start(code: Path, instance: Path, target: str, *, workers: int,
          options: tuple[str, ...] = ("-c", str(ROOT / "config/gunicorn.conf.py")),
          port: int | None = None) -> Running:
    """``gunicorn <options> <target>`` from ``code`` on ``port`` or a free one (the app's
    settings)."""
    port = port or free_port()
    log = (instance / f"gunicorn-{port}.log").open("w")
    options = tuple(o.replace("{port}", str(port)) for o in options)
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", *options, target],
        cwd=code, env=environment(instance, port, workers, code), stdout=log,
        stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{target} did not start: see {log.name}")
        if _answers(url + "/_dash-layout"):
            # Each worker's first request finishes Dash's set-up: a few, one at a time.
            for _ in range(4 * workers):
                _answers(url + "/_dash-layout")
            return Running(process, url)
        time.sleep(0.3)
    process.kill()
    raise RuntimeError(f"{target} did not answer within 120 s")


def cockpit(code: Path, *, workers: int, port: int | None = None) -> tuple[Running, Path]:
    """The cockpit from the source tree ``code`` on a fresh, demo-seeded SQLite store."""
    instance = Path(tempfile.mkdtemp(prefix="cockpit-bench-"))
    flask(code, instance, "init-db")
    flask(code, instance, "seed-demo")
    return start(code, instance, "app:server", workers=workers, port=port), instance


def floor(*, workers: int) -> Running:
    instance = Path(tempfile.mkdtemp(prefix="cockpit-bench-floor-"))
    # config/gunicorn.conf.py's settings, without its hook that loads the cockpit.
    options = ("-b", "127.0.0.1:{port}", "-w", str(workers), "-k", "gthread", "--threads", "4",
               "--preload", "--no-control-socket", "-t", "60")
    return start(ROOT, instance, "scripts.bench_floor:server", workers=workers, options=options)


class VersionBumper:
    """Bumps the store's data version (every cached figure and page goes cold), from a process
    of its own that stays open between bumps."""

    SCRIPT = ("import sys\nfrom app import server\nfrom data.store import write_transaction\n"
              "for _ in sys.stdin:\n    with server.app_context(), write_transaction():\n"
              "        pass\n    print('ok', flush=True)\n")

    def __init__(self, code: Path, instance: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", self.SCRIPT], cwd=code, text=True,
            env=environment(instance, 0, 1, code), stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)

    def bump(self) -> None:
        self.process.stdin.write("bump\n")
        self.process.stdin.flush()
        if self.process.stdout.readline().strip() != "ok":
            raise RuntimeError("the data version could not be bumped")

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=20)
