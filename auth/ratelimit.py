"""Failed sign-ins are limited per user name and per address.

Counted with ``limits`` (moving window): in Redis when configured, so that every worker and
every host shares the counts; else in the process. A Redis that is down costs the sharing,
never the sign-in: the counts fall back to the process for as long as it is away.
"""

from __future__ import annotations

import logging
import math
import time

from limits import RateLimitItemPerMinute
from limits.storage import MemoryStorage, Storage, storage_from_string
from limits.strategies import MovingWindowRateLimiter

from config.settings import Settings

log = logging.getLogger(__name__)
#: Many people may share one address (an office behind NAT): it gets this many times more.
ADDRESS_FACTOR = 4


class LoginLimiter:
    def __init__(self, settings: Settings) -> None:
        window = settings.login_window_minutes
        self.per_user = RateLimitItemPerMinute(settings.login_attempts, window)
        self.per_address = RateLimitItemPerMinute(settings.login_attempts * ADDRESS_FACTOR,
                                                  window)
        uri = settings.resolved_ratelimit_storage_url
        options: dict = {}
        if uri.startswith(("redis://", "rediss://")):
            from data.store import redis_options

            options = {"key_prefix": f"{settings.cache_key_prefix}login", **redis_options()}
        self.shared: Storage = storage_from_string(uri, **options)
        self.local = MovingWindowRateLimiter(MemoryStorage())
        self.limiter = MovingWindowRateLimiter(self.shared)
        self.description = uri.split("@")[-1]

    def _run(self, method: str, *args):
        try:
            return getattr(self.limiter, method)(*args)
        except Exception as down:  # the shared store is down: count in this process meanwhile
            log.warning("rate-limit store %s unreachable (%s: %s); counting in this process",
                        self.description, type(down).__name__, str(down)[:200])
            return getattr(self.local, method)(*args)

    def _keys(self, username: str, address: str | None):
        yield self.per_user, ("user", (username or "").strip().lower())
        yield self.per_address, ("address", address or "-")

    def retry_after(self, username: str, address: str | None) -> int | None:
        """Seconds until this user name and address may try again, or ``None`` if they may
        now."""
        waits = []
        for item, keys in self._keys(username, address):
            stats = self._run("get_window_stats", item, *keys)
            if stats.remaining <= 0:
                waits.append(max(1, math.ceil(stats.reset_time - time.time())))
        return max(waits) if waits else None

    def failed(self, username: str, address: str | None) -> None:
        for item, keys in self._keys(username, address):
            self._run("hit", item, *keys)

    def succeeded(self, username: str) -> None:
        """A correct password clears the user name's count (not the address's)."""
        self._run("clear", self.per_user, "user", (username or "").strip().lower())
