"""Audio for the "listen" buttons, made when a release is published (never on a kiosk).

Plan, then apply: `plan_audio` decides for every speech item (`content.speech_text`) where its
sound comes from, as plain data: an administrator's recording (`audio/<item>.<lang>.ogg` in the
source folder) first, else speech synthesized by espeak-ng in a voice of that language; a
language without a voice gets no audio (and the kiosk shows no button). `make_audio` then runs
espeak-ng (text -> WAV on a pipe) and opusenc (WAV -> Opus in Ogg, mono, ~16 kbit/s, 60 ms frames:
a third less encoding time and 5 % fewer bytes than 20 ms) as two piped subprocesses.

A recording is played only while the text it was recorded for is the one the screen shows:
`audio/recorded-texts.yaml` keeps, per recording, the sha256 of the spoken text it was made
for (`mark_recordings` writes it). When the text changes (a new phone number, a corrected
deadline), or no text was ever recorded for it, the recording is **not published**: the item
is synthesized instead (or has no audio where there is no voice), and the checker and the
publish log say "recording is for an older text". Safety first: a recording that says an old
phone number must never play.

Audio travels as release assets (`audio/<item>.<lang>.ogg`), so parts are content-addressed by
their sha256 and a one-article change downloads only that article's audio. Synthesis is
deterministic and cached by the hash of (voice, text, format) in `cache_dir`, so unchanged
texts give byte-identical files (no download) and a publish only synthesizes what changed.

Qt-free; the tools are found on PATH (Debian packages espeak-ng and opus-tools).
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

import yaml

from content.build import build_cache
from content.cache import ContentCache
from content.durable import write_atomic
from content.model import Content
from content.speech_text import AUDIO_DIR, AUDIO_SUFFIX, ITEM_KINDS, SpeechItem, speech_items
from content.translit import cyrillic_to_latin

log = logging.getLogger("safe_airports.speech")

# Kiosk language -> espeak-ng voice. Uzbek Cyrillic is read through its Latin form (the Uzbek
# voice reads Latin spelling). A language missing here, or whose voice the installed
# espeak-ng lacks, gets no synthesized audio.
VOICES: Mapping[str, str] = {
    "uz": "uz",
    "uz-Cyrl": "uz",
    "ky": "ky",
    "tk": "tk",
    "kk": "kk",
    "ru": "ru",
    "en": "en",
}
READ_THROUGH_LATIN = frozenset({"uz-Cyrl"})
BITRATE_KBPS = 16
FRAME_MS = 60
# Bump when the encoding changes: every cached synthesis is then made again.
SPEECH_FORMAT = f"espeak-ng+opusenc/{BITRATE_KBPS}k/mono/speech/comp0/{FRAME_MS}ms/3"
RECORDINGS_DIR = "audio"
RECORDED_TEXTS = "recorded-texts.yaml"  # in RECORDINGS_DIR: recording name -> text sha256

Runner = Callable[[list[str]], "subprocess.CompletedProcess[bytes]"]


class SpeechError(Exception):
    """The tools are missing or failed; says which and how to fix it."""


def _run(args: list[str]) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(args, capture_output=True, check=False, timeout=600)


def _run_piped(first: list[str], second: list[str]) -> tuple[int, bytes, int, bytes]:
    """`first | second`: (exit status, stderr) of each; the WAV never touches the disk."""
    with tempfile.TemporaryFile() as err1, tempfile.TemporaryFile() as err2:
        producer = subprocess.Popen(first, stdout=subprocess.PIPE, stderr=err1)
        try:
            consumer = subprocess.Popen(second, stdin=producer.stdout, stderr=err2)
        finally:
            assert producer.stdout is not None
            producer.stdout.close()  # the consumer holds the pipe; a dead consumer stops espeak
        try:
            code2 = consumer.wait(timeout=600)
            code1 = producer.wait(timeout=600)
        except subprocess.TimeoutExpired:
            producer.kill()
            consumer.kill()
            producer.wait()
            consumer.wait()
            raise
        err1.seek(0)
        err2.seek(0)
        return code1, err1.read(), code2, err2.read()


def installed_voices(run: Runner = _run) -> frozenset[str]:
    """The language codes espeak-ng has voices for (`espeak-ng --voices`); empty if absent."""
    if shutil.which("espeak-ng") is None:
        return frozenset()
    out = run(["espeak-ng", "--voices"])
    codes: set[str] = set()
    for line in out.stdout.decode("utf-8", "replace").splitlines()[1:]:
        cols = line.split()
        if len(cols) >= 2:
            codes.add(cols[1])
            codes.add(cols[1].split("-")[0])
    return frozenset(codes)


def voice_for(language: str, voices: frozenset[str]) -> str | None:
    """The espeak-ng voice for a kiosk language, None when there is none."""
    voice = VOICES.get(language)
    return voice if voice is not None and voice in voices else None


def recording_name(item: str, language: str) -> str:
    """A recording's file name in the source folder's `audio/`: `<item>.<lang>.ogg`."""
    return f"{item}.{language}{AUDIO_SUFFIX}"


def read_recordings(src_dir: Path) -> dict[str, bytes]:
    """Recordings of the source folder: asset path (`audio/<name>`) -> bytes."""
    folder = src_dir / RECORDINGS_DIR
    if not folder.is_dir():
        return {}
    return {
        f"{AUDIO_DIR}/{p.name}": p.read_bytes()
        for p in sorted(folder.iterdir())
        if p.is_file() and p.name.endswith(AUDIO_SUFFIX)
    }


def text_hash(text: str) -> str:
    """What `recorded-texts.yaml` keeps of the text a recording was made for."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def read_recorded_texts(src_dir: Path) -> dict[str, str]:
    """Asset path (`audio/<name>`) -> sha256 of the text the recording was made for.

    A missing or unreadable file is empty: every recording is then for an unknown text."""
    path = src_dir / RECORDINGS_DIR / RECORDED_TEXTS
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return {}
    if not isinstance(raw, dict):
        return {}
    return {
        f"{AUDIO_DIR}/{name}": str(sha)
        for name, sha in raw.items()
        if isinstance(name, str) and isinstance(sha, str)
    }


