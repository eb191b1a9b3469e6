"""Installing a release's parts as the kiosk's content, through the shared installed-content store.

The same builder as `content build` turns the joined parts into a cache file in the store's
staging folder; the store verifies it and flips the pointer (see content/installed.py).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Protocol

from content.build import build_cache
from content.installed import REAL_FILE_OPS, FileOps, InstalledStore
from content.parts import join_parts


class Installer(Protocol):
    def installed_version(self) -> int | None: ...
    def install(self, parts: Mapping[str, bytes], version: int) -> Path: ...


class ContentInstaller:
    def __init__(
        self,
        content_dir: Path,
        *,
        on_staged: Callable[[Path, int], None] | None = None,
        ops: FileOps = REAL_FILE_OPS,
    ) -> None:
        self.store = InstalledStore(content_dir, ops=ops)
        self.on_staged = on_staged  # observer: the staged file is built, install comes next

    def installed_version(self) -> int | None:
        return self.store.installed_version()

    def install(self, parts: Mapping[str, bytes], version: int) -> Path:
        content = join_parts(parts, audio_optional=True)  # only this airport's audio is fetched
        staged = self.store.staging_path(version)
        self.store.ops.unlink(staged)
        build_cache(content, staged, content_version=version)  # its own temp file and rename
        if self.on_staged is not None:
            self.on_staged(staged, version)
        return self.store.install(staged, version)
