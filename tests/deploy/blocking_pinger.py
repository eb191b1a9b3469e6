"""A kiosk-like process for the watchdog test: pings systemd from a QTimer on a Qt event loop.

After BLOCK_AFTER pings it reports STATUS and blocks its own event loop forever, as a frozen UI
would; from then on no timer fires and no ping may reach the notify socket.
Run: python -m tests.deploy.blocking_pinger BLOCK_AFTER (NOTIFY_SOCKET and WATCHDOG_USEC set).
"""

from __future__ import annotations

import sys
import threading

from PySide6.QtCore import QCoreApplication, QTimer

from content.sd_notify import Watchdog


def main(argv: list[str]) -> int:
    block_after = int(argv[1])
    app = QCoreApplication(argv)
    watchdog = Watchdog()
    if not watchdog.enabled:
        print(f"watchdog not enabled: {watchdog!r}", file=sys.stderr)
        return 3
    pings = 0

    def tick() -> None:
        nonlocal pings
        watchdog.ping()
        pings += 1
        if pings == block_after:
            watchdog.status("blocking the event loop")
            threading.Event().wait()  # the loop never gets control back

    timer = QTimer()
    timer.setInterval(watchdog.interval_ms)
    timer.timeout.connect(tick)
    timer.start()
    watchdog.ready()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
