"""The listen buttons in the real kiosk (offscreen, QtMultimedia's FFmpeg backend): playback
starts, and stops on navigation, at the idle question and at the session reset; a damaged
clip means no button; the attract screen stays silent unless a setting allows it; each listen
is counted per screen kind and language.

Without a sound device (here, and in CI) the media player still runs and advances its position,
so the tests watch QMediaPlayer's own state and position, not only the controller's flag.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from content.build import build_cache
from content.cache import ContentCache
from content.installed import InstalledStore
from content.source import load_source
from content.speech_text import audio_path, help_item, language_item, speech_items, speech_parts
from kiosk.content_loader import SAMPLE_DIR
from kiosk.usage_store import UsageStore

pytestmark = [
    pytest.mark.skipif(
        shutil.which("sox") is None or shutil.which("opusenc") is None,
        reason="needs sox and opusenc (Debian packages sox, opus-tools: make system-deps)",
    ),
    # this machine has no sound server or device: QtMultimedia says so, and plays on silently
    pytest.mark.qt_log_ignore("PulseAudioService: ", "No audio device detected"),
]
pytest.importorskip("PySide6.QtMultimedia", reason="needs PySide6-Addons (QtMultimedia)")

DAMAGED = audio_path(help_item("KZ", "UZ", "UZ"), "uz")
MISSING = audio_path(language_item(), "en")
UNDECODABLE = audio_path(help_item("TR", "UZ", "UZ"), "uz")  # a right start, then zeros


def _tone(folder: Path, seconds: int) -> bytes:
    """A quiet tone as Ogg Opus (the clip's sound does not matter to playback)."""
    wav, ogg = folder / "tone.wav", folder / "tone.ogg"
    subprocess.run(
        ["sox", "-n", "-r", "16000", "-c", "1", "-b", "16", str(wav)]
        + ["synth", str(seconds), "sine", "440", "vol", "0.2"],
        check=True,
    )
    subprocess.run(["opusenc", "--quiet", "--bitrate", "16", str(wav), str(ogg)], check=True)
    return ogg.read_bytes()


@pytest.fixture(scope="session")
def audio_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample content with a 30-second clip for every listen item, except one damaged
    (help of KZ in Uzbek) and one missing (the name of English)."""
    folder = tmp_path_factory.mktemp("audio-cache")
    content, report = load_source(SAMPLE_DIR)
    assert report.ok
    plain = folder / "plain.db"
    build_cache(content, plain, content_version=1)
    with ContentCache.open(plain) as cache:
        paths = [item.path for item in speech_items(content, cache)]
    tone = _tone(folder, 30)
    assets = dict(content.assets)
    assets.update({p: tone for p in paths if p != MISSING})
    assets[DAMAGED] = b"OggS but not really an Opus stream" * 10
    assets[UNDECODABLE] = tone[:120] + bytes(len(tone) - 120)
    out = folder / "with-audio.db"
    build_cache(replace(content, assets=assets), out, content_version=1)
    return out


@pytest.fixture
def audio_settings(settings: Any, audio_cache: Path, tmp_path: Path) -> Any:
    root = tmp_path / "audio-content"
    InstalledStore(root).install_file(audio_cache)
    return replace(settings, content_dir=root)


@pytest.fixture
def kiosk(make_kiosk: Any, audio_settings: Any) -> Any:
    def make(**overrides: Any) -> Any:
        return make_kiosk(content_dir=audio_settings.content_dir, **overrides)

    return make


def _shown(d: Any, name: str) -> bool:
    return any(item.isVisible() for item in d.items(name))


def _player_state(c: Any) -> str:
    return str(c.audio.playback_state())


def _wait_playing(d: Any, qtbot: Any) -> None:
    c = d.controller
    qtbot.waitUntil(lambda: _player_state(c) == "playing", timeout=10000)
    start = c.audio.position_ms()
    qtbot.waitUntil(lambda: c.audio.position_ms() > start, timeout=10000)  # really advancing


def test_listen_plays_and_navigation_stops_it(kiosk: Any, qtbot: Any) -> None:
    d = kiosk()
    c = d.controller
    d.tap("attract.start")
    d.tap("language.uz")
    d.tap("home.destination.RU")
    d.tap("topic.entry-registration")
    button = d.wait_for("listenButton")
    assert button.isVisible() and c.listenAvailable and not c.listening
    # the general part (if any), then Russia's own, each in the language it is written in;
    # Russia's has nationality marks: only its parts for the airport's nationality
    sections = c.cache.article("RU", "entry-registration", "uz").sections
    assert c._clips.paths == tuple(
        audio_path(part.item(f"article.{s.scope}.entry-registration"), s.language)
        for s in sections
        for part in speech_parts(s.title, s.blocks)
        if part.applies(c.place.nationality)
    )
    assert c._clips.paths[-1].startswith("audio/article.RU.entry-registration.")
    assert not any(p.endswith(("-KG.uz.ogg", "-TM.uz.ogg")) for p in c._clips.paths)
    d.tap("listenButton")
    _wait_playing(d, qtbot)
    assert c.listening
    d.tap("nav.back")
    qtbot.waitUntil(lambda: _player_state(c) == "stopped", timeout=5000)
    assert not c.listening


def test_a_second_tap_stops_and_the_session_reset_stops(kiosk: Any, qtbot: Any) -> None:
    d = kiosk()
    c = d.controller
    d.tap("attract.start")
    d.tap("language.ru")
    d.tap("nav.help")
    d.tap("listenButton")
    _wait_playing(d, qtbot)
    d.tap("listenButton")  # the same button, now a stop button
    qtbot.waitUntil(lambda: _player_state(c) == "stopped", timeout=5000)
    d.tap("listenButton")
    _wait_playing(d, qtbot)
    with qtbot.waitSignal(c.sessionReset, timeout=5000):
        c.finish()
    assert _player_state(c) == "stopped" and not c.listening
    assert c.screen == "attract"


def test_the_idle_question_stops_the_sound(kiosk: Any, qtbot: Any) -> None:
    d = kiosk(idle_seconds=1, qr_idle_seconds=1, countdown_seconds=20)
    c = d.controller
    d.tap("attract.start")
    d.tap("language.uz")
    d.tap("home.checklist")
    d.tap("listenButton")
    _wait_playing(d, qtbot)
    qtbot.waitUntil(lambda: c.idleAsking, timeout=10000)
    assert _player_state(c) == "stopped" and not c.listening


def test_a_damaged_or_missing_clip_means_no_button(kiosk: Any, qtbot: Any) -> None:
    d = kiosk()
    c = d.controller
    d.tap("attract.start")
    d.tap("language.uz")
    d.tap("home.destination.KZ")
    d.tap("nav.help")  # its Uzbek clip is damaged
    assert c.screen == "help" and not c.listenAvailable
    assert not _shown(d, "listenButton")
    d.tap("nav.language")  # the language screen: English's name has no clip
    assert "en" not in c.listenLanguages and "ru" in c.listenLanguages
    assert not _shown(d, "listen.en") and _shown(d, "listen.ru")
    d.tap("listen.ru")
    _wait_playing(d, qtbot)
    assert c.audio.current == audio_path(language_item(), "ru")


@pytest.mark.qt_log_ignore("Could not open media")  # what this test makes happen
def test_a_clip_that_fails_to_play_hides_its_button(kiosk: Any, qtbot: Any) -> None:
    d = kiosk()
    c = d.controller
    d.tap("attract.start")
    d.tap("language.uz")
    d.tap("home.destination.TR")
    d.tap("nav.help")
    assert c.listenAvailable  # it looks like Ogg Opus
    with qtbot.waitSignal(c.audio.failed, timeout=10000):
        d.tap("listenButton")
    qtbot.waitUntil(lambda: not c.listenAvailable, timeout=5000)
    assert not c.listening and c.screen == "help"
    d.tap("nav.back")
    d.tap("nav.help")  # the same screen again: still no button for that clip
    assert not c.listenAvailable and not _shown(d, "listenButton")


def test_the_attract_screen_is_silent_unless_allowed(kiosk: Any, qtbot: Any) -> None:
    d = kiosk()
    c = d.controller
    d.wait_for("attract.start")
    assert not c.listening and _player_state(c) == ""  # QtMultimedia not even loaded
    d2 = kiosk(audio_attract_autoplay=True)
    c2 = d2.controller
    with qtbot.waitSignal(c2.sessionReset, timeout=5000):
        c2.finish()
    _wait_playing(d2, qtbot)
    assert c2.audio.current == audio_path("attract", "uz")
    d2.tap("attract.start")  # a person: the invitation stops
    qtbot.waitUntil(lambda: _player_state(c2) == "stopped", timeout=5000)


def test_headphone_only_without_headphones_shows_no_button(kiosk: Any) -> None:
    d = kiosk(audio_headphones_only=True)
    c = d.controller
    d.tap("attract.start")
    d.tap("language.uz")
    d.tap("nav.help")
    assert c._clips and not c.listenAvailable  # audio there, but no headphones offered here
    assert not _shown(d, "listenButton")


def test_listening_is_counted_per_screen_kind_and_language(
    kiosk: Any, audio_settings: Any, qtbot: Any
) -> None:
    d = kiosk()
    c = d.controller
    d.tap("attract.start")
    d.tap("listen.ru")
    d.tap("language.uz")
    d.tap("nav.help")
    d.tap("listenButton")
    _wait_playing(d, qtbot)
    c.finish()
    d.app.recorder.flush()
    pairs = {(x.metric, x.value) for x in UsageStore(audio_settings.usage_file).cells()}
    assert {("listened", "language:ru"), ("listened", "help:uz")} <= pairs
