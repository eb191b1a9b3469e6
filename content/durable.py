"""Durable files, written once for every part (content store, sync agent, server, admin CLI).

A crash or power cut at any instant must leave either the old or the new bytes. The pattern:
write a temporary file in the same folder, fsync it, rename it over the target (atomic on
POSIX), then fsync the folder so that the rename itself is on disk. Locks are `fcntl.flock`
locks, which the kernel releases when the process dies (even by kill -9), so a crash never
leaves a stale lock behind.

Qt-free and stdlib-only: kiosk/, content/ and admin_sync/ all import it.
"""

from __future__ import annotations

import fcntl
import os
import tempfile
from pathlib import Path


def fsync_file(path: Path) -> None:
    """Flush a file's bytes to disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_dir(path: Path) -> None:
    """Flush a directory entry (a rename or a new file) to disk."""
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomic(path: Path, data: bytes, *, mode: int = 0o644) -> None:
    """Write `data` to `path`: temp file in the same folder, fsync, rename, fsync the folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp_name, mode)
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    fsync_dir(path.parent)


class LockBusy(RuntimeError):
    """A non-blocking lock found the lock held by another process."""


class FileLock:
    """An exclusive `flock` on `path` (created 0600 if missing), held from `acquire` (or the
    start of a `with` block) until `release` (or its end), or until the process ends.

    Not released by garbage collection: a holder that drops the object keeps the lock for the
    rest of its life, as a process holding its instance lock must.
    """

    def __init__(self, path: Path, *, blocking: bool = True) -> None:
        self.path = path
        self.blocking = blocking
        self.fd: int | None = None

    def acquire(self) -> int:
        """Take the lock; the open descriptor (the holder may write its pid into the file).

        With `blocking=False` raises LockBusy at once when another process holds it.
        """
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if self.blocking else fcntl.LOCK_NB))
        except BlockingIOError as exc:
            os.close(fd)
            raise LockBusy(f"{self.path} is locked by another process") from exc
        except BaseException:
            os.close(fd)
            raise
        self.fd = fd
        return fd

    def release(self) -> None:
        if self.fd is not None:
            fd, self.fd = self.fd, None
            try:
                fcntl.flock(fd, fcntl.LOCK_UN)
            finally:
                os.close(fd)

    def __enter__(self) -> int:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()


def file_lock(path: Path, *, blocking: bool = True) -> FileLock:
    """`with file_lock(path) as fd:` holds an exclusive lock on `path` for the block."""
    return FileLock(path, blocking=blocking)
