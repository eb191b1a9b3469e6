"""The sample release with its audio, synthesized once per test run (shared by the tests and
the audio benchmark). Synthesis is cached by text in pytest's cache folder
(`.pytest_cache/d/speech`), so a second run only synthesizes what changed; a fresh clone
synthesizes the whole sample once (about 3 CPU-minutes here, as many workers as CPUs; it
was 4.5 before espeak-ng was piped into opusenc with 60 ms frames)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from content.model import Content
from content.source import load_source
from content.speech import AudioPlan, Synthesizer, content_with_audio, installed_voices

SAMPLE = Path(__file__).resolve().parents[2] / "content" / "sample"


@dataclass(frozen=True)
class SampleAudio:
    plain: Content  # without audio
    content: Content  # with audio
    plan: AudioPlan
    synthesizer: Synthesizer


def sample_with_audio(cache_dir: Path, workers: int | None = None) -> SampleAudio:
    content, report = load_source(SAMPLE)
    assert report.ok, report.format()
    synthesizer = Synthesizer(cache_dir, workers=workers)
    with_audio, plan = content_with_audio(content, SAMPLE, synthesizer, voices=installed_voices())
    return SampleAudio(content, with_audio, plan, synthesizer)
