"""Power loss, not only kill -9 (issue 9, item 7): an install survives losing every write that
was not fsynced, at any point.

A real install of the sample content through the agent's path (`ContentInstaller`: build into
staging, then `InstalledStore.install`) runs with a recording `FileOps`. Every prefix of the
recorded operations is replayed under the power-loss model of `power_loss.py` (unsynced data
lost, un-fsynced directory entries each lost or kept), and every folder that could be left is
written out and checked as the kiosk and the agent would find it after the restart:

- the `current` pointer names a cache that opens read-only, passes SQLite's integrity check
  and holds either the old or the new version, complete;
- the installed version the agent sees is the one the kiosk shows, and the record on disk is
  never ahead of it (else the agent would refuse the content the kiosk lacks);
- the agent can then install the new version (if it is not already the current one).

The check must be able to fail: the same replay of mutated installs (the pointer written in
place; the folder fsync after moving the cache in, or after the pointer flip, removed) finds
a broken state.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from admin_sync.agent.install import ContentInstaller
from content.cache import CacheError, ContentCache
from content.installed import POINTER, STAGING, VERSION_RECORD, InstalledStore, StoreError
from content.model import Content
from content.parts import split_parts
from tests.admin_sync.sync.power_loss import RecordingOps, materialize, state_key

OLD, NEW = 2, 3


@dataclass
class Replay:
    checked: int = 0  # distinct folders checked
    states: int = 0  # crash states enumerated (before removing duplicates)
    problems: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def parts(sample_content: Content) -> dict[str, bytes]:
    return split_parts(sample_content)


@pytest.fixture(scope="module")
def start(tmp_path_factory: pytest.TempPathFactory, parts: dict[str, bytes]) -> Path:
    """The kiosk before the install: versions 1 and 2 installed (2 current), and a stale
    partial download in staging."""
    root = tmp_path_factory.mktemp("start") / "content"
    installer = ContentInstaller(root)
    installer.install(parts, 1)
    installer.install(parts, OLD)
    (root / STAGING / "cache-v9.db.partial").write_bytes(b"an interrupted download")
    return root


def _check(
    root: Path, staged_copy: Path, store_class: type[InstalledStore], old: int | None
) -> str | None:
    """What is wrong with the folder a power cut left (None: nothing). `old` is the version
    current before the install (None: a first install; the kiosk then shows its packaged
    content until one completes)."""
    store = store_class(root)
    current = store.current_path()
    version: int | None = None
    if current is None:
        if old is not None:
            return "no current cache: the pointer is missing, damaged or names a missing file"
    else:
        try:
            with ContentCache.open(current) as cache:
                version = cache.content_version
                problems = cache.integrity_problems()
                if not cache.airports():
                    return f"{current.name}: no airports (incomplete)"
        except CacheError as exc:
            return f"{current.name} does not open: {exc}"
        if problems:
            return f"{current.name}: integrity check: {problems[:2]}"
        if version not in (old, NEW):
            return f"{current.name} holds version {version}, neither old nor new"
    try:
        seen = store.installed_version()
        recorded = store.recorded_version()
    except StoreError as exc:
        return f"the version record is unreadable: {exc}"
    if seen != version or (recorded is not None and (version is None or recorded > version)):
        return f"kiosk shows {version}, agent sees {seen}, record says {recorded}"
    if version != NEW:  # the agent retries after the restart
        staged = store.staging_path(NEW)
        shutil.copyfile(staged_copy, staged)
        try:
            store.install(staged, NEW)
        except (StoreError, OSError) as exc:
            return f"the retried install fails: {exc}"
        if store.installed_version() != NEW or store.current_path() != root / f"cache-v{NEW}.db":
            return "the retried install did not make the new version current"
    return None


def replay(
    start: Path,
    work: Path,
    parts: dict[str, bytes],
    *,
    drop_fsync_dir: int | None = None,
    store_class: type[InstalledStore] = InstalledStore,
    old: int | None = OLD,
) -> tuple[RecordingOps, Replay]:
    """Record one real install of version NEW onto a copy of `start`, then check every state a
    power cut after each prefix of its operations could leave."""
    root = work / "content"
    shutil.copytree(start, root)
    ops = RecordingOps(root, drop_fsync_dir=drop_fsync_dir)
    installer = ContentInstaller(root, ops=ops)
    installer.store = store_class(root, ops=ops)
    staged_copy = work / "new.db"

    def keep_a_copy(path: Path, _version: int) -> None:
        shutil.copyfile(path, staged_copy)

    installer.on_staged = keep_a_copy
    installer.install(parts, NEW)
    assert InstalledStore(root).installed_version() == NEW
    result = Replay()
    seen: dict[tuple[tuple[str, str], ...], str | None] = {}
    for step in range(len(ops.snapshots)):
        for state in ops.crash_states(step):
            result.states += 1
            key = state_key(state)
            if key not in seen:
                folder = work / f"state-{len(seen)}" / "content"
                materialize(state, folder, work / "blobs")
                seen[key] = _check(folder, staged_copy, store_class, old)
                shutil.rmtree(folder.parent)
            problem = seen[key]
            if problem is not None:
                done = "; ".join(ops.log[:step]) or "nothing yet"
                result.problems.append(f"after [{done}]: {problem}")
    result.checked = len(seen)
    return ops, result


@pytest.fixture(scope="module")
def empty_start(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A kiosk before its first install: an empty content folder."""
    root = tmp_path_factory.mktemp("empty") / "content"
    root.mkdir()
    return root


