"""The one set of durable-file helpers every part uses (content/durable.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from content.durable import LockBusy, file_lock, fsync_dir, fsync_file, write_atomic


def test_write_atomic_replaces_the_file_and_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "state.json"
    write_atomic(target, b"old")
    write_atomic(target, b"new", mode=0o600)
    assert target.read_bytes() == b"new"
    assert target.stat().st_mode & 0o777 == 0o600
    assert [p.name for p in target.parent.iterdir()] == ["state.json"]


def test_write_atomic_keeps_the_old_bytes_when_writing_fails(tmp_path: Path) -> None:
    target = tmp_path / "pointer"
    write_atomic(target, b"old")
    with pytest.raises(TypeError):
        write_atomic(target, "not bytes")  # type: ignore[arg-type]
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["pointer"]


def test_fsync_helpers_accept_a_file_and_a_folder(tmp_path: Path) -> None:
    (tmp_path / "f").write_bytes(b"x")
    fsync_file(tmp_path / "f")
    fsync_dir(tmp_path)
    with pytest.raises(NotADirectoryError):
        fsync_dir(tmp_path / "f")


# The holder drops its lock object: the lock must stay held until the process ends (the agent
# takes its instance lock that way), not be released by garbage collection.
_HOLDER = """
import gc, sys
from pathlib import Path
from content.durable import FileLock
FileLock(Path(sys.argv[1])).acquire()
gc.collect()
print("held", flush=True)
sys.stdin.readline()
"""


def test_a_lock_excludes_another_process_until_that_process_ends(tmp_path: Path) -> None:
    lock = tmp_path / "lock"
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLDER, str(lock)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        with (
            pytest.raises(LockBusy, match="locked by another process"),
            file_lock(lock, blocking=False),
        ):
            pass
    finally:
        holder.kill()  # the kernel drops the lock of a killed process
        holder.wait(timeout=30)
    with file_lock(lock, blocking=False) as fd:
        assert fd >= 0
    assert lock.stat().st_mode & 0o777 == 0o600
