"""Which content cache the kiosk shows: the installed one, or the sample shipped with it (Qt-free).

The installed cache is opened read-only through the installed-content store. If it is missing,
unreadable or of a schema this kiosk does not know, the sample content shipped in the package is
built once into `fallback_cache_dir` (named by a hash of its sources, so a new package rebuilds
it) and opened instead. The kiosk re-checks the store only at a session reset (`maybe_switch`).
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import content

if TYPE_CHECKING:
    from content.cache import ContentCache

log = logging.getLogger(__name__)

SAMPLE_DIR = Path(content.__file__).resolve().parent / "sample"
INSTALLED = "installed"
FALLBACK = "fallback"


class ContentUnavailable(Exception):
    """Neither the installed content nor the packaged sample could be opened."""


@dataclass
class LoadedContent:
    cache: ContentCache
    origin: str  # INSTALLED or FALLBACK
    reason: str  # why the fallback is used ("" when installed)
    path: Path


def _source_hash(src: Path) -> str:
    """A fingerprint of the sample sources (names, sizes, modification times): cheap at start,
    and different whenever a new package brings other sample files."""
    digest = hashlib.sha256()
    for file in sorted(p for p in src.rglob("*") if p.is_file()):
        stat = file.stat()
        digest.update(f"{file.relative_to(src)}\0{stat.st_size}\0{stat.st_mtime_ns}\0".encode())
    return digest.hexdigest()[:16]


def build_fallback(cache_dir: Path, sample_dir: Path = SAMPLE_DIR) -> Path:
    """Build the packaged sample content into `cache_dir` unless already built; its path."""
    out = cache_dir / f"sample-{_source_hash(sample_dir)}.db"
    if out.exists():
        return out
    from content.build import build_cache  # the builder is only needed the first time
    from content.source import load_source

    parsed, report = load_source(sample_dir)
    if not report.ok:
        raise ContentUnavailable(
            "the packaged sample content has errors:\n" + "\n".join(report.format())
        )
    cache_dir.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(f".{os.getpid()}.partial")
    try:
        build_cache(parsed, tmp, content_version=0)
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)
    return out


class ContentSource:
    """Opens the content to show now, and later switches only when asked (at a reset)."""

    def __init__(self, content_dir: Path, fallback_cache_dir: Path, airport: str) -> None:
        self.content_dir = content_dir
        self.fallback_cache_dir = fallback_cache_dir
        self.airport = airport
        self.current: LoadedContent | None = None

    def _installed_path(self) -> tuple[Path | None, str]:
        from content.installed import InstalledStore

        try:
            path = InstalledStore(self.content_dir).current_path()
        except Exception as exc:  # a broken store is the same as none for the screen
            return None, f"installed content store unreadable: {exc}"
        if path is None:
            return None, f"no installed content in {self.content_dir}"
        return path, ""

    def _open(self, path: Path) -> ContentCache:
        from content.cache import ContentCache

        cache = ContentCache.open(path)
        try:
            if self.airport not in cache.airports():
                raise ContentUnavailable(
                    f"{path}: airport {self.airport} is not in this content "
                    f"(it has {', '.join(cache.airports())})"
                )
        except Exception:
            cache.close()
            raise
        return cache

    def _open_installed(self) -> tuple[LoadedContent | None, str]:
        path, reason = self._installed_path()
        if path is None:
            return None, reason
        try:
            return LoadedContent(self._open(path), INSTALLED, "", path), ""
        except Exception as exc:
            return None, f"installed content unusable: {exc}"

    def _open_fallback(self, reason: str) -> LoadedContent:
        log.warning("showing the packaged sample content: %s", reason)
        try:
            path = self._build_fallback()
            try:
                cache = self._open(path)
            except Exception:
                path.unlink(missing_ok=True)  # a damaged build: rebuild once
                path = self._build_fallback()
                cache = self._open(path)
        except Exception as exc:
            raise ContentUnavailable(f"{reason}; and the packaged sample failed: {exc}") from exc
        return LoadedContent(cache, FALLBACK, reason, path)

    def _build_fallback(self) -> Path:
        try:
            return build_fallback(self.fallback_cache_dir)
        except PermissionError as exc:
            # e.g. a developer's run without the service's cache directory: still show content
            private = Path(tempfile.gettempdir()) / f"safe-airports-{os.getuid()}"
            log.warning("%s; building the sample content in %s instead", exc, private)
            return build_fallback(private)

    def open(self) -> LoadedContent:
        loaded, reason = self._open_installed()
        self.current = loaded if loaded is not None else self._open_fallback(reason)
        log.info("content: %s (%s)", self.current.path, self.current.origin)
        return self.current

    def close(self) -> None:
        """Close the content shown (at the app's end)."""
        if self.current is not None:
            self.current.cache.close()

    def maybe_switch(self) -> bool:
        """At a session reset: switch if the store now points at other usable content."""
        assert self.current is not None
        path, _ = self._installed_path()
        if path is None or (self.current.origin == INSTALLED and path == self.current.path):
            return False
        try:
            cache = self._open(path)
        except Exception as exc:
            log.error("new installed content not usable, keeping the current one: %s", exc)
            return False
        old = self.current
        self.current = LoadedContent(cache, INSTALLED, "", path)
        old.cache.close()
        log.info("switched content to %s", path)
        return True
