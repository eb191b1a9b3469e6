"""The installed-content store on a real directory: install, refuse, keep, survive kill -9."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

import pytest

from content.cache import ContentCache
from content.installed import InstalledStore, StoreError
from tests.content.factory import cache_of_version, stage

ROOT = Path(__file__).resolve().parents[2]


def test_empty_store(tmp_path: Path) -> None:
    store = InstalledStore(tmp_path / "content")
    assert store.current_path() is None
    assert store.installed_version() is None
    assert store.versions() == []
    assert store.staging_path(4) == tmp_path / "content" / "staging" / "cache-v4.db.partial"


def test_install_v1_then_v2_keeps_the_previous(tmp_path: Path, base_cache: Path) -> None:
    store = InstalledStore(tmp_path)
    v1 = store.install(stage(store, base_cache, 1), 1)
    assert v1 == tmp_path / "cache-v1.db"
    assert store.current_path() == v1
    assert (tmp_path / "current").read_text() == "cache-v1.db\n"
    assert store.installed_version() == 1

    staged = stage(store, base_cache, 2)
    v2 = store.install(staged, 2)
    assert not staged.exists()  # moved, not copied
    assert store.current_path() == v2 == tmp_path / "cache-v2.db"
    assert store.installed_version() == 2
    assert json.loads((tmp_path / "installed-version.json").read_text()) == {
        "file": "cache-v2.db",
        "version": 2,
    }
    assert store.versions() == [1, 2]  # previous kept
    with ContentCache.open(store.current_path()) as cache:
        assert cache.content_version == 2

    leftover = tmp_path / "staging" / "cache-v9.db.partial.x1.building"  # an interrupted build
    leftover.write_bytes(b"half")
    v3 = store.install(stage(store, base_cache, 3), 3)
    assert store.versions() == [2, 3]  # older than the previous one are deleted
    assert list((tmp_path / "staging").iterdir()) == []
    assert store.current_path() == v3


def test_a_crash_before_the_record_counts_the_pointers_version(
    tmp_path: Path, base_cache: Path
) -> None:
    store = InstalledStore(tmp_path)
    store.install(stage(store, base_cache, 1), 1)
    record = (tmp_path / "installed-version.json").read_bytes()
    store.install(stage(store, base_cache, 2), 2)
    # a crash between the pointer flip and the version record: pointer on 2, record still 1
    (tmp_path / "installed-version.json").write_bytes(record)
    assert store.current_path() == tmp_path / "cache-v2.db"
    assert store.recorded_version() == 1
    assert store.installed_version() == 2, "what the kiosk shows is installed"

    with pytest.raises(StoreError, match="version 2 is already installed"):
        store.install(stage(store, base_cache, 2), 2)  # the agent does not redo it
    assert store.versions() == [1, 2]  # the version before the interrupted install is kept
    with ContentCache.open(tmp_path / "cache-v1.db") as cache:
        assert cache.content_version == 1

    store.install(stage(store, base_cache, 3), 3)
    assert store.versions() == [2, 3]
    assert store.recorded_version() == store.installed_version() == 3


def test_older_or_equal_versions_are_refused(tmp_path: Path, base_cache: Path) -> None:
    store = InstalledStore(tmp_path)
    store.install(stage(store, base_cache, 1), 1)
    store.install(stage(store, base_cache, 2), 2)
    for version in (1, 2):
        with pytest.raises(StoreError, match=f"version {version} refused: version 2 is already"):
            store.install(stage(store, base_cache, version), version)
    assert store.current_path() == tmp_path / "cache-v2.db"
    assert store.installed_version() == 2
    assert store.versions() == [1, 2]


def test_corrupt_staged_file_is_refused_and_current_untouched(
    tmp_path: Path, base_cache: Path
) -> None:
    store = InstalledStore(tmp_path)
    current = store.install(stage(store, base_cache, 1), 1)
    before = current.read_bytes()

    garbage = store.staging_path(2)
    garbage.write_bytes(b"SQLite format 3\x00" + b"\xee" * 8192)
    with pytest.raises(StoreError, match="cannot install .*unreadable or corrupt"):
        store.install(garbage, 2)

    damaged = stage(store, base_cache, 2)
    data = bytearray(damaged.read_bytes())
    data[4096 * 10 + 50 : 4096 * 12] = b"\x00\x13" * ((4096 * 2 - 50) // 2)
    damaged.write_bytes(bytes(data))
    with pytest.raises(StoreError, match="integrity check failed"):
        store.install(damaged, 2)

    mislabelled = stage(store, base_cache, 5)
    with pytest.raises(StoreError, match="holds content version 5, expected 2"):
        store.install(mislabelled, 2)

    assert store.current_path() == current
    assert current.read_bytes() == before
    assert store.installed_version() == 1
    assert store.versions() == [1]


def test_install_file_copies_a_built_cache(tmp_path: Path, base_cache: Path) -> None:
    store = InstalledStore(tmp_path / "store")
    built = cache_of_version(base_cache, tmp_path / "built.db", 7)
    path = store.install_file(built)
    assert path == tmp_path / "store" / "cache-v7.db"
    assert built.exists()  # the caller's file is left alone
    assert store.installed_version() == 7
    assert list((tmp_path / "store" / "staging").iterdir()) == []
    with pytest.raises(StoreError, match="not found"):
        store.install_file(tmp_path / "missing.db")


def test_a_bad_pointer_resolves_to_nothing(tmp_path: Path, base_cache: Path) -> None:
    store = InstalledStore(tmp_path)
    store.install(stage(store, base_cache, 1), 1)
    for text in ("../../etc/passwd\n", "cache-v9.db\n", ""):
        (tmp_path / "current").write_text(text)
        assert store.current_path() is None, text


def test_a_damaged_version_record_stops_installs(tmp_path: Path, base_cache: Path) -> None:
    store = InstalledStore(tmp_path)
    store.install(stage(store, base_cache, 1), 1)
    (tmp_path / "installed-version.json").write_text("{broken")
    with pytest.raises(StoreError, match="installed-version.json is damaged"):
        store.install(stage(store, base_cache, 2), 2)
    assert store.current_path() == tmp_path / "cache-v1.db"


def test_an_open_reader_keeps_its_content_across_installs(tmp_path: Path, base_cache: Path) -> None:
    store = InstalledStore(tmp_path)
    store.install(stage(store, base_cache, 1), 1)
    with ContentCache.open(store.current_path()) as reader:
        store.install(stage(store, base_cache, 2), 2)
        store.install(stage(store, base_cache, 3), 3)  # deletes cache-v1.db
        assert reader.content_version == 1
        assert reader.article("RU", "entry-registration", "en").sections
    with ContentCache.open(store.current_path()) as fresh:
        assert fresh.content_version == 3


CHILD = """
import shutil, sqlite3, sys
from pathlib import Path
from content.installed import InstalledStore
root, base, start = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
store = InstalledStore(root)
version = start
while True:
    staged = store.staging_path(version)
    shutil.copyfile(base, staged)
    conn = sqlite3.connect(staged)
    with conn:
        conn.execute("UPDATE meta SET value = ? WHERE key = 'content_version'", (str(version),))
    conn.close()
    store.install(staged, version)
    print(version, flush=True)
    version += 1
