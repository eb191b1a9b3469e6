"""Preparing QR codes before anyone needs them: one code per timer tick, only while the kiosk
waits on its attract screen (pure-Python encoding is slow; a help screen must not wait)."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer

from kiosk import qr

log = logging.getLogger(__name__)

TICK_MS = 15


class QrWarmUp(QObject):
    def __init__(
        self,
        payloads: Callable[[], list[str]],
        idle: Callable[[], bool],
        parent: QObject | None = None,
    ) -> None:
        """`payloads`: every payload to prepare (asked at the first tick); `idle`: nobody is
        using the kiosk now."""
        super().__init__(parent)
        self._payloads = payloads
        self._idle = idle
        self._queue: list[str] | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._step)

    def start(self) -> None:
        """Begin, unless already running or done."""
        if self._queue is None and not self._timer.isActive():
            self._timer.start()

    def restart(self) -> None:
        """Other content: prepare its codes from the start."""
        self._queue = None
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def pending(self) -> bool:
        """True while codes are still being prepared."""
        return self._timer.isActive()

    def _step(self) -> None:
        if not self._idle():
            return
        try:
            if self._queue is None:
                self._queue = self._payloads()
            if not self._queue:
                self._timer.stop()
                return
            qr.matrix(self._queue.pop())
        except Exception:
            log.exception("QR warm-up failed")
            self._timer.stop()
