"""Audio made at publish (content/speech.py) and recordings checked by the validator
(content/audio_check.py), with the real tools on a small content: each file is decoded by an
independent decoder (FFmpeg) and its language and length checked against its text."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest

from content.problems import Report
from content.speech import (
    VOICES,
    AudioPlan,
    Synthesizer,
    content_with_audio,
    installed_voices,
    mark_recordings,
    plan_audio,
)
from content.speech_text import SpeechItem, audio_path
from content.validate import validate_source
from tests.content.audio_probe import decode_seconds, ffprobe, needs_tools

pytestmark = needs_tools
SAMPLE = Path(__file__).resolve().parents[2] / "content" / "sample"

TEXTS = {
    "uz": "Xavf ostidamisiz? 1 1 2 raqamiga qoʻngʻiroq qiling. Pasportingizni hech kimga bermang.",
    "uz-Cyrl": (
        "Хавф остидамисиз? 1 1 2 рақамига қўнғироқ қилинг. Паспортингизни ҳеч кимга берманг."
    ),
    "ru": "Вы в опасности? Звоните 1 1 2. Никому не отдавайте свой паспорт.",
    "ky": "Коркунучта болсоңуз, 1 1 2 номерине чалыңыз. Паспортуңузду эч кимге бербеңиз.",
    "tk": "Howp astyndamy? 1 1 2 belgisine jaň ediň. Pasportyňyzy hiç kime bermäň.",
    "kk": "Қауіп төнсе, 1 1 2 нөміріне қоңырау шалыңыз. Төлқұжатыңызды ешкімге бермеңіз.",
    "en": "In danger now? Call 1 1 2. Never give your passport to anyone.",
}
# spoken speech, espeak-ng's default rate: roughly 0.25 to 1.2 seconds per word (digits count)
SECONDS_PER_WORD = (0.2, 1.2)


def _words(text: str) -> int:
    return len(text.split())


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> tuple[AudioPlan, dict[str, bytes], Path]:
    items = [SpeechItem("help.RU.UZ.UZ", lang, text) for lang, text in TEXTS.items()]
    items.append(SpeechItem("language", "tg", "Тоҷикӣ."))  # no Tajik voice in espeak-ng
    plan = plan_audio(items, {}, installed_voices())
    cache = tmp_path_factory.mktemp("speech-cache")
    audio = Synthesizer(cache).make_all(plan.sources)
    return plan, audio, cache


def test_espeak_ng_has_the_voices_the_kiosk_languages_need() -> None:
    voices = installed_voices()
    for lang in ("uz", "ky", "tk", "kk", "ru", "en"):
        assert VOICES[lang] in voices, f"espeak-ng has no {lang} voice"
    assert "tg" not in VOICES  # Tajik: no voice, so no audio and no button (content/README.md)


def test_every_clip_decodes_as_mono_opus_with_its_language_and_a_plausible_length(
    made: tuple[AudioPlan, dict[str, bytes], Path], tmp_path: Path
) -> None:
    plan, audio, _ = made
    assert plan.no_voice == ("tg",) and audio_path("language", "tg") not in audio
    assert set(audio) == {audio_path("help.RU.UZ.UZ", lang) for lang in TEXTS}
    for lang, text in TEXTS.items():
        file = tmp_path / f"{lang}.ogg"
        file.write_bytes(audio[audio_path("help.RU.UZ.UZ", lang)])
        probed = ffprobe(file)
        assert (probed.format_name, probed.codec, probed.channels) == ("ogg", "opus", 1)
        assert probed.tags["language"] == VOICES[lang]  # Uzbek Cyrillic: the Uzbek voice
        seconds = decode_seconds(file)
        low, high = SECONDS_PER_WORD
        assert low * _words(text) <= seconds <= high * _words(text), (lang, seconds)
        assert abs(seconds - probed.seconds) < 0.5
        # ~16 kbit/s: small
        assert len(audio[audio_path("help.RU.UZ.UZ", lang)]) < 4000 * seconds


def test_uzbek_cyrillic_is_read_through_its_latin_form(
    made: tuple[AudioPlan, dict[str, bytes], Path],
) -> None:
    plan, _, _ = made
    source = next(s for s in plan.sources if s.path.endswith(".uz-Cyrl.ogg"))
    assert source.voice == "uz"
    assert "Xavf ostidamisiz" in source.text and "Х" not in source.text


def test_synthesis_is_deterministic_and_cached(
    made: tuple[AudioPlan, dict[str, bytes], Path], tmp_path: Path
) -> None:
    plan, audio, cache = made
    again = Synthesizer(cache)
    assert again.make_all(plan.sources) == audio and again.made == 0  # all from the cache
    fresh = Synthesizer(tmp_path / "other-cache", workers=1)
    one = next(s for s in plan.sources if s.path.endswith(".en.ogg"))
    assert fresh.synthesize(one.voice, one.text) == audio[one.path]  # same bytes, new run
    assert fresh.made == 1


def _tone(folder: Path, name: str, seconds: float, volume: float) -> Path:
    wav, ogg = folder / f"{name}.wav", folder / name
    subprocess.run(
        ["sox", "-n", "-r", "16000", "-c", "1", "-b", "16", str(wav), "synth", str(seconds)]
        + ["sine", "300", "vol", str(volume)],
        check=True,
    )
    subprocess.run(["opusenc", "--quiet", str(wav), str(ogg)], check=True)
    wav.unlink()
    return ogg


@pytest.fixture
def small_source(tmp_path: Path) -> Path:
    """The sample content with only the Kyrgyz language used at Manas (fast to synthesize
    where needed) and a folder of recordings."""
    src = tmp_path / "src"
    shutil.copytree(SAMPLE, src)
    (src / "audio").mkdir()
    return src


def test_a_recording_is_preferred_over_synthesis(small_source: Path, tmp_path: Path) -> None:
    from content.source import load_source

    recording = _tone(small_source / "audio", "language.ky.ogg", 2.0, 0.3)
    content, report = load_source(small_source)
    assert report.ok
    # only the language names, so that the test synthesizes little
    content = replace(content, articles=(), airports=())
    mark_recordings(content, small_source, ["language.ky.ogg"])
    with_audio, plan = content_with_audio(
        content, small_source, Synthesizer(tmp_path / "cache"), voices=installed_voices()
    )
    kinds = {s.path: s.kind for s in plan.sources}
    assert kinds[audio_path("language", "ky")] == "recording"
    assert kinds[audio_path("language", "ru")] == "synthesis"
    assert with_audio.assets[audio_path("language", "ky")] == recording.read_bytes()
    assert with_audio.assets[audio_path("language", "ru")] != recording.read_bytes()
    assert audio_path("language", "tg") not in with_audio.assets
    # the other assets are untouched
    assert {k: v for k, v in with_audio.assets.items() if not k.startswith("audio/")} == (
        content.assets
    )


def test_without_a_synthesizer_only_recordings_are_published(small_source: Path) -> None:
    from content.source import load_source

    recording = _tone(small_source / "audio", "language.ky.ogg", 2.0, 0.3)
    content, _ = load_source(small_source)
    mark_recordings(content, small_source, ["language.ky.ogg"])
    with_audio, _ = content_with_audio(content, small_source, None)
    audio = {k for k in with_audio.assets if k.startswith("audio/")}
    assert audio == {audio_path("language", "ky")}
    assert with_audio.assets[audio_path("language", "ky")] == recording.read_bytes()


def _warnings(report: Report, file: str) -> list[str]:
    return [p.message for p in report.warnings if p.file == file]


def test_a_recording_for_an_older_text_is_not_played(
    small_source: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Safety first: a recording whose screen text changed since (a new phone number) must not
    play; the checker warns, publishing synthesizes instead. An unmarked recording neither."""
    import argparse

    from content.cli import run_recordings
    from content.source import load_source

    ky, ru = audio_path("language", "ky"), audio_path("language", "ru")
    recording = _tone(small_source / "audio", "language.ky.ogg", 2.0, 0.3)
    _tone(small_source / "audio", "language.ru.ogg", 2.0, 0.3)  # never marked
    args = argparse.Namespace(src=small_source, mark=["language.ky.ogg"])
    assert run_recordings(args) == 0
    shown = capsys.readouterr().out
    assert "marked as recorded for this text:\n  Кыргызча" in shown
    assert f"{ky}: current" in shown and f"{ru}: unmarked" in shown
    assert not _warnings(validate_source(small_source), ky)

    languages = small_source / "languages.yaml"
    languages.write_text(
        languages.read_text(encoding="utf-8").replace("name: Кыргызча", "name: Кыргыз тили"),
        encoding="utf-8",
    )
    report = validate_source(small_source)
    assert report.ok
    assert any("recording is for an older text" in m for m in _warnings(report, ky))
    assert any("no record of the text" in m for m in _warnings(report, ru))
    content, _ = load_source(small_source)
    content = replace(content, articles=(), airports=())
    with_audio, plan = content_with_audio(
        content, small_source, Synthesizer(tmp_path / "cache"), voices=installed_voices()
    )
    assert plan.stale_recordings == (ky, ru)
    assert {s.path: s.kind for s in plan.sources}[ky] == "synthesis"
    assert with_audio.assets[ky] != recording.read_bytes()
    # without synthesis a stale recording is not published either: no audio, no button
    without, _ = content_with_audio(content, small_source, None)
    assert ky not in without.assets and ru not in without.assets
    # recorded again for the new text and marked: played again
    mark_recordings(content, small_source, ["language.ky.ogg"])
    again, plan = content_with_audio(content, small_source, None)
    assert again.assets[ky] == recording.read_bytes() and plan.stale_recordings == (ru,)