"""


def test_kill_9_during_installs_leaves_old_or_new_content(tmp_path: Path, base_cache: Path) -> None:
    """Kill the installer at random moments; every time the store must open cleanly."""
    store = InstalledStore(tmp_path / "store")
    rng = random.Random(1234)
    next_version = 1
    seen: set[int] = set()
    for _ in range(8):
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(store.root), str(base_cache), str(next_version)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            for _ in range(rng.randint(1, 4)):  # wait for a few installs to complete ...
                line = child.stdout.readline()
                assert line, "installer died on its own"
                seen.add(int(line))
        finally:
            child.kill()  # ... and kill -9 somewhere inside the next one
            child.wait()
            child.stdout.close()
        current = store.current_path()
        assert current is not None
        with ContentCache.open(current) as cache:
            assert cache.integrity_problems() == []
            pointer_version = cache.content_version
        recorded = store.installed_version()
        assert recorded is not None
        assert pointer_version >= max(seen)
        assert recorded in (pointer_version, pointer_version - 1)
        assert f"cache-v{pointer_version}.db" == current.name
        next_version = recorded + 1


def test_a_file_staged_outside_the_store_is_moved_in(tmp_path: Path, base_cache: Path) -> None:
    store = InstalledStore(tmp_path / "store")
    outside = cache_of_version(base_cache, tmp_path / "elsewhere.db", 4)
    path = store.install(outside, 4)
    assert path == tmp_path / "store" / "cache-v4.db"
    assert not outside.exists()
    assert store.current_path() == path and store.installed_version() == 4
