"""Look-ups remembered for a few seconds: the kiosk-token cache of the hot paths.

Every heartbeat and statistics batch names its kiosk by token. Looking the token up in SQLite
is quick, but it must not run on the event loop, and a trip to the thread pool and back costs
more than the look-up (it was a fifth of the event loop's time with 32 kiosks at once). So a
token found in the database is remembered for `ttl` seconds: a kiosk sending several requests
in a row is looked up once. Only found tokens are remembered (random tokens sent by anyone
cannot fill it) and at most `max_entries` of them.

A revocation through this server (the console, the admin API) clears the cache at once
(`registry.revoke_kiosk`); one made by another process (`safe-airports admin revoke-kiosk`
while the server runs) takes effect within `ttl` seconds (one).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Generic, TypeVar

V = TypeVar("V")

KIOSK_TOKEN_TTL_S = 1.0


class RecentLookups(Generic[V]):
    """key -> value for `ttl` seconds of `clock` (monotonic seconds); safe across threads."""

    def __init__(
        self,
        ttl: float = KIOSK_TOKEN_TTL_S,
        *,
        max_entries: int = 4096,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.ttl = ttl
        self.max_entries = max_entries
        self.clock = clock
        self._entries: dict[str, tuple[float, V]] = {}
        self._lock = threading.Lock()

    def get(self, key: str) -> V | None:
        found = self._entries.get(key)
        if found is None:
            return None
        expires, value = found
        if self.clock() >= expires:
            with self._lock:
                self._entries.pop(key, None)
            return None
        return value

    def put(self, key: str, value: V) -> None:
        with self._lock:
            if len(self._entries) >= self.max_entries:
                self._entries.clear()  # rare (more kiosks than entries): start again
            self._entries[key] = (self.clock() + self.ttl, value)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
