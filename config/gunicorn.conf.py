"""gunicorn settings, taken from the cockpit's settings (environment variables)."""

from config.settings import get_settings

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