def write_recorded_texts(src_dir: Path, hashes: Mapping[str, str]) -> None:
    """Write `recorded-texts.yaml` (asset path -> text sha256), sorted, with a comment."""
    lines = [
        "# The text each recording was made for (sha256 of the spoken text), written by",
        "# `safe-airports content recordings DIR --mark NAME`. A recording whose screen text",
        "# has changed since is not played: speech is synthesized instead. Do not edit by hand.",
    ]
    for path, sha in sorted(hashes.items()):
        lines.append(f"{path.removeprefix(AUDIO_DIR + '/')}: {sha}")
    write_atomic(src_dir / RECORDINGS_DIR / RECORDED_TEXTS, ("\n".join(lines) + "\n").encode())


@dataclass(frozen=True)
class AudioSource:
    path: str  # asset path, audio/<item>.<lang>.ogg
    kind: str  # "recording" or "synthesis"
    voice: str = ""
    text: str = ""  # for synthesis: what espeak-ng reads (Uzbek Cyrillic already in Latin)


@dataclass(frozen=True)
class AudioPlan:
    sources: tuple[AudioSource, ...]
    no_voice: tuple[str, ...] = ()  # languages with items but no voice: no audio, no button
    unused_recordings: tuple[str, ...] = ()  # recordings no item uses (a misspelt name?)
    recordings: Mapping[str, bytes] = field(default_factory=dict)
    # recordings not played: made for another text than the screen's (or for no known text)
    stale_recordings: tuple[str, ...] = ()