def test_a_first_install_survives_a_power_cut_after_any_operation(
    empty_start: Path, parts: dict[str, bytes], tmp_path: Path
) -> None:
    ops, result = replay(empty_start, tmp_path, parts, old=None)
    print(f"{len(ops.log)} operations, {result.states} crash states, {result.checked} distinct")
    assert result.problems == []
    assert "mkdir staging" in ops.log, ops.log


def test_an_install_survives_a_power_cut_after_any_operation(
    start: Path, parts: dict[str, bytes], tmp_path: Path
) -> None:
    ops, result = replay(start, tmp_path, parts)
    print(f"{len(ops.log)} operations, {result.states} crash states, {result.checked} distinct")
    assert result.problems == []
    kinds = " ".join(ops.log)
    for op in ("outside write", "fsync staging/", "rename staging/", "fsync_dir .", "unlink"):
        assert op in kinds, f"the recorded install has no {op!r}: {ops.log}"
    assert "unlink cache-v1.db" in ops.log, "the oldest cache is removed"
    assert result.checked >= 10, "the model produced too few distinct states to mean much"


class PointerInPlace(InstalledStore):
    """A mutant: writes `current` in place (truncate, write, fsync) instead of atomically."""

    def _write_atomically(self, path: Path, text: str) -> None:
        if path.name != POINTER:
            return super()._write_atomically(path, text)
        self.ops.write_new(path, text.encode())
        self.ops.fsync_file(path)
        self.ops.fsync_dir(path.parent)
        return None


class RecordFirst(InstalledStore):
    """A mutant: records the new version before flipping the pointer."""

    def _write_atomically(self, path: Path, text: str) -> None:
        if path.name == POINTER:
            super()._write_atomically(path, text)
            return
        if path.name == VERSION_RECORD:
            return  # written early below
        super()._write_atomically(path, text)

    def _move_into(self, staged: Path, target: Path) -> None:
        super()._move_into(staged, target)
        version = int(target.name.removeprefix("cache-v").removesuffix(".db"))
        super()._write_atomically(
            self.root / VERSION_RECORD, f'{{"file": "{target.name}", "version": {version}}}\n'
        )


class RecordOnly(InstalledStore):
    """The store before this test existed: the installed version was the record's alone, so a
    power cut between the pointer flip and the record left the agent one version behind what
    the kiosk showed (it then rebuilt and replaced the live cache file)."""

    def installed_version(self) -> int | None:
        return self.recorded_version()


def _fsync_dir_index(ops: RecordingOps, after: Callable[[str], bool]) -> int:
    """Index among the fsync_dir calls of the first one following an operation matching
    `after` (in the clean recording)."""
    armed = False
    index = -1
    for entry in ops.log:
        if entry.startswith("fsync_dir"):
            index += 1
            if armed:
                return index
        elif after(entry):
            armed = True
    raise AssertionError(f"no fsync_dir after the operation in {ops.log}")


@pytest.mark.slow
def test_the_replay_catches_broken_installs(
    start: Path, parts: dict[str, bytes], tmp_path: Path
) -> None:
    clean, _ = replay(start, tmp_path / "clean", parts)
    caught = {}
    _, result = replay(start, tmp_path / "in-place", parts, store_class=PointerInPlace)
    caught["pointer written in place"] = result.problems
    _, result = replay(start, tmp_path / "record-first", parts, store_class=RecordFirst)
    caught["version recorded before the pointer flips"] = result.problems
    _, result = replay(start, tmp_path / "record-only", parts, store_class=RecordOnly)
    caught["installed version read from the record alone"] = result.problems
    move = _fsync_dir_index(clean, lambda e: e.startswith("rename staging/"))
    flip = _fsync_dir_index(clean, lambda e: e == "rename current.tmp -> current")
    for name, index in (("cache moved in", move), ("pointer flipped", flip)):
        _, result = replay(start, tmp_path / f"drop-{index}", parts, drop_fsync_dir=index)
        caught[f"no folder fsync after the {name}"] = result.problems
    for mutant, problems in caught.items():
        print(f"{mutant}: {len(problems)} broken states, e.g. {problems[:1]}")
        assert problems, f"the replay did not notice: {mutant}"
