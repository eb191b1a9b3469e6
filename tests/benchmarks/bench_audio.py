"""What audio costs (issue 13): the sample release's size with and without audio, what a kiosk
of each airport downloads of it (only its languages' audio), the bytes of a one-article update,
synthesis time; and, per screen kind and language, one screen listened to
(espeak-ng to a WAV file, measured by sox: length and RMS level).

`python -m tests.benchmarks audio`. Synthesis is cached in `.pytest_cache/d/speech` (shared
with the tests); delete it to time a cold synthesis.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from admin_sync.publish import plan_release
from content.cache import applies
from content.parts import split_parts
from content.source import load_source
from content.speech import AudioSource, content_with_audio, voice_for
from content.speech_text import article_item, checklist_item, help_item
from tests.content.sample_audio import SAMPLE, sample_with_audio

CACHE = Path(__file__).resolve().parents[2] / ".pytest_cache" / "d" / "speech"
EXAMPLES = {  # one screen per kind, at the airport whose languages include the language
    "article": article_item("RU", "entry-registration"),
    "help": None,  # help.RU for the airport's nationality (below)
    "checklist": checklist_item("general"),
    "language": "language",
    "attract": "attract",
}
NATIONALITY = {"uz": "UZ", "uz-Cyrl": "UZ", "ru": "UZ", "en": "UZ", "ky": "KG", "tk": "TM"}


def _sox_stats(wav: Path) -> tuple[float, float]:
    out = subprocess.run(["sox", str(wav), "-n", "stats"], capture_output=True, text=True)
    length = float(re.search(r"Length s\s+([\d.]+)", out.stderr).group(1))  # type: ignore[union-attr]
    rms = float(re.search(r"RMS lev dB\s+(-?[\d.]+)", out.stderr).group(1))  # type: ignore[union-attr]
    return length, rms


def _heard(
    sources: dict[str, AudioSource], item: str, lang: str, nationality: str
) -> AudioSource | None:
    """What a traveller of `nationality` hears of an item: its one clip, or, for an article
    with nationality marks, its parts for that nationality read as one text."""
    whole = sources.get(f"audio/{item}.{lang}.ogg")
    if whole is not None:
        return whole
    part = re.compile(rf"^audio/{re.escape(item)}\.(\d{{2}}(?:-[A-Z]+)*)\.{re.escape(lang)}\.ogg$")
    heard = []
    for path, source in sorted(sources.items()):
        found = part.match(path)
        if found and applies(found.group(1).split("-")[1:], nationality):
            heard.append(source)
    if not heard:
        return None
    return replace(heard[0], text="\n".join(s.text for s in heard))


def run() -> dict[str, Any]:
    CACHE.mkdir(parents=True, exist_ok=True)
    began = time.monotonic()
    sample = sample_with_audio(CACHE)
    seconds = time.monotonic() - began
    plain = split_parts(sample.plain)
    full = split_parts(sample.content)
    audio_parts = {n: d for n, d in full.items() if n.endswith(".ogg")}
    figures: dict[str, Any] = {
        "synthesis_seconds (this run; cached texts are not synthesized again)": round(seconds, 1),
        "syntheses_run": sample.synthesizer.made,
        "release_bytes_without_audio": sum(map(len, plain.values())),
        "release_parts_without_audio": len(plain),
        "release_bytes_with_audio": sum(map(len, full.values())),
        "release_parts_with_audio": len(full),
        "audio_parts": len(audio_parts),
        "audio_bytes": sum(map(len, audio_parts.values())),
        "no_voice_languages": ", ".join(sample.plan.no_voice),
    }
    manifest = plan_release(full, content_version=1, title="bench", published_at="").manifest
    for airport in sorted(manifest.audio_languages):
        wanted = manifest.parts_for((airport,))
        figures[f"kiosk at {airport} downloads (bytes, parts)"] = (
            f"{sum(p.length for p in wanted.values())}, {len(wanted)} "
            f"(audio of {' '.join(manifest.audio_languages[airport])})"
        )
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp, "src")
        shutil.copytree(SAMPLE, source)
        article = source / "articles" / "RU" / "entry-registration" / "ky.md"
        article.write_text(article.read_text(encoding="utf-8") + "\nЖаңы сүйлөм.\n", "utf-8")
        content, _ = load_source(source)
        changed, _ = content_with_audio(content, source, sample.synthesizer)
        after = split_parts(changed)
        new = {n: d for n, d in after.items() if full.get(n) != d}
        figures["one_article_update_parts"] = ", ".join(sorted(new))
        figures["one_article_update_bytes"] = sum(map(len, new.values()))
        figures["one_article_update_audio_bytes"] = sum(
            len(d) for n, d in new.items() if n.endswith(".ogg")
        )
        changed_manifest = plan_release(
            after, content_version=2, title="bench", published_at=""
        ).manifest
        for airport in ("TAS", "FRU"):
            wanted = changed_manifest.parts_for((airport,))
            figures[f"one_article_update_bytes for a kiosk at {airport}"] = sum(
                wanted[n].length for n in new if n in wanted
            )
        texts = {s.path: s for s in sample.plan.sources}
        for lang, nationality in NATIONALITY.items():
            for kind, item in EXAMPLES.items():
                if item is None:
                    home = {"UZ": "UZ", "KG": "KG", "TM": "TM"}[nationality]
                    item = help_item("RU", home, nationality)
                source_of = _heard(texts, item, lang, nationality)
                if source_of is None or voice_for(lang, frozenset({source_of.voice})) is None:
                    figures[f"listened {kind} {lang}"] = "no audio"
                    continue
                wav = Path(tmp, f"{kind}.{lang}.wav")
                subprocess.run(
                    ["espeak-ng", "-v", source_of.voice, "-b", "1", "-w", str(wav)],
                    input=source_of.text.encode("utf-8"),
                    check=True,
                )
                length, rms = _sox_stats(wav)
                figures[f"listened {kind} {lang} ({item}, voice {source_of.voice})"] = (
                    f"{length:.1f} s, RMS {rms:.1f} dB, {len(source_of.text.split())} words"
                )
    return figures
