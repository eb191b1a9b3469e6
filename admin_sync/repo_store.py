"""Where a TUF repository's files live: a folder on the server, or memory in fast tests.

Target files are content-addressed (`<dir>/<sha256>.<name>`) and immutable, so they are written
first and may sit unused. Metadata is published as one *generation*: the new files are written
beside the current ones, then a single atomic switch makes the whole set live, so a reader never
sees half of a publication.
"""

from __future__ import annotations

import os
import re
import shutil
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Protocol

from content.durable import fsync_dir, write_atomic

_SAFE_PATH = re.compile(r"^[A-Za-z0-9_.\-]+(/[A-Za-z0-9_.\-]+)*$")


def check_relative_path(path: str) -> str:
    """Refuse paths that could escape the repository folder (`..`, absolute, odd characters)."""
    if not _SAFE_PATH.match(path) or any(seg in {".", ".."} for seg in path.split("/")):
        raise ValueError(f"unsafe repository path: {path!r}")
    return path


class RepoStore(Protocol):
    def read_metadata(self, name: str) -> bytes | None: ...
    def read_target(self, path: str) -> bytes | None: ...
    def put_target(self, path: str, data: bytes) -> None: ...
    def commit_metadata(self, files: Mapping[str, bytes]) -> None: ...


class MemoryStore:
    """An in-memory repository (tests): the dict of metadata is swapped in one assignment."""

    def __init__(self) -> None:
        self.metadata: dict[str, bytes] = {}
        self.targets: dict[str, bytes] = {}

    def read_metadata(self, name: str) -> bytes | None:
        return self.metadata.get(name)

    def read_target(self, path: str) -> bytes | None:
        return self.targets.get(path)

    def put_target(self, path: str, data: bytes) -> None:
        self.targets[check_relative_path(path)] = data

    def commit_metadata(self, files: Mapping[str, bytes]) -> None:
        self.metadata = {**self.metadata, **files}


class DirectoryStore:
    """The repository folder of a server.

    Layout: `targets/` (content-addressed files), `generations/gNNNNNN/` (a complete metadata
    folder per publication; unchanged files are hard links) and `metadata`, a symlink to the live
    generation, replaced atomically. Readers resolve the symlink once per request.
    """

    KEEP_GENERATIONS = 3

    def __init__(self, root: Path) -> None:
        self.root = root
        self.targets_dir = root / "targets"
        self.generations_dir = root / "generations"
        self.live_link = root / "metadata"
        self._lock = threading.Lock()

    def live_metadata_dir(self) -> Path | None:
        try:
            target = os.readlink(self.live_link)
        except FileNotFoundError:
            return None
        return (self.root / target).resolve()

    def read_metadata(self, name: str) -> bytes | None:
        live = self.live_metadata_dir()
        if live is None:
            return None
        try:
            return (live / check_relative_path(name)).read_bytes()
        except FileNotFoundError:
            return None

    def metadata_file(self, name: str) -> Path | None:
        """The live file for `name` (for streaming from the server), or None."""
        live = self.live_metadata_dir()
        if live is None:
            return None
        path = live / check_relative_path(name)
        return path if path.is_file() else None

    def target_file(self, path: str) -> Path | None:
        full = self.targets_dir / check_relative_path(path)
        return full if full.is_file() else None

    def read_target(self, path: str) -> bytes | None:
        full = self.target_file(path)
        return full.read_bytes() if full else None

    def put_target(self, path: str, data: bytes) -> None:
        full = self.targets_dir / check_relative_path(path)
        if full.is_file() and full.read_bytes() == data:
            return  # content-addressed: already there (a damaged copy is rewritten)
        write_atomic(full, data)

    def commit_metadata(self, files: Mapping[str, bytes]) -> None:
        with self._lock:
            self.generations_dir.mkdir(parents=True, exist_ok=True)
            current = self.live_metadata_dir()
            number = self._next_generation_number()
            new_dir = self.generations_dir / f"g{number:06d}"
            tmp_dir = self.generations_dir / f".g{number:06d}.tmp"
            shutil.rmtree(tmp_dir, ignore_errors=True)
            tmp_dir.mkdir()
            if current is not None:
                for old in current.iterdir():
                    if old.name not in files:
                        os.link(old, tmp_dir / old.name)
            for name, data in files.items():
                write_atomic(tmp_dir / check_relative_path(name), data)
            fsync_dir(tmp_dir)
            os.replace(tmp_dir, new_dir)
            fsync_dir(self.generations_dir)
            link_tmp = self.root / ".metadata.link.tmp"
            link_tmp.unlink(missing_ok=True)
            os.symlink(new_dir.relative_to(self.root), link_tmp)
            os.replace(link_tmp, self.live_link)
            fsync_dir(self.root)
            self._prune(keep_from=number - self.KEEP_GENERATIONS + 1)

    def _next_generation_number(self) -> int:
        numbers = [
            int(p.name[1:])
            for p in self.generations_dir.iterdir()
            if p.name.startswith("g") and p.name[1:].isdigit()
        ]
        return max(numbers, default=0) + 1

    def _prune(self, keep_from: int) -> None:
        for p in self.generations_dir.iterdir():
            if p.name.startswith("g") and p.name[1:].isdigit() and int(p.name[1:]) < keep_from:
                shutil.rmtree(p, ignore_errors=True)
