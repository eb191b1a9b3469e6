"""Pictures of an article or help screen from the kiosk's own renderer, for the console.

The server imports neither Qt nor kiosk/: where the kiosk extra is installed (PySide6 can be
found), it runs `python -m kiosk.preview` as a separate process on a folder exported from the
content history, offscreen with Qt Quick's software renderer, and keeps the PNGs it writes in
a cache folder named by everything that decides the picture (the content commit, airport,
language, scope, topic, orientation, text size). One worker runs at a time; a second request
for the same picture waits and then finds it in the cache. Where PySide6 is missing (a server
install without Qt) or the setting `preview_worker` is `off`, `available` is False and the
console shows its labelled HTML approximation instead.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

from admin_sync.content_history import ContentHistory

WORKER_MODULE = "kiosk.preview"
ORIENTATIONS = ("portrait", "landscape")
SIZES = ("normal", "large")
KEEP = 200  # pictures of this many previews are kept; older ones are removed


class PreviewFailed(Exception):
    """The worker could not make the pictures; the message says why, in plain words."""


@dataclass(frozen=True)
class PreviewKey:
    commit: str
    airport: str
    lang: str
    scope: str
    topic: str  # a topic id, or "help" for the help screen
    orientation: str = "portrait"
    size: str = "normal"

    def name(self) -> str:
        parts = (self.commit, self.airport, self.lang, self.scope, self.topic)
        text = "\0".join((*parts, self.orientation, self.size))
        return hashlib.sha256(text.encode()).hexdigest()[:32]


@dataclass(frozen=True)
class PreviewPictures:
    folder: Path
    pages: tuple[str, ...]
    title: str

    def page(self, number: int) -> Path | None:
        if 1 <= number <= len(self.pages):
            return self.folder / self.pages[number - 1]
        return None


def kiosk_installed() -> bool:
    """Whether the kiosk's renderer can run here (PySide6 found; nothing is imported)."""
    try:
        return importlib.util.find_spec("PySide6") is not None
    except (ImportError, ValueError):
        return False


class PreviewWorker:
    def __init__(
        self,
        cache_dir: Path,
        *,
        enabled: bool = True,
        python: str = sys.executable,
        timeout_seconds: float = 180.0,
    ) -> None:
        self.cache_dir = cache_dir
        self.enabled = enabled
        self.python = python
        self.timeout_seconds = timeout_seconds
        self._lock = threading.Lock()

    @property
    def available(self) -> bool:
        return self.enabled and kiosk_installed()

    def cached(self, key: PreviewKey) -> PreviewPictures | None:
        folder = self.cache_dir / key.name()
        try:
            data = json.loads((folder / "preview.json").read_text(encoding="utf-8"))
            pages = tuple(str(p) for p in data["pages"])
            return PreviewPictures(folder, pages, str(data.get("title", "")))
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def pictures(self, history: ContentHistory, key: PreviewKey) -> PreviewPictures:
        """The pictures for `key`, made now if not in the cache (blocking: call off the loop)."""
        if not self.available:
            raise PreviewFailed("the kiosk's renderer is not installed on this server")
        found = self.cached(key)
        if found is not None:
            return found
        with self._lock:
            found = self.cached(key)
            if found is not None:
                return found
            return self._render(history, key)

    def _render(self, history: ContentHistory, key: PreviewKey) -> PreviewPictures:
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix="preview-", dir=self.cache_dir) as tmp:
            source = history.export(Path(tmp) / "content", key.commit)
            out = Path(tmp) / "out"
            command = [
                self.python,
                "-m",
                WORKER_MODULE,
                "--source",
                str(source),
                "--airport",
                key.airport,
                "--lang",
                key.lang,
                "--scope",
                key.scope,
                "--topic",
                key.topic,
                "--orientation",
                key.orientation,
                "--size",
                key.size,
                "--out",
                str(out),
            ]
            env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "QT_QUICK_BACKEND": "software"}
            try:
                done = subprocess.run(
                    command,
                    capture_output=True,
                    text=True,
                    timeout=self.timeout_seconds,
                    env=env,
                    check=False,
                )
            except subprocess.TimeoutExpired as exc:
                raise PreviewFailed(
                    f"the kiosk's renderer took more than {self.timeout_seconds:.0f} s"
                ) from exc
            except OSError as exc:
                raise PreviewFailed(f"the kiosk's renderer cannot be started ({exc})") from exc
            if done.returncode != 0:
                lines = [
                    line.removeprefix("preview: ")
                    for line in done.stderr.splitlines()
                    if line.startswith("preview: ") or (line and not line[0].isspace())
                ]
                reason = "; ".join(lines[-5:]) or f"exit status {done.returncode}"
                raise PreviewFailed(f"the kiosk's renderer could not show it: {reason}")
            folder = self.cache_dir / key.name()
            shutil.rmtree(folder, ignore_errors=True)
            os.replace(out, folder)
        self._prune()
        found = self.cached(key)
        if found is None:
            raise PreviewFailed("the kiosk's renderer wrote no pictures")
        return found

    def _prune(self) -> None:
        folders = [p for p in self.cache_dir.iterdir() if p.is_dir() and len(p.name) == 32]
        folders.sort(key=lambda p: p.stat().st_mtime, reverse=True)
        for old in folders[KEEP:]:
            shutil.rmtree(old, ignore_errors=True)
