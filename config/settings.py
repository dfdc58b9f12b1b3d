"""One typed settings object, read from environment variables (prefix ``COCKPIT_``).

Nothing else in the project reads ``os.environ``. Every setting has a safe default so that
``make run`` works on a fresh machine with no configuration at all.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="COCKPIT_", extra="ignore")

    #: Folder for the embedded SQLite file and the file cache.
    instance_dir: Path = PROJECT_ROOT / "instance"
    #: SQLAlchemy URL of the store; empty means a SQLite file in ``instance_dir``.
    database_url: str = ""
    #: ``simple`` (in-process), ``filesystem`` (shared by the workers of one host),
    #: ``redis`` (shared by every host) or ``null`` (no cache).
    cache_type: Literal["simple", "filesystem", "redis", "null"] = "simple"
    cache_dir: Path | None = None
    redis_url: str = "redis://127.0.0.1:6379/0"
    cache_key_prefix: str = "cockpit:"
    #: Seconds a cached query result may live; correctness never depends on it, because
    #: cache keys carry the store's data version.
    cache_timeout: int = 3600
    #: Key that signs session cookies and CSRF tokens. Empty: generated once into
    #: ``instance_dir/secret_key`` (shared by every worker of that folder). Several hosts
    #: behind one proxy must be given the same key here.
    secret_key: str = ""
    #: Served over HTTPS (behind a reverse proxy that sets ``X-Forwarded-Proto``): cookies
    #: get the Secure flag, and the proxy's forwarded scheme and host are trusted.
    https: bool = False
    #: Number of reverse proxies in front of the app whose ``X-Forwarded-*`` headers are
    #: trusted (0: none; ``https`` implies at least 1).
    proxy_count: int = 0
    #: Hours a person's session lasts after signing in.
    session_hours: int = 12
    #: Days a wall screen's session lasts without a request (renewed while it is in use).
    device_session_days: int = 30
    #: Failed sign-ins allowed per user name and per address within ``login_window_minutes``.
    login_attempts: int = 5
    login_window_minutes: int = 15
    #: Where failed sign-ins are counted: ``memory://`` (per process) or a ``redis://`` URL
    #: (shared by every worker and host). Empty: Redis when ``cache_type`` is ``redis``.
    ratelimit_storage_url: str = ""
    #: Folder of the produced briefings (PDF); empty: ``instance_dir/briefings``.
    briefing_dir: Path | None = None
    #: Chromium for the briefings' maps (plotly's static export); empty: found on the PATH.
    chromium_path: str = ""
    #: Where background jobs (briefings) run: ``diskcache`` (a process per job on this host)
    #: or ``celery`` (Celery workers, Redis as broker: see the README).
    jobs: Literal["diskcache", "celery"] = "diskcache"
    #: Celery's broker and result store (``jobs=celery``); empty: ``redis_url``.
    celery_broker_url: str = ""
    #: The Celery queue the app's jobs go to (several deployments on one Redis: one each).
    celery_queue: str = "cockpit"
    #: Minutes after which a briefing that has reported no progress is marked failed.
    briefing_stale_minutes: int = 15
    host: str = "127.0.0.1"
    port: int = 8050
    workers: int = 2
    debug: bool = False
    #: The largest file an import accepts (page, command line and push), in MB.
    import_max_mb: int = 50
    #: Origins (space-separated) that may show the cockpit in a frame, e.g. a wall screen's
    #: portal ``https://portal.example.gov.cn``; empty: no other site may frame it.
    frame_ancestors: str = ""
    #: Host names (comma-separated) the app answers to; empty: any (behind a proxy that checks).
    allowed_hosts: str = ""

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.instance_dir / 'cockpit.sqlite3'}"

    @property
    def import_max_bytes(self) -> int:
        return self.import_max_mb * 1024 * 1024

    @property
    def upload_dir(self) -> Path:
        """Where uploads are streamed to while they are imported."""
        return self.instance_dir / "uploads"

    @property
    def resolved_ratelimit_storage_url(self) -> str:
        if self.ratelimit_storage_url:
            return self.ratelimit_storage_url
        return self.redis_url if self.cache_type == "redis" else "memory://"

    @property
    def resolved_briefing_dir(self) -> Path:
        return self.briefing_dir or self.instance_dir / "briefings"

    @property
    def resolved_celery_broker_url(self) -> str:
        return self.celery_broker_url or self.redis_url

    @property
    def resolved_cache_dir(self) -> Path:
        return self.cache_dir or self.instance_dir / "cache"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
