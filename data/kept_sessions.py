"""Live sessions kept in each worker's memory, so that a request does not read its session from
the store when nothing about accounts changed.

A kept session is taken only under the store's versions it was read at (:func:`data.store.
versions`, read once per request, before the session): a write that ends a session, changes or
disables a user or revokes a token bumps the accounts version (``write_transaction(accounts=
True)``), any figure write bumps the data version, and a restore moves both past every version
seen, so a sign-out or a disabled user ends a session in every worker at its next request, as
when every request read the store. Only the expiry and the "last seen" stamp are judged here,
against the wall clock; a kept session past its expiry is read again (another worker may have
renewed a screen's).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from flask import current_app

if TYPE_CHECKING:
    from data.accounts import Account

EXTENSION = "cockpit_kept_sessions"
#: Sessions kept per worker (the least recently used go first).
KEPT = 5000


@dataclass(frozen=True)
class KeptSession:
    account: Account
    kind: str
    expires_at: datetime
    last_seen_at: datetime


class KeptSessions:
    """Session id → (the versions it was read at, the session), bounded, for many threads."""

    def __init__(self, size: int = KEPT) -> None:
        self.size = size
        self._kept: OrderedDict[str, tuple[tuple[int, int], KeptSession]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, session_id: str, versions: tuple[int, int]) -> KeptSession | None:
        with self._lock:
            found = self._kept.get(session_id)
            if found is None or found[0] != versions:
                return None
            self._kept.move_to_end(session_id)
            return found[1]

    def keep(self, session_id: str, versions: tuple[int, int], session: KeptSession) -> None:
        with self._lock:
            self._kept[session_id] = (versions, session)
            self._kept.move_to_end(session_id)
            while len(self._kept) > self.size:
                self._kept.popitem(last=False)

    def forget(self, session_id: str) -> None:
        with self._lock:
            self._kept.pop(session_id, None)

    def __len__(self) -> int:
        return len(self._kept)


def kept_sessions() -> KeptSessions:
    """The sessions kept by this app (one store) in this process."""
    return current_app.extensions.setdefault(EXTENSION, KeptSessions())
