"""Record what code does to files: opens for writing, renames, unlinks and fsyncs, in order.

Opens, renames and unlinks are seen through the interpreter's audit hooks (PEP 578), so any
code path is recorded whichever helper module it goes through; fsyncs are recorded by
wrapping `os.fsync`/`os.fdatasync` (they raise no audit event) and naming the file behind the
descriptor from /proc/self/fd. Nothing is changed: the operations still happen.

    with FileOps.recording(monkeypatch) as ops:
        store.install(staged, 2)
    ops.writes_to(path)      # opens of `path` for writing
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_TRUNC


@dataclass(frozen=True)
class Op:
    kind: str  # "open-write", "rename", "unlink", "fsync"
    path: Path
    target: Path | None = None  # renames only


@dataclass
class FileOps:
    ops: list[Op] = field(default_factory=list)

    # --- queries ------------------------------------------------------------------------

    def index(self, kind: str, path: Path, *, target: Path | None = None) -> list[int]:
        return [
            i
            for i, op in enumerate(self.ops)
            if op.kind == kind and op.path == path and (target is None or op.target == target)
        ]

    def writes_to(self, path: Path) -> list[int]:
        return self.index("open-write", path)

    def renames_onto(self, path: Path) -> list[tuple[int, Path]]:
        ops = enumerate(self.ops)
        return [(i, op.path) for i, op in ops if op.kind == "rename" and op.target == path]

    def fsyncs_of(self, path: Path) -> list[int]:
        return self.index("fsync", path)

    # --- recording ----------------------------------------------------------------------

    @classmethod
    @contextmanager
    def recording(cls, monkeypatch: pytest.MonkeyPatch) -> Iterator[FileOps]:
        recorder = cls()
        real_fsync, real_fdatasync = os.fsync, os.fdatasync

        def fsync(fd: int) -> None:
            recorder._add("fsync", _fd_path(fd))
            real_fsync(fd)

        def fdatasync(fd: int) -> None:
            recorder._add("fsync", _fd_path(fd))
            real_fdatasync(fd)

        monkeypatch.setattr(os, "fsync", fsync)
        monkeypatch.setattr(os, "fdatasync", fdatasync)
        _install_hook()
        _ACTIVE.append(recorder)
        try:
            yield recorder
        finally:
            _ACTIVE.remove(recorder)
            monkeypatch.setattr(os, "fsync", real_fsync)
            monkeypatch.setattr(os, "fdatasync", real_fdatasync)

    def _add(self, kind: str, path: Path | None, target: Path | None = None) -> None:
        if path is not None:
            self.ops.append(Op(kind, path, target))


def _fd_path(fd: int) -> Path | None:
    try:
        return Path(os.readlink(f"/proc/self/fd/{int(fd)}"))
    except OSError:
        return None


def _absolute(path: object) -> Path | None:
    if isinstance(path, int) or path is None:
        return None  # an already open descriptor (os.fdopen): its open was recorded
    try:
        return Path(os.path.abspath(os.fsdecode(path)))  # type: ignore[arg-type]
    except TypeError:
        return None


def _opens_for_writing(mode: object, flags: object) -> bool:
    if isinstance(mode, str) and any(c in mode for c in "wax+"):
        return True
    return isinstance(flags, int) and bool(flags & _WRITE_FLAGS)


_ACTIVE: list[FileOps] = []
_HOOKED = False


def _install_hook() -> None:
    """One audit hook per process (they cannot be removed); it records only while active."""
    global _HOOKED
    if _HOOKED:
        return
    _HOOKED = True

    def hook(event: str, args: tuple) -> None:
        if not _ACTIVE:
            return
        recorder = _ACTIVE[-1]
        if event == "open":
            path, mode, flags = (tuple(args) + (None, None, None))[:3]
            if _opens_for_writing(mode, flags):
                recorder._add("open-write", _absolute(path))
        elif event == "os.rename":
            recorder._add("rename", _absolute(args[0]), _absolute(args[1]))
        elif event == "os.remove":
            recorder._add("unlink", _absolute(args[0]))

    sys.addaudithook(hook)
