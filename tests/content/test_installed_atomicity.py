"""The pointer and the version record are replaced atomically, never written in place.

A kill -9 test only catches an in-place write when the kill lands inside it. These tests record
every file operation of a real install (tests/content/file_ops.py) and check the order that
makes a power cut harmless: new bytes go to a temporary file in the same folder, that file is
fsynced, renamed over the old name, and the folder fsynced; the pointer names a cache file that
is already durable, and the version record is written only after the pointer.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from content.installed import InstalledStore
from tests.content.factory import stage
from tests.content.file_ops import FileOps

POINTER = "current"
RECORD = "installed-version.json"


def assert_replaced_atomically(ops: FileOps, path: Path) -> int:
    """`path` got its new bytes by rename from a fsynced temporary file beside it, and the folder
    was fsynced afterwards; returns the index of that rename."""
    assert ops.writes_to(path) == [], f"{path.name} was opened for writing in place"
    renames = ops.renames_onto(path)  # (a rename across file systems is tried, and fails)
    assert renames, f"{path.name} was not replaced by a rename"
    at, temp = renames[-1]
    assert temp != path and temp.parent == path.parent, (
        f"{path.name} must come from a temporary file in the same folder, not {temp}"
    )
    written = ops.writes_to(temp)
    assert written and max(written) < at, f"the temporary {temp.name} was not written first"
    synced = [i for i in ops.fsyncs_of(temp) if max(written) < i < at]
    assert synced, f"{temp.name} was renamed over {path.name} without an fsync of its bytes"
    assert [i for i in ops.fsyncs_of(path.parent) if i > at], (
        f"the folder was not fsynced after {path.name} was replaced"
    )
    return at


@pytest.mark.parametrize("first", [True, False], ids=["first install", "over an install"])
def test_pointer_and_record_are_replaced_atomically_in_order(
    tmp_path: Path, base_cache: Path, monkeypatch: pytest.MonkeyPatch, first: bool
) -> None:
    root = tmp_path / "store"
    store = InstalledStore(root)
    version = 1
    if not first:
        store.install(stage(store, base_cache, 1), 1)
        version = 2
    staged = stage(store, base_cache, version)
    target = root / f"cache-v{version}.db"

    with FileOps.recording(monkeypatch) as ops:
        store.install(staged, version)

    pointer_at = assert_replaced_atomically(ops, root / POINTER)
    record_at = assert_replaced_atomically(ops, root / RECORD)
    # the cache the pointer names is in place and durable before the pointer flips
    moved = [i for i, source in ops.renames_onto(target) if source == staged]
    assert moved and moved[0] < pointer_at, "the pointer flipped before the cache was moved in"
    assert [i for i in ops.fsyncs_of(root) if moved[0] < i < pointer_at], (
        "the folder was not fsynced between moving the cache in and flipping the pointer"
    )
    assert [i for i in ops.fsyncs_of(staged) if i < moved[0]], "the cache was not fsynced"
    # the record follows the pointer (a crash between them only allows the same version again)
    assert pointer_at < record_at
    assert [i for i in ops.fsyncs_of(root) if pointer_at < i < record_at]
    # nothing else in the store was written in place
    assert ops.writes_to(target) == []
    assert (root / POINTER).read_text(encoding="utf-8") == f"{target.name}\n"
    assert json.loads((root / RECORD).read_text(encoding="utf-8")) == {
        "file": target.name,
        "version": version,
    }


def test_a_reader_of_the_old_pointer_and_record_keeps_reading_them(
    tmp_path: Path, base_cache: Path
) -> None:
    """With a rename the old inode lives on for whoever has it open; an in-place write would
    truncate and rewrite the very file a concurrent reader holds."""
    store = InstalledStore(tmp_path)
    store.install(stage(store, base_cache, 1), 1)
    pointer, record = tmp_path / POINTER, tmp_path / RECORD
    before = {p: (p.stat().st_ino, p.read_bytes()) for p in (pointer, record)}
    with pointer.open("rb") as old_pointer, record.open("rb") as old_record:
        store.install(stage(store, base_cache, 2), 2)
        assert old_pointer.read() == before[pointer][1] == b"cache-v1.db\n"
        assert old_record.read() == before[record][1]
    for path in (pointer, record):
        assert path.stat().st_ino != before[path][0], f"{path.name} was rewritten in place"
    assert store.current_path() == tmp_path / "cache-v2.db"
    assert store.installed_version() == 2


def test_no_temporary_files_are_left_behind(tmp_path: Path, base_cache: Path) -> None:
    store = InstalledStore(tmp_path)
    for version in (1, 2, 3):
        store.install(stage(store, base_cache, version), version)
    names = sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith(".install"))
    assert names == ["cache-v2.db", "cache-v3.db", POINTER, RECORD, "staging"]


def test_a_failed_install_writes_nothing(
    tmp_path: Path, base_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = InstalledStore(tmp_path)
    store.install(stage(store, base_cache, 2), 2)
    older = stage(store, base_cache, 1)
    with FileOps.recording(monkeypatch) as ops, pytest.raises(Exception, match="refused"):
        store.install(older, 1)
    touched = {op.path for op in ops.ops if op.kind in ("open-write", "rename", "unlink")}
    touched |= {op.target for op in ops.ops if op.kind == "rename"}
    assert not touched & {tmp_path / POINTER, tmp_path / RECORD, tmp_path / "cache-v2.db"}


@pytest.fixture
def other_file_system(tmp_path: Path):
    """A folder on another file system than tmp_path (/dev/shm is a tmpfs), or skip."""
    import tempfile

    shm = Path("/dev/shm")
    if not shm.is_dir() or shm.stat().st_dev == tmp_path.stat().st_dev:
        pytest.skip("no second file system to stage on (/dev/shm)")
    folder = Path(tempfile.mkdtemp(dir=shm, prefix="safe-airports-test-"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def test_a_cache_staged_on_another_file_system_is_copied_in_atomically(
    tmp_path: Path, base_cache: Path, other_file_system: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A rename cannot cross file systems: the cache is copied to a temporary file beside its
    final name, fsynced and renamed, so a crash never leaves a half-copied cache-vN.db."""
    root = tmp_path / "store"
    store = InstalledStore(root)
    store.install(stage(store, base_cache, 1), 1)
    outside = other_file_system / "built.db"
    shutil.copyfile(base_cache, outside)
    conn = sqlite3.connect(outside)
    with conn:
        conn.execute("UPDATE meta SET value = '2' WHERE key = 'content_version'")
    conn.close()
    expected = outside.read_bytes()
    target = root / "cache-v2.db"

    with FileOps.recording(monkeypatch) as ops:
        assert store.install(outside, 2) == target

    at = assert_replaced_atomically(ops, target)
    pointer_at = assert_replaced_atomically(ops, root / POINTER)
    assert at < pointer_at
    assert target.read_bytes() == expected
    assert not outside.exists()  # moved, not left behind
    assert store.current_path() == target and store.installed_version() == 2
    assert sorted(p.name for p in root.iterdir() if p.name.endswith(".tmp")) == []
