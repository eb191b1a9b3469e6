"""kill -9 during installs: the content always opens read-only as one complete version.

A forked child runs the install step in a loop, alternating two contents (1.2 MB caches): it
writes the staged cache (a copy of a prebuilt cache stamped with the next version number, as
fast stand-in for the builder, which writes to the same staging file) and calls
`InstalledStore.install`, announcing each phase on a pipe, including the instants right before
and right after the pointer flip (the child wraps the store's atomic writer to announce them).
The parent kills it with SIGKILL at a random instant (while it writes the staged file, while
the store verifies, moves and flips the pointer, or just after an install completed), or, in a
fifth of the rounds each, exactly at the instant before or after the flip (the child waits
there to be killed); then it opens the cache read-only and checks it is exactly one complete
version, old or new. The rounds at the flip must keep the old version, resp. show the new
one; and both outcomes must be seen several times. SAFE_AIRPORTS_CRASH_KILLS sets how many
kills (default 50); the first install goes through the agent's full ContentInstaller path.
"""

from __future__ import annotations

import os
import random
import select
import shutil
import signal
import sqlite3
import time
from pathlib import Path

import pytest

from admin_sync.agent.install import ContentInstaller
from content.build import build_cache
from content.cache import ContentCache
from content.installed import POINTER, InstalledStore
from content.parts import join_parts, split_parts
from tests.admin_sync.sync.kiosk_under_test import article_text, edit_one_article

MARKER = "Crash-test edition of this article."
KILLS = int(os.environ.get("SAFE_AIRPORTS_CRASH_KILLS", "50"))


def _stage(template: Path, staged: Path, version: int) -> None:
    shutil.copyfile(template, staged)
    conn = sqlite3.connect(staged)
    with conn:
        conn.execute("UPDATE meta SET value = ? WHERE key = 'content_version'", (str(version),))
    conn.close()


def _announce_the_flip(
    store: InstalledStore, write_fd: int, pause_at: str | None, pause_above: int
) -> None:
    """In the child only: announce F (before) and P (after) around each pointer flip, and wait
    to be killed at `pause_at` for the first version above `pause_above`."""
    real_write = store._write_atomically

    def announcing_write(path: Path, text: str) -> None:
        if path.name != POINTER:
            return real_write(path, text)
        version = int(text.strip().removeprefix("cache-v").removesuffix(".db"))
        for moment in ("F", "P"):
            if moment == "P":
                real_write(path, text)
            os.write(write_fd, f"{moment}{version}\n".encode())
            if moment == pause_at and version > pause_above:
                time.sleep(120)  # the parent kills us here; never reached in a passing run
                os._exit(3)
        return None

    store._write_atomically = announcing_write  # type: ignore[method-assign]


def _child(
    store: InstalledStore,
    template_a: Path,
    template_b: Path,
    write_fd: int,
    pause_at: str | None,
    pause_above: int,
) -> None:
    try:
        _announce_the_flip(store, write_fd, pause_at, pause_above)
        while True:
            version = (store.installed_version() or 0) + 1
            os.write(write_fd, f"B{version}\n".encode())
            staged = store.staging_path(version)
            _stage(template_b if version % 2 == 0 else template_a, staged, version)
            os.write(write_fd, f"S{version}\n".encode())
            store.install(staged, version)
    finally:
        os._exit(0)


def _wait_for(read_fd: int, prefix: str, buffer: list[str]) -> int:
    """Block until the child announces `prefix` (B: building, S: staged, F: about to flip the
    pointer, P: pointer flipped); returns the version.
    `buffer` keeps announcements read but not yet consumed, in order."""
    while True:
        while buffer:
            line = buffer.pop(0)
            if line.startswith(prefix):
                return int(line[1:])
        ready, _, _ = select.select([read_fd], [], [], 60)
        assert ready, "the install loop stopped talking"
        buffer.extend(os.read(read_fd, 4096).decode().split())


