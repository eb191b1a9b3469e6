"""Plays the listen buttons' audio: QtMultimedia (PySide6-Addons), FFmpeg backend.

Why QtMultimedia and not GStreamer: the PySide6-Addons wheel carries its own FFmpeg (Opus in
Ogg decodes without any system codec package) and plays through PulseAudio/PipeWire when the
session has one; under the offscreen platform and in cage without a sound server it still runs
(no audio device: the player advances its position silently), so tests see its real states.
kiosk/README.md, "Audio", says more.

QtMultimedia is imported only when the first clip plays, so the kiosk's start does not pay for
it. Each clip's bytes are written once to a private temporary folder (the player reads files;
they are small) and removed with the player. Clips play one after the other; any error stops
playback and reports the clip as broken (`failed`), so its button disappears.
"""

from __future__ import annotations

import hashlib
import logging
import re
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QObject, QUrl, Signal
from PySide6.QtQml import QQmlComponent, QQmlEngine

log = logging.getLogger(__name__)

_PLAYER_QML = QByteArray(b"import QtMultimedia\nMediaPlayer { audioOutput: AudioOutput {} }\n")
HEADPHONES = re.compile(r"head ?phone|headset|kopfh|наушник", re.IGNORECASE)


class AudioPlayer(QObject):
    """One player for the whole kiosk: `play(paths)`, `stop()`, `playing`."""

    playingChanged = Signal()
    failed = Signal(str)  # the asset path of a clip that could not be played

    def __init__(
        self,
        read: Callable[[str], bytes | None],
        *,
        volume: int = 80,
        headphones_only: bool = False,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._read = read  # asset path -> bytes (the content cache's asset())
        self.volume = volume
        self.headphones_only = headphones_only
        self._player: Any = None
        self._output: Any = None
        self._queue: list[str] = []
        self._current = ""
        self._playing = False
        self._dir: Path | None = None
        self._engine: QQmlEngine | None = None

    # --- state ----------------------------------------------------------------------------

    @property
    def playing(self) -> bool:
        return self._playing

    @property
    def current(self) -> str:
        return self._current

    def _set_playing(self, value: bool) -> None:
        if value != self._playing:
            self._playing = value
            self.playingChanged.emit()

    def can_play(self) -> bool:
        """False in headphone-only mode while no headphones output is offered."""
        return not self.headphones_only or self._headphones() is not None

    def playback_state(self) -> str:
        """The media player's own state, for tests: "stopped", "playing", "paused" or ""."""
        if self._player is None:
            return ""
        return str(self._player.playbackState().name).removesuffix("State").lower()

    def position_ms(self) -> int:
        return 0 if self._player is None else int(self._player.position())

    # --- playing --------------------------------------------------------------------------

    def play(self, paths: tuple[str, ...] | list[str]) -> None:
        """Play the clips in order (stops what plays first)."""
        self.stop()
        if not paths or not self.can_play():
            return
        self._queue = list(paths)
        self._set_playing(True)
        self._next()

    def stop(self) -> None:
        self._queue = []
        self._current = ""
        if self._player is not None:
            self._player.stop()
        self._set_playing(False)

    def close(self) -> None:
        self.stop()
        if self._player is not None:
            self._player.setSource(QUrl())
        if self._dir is not None:
            shutil.rmtree(self._dir, ignore_errors=True)
            self._dir = None

    def _next(self) -> None:
        if not self._queue:
            self._current = ""
            self._set_playing(False)
            return
        path = self._queue.pop(0)
        self._current = path
        file = self._file_for(path)
        if file is None:
            self._fail(path)
            return
        player = self._ensure_player()
        player.setSource(QUrl.fromLocalFile(str(file)))
        player.play()

    def _file_for(self, path: str) -> Path | None:
        data = self._read(path)
        if not data:
            return None
        if self._dir is None:
            self._dir = Path(tempfile.mkdtemp(prefix="safe-airports-audio-"))
        file = self._dir / (hashlib.sha256(data).hexdigest()[:32] + ".ogg")
        if not file.exists():
            file.write_bytes(data)
        return file

    def _fail(self, path: str) -> None:
        log.warning("audio %s cannot be played; its listen button is hidden", path)
        self.stop()
        self.failed.emit(path)

    # --- QtMultimedia ---------------------------------------------------------------------

    def _headphones(self) -> Any:
        from PySide6.QtMultimedia import QMediaDevices

        for device in QMediaDevices.audioOutputs():
            name = bytes(device.id().data()).decode(errors="replace")
            if HEADPHONES.search(f"{device.description()} {name}"):
                return device
        return None

    def _ensure_player(self) -> Any:
        if self._player is not None:
            if self.headphones_only:
                device = self._headphones()
                if device is not None:
                    self._output.setDevice(device)
            return self._player
        from PySide6.QtMultimedia import QtAudio

        # Made by a QML engine, not from Python: QtMultimedia's FFmpeg threads call virtual
        # methods of these objects, and on objects created from Python each such call first
        # takes Python's lock, which deadlocks when the Qt thread waits for them (seen: the
        # audio renderer thread blocked on the lock while the GUI thread waited for it).
        self._engine = QQmlEngine(self)
        component = QQmlComponent(self._engine)
        component.setData(_PLAYER_QML, QUrl())
        player: Any = component.create()
        if player is None:
            raise RuntimeError(f"cannot create the media player: {component.errorString()}")
        player.setParent(self)
        self._player = player
        self._output = player.audioOutput()
        if self.headphones_only:
            device = self._headphones()
            if device is not None:
                self._output.setDevice(device)
        linear = QtAudio.convertVolume(
            self.volume / 100.0,
            QtAudio.VolumeScale.LogarithmicVolumeScale,
            QtAudio.VolumeScale.LinearVolumeScale,
        )
        self._output.setVolume(linear)
        player.mediaStatusChanged.connect(self._on_status)
        player.errorOccurred.connect(self._on_error)
        return player

    def _on_status(self, status: Any) -> None:
        from PySide6.QtMultimedia import QMediaPlayer

        if status == QMediaPlayer.MediaStatus.EndOfMedia and self._playing:
            self._next()
        elif status == QMediaPlayer.MediaStatus.InvalidMedia and self._current:
            self._fail(self._current)

    def _on_error(self, error: Any, message: str) -> None:
        from PySide6.QtMultimedia import QMediaPlayer

        if error != QMediaPlayer.Error.NoError and self._current:
            log.warning("audio error on %s: %s", self._current, message)
            self._fail(self._current)
