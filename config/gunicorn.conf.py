"""gunicorn settings, taken from the cockpit's settings (environment variables)."""

import gc

from config import server_errors
from config.settings import get_settings

server_errors.install()  # gunicorn's own error pages (e.g. 414 for a long address) in Chinese

_settings = get_settings()

bind = f"{_settings.host}:{_settings.port}"
workers = _settings.workers
worker_class = "gthread"
threads = 4
# Load the app (and simplify the boundaries) once, before forking the workers.
preload_app = True
timeout = 60
control_socket_disable = True
accesslog = None


def when_ready(server):  # noqa: ARG001 - gunicorn's hook signature
    address = f"http://{_settings.host}:{_settings.port}/"
    print(f"\n数字化改革驾驶舱已启动：{address}\nThe cockpit is running at {address}\n", flush=True)


def pre_fork(server, worker):  # noqa: ARG001 - gunicorn's hook signature
    """The app loaded once (``preload_app``): its ~190,000 objects are moved out of the garbage
    collector's sight before each fork, so that a worker's full collection no longer walks them
    (55–80 ms each, a tenth of a cold page build) nor touches their pages (shared with the
    master until written)."""
    gc.freeze()


def post_worker_init(worker):  # noqa: ARG001 - gunicorn's hook signature
    """Finish Dash's per-process set-up before the worker takes requests.

    Dash sets itself up on a process's first request and marks that done before it is; with
    several threads a bundle request arriving meanwhile fails ("dash is not a registered
    library"). One request here, on the worker's only thread, completes the set-up first.
    """
    from app import server

    server.test_client().get("/healthz")
