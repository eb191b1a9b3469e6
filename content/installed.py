"""The installed-content store: where a kiosk keeps its content caches, switched atomically.

Layout under `root` (e.g. /var/lib/safe-airports/content):

    cache-v41.db               the previous version (kept, to go back to by hand)
    cache-v42.db               the current version
    current                    pointer: one line, the file name of the current cache
    installed-version.json     {"version": 42, "file": "cache-v42.db"}: the highest version
                               ever installed; older or equal versions are refused
    staging/                   where the agent builds a new cache (cache-v43.db.partial)

Crash safety by construction (a kill -9 or power cut at any instant leaves the old or the new
content, never a mix): the live file is never modified; a new cache is verified (integrity
check, schema, meta version), fsynced, renamed into `root`, and the directory fsynced before
the pointer flips; the pointer is written to a temporary file, fsynced, renamed over `current`
with os.replace (atomic) and the directory fsynced again. Only then is the version recorded
(same write-fsync-rename-fsync dance). After a power cut between the two the record lags the
pointer by one install; `installed_version()` is therefore the higher of the record and the
version the pointer names, so the agent never reinstalls, nor refuses, what the kiosk shows.

Every file operation of an install goes through a `FileOps` (the real one by default), so that
tests/content/test_power_loss.py can record a real install and replay every prefix of it under
a power-loss model (unsynced data and un-fsynced directory entries lost) and check each state.

Qt-free: the sync agent installs, the kiosk only reads `current_path()` at each session reset.
"""

from __future__ import annotations

import errno
import json
import os
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from content.cache import CacheError, ContentCache
from content.durable import file_lock, fsync_dir, fsync_file

POINTER = "current"
VERSION_RECORD = "installed-version.json"
STAGING = "staging"
LOCK = ".install.lock"
_CACHE_NAME = re.compile(r"^cache-v(\d+)\.db$")


class StoreError(Exception):
    """An install that was refused or failed; the current content is left as it was."""


def cache_file_name(version: int) -> str:
    return f"cache-v{int(version)}.db"


class FileOps:
    """The file operations an install performs (each one a system call or two).

    Nothing here syncs unless asked: `write_new` leaves the data in the page cache, `replace`
    and `unlink` leave the directory entry unsynced until `fsync_dir` of its folder.
    """

    def write_new(self, path: Path, data: bytes) -> None:
        """Create or truncate `path` and write `data` (not fsynced)."""
        with open(path, "wb") as handle:
            handle.write(data)

    def fsync_file(self, path: Path) -> None:
        fsync_file(path)  # content/durable.py: the one copy

    def fsync_dir(self, path: Path) -> None:
        fsync_dir(path)

    def replace(self, src: Path, dst: Path) -> None:
        os.replace(src, dst)

    def unlink(self, path: Path) -> None:
        path.unlink(missing_ok=True)

    def mkdir(self, path: Path) -> None:
        path.mkdir(parents=True, exist_ok=True)

    def copy(self, src: Path, dst: Path) -> None:
        """Copy across file systems (not fsynced)."""
        shutil.copyfile(src, dst)


REAL_FILE_OPS = FileOps()