def _check(installer: ContentInstaller, key, low: int, high: int) -> int:
    """The installed content opens read-only, is complete, and is a version in [low, high]."""
    path = installer.store.current_path()
    assert path is not None, "no current cache after a crash"
    with ContentCache.open(path) as cache:
        version = cache.content_version
        assert low <= version <= high, (low, version, high)
        assert cache.integrity_problems() == []
        # the right content for that version, not a mix: even versions carry the marker
        assert (MARKER in article_text(cache, key)) == (version % 2 == 0), version
        assert cache.airports(), "a complete cache has its airports"
    recorded = installer.installed_version()
    assert recorded == version, (recorded, version)
    return version


@pytest.mark.slow
def test_kill_9_during_installs_leaves_old_or_new_content(tmp_path, sample_content):
    parts_a = split_parts(sample_content)
    edited, key = edit_one_article(sample_content, MARKER)
    parts_b = split_parts(edited)
    installer = ContentInstaller(tmp_path / "content")
    installer.install(parts_a, 1)
    template_a = tmp_path / "a.db"
    shutil.copyfile(installer.store.current_path(), template_a)
    template_b = tmp_path / "b.db"
    build_cache(join_parts(parts_b), template_b, content_version=2)
    started = time.monotonic()  # time both phases once, to spread the kills over them
    _stage(template_b, installer.store.staging_path(2), 2)
    build_time = time.monotonic() - started
    started = time.monotonic()
    installer.store.install(installer.store.staging_path(2), 2)
    install_time = time.monotonic() - started
    rng = random.Random(int(os.environ.get("SAFE_AIRPORTS_CRASH_SEED", "4242")))
    names = ["build", "install", "after", "before_flip", "after_flip"]
    schedule: list[str] = []
    while len(schedule) < KILLS:  # every kind of round equally often, in a random order
        block = names.copy()
        rng.shuffle(block)
        schedule.extend(block)
    seen, kills = 2, 0
    phases = dict.fromkeys(names, 0)
    outcomes = {"old kept": 0, "new installed": 0}
    for phase in schedule[:KILLS]:
        pause_at = {"before_flip": "F", "after_flip": "P"}.get(phase)
        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: install in a loop until killed; never returns into pytest
            try:
                os.close(read_fd)
                _child(installer.store, template_a, template_b, write_fd, pause_at, seen)
            finally:
                os._exit(1)
        os.close(write_fd)
        buffer: list[str] = []
        try:
            if phase == "build":  # while it writes the staged file
                attempted = _wait_for(read_fd, "B", buffer)
                time.sleep(rng.uniform(0, build_time))
            elif phase == "install":  # while the store verifies, moves, flips, records
                attempted = _wait_for(read_fd, "S", buffer)
                time.sleep(rng.uniform(0, install_time * 1.5))
            elif phase == "after":  # just after an install completed (cleanup, next staging)
                _wait_for(read_fd, "S", buffer)
                attempted = _wait_for(read_fd, "B", buffer)
                time.sleep(rng.uniform(0, build_time / 4))
            else:  # exactly before / after the flip of a version newer than the current one
                attempted = seen
                while attempted <= seen:
                    attempted = _wait_for(read_fd, pause_at, buffer)
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            kills += 1
            phases[phase] += 1
            tail = os.read(read_fd, 4096).decode().split()  # the child is dead: no blocking
            attempted = max([attempted, *(int(x[1:]) for x in tail)])
        finally:
            os.close(read_fd)
        before = seen
        seen = _check(installer, key, seen, attempted)
        if phase == "before_flip":
            assert seen == before, f"killed before the flip of {attempted}, yet {seen} is current"
        elif phase == "after_flip":
            assert seen == attempted, f"killed after the flip of {attempted}, {seen} is current"
        if attempted > before:
            outcomes["old kept" if seen == before else "new installed"] += 1
    assert kills >= 50 and min(phases.values()) >= 10, phases
    # both sides of the flip were hit, each several times
    assert min(outcomes.values()) >= 10, outcomes
    nxt = (installer.installed_version() or 0) + 1  # and the store still takes new versions
    installer.install(parts_b if nxt % 2 == 0 else parts_a, nxt)
    assert _check(installer, key, nxt, nxt) == nxt
