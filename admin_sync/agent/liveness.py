"""Telling systemd the agent is alive: READY=1 at start, WATCHDOG=1 while it makes progress.

The agent's loop marks progress (each wait tick, each downloaded chunk, each cycle step); a small
thread pings the systemd watchdog at half its timeout, but only while the last mark is recent
(`stall_seconds`). An agent stuck anywhere stops marking, the pings stop, and systemd restarts
it. Outside systemd (no NOTIFY_SOCKET) everything here is a no-op.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from content.sd_notify import Watchdog

log = logging.getLogger("safe_airports.sync")


class Liveness:
    def __init__(
        self,
        watchdog: Watchdog,
        *,
        stall_seconds: float,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.watchdog = watchdog
        self.stall_seconds = stall_seconds
        self.monotonic = monotonic
        self._last = monotonic()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._warned = False

    def mark(self) -> None:
        """The agent made progress (cheap: call it often)."""
        self._last = self.monotonic()

    def ready(self, status: str) -> None:
        self.mark()
        self.watchdog.ready(status)
        interval = self.watchdog.interval_seconds
        if interval is not None and self._thread is None:
            self._thread = threading.Thread(
                target=self._run, args=(interval,), name="watchdog", daemon=True
            )
            self._thread.start()

    def stopping(self, status: str) -> None:
        self._stop.set()
        self.watchdog.stopping(status)
        if self._thread is not None:
            self._thread.join(timeout=5)

    def _run(self, interval: float) -> None:
        while not self._stop.is_set():
            if self.monotonic() - self._last <= self.stall_seconds:
                self.watchdog.ping()
                self._warned = False
            elif not self._warned:
                log.error(
                    "no progress for %.0f s: no longer pinging the systemd watchdog",
                    self.monotonic() - self._last,
                )
                self._warned = True
            self._stop.wait(interval)
