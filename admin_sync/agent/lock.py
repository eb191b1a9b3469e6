"""One agent at a time: an exclusive, non-blocking `fcntl` lock on a file in the state folder.

The kernel releases the lock when the process dies (even by kill -9), so a crash never leaves a
stale lock behind.
"""

from __future__ import annotations

import os
from pathlib import Path

from content.durable import FileLock, LockBusy


class AlreadyRunning(RuntimeError):
    pass


class InstanceLock:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = FileLock(path, blocking=False)

    def acquire(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = self._lock.acquire()
        except LockBusy as exc:
            holder = self.path.read_text().strip() or "unknown"
            raise AlreadyRunning(
                f"another sync agent is running (pid {holder}, lock {self.path})"
            ) from exc
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())

    def release(self) -> None:
        self._lock.release()

    def __enter__(self) -> InstanceLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
