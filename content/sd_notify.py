"""Tell systemd how a service is doing: readiness, stopping, and watchdog pings.

Qt-free and stdlib-only, so both the kiosk app and the sync agent use it. Under systemd a
service started with `Type=notify` and/or `WatchdogSec=` gets `NOTIFY_SOCKET` (a datagram socket
path; a leading '@' means a Linux abstract socket) and, with a watchdog, `WATCHDOG_USEC` (the
timeout) and `WATCHDOG_PID` (the process the watchdog is meant for). Outside systemd none of these
are set and every call here is a harmless no-op that returns False.

The kiosk calls `Watchdog.ping()` from a QTimer on its Qt event loop, so a frozen UI stops pinging
and systemd restarts it; the sync agent pings from its own loop.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Mapping

log = logging.getLogger(__name__)


def _socket_address(socket_path: str) -> str | bytes:
    """The address to connect to for a NOTIFY_SOCKET value; '@name' is an abstract socket."""
    if socket_path.startswith("@"):
        return b"\0" + socket_path[1:].encode()
    if socket_path.startswith("/"):
        return socket_path
    raise ValueError(
        f"NOTIFY_SOCKET={socket_path!r} is not supported: expected an absolute path "
        "or an abstract socket name starting with '@'"
    )


def notify(state: str, socket_path: str | None = None) -> bool:
    """Send one notification such as "READY=1" or "WATCHDOG=1" to systemd.

    `socket_path` defaults to the NOTIFY_SOCKET environment variable. Returns True when the
    message was sent, False when there is no socket (not under systemd) or sending failed
    (logged: a service must not crash because its supervisor is briefly unreachable).
    """
    if not state:
        raise ValueError("notify: the state to send is empty")
    path = os.environ.get("NOTIFY_SOCKET") if socket_path is None else socket_path
    if not path:
        return False
    address = _socket_address(path)
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC) as sock:
            sock.connect(address)
            sock.sendall(state.encode())
    except OSError as exc:
        log.warning("could not notify systemd at %s (%s): %s", path, state.split("\n")[0], exc)
        return False
    return True


class Watchdog:
    """The systemd watchdog as this process sees it, read once from the environment.

    `enabled` is True when systemd expects pings from this process; then `interval_seconds`
    (and `interval_ms`, for a QTimer) is half the watchdog timeout, the margin systemd's own
    documentation recommends. When WATCHDOG_PID names another process (for example the `cage`
    compositor that is the kiosk unit's main process), the watchdog is not ours and stays off:
    the kiosk's session script hands it over by exporting WATCHDOG_PID=$$ before exec'ing the app.
    """

    def __init__(self, environ: Mapping[str, str] | None = None, *, pid: int | None = None):
        env = os.environ if environ is None else environ
        self.socket_path: str | None = env.get("NOTIFY_SOCKET") or None
        self.timeout_usec: int | None = _watchdog_usec(env, os.getpid() if pid is None else pid)
        if self.socket_path is not None:
            _socket_address(self.socket_path)  # a clear error now rather than at each ping

    @property
    def enabled(self) -> bool:
        return self.socket_path is not None and self.timeout_usec is not None

    @property
    def interval_seconds(self) -> float | None:
        """How often to ping: half the timeout; None when the watchdog is off."""
        if not self.enabled or self.timeout_usec is None:
            return None
        return self.timeout_usec / 2 / 1_000_000

    @property
    def interval_ms(self) -> int:
        """The ping interval in whole milliseconds (at least 1) for a QTimer; 0 when off."""
        seconds = self.interval_seconds
        return 0 if seconds is None else max(1, int(seconds * 1000))

    def ping(self) -> bool:
        """Send WATCHDOG=1; a no-op returning False when the watchdog is off."""
        if not self.enabled:
            return False
        return notify("WATCHDOG=1", self.socket_path)

    def ready(self, status: str | None = None) -> bool:
        """Send READY=1 (with an optional STATUS line); works with or without a watchdog."""
        return self._send("READY=1", status)

    def stopping(self, status: str | None = None) -> bool:
        """Send STOPPING=1 before a clean shutdown."""
        return self._send("STOPPING=1", status)

    def status(self, text: str) -> bool:
        """Send a one-line STATUS shown by `systemctl status`."""
        return self._send(None, text)

    def _send(self, state: str | None, status: str | None) -> bool:
        if self.socket_path is None:
            return False
        lines = [state] if state else []
        if status:
            lines.append("STATUS=" + " ".join(status.split()))
        if not lines:
            return False
        return notify("\n".join(lines), self.socket_path)

    def __repr__(self) -> str:
        return (
            f"Watchdog(socket_path={self.socket_path!r}, timeout_usec={self.timeout_usec!r}, "
            f"interval_ms={self.interval_ms})"
        )


def _watchdog_usec(env: Mapping[str, str], pid: int) -> int | None:
    raw = env.get("WATCHDOG_USEC")
    if not raw:
        return None
    try:
        usec = int(raw)
    except ValueError:
        raise ValueError(f"WATCHDOG_USEC={raw!r} is not a whole number of microseconds") from None
    if usec <= 0:
        raise ValueError(f"WATCHDOG_USEC={raw!r} must be a positive number of microseconds")
    raw_pid = env.get("WATCHDOG_PID")
    if raw_pid:
        try:
            owner = int(raw_pid)
        except ValueError:
            raise ValueError(f"WATCHDOG_PID={raw_pid!r} is not a process id") from None
        if owner != pid:
            return None
    return usec