def plan_audio(
    items: Iterable[SpeechItem],
    recordings: Mapping[str, bytes],
    voices: frozenset[str],
    recorded_texts: Mapping[str, str] | None = None,
) -> AudioPlan:
    """Where each item's audio comes from: its recording if it was made for the item's text
    (`recorded_texts`: asset path -> text sha256), else synthesis, else nothing."""
    recorded_texts = recorded_texts or {}
    sources: list[AudioSource] = []
    no_voice: set[str] = set()
    used: set[str] = set()
    stale: list[str] = []
    for item in items:
        if item.path in recordings:
            used.add(item.path)
            if recorded_texts.get(item.path) == text_hash(item.text):
                sources.append(AudioSource(item.path, "recording"))
                continue
            stale.append(item.path)  # never played: the text has changed since
        voice = voice_for(item.language, voices)
        if voice is None:
            no_voice.add(item.language)
            continue
        text = item.text
        if item.language in READ_THROUGH_LATIN:
            text = cyrillic_to_latin(text)
        sources.append(AudioSource(item.path, "synthesis", voice, text))
    return AudioPlan(
        tuple(sources),
        tuple(sorted(no_voice)),
        tuple(sorted(set(recordings) - used)),
        recordings,
        tuple(sorted(stale)),
    )


class Synthesizer:
    """Text -> Opus-in-Ogg bytes with espeak-ng and opusenc, cached in `cache_dir`."""

    def __init__(self, cache_dir: Path, *, workers: int | None = None) -> None:
        self.cache_dir = cache_dir
        self.workers = workers or os.cpu_count() or 2  # each synthesis is two processes
        self.made = 0  # syntheses actually run (not from the cache)

    @staticmethod
    def check_tools() -> None:
        missing = [t for t in ("espeak-ng", "opusenc") if shutil.which(t) is None]
        if missing:
            raise SpeechError(
                f"cannot synthesize speech: {', '.join(missing)} not installed "
                "(Debian packages espeak-ng and opus-tools)"
            )

    def key(self, voice: str, text: str) -> str:
        return hashlib.sha256(f"{SPEECH_FORMAT}\0{voice}\0{text}".encode()).hexdigest()

    def synthesize(self, voice: str, text: str) -> bytes:
        key = self.key(voice, text)
        cached = self.cache_dir / key[:2] / f"{key}.ogg"
        if cached.is_file():
            return cached.read_bytes()
        with tempfile.TemporaryDirectory(prefix="speech-") as tmp:
            text_file, ogg = Path(tmp, "text.txt"), Path(tmp, "s.ogg")
            text_file.write_text(text, encoding="utf-8")
            # a fixed stream serial (from the key): the same text always gives the same bytes
            serial = str(int(key[:7], 16))
            speak = ["espeak-ng", "-v", voice, "-b", "1", "-f", str(text_file), "--stdout"]
            encode = (
                ["opusenc", "--quiet", "--bitrate", str(BITRATE_KBPS), "--speech", "--comp", "0"]
                + ["--framesize", str(FRAME_MS), "--downmix-mono", "--serial", serial]
                + ["--comment", f"language={voice}", "-", str(ogg)]
            )
            code1, err1, code2, err2 = _run_piped(speak, encode)
            for args, code, err in ((speak, code1, err1), (encode, code2, err2)):
                if code != 0:
                    message = err.decode("utf-8", "replace").strip()
                    raise SpeechError(f"{args[0]} failed (exit {code}): {message[:300]}")
            data = ogg.read_bytes()
        cached.parent.mkdir(parents=True, exist_ok=True)
        # one name per process and thread: two threads may make the same text at once (Uzbek
        # Latin and Cyrillic read the same), and each must rename its own file
        partial = cached.with_suffix(f".{os.getpid()}.{threading.get_ident()}.part")
        partial.write_bytes(data)
        partial.replace(cached)
        self.made += 1
        return data

    def make_all(self, sources: Iterable[AudioSource]) -> dict[str, bytes]:
        todo = [s for s in sources if s.kind == "synthesis"]
        with ThreadPoolExecutor(max_workers=max(1, self.workers)) as pool:
            made = pool.map(lambda s: (s.path, self.synthesize(s.voice, s.text)), todo)
            return dict(made)


def make_audio(plan: AudioPlan, synthesizer: Synthesizer | None) -> dict[str, bytes]:
    """Apply the plan: asset path -> Ogg Opus bytes (no synthesizer: recordings only)."""
    out = {s.path: plan.recordings[s.path] for s in plan.sources if s.kind == "recording"}
    if synthesizer is not None:
        synthesizer.check_tools()
        out.update(synthesizer.make_all(plan.sources))
    return dict(sorted(out.items()))


