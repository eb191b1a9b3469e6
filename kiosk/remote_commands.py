"""Remote commands on the kiosk app's side: a screenshot, or a restart, asked by an administrator
and handed over by the sync agent through the mailbox folder (`content.kiosk_commands`).

Every `POLL_MS` (and just after each session ends) the app reads the folder and decides each
request with `content.kiosk_commands.decide`: only while the attract screen shows, between two
people's sessions (no PIN pad, no "still there?" question), does it grab its own window
(`QQuickWindow.grabWindow`) or restart; during a session it answers "busy" and tries again
until the request expires. A restart is a clean exit with status 0: systemd's `Restart=always`
(deploy/kiosk/safe-airports-kiosk.service) starts the kiosk again.

The same timer writes the serial of the urgent notices the app shows (`kiosk-status.json`),
which the agent reports with its heartbeat.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import QObject, QTimer

from content.kiosk_commands import BUSY_DETAIL, CommandResult, Mailbox, decide
from kiosk.controller import KioskController

log = logging.getLogger(__name__)

POLL_MS = 2000
AFTER_SESSION_MS = 500  # the attract screen has been laid out and drawn by then


class RemoteCommands(QObject):
    def __init__(
        self,
        mailbox: Mailbox,
        controller: KioskController,
        grab: Callable[[Path], bool],  # saves the window as PNG (the path ends in .png)
        restart: Callable[[], None],
        *,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        poll_ms: int = POLL_MS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.mailbox = mailbox
        self.controller = controller
        self.grab = grab
        self.restart = restart
        self.clock = clock
        self._notices_serial: int | None = -1  # never written yet
        self._busy: set[int] = set()  # answered busy already (written once)
        self.timer = QTimer(self)
        self.timer.setInterval(poll_ms)
        self.timer.timeout.connect(self.tick)
        controller.sessionReset.connect(lambda: QTimer.singleShot(AFTER_SESSION_MS, self.tick))

    def start(self) -> None:
        self.timer.start()
        self.tick()

    def stop(self) -> None:
        self.timer.stop()

    def between_sessions(self) -> bool:
        c = self.controller
        shown = c.session.current.name
        return shown == "attract" and not c.pin.is_open and not c._get_asking()

    def tick(self) -> None:
        try:
            self._write_status()
            for request in self.mailbox.requests():
                self._carry_out(request.id, request.kind, decide(
                    request, now=self.clock(), between_sessions=self.between_sessions()
                ))  # fmt: skip
        except Exception:  # a damaged folder must never disturb the screen
            log.exception("remote commands: cannot read %s", self.mailbox.path)

    def _carry_out(self, ident: int, kind: str, action: str) -> None:
        answer = self.mailbox.answer
        if action == "expired":
            answer(CommandResult(ident, "expired", "expired before it could be carried out"))
        elif action == "unknown":
            answer(CommandResult(ident, "failed", f"the kiosk app does not carry out {kind!r}"))
        elif action == "busy":
            if ident not in self._busy:
                self._busy.add(ident)
                answer(CommandResult(ident, "busy", BUSY_DETAIL))
        elif action == "screenshot":
            path = self.mailbox.screenshot_path(ident)
            tmp = path.with_name(f"{ident}.tmp.png")
            if self.grab(tmp):
                os.replace(tmp, path)
                answer(CommandResult(ident, "done", "taken on the attract screen"))
                log.info("remote command %d: screenshot taken on the attract screen", ident)
            else:
                tmp.unlink(missing_ok=True)
                answer(CommandResult(ident, "failed", "the window could not be grabbed"))
        elif action == "restart":
            answer(CommandResult(ident, "done", "the app exits cleanly; systemd starts it again"))
            log.info("remote command %d: restarting the kiosk app", ident)
            self.stop()
            self.restart()

    def _write_status(self) -> None:
        self.controller.notice_reader.notices()  # re-read if the agent stored new ones
        serial = self.controller.notice_reader.serial
        if serial != self._notices_serial:
            self.mailbox.write_status(notices_serial=serial, now=self.clock())
            self._notices_serial = serial
