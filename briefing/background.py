"""The background job manager of Dash's background callbacks (briefings are produced there).

By default a :class:`dash.DiskcacheManager` on a folder of the instance: each job runs in a
process of its own on the host that received the request, nothing else to run. With
``COCKPIT_JOBS=celery`` a :class:`dash.CeleryManager` whose Celery app uses Redis
(``COCKPIT_CELERY_BROKER_URL``, default ``COCKPIT_REDIS_URL``) as broker and result store, on its
own queue (``COCKPIT_CELERY_QUEUE``) with its keys under that name, so that several deployments
(or test runs) can share one Redis; the jobs then run in Celery workers:

    celery -A app:celery_app worker --loglevel=INFO --concurrency=2

(the worker reads the same ``COCKPIT_*`` settings as the web servers).
"""

from __future__ import annotations

import logging
from typing import Any

from config.settings import Settings

log = logging.getLogger(__name__)

#: What the page says when a job cannot be handed to the workers.
JOBS_DOWN = "后台任务服务（Redis）暂不可用，简报无法开始生成。请稍后重试，或联系管理员。"


def make_manager(settings: Settings) -> tuple[Any, Any]:
    """(the background callback manager, the Celery app or ``None``)."""
    if settings.jobs == "celery":
        from celery import Celery
        from dash import CeleryManager

        url = settings.resolved_celery_broker_url
        prefix = {"global_keyprefix": f"{settings.celery_queue}:", "socket_connect_timeout": 2}
        celery_app = Celery("cockpit", broker=url, backend=url)
        celery_app.conf.update(
            task_default_queue=settings.celery_queue,
            broker_transport_options=prefix,
            result_backend_transport_options=prefix,
            broker_connection_retry_on_startup=True,
            # A broker that is down must not hold the page that hands it a job.
            broker_connection_timeout=2,
            redis_socket_connect_timeout=2,
            worker_hijack_root_logger=False,
            result_expires=3600,
        )
        return CeleryManager(celery_app, expire=3600), celery_app
    import diskcache
    from dash import DiskcacheManager

    folder = settings.instance_dir / "jobs"
    folder.mkdir(parents=True, exist_ok=True)
    return DiskcacheManager(diskcache.Cache(str(folder)), expire=3600), None


def jobs_unavailable(settings: Settings) -> str | None:
    """Why a background job cannot start now (in Chinese), or ``None`` when it can: with
    ``COCKPIT_JOBS=celery`` the broker (Redis) must answer a ping within half a second, so that
    a Redis that is down or hung is told at once instead of holding the page."""
    if settings.jobs != "celery":
        return None
    import redis

    from data.store import redis_options

    client = redis.Redis.from_url(settings.resolved_celery_broker_url, **redis_options())
    try:
        client.ping()
    except Exception as down:  # noqa: BLE001 - any client error means the same here
        log.warning("background jobs cannot start: broker unreachable (%s: %s)",
                    type(down).__name__, str(down)[:200])
        return JOBS_DOWN
    finally:
        client.close()
    return None