class InstalledStore:
    def __init__(self, root: Path, *, ops: FileOps = REAL_FILE_OPS) -> None:
        self.root = Path(root)
        self.ops = ops

    # --- reading ------------------------------------------------------------------------

    def current_path(self) -> Path | None:
        """The current cache file, or None if nothing is installed (or the pointer is bad)."""
        try:
            name = (self.root / POINTER).read_text(encoding="utf-8").strip()
        except (FileNotFoundError, NotADirectoryError, UnicodeDecodeError):
            return None
        if not _CACHE_NAME.match(name):
            return None
        path = self.root / name
        return path if path.is_file() else None

    def installed_version(self) -> int | None:
        """The newest version installed: the record's, or the pointer's if that is newer.

        The pointer flips before the record is written, so after a power cut between the two
        the pointer is the newer; content older than the record is never current.
        """
        recorded = self.recorded_version()
        current = self.current_path()
        match = _CACHE_NAME.match(current.name) if current is not None else None
        pointed = int(match.group(1)) if match else None
        if recorded is None or (pointed is not None and pointed > recorded):
            return pointed
        return recorded

    def recorded_version(self) -> int | None:
        """The version in `installed-version.json` (None if there is no record)."""
        try:
            record = json.loads((self.root / VERSION_RECORD).read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (ValueError, UnicodeDecodeError) as exc:
            raise StoreError(f"{self.root / VERSION_RECORD} is damaged: {exc}") from exc
        version = record.get("version") if isinstance(record, dict) else None
        if not isinstance(version, int) or isinstance(version, bool):
            raise StoreError(f"{self.root / VERSION_RECORD} has no integer 'version'")
        return version

    def versions(self) -> list[int]:
        """Versions of the cache files present in root, oldest first."""
        if not self.root.is_dir():
            return []
        found = (_CACHE_NAME.match(p.name) for p in self.root.iterdir())
        return sorted(int(m.group(1)) for m in found if m)

    def staging_path(self, version: int) -> Path:
        """Where to build version `version` before `install` (creates the staging folder)."""
        staging = self.root / STAGING
        self.ops.mkdir(staging)
        return staging / f"{cache_file_name(version)}.partial"

    # --- installing ---------------------------------------------------------------------

    def install(self, staged: Path, version: int) -> Path:
        """Verify the staged cache and make it the current one; return its installed path.

        Raises StoreError (leaving the current content untouched) if the version is not newer
        than the installed one or the file fails verification.
        """
        staged = Path(staged)
        version = int(version)
        self.ops.mkdir(self.root)
        with self._lock():
            installed = self.installed_version()
            if installed is not None and version <= installed:
                raise StoreError(
                    f"content version {version} refused: version {installed} is already "
                    "installed (only newer content is installed)"
                )
            verify_cache(staged, version)
            target = self.root / cache_file_name(version)
            previous = self._previous_of(target, version)
            self.ops.fsync_file(staged)
            self._move_into(staged, target)
            self._write_atomically(self.root / POINTER, target.name + "\n")
            self._write_atomically(
                self.root / VERSION_RECORD,
                json.dumps({"version": version, "file": target.name}, sort_keys=True) + "\n",
            )
            self._remove_old(keep={target.name, previous.name if previous else ""})
            return target

    def _previous_of(self, target: Path, version: int) -> Path | None:
        """The cache to keep next to `target`: the current one, unless it already is `target`.

        The pointer already names `target` after a crash between the pointer flip and the
        version record; reinstalling that version must then keep the newest older cache (the
        one that was current before the interrupted install), not only the target.
        """
        current = self.current_path()
        if current is not None and current.name != target.name:
            return current
        older = [v for v in self.versions() if v < version]
        return self.root / cache_file_name(older[-1]) if older else None

    def install_file(self, cache_file: Path) -> Path:
        """Copy a built cache into staging and install it under the version its meta names."""
        version = read_content_version(Path(cache_file))
        staged = self.staging_path(version)
        shutil.copyfile(cache_file, staged)
        try:
            return self.install(staged, version)
        finally:
            staged.unlink(missing_ok=True)

    def _remove_old(self, keep: set[str]) -> None:
        for path in self.root.iterdir():
            if _CACHE_NAME.match(path.name) and path.name not in keep:
                self.ops.unlink(path)
        staging = self.root / STAGING
        if staging.is_dir():  # leftovers of interrupted downloads and builds
            for path in staging.iterdir():
                if path.is_file() and path.name.endswith((".partial", ".building", ".tmp")):
                    self.ops.unlink(path)
        self.ops.fsync_dir(self.root)

    def _move_into(self, staged: Path, target: Path) -> None:
        """Rename staged to target (copying first when it lies on another file system)."""
        if staged.resolve() == target.resolve():
            return
        try:
            self.ops.replace(staged, target)
        except OSError as exc:
            if exc.errno != errno.EXDEV:
                raise
            tmp = target.with_name(target.name + ".tmp")
            self.ops.copy(staged, tmp)
            self.ops.fsync_file(tmp)
            self.ops.replace(tmp, target)
            self.ops.unlink(staged)
        self.ops.fsync_dir(target.parent)
        self.ops.fsync_dir(staged.parent)

    def _write_atomically(self, path: Path, text: str) -> None:
        """Temporary file, fsync, rename over `path`, fsync the folder."""
        tmp = path.with_name(path.name + ".tmp")
        self.ops.write_new(tmp, text.encode("utf-8"))
        self.ops.fsync_file(tmp)
        self.ops.replace(tmp, path)
        self.ops.fsync_dir(path.parent)

    @contextmanager
    def _lock(self) -> Iterator[None]:
        with file_lock(self.root / LOCK):
            yield


def read_content_version(path: Path) -> int:
    """The content version a cache file declares (opens it read-only)."""
    try:
        with ContentCache.open(path) as cache:
            return cache.content_version
    except CacheError as exc:
        raise StoreError(f"cannot install {path}: {exc}") from exc


def verify_cache(path: Path, version: int) -> None:
    """Full check before install: readable, integrity_check ok, known schema, meta version."""
    try:
        cache = ContentCache.open(path)
    except CacheError as exc:
        raise StoreError(f"cannot install {path}: {exc}") from exc
    try:
        if cache.content_version != version:
            raise StoreError(
                f"cannot install {path}: it holds content version {cache.content_version}, "
                f"expected {version}"
            )
        problems = cache.integrity_problems()
        if problems:
            raise StoreError(f"cannot install {path}: integrity check failed: {problems[:3]}")
    finally:
        cache.close()