def test_the_validator_checks_format_length_and_loudness(small_source: Path) -> None:
    folder = small_source / "audio"
    _tone(folder, "language.ky.ogg", 2.0, 0.3)  # good
    _tone(folder, "language.ru.ogg", 2.0, 0.002)  # too quiet
    _tone(folder, "language.tk.ogg", 0.2, 0.3)  # too short
    (folder / "language.en.ogg").write_bytes(b"RIFF....WAVEfmt not audio at all")
    subprocess.run(
        ["sox", "-n", "-r", "16000", "-c", "1", "-b", "16", str(folder / "language.uz.wav")]
        + ["synth", "2", "sine", "300", "vol", "0.3"],
        check=True,
    )
    (folder / "language.uz.wav").rename(folder / "language.uz.ogg")  # a WAV named .ogg
    _tone(folder, "speech.ky.ogg", 2.0, 0.3)  # not an item's name
    _tone(folder, "language.xx.ogg", 2.0, 0.3)  # not a language
    report = validate_source(small_source)
    errors = {p.file: p.message for p in report.errors}
    assert "audio/language.ky.ogg" not in errors
    assert "too quiet" in errors["audio/language.ru.ogg"]
    assert "lasts 0.2 s" in errors["audio/language.tk.ogg"]
    assert "not a readable audio file" in errors["audio/language.en.ogg"]
    assert "must be Opus in Ogg" in errors["audio/language.uz.ogg"]
    assert "named <item>.<language>.ogg" in errors["audio/speech.ky.ogg"]
    assert "'xx' is not in languages.yaml" in errors["audio/language.xx.ogg"]
    assert len(report.errors) == 6


def test_without_ffprobe_recordings_cannot_pass(
    small_source: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from content import audio_check

    _tone(small_source / "audio", "language.ky.ogg", 2.0, 0.3)
    monkeypatch.setattr(audio_check.shutil, "which", lambda name: None)
    report = Report()
    audio_check.check_recordings(small_source, ["ky"], report)
    assert [p.message for p in report.errors] == [
        "cannot check the recordings: ffprobe and ffmpeg are not installed (Debian package ffmpeg)"
    ]
