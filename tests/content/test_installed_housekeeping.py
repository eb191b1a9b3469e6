"""The installed store's housekeeping: what it keeps, what it cleans up, what it says."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from content.cache import ContentCache
from content.installed import InstalledStore, StoreError
from tests.content.factory import cache_of_version, stage


def test_leftovers_of_interrupted_downloads_are_removed_and_nothing_else(
    tmp_path: Path, base_cache: Path
) -> None:
    store = InstalledStore(tmp_path)
    store.install(stage(store, base_cache, 1), 1)
    staging = tmp_path / "staging"
    leftovers = ["cache-v7.db.partial", "part-3.json.tmp", "cache-v8.db.building"]
    kept = ["notes.txt", "cache-v9.db.partial.keep"]
    for name in leftovers + kept:
        (staging / name).write_bytes(b"half")
    (staging / "a-folder.partial").mkdir()  # not a file: left alone
    store.install(stage(store, base_cache, 2), 2)
    assert sorted(p.name for p in staging.iterdir()) == sorted([*kept, "a-folder.partial"])


def test_the_cache_current_before_the_install_is_kept_even_if_not_the_newest(
    tmp_path: Path, base_cache: Path
) -> None:
    """An administrator pointed `current` back to version 1 by hand while version 2 was still
    there; installing 3 keeps what the kiosk was showing (1), not the newest older file (2)."""
    store = InstalledStore(tmp_path)
    for version in (1, 2):
        store.install(stage(store, base_cache, version), version)
    (tmp_path / "current").write_text("cache-v1.db\n", encoding="utf-8")
    assert store.current_path() == tmp_path / "cache-v1.db"
    store.install(stage(store, base_cache, 3), 3)
    assert store.versions() == [1, 3]
    assert store.current_path() == tmp_path / "cache-v3.db"


def test_an_older_version_is_refused_with_a_plain_message(tmp_path: Path, base_cache: Path) -> None:
    store = InstalledStore(tmp_path)
    store.install(stage(store, base_cache, 5), 5)
    with pytest.raises(StoreError) as caught:
        store.install(stage(store, base_cache, 4), 4)
    assert str(caught.value) == (
        "content version 4 refused: version 5 is already installed "
        "(only newer content is installed)"
    )


def test_a_store_whose_folders_do_not_exist_yet(tmp_path: Path, base_cache: Path) -> None:
    store = InstalledStore(tmp_path / "var" / "lib" / "safe-airports" / "content")
    outside = cache_of_version(base_cache, tmp_path / "built.db", 3)
    path = store.install(outside, 3)
    assert path == store.root / "cache-v3.db" and store.current_path() == path


def test_the_version_record_is_canonical_json(tmp_path: Path, base_cache: Path) -> None:
    """Sorted keys, one line: the same install always writes the same bytes."""
    store = InstalledStore(tmp_path)
    store.install(stage(store, base_cache, 12), 12)
    record = (tmp_path / "installed-version.json").read_text(encoding="utf-8")
    assert record == '{"file": "cache-v12.db", "version": 12}\n'
    assert json.loads(record)["version"] == store.installed_version() == 12


def test_an_integrity_failure_names_at_most_three_problems(
    tmp_path: Path, base_cache: Path
) -> None:
    store = InstalledStore(tmp_path)
    damaged = stage(store, base_cache, 2)
    data = bytearray(damaged.read_bytes())
    page = 5  # the root page of an index: its cells and rows no longer match
    data[(page - 1) * 4096 + 8 : page * 4096] = bytes(4088)
    damaged.write_bytes(bytes(data))
    with ContentCache.open(damaged) as cache:
        problems = cache.integrity_problems()
    assert len(problems) > 3
    with pytest.raises(StoreError) as caught:
        store.install(damaged, 2)
    message = str(caught.value)
    assert message.endswith(f"integrity check failed: {problems[:3]}")
    assert store.current_path() is None and store.installed_version() is None


@pytest.mark.parametrize("record", ["[3]", '{"version": "3"}', '{"version": true}', "{}", "3"])
def test_a_record_without_an_integer_version_stops_installs(
    tmp_path: Path, base_cache: Path, record: str
) -> None:
    store = InstalledStore(tmp_path)
    store.install(stage(store, base_cache, 1), 1)
    (tmp_path / "installed-version.json").write_text(record, encoding="utf-8")
    with pytest.raises(StoreError) as caught:
        store.installed_version()
    assert str(caught.value) == f"{tmp_path / 'installed-version.json'} has no integer 'version'"
    with pytest.raises(StoreError, match="has no integer 'version'"):
        store.install(stage(store, base_cache, 2), 2)
    assert store.current_path() == tmp_path / "cache-v1.db"