def items_of(content: Content) -> list[SpeechItem]:
    """Every speech item of the content (built into a temporary cache, read as the kiosk does)."""
    with tempfile.TemporaryDirectory(prefix="speech-cache-") as tmp:
        db = Path(tmp, "content.db")
        build_cache(content, db, content_version=0)
        cache = ContentCache.open(db)
        try:
            return speech_items(content, cache)
        finally:
            cache.close()


def recording_states(content: Content, src_dir: Path) -> dict[str, str]:
    """Each recording of the folder (asset path) -> "current", "older text", "unmarked" (no
    text recorded for it) or "no item"."""
    texts = read_recorded_texts(src_dir)
    by_path = {item.path: item for item in items_of(content)}
    states = {}
    for path in read_recordings(src_dir):
        item = by_path.get(path)
        if item is None:
            states[path] = "no item"
        elif path not in texts:
            states[path] = "unmarked"
        else:
            states[path] = "current" if texts[path] == text_hash(item.text) else "older text"
    return states


def mark_recordings(content: Content, src_dir: Path, names: Iterable[str]) -> dict[str, str]:
    """Record that each named recording (`<item>.<lang>.ogg`) was made for the text its item
    has now; returns asset path -> the text it was marked for. Raises SpeechError for a name
    that is no recording of the folder or matches no item."""
    by_path = {item.path: item for item in items_of(content)}
    present = read_recordings(src_dir)
    hashes = read_recorded_texts(src_dir)
    marked = {}
    for name in names:
        path = f"{AUDIO_DIR}/{name.removeprefix(AUDIO_DIR + '/')}"
        if path not in present:
            raise SpeechError(f"{path}: no such recording in {src_dir / RECORDINGS_DIR}")
        if path not in by_path:
            raise SpeechError(f"{path}: matches no screen item (check its name)")
        hashes[path] = text_hash(by_path[path].text)
        marked[path] = by_path[path].text
    write_recorded_texts(src_dir, {p: h for p, h in hashes.items() if p in present})
    return marked


def content_with_audio(
    content: Content,
    src_dir: Path,
    synthesizer: Synthesizer | None,
    *,
    voices: frozenset[str] | None = None,
) -> tuple[Content, AudioPlan]:
    """The content with its audio added to the assets (recordings, then synthesis)."""
    recordings = read_recordings(src_dir)
    if synthesizer is None and not recordings:
        return content, AudioPlan(())
    items = items_of(content)
    if voices is None:
        voices = installed_voices() if synthesizer is not None else frozenset()
    plan = plan_audio(items, recordings, voices, read_recorded_texts(src_dir))
    if plan.no_voice and synthesizer is not None:
        log.warning("no espeak-ng voice, no audio for: %s", ", ".join(plan.no_voice))
    for name in plan.stale_recordings:
        log.warning(
            "recording %s is for an older text (or no text was recorded for it): not published, %s",
            name,
            "speech is synthesized instead" if synthesizer is not None else "no audio for it",
        )
    for name in plan.unused_recordings:
        log.warning("recording %s belongs to no screen item: not published", name)
    audio = make_audio(plan, synthesizer)
    assets = {k: v for k, v in content.assets.items() if not k.startswith(f"{AUDIO_DIR}/")}
    assets.update(audio)
    return replace(content, assets=assets), plan


_ITEM_NAME = re.compile(r"^[a-z]+(\.[A-Za-z0-9_-]+)*\.[a-z]{2,3}(-[A-Z][a-z]{3})?\.ogg$")


def recording_name_problem(name: str) -> str | None:
    """Why a file in `audio/` cannot be a recording's name (None if it can)."""
    if name == RECORDED_TEXTS:
        return None
    if not name.endswith(AUDIO_SUFFIX):
        return "a recording must be an Ogg Opus file named <item>.<language>.ogg"
    if not _ITEM_NAME.match(name) or name.split(".", 1)[0] not in ITEM_KINDS:
        return (
            "a recording is named <item>.<language>.ogg, like "
            "article.RU.entry-registration.uz.ogg or language.ky.ogg"
        )
    return None
