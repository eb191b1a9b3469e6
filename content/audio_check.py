"""The checker's look at administrators' recordings (`audio/<item>.<lang>.ogg`).

Each recording must be Ogg Opus (ffprobe), last between `MIN_SECONDS` and `MAX_SECONDS`, and
be neither too quiet nor too loud (ffmpeg's volumedetect: the mean level between
`MIN_MEAN_DB` and `MAX_MEAN_DB`; a peak at 0 dB means clipping, a warning). Problems go into the
checker's report with the file and what to do. A recording made for an older text than its
screen shows now (or for no recorded text) is a warning: it is not published, speech is
synthesized instead (content/speech.py, `recorded-texts.yaml`). Qt-free; ffprobe/ffmpeg run
as subprocesses (Debian package ffmpeg); without them a recording cannot be checked (an
error).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from content.model import Content
from content.problems import Report
from content.speech import RECORDED_TEXTS, RECORDINGS_DIR, recording_name_problem, recording_states

MIN_SECONDS = 0.5
MAX_SECONDS = 20 * 60.0
MIN_MEAN_DB = -40.0
MAX_MEAN_DB = -10.0

Runner = Callable[[list[str]], "subprocess.CompletedProcess[bytes]"]
_MEAN = re.compile(r"mean_volume:\s*(-?[\d.]+|-inf) dB")
_MAX = re.compile(r"max_volume:\s*(-?[\d.]+|-inf) dB")


def _run(args: list[str]) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(args, capture_output=True, check=False, timeout=300)


@dataclass(frozen=True)
class AudioFacts:
    """What ffprobe and ffmpeg say about a file (None: not readable as audio)."""

    format_name: str
    codec: str
    channels: int
    seconds: float
    mean_db: float
    max_db: float


def probe(path: Path, run: Runner = _run) -> AudioFacts | None:
    done = run(
        ["ffprobe", "-v", "error", "-show_entries"]
        + ["format=format_name,duration:stream=codec_name,channels", "-of", "json", str(path)]
    )
    if done.returncode != 0:
        return None
    try:
        info = json.loads(done.stdout.decode("utf-8", "replace") or "{}")
        streams = info.get("streams") or [{}]
        fmt = info.get("format") or {}
        seconds = float(fmt.get("duration", 0.0))
    except (ValueError, TypeError):
        return None
    level = run(
        ["ffmpeg", "-hide_banner", "-nostats", "-i", str(path)]
        + ["-af", "volumedetect", "-f", "null", "-"]
    )
    err = level.stderr.decode("utf-8", "replace")
    mean, peak = _MEAN.search(err), _MAX.search(err)
    return AudioFacts(
        format_name=str(fmt.get("format_name", "")),
        codec=str(streams[0].get("codec_name", "")),
        channels=int(streams[0].get("channels", 0) or 0),
        seconds=seconds,
        mean_db=_db(mean.group(1)) if mean else float("-inf"),
        max_db=_db(peak.group(1)) if peak else float("-inf"),
    )


def _db(text: str) -> float:
    return float("-inf") if text == "-inf" else float(text)


def facts_problems(facts: AudioFacts | None) -> tuple[list[str], list[str]]:
    """(errors, warnings) for one recording's facts."""
    if facts is None:
        return ["not a readable audio file (expected Ogg Opus: opusenc in.wav out.ogg)"], []
    errors: list[str] = []
    if "ogg" not in facts.format_name.split(",") or facts.codec != "opus":
        errors.append(
            f"must be Opus in Ogg, this is {facts.codec or 'unknown'} in "
            f"{facts.format_name or 'unknown'} (convert: opusenc in.wav out.ogg)"
        )
    if not MIN_SECONDS <= facts.seconds <= MAX_SECONDS:
        errors.append(
            f"lasts {facts.seconds:.1f} s: a recording lasts between {MIN_SECONDS} s and "
            f"{MAX_SECONDS / 60:.0f} minutes"
        )
    if facts.mean_db < MIN_MEAN_DB:
        errors.append(
            f"too quiet (mean level {facts.mean_db:.1f} dB, at least {MIN_MEAN_DB:.0f} dB "
            "needed): record closer to the microphone or raise its level"
        )
    elif facts.mean_db > MAX_MEAN_DB:
        errors.append(
            f"too loud (mean level {facts.mean_db:.1f} dB, at most {MAX_MEAN_DB:.0f} dB): "
            "lower the recording level"
        )
    warnings = []
    if facts.max_db >= 0.0:
        warnings.append("peaks reach 0 dB: the recording may be clipped (distorted)")
    return errors, warnings


STALE_HINT = (
    "record the text the screen shows now, then run `safe-airports content recordings DIR "
    "--mark {name}`"
)


def check_recordings(
    src_dir: Path,
    languages: Iterable[str],
    report: Report,
    run: Runner = _run,
    content: Content | None = None,
) -> None:
    """Check every file of the source folder's `audio/` into `report`; with `content`, also
    whether each recording was made for the text its screen shows now."""
    folder = src_dir / RECORDINGS_DIR
    if not folder.is_dir():
        return
    known = set(languages)
    files = sorted(p for p in folder.iterdir() if p.is_file() and p.name != RECORDED_TEXTS)
    if files and (shutil.which("ffprobe") is None or shutil.which("ffmpeg") is None):
        report.error(
            f"{RECORDINGS_DIR}/",
            1,
            "cannot check the recordings: ffprobe and ffmpeg are not installed "
            "(Debian package ffmpeg)",
        )
        return
    for path in files:
        where = f"{RECORDINGS_DIR}/{path.name}"
        problem = recording_name_problem(path.name)
        if problem:
            report.error(where, 1, problem)
            continue
        lang = path.name[: -len(".ogg")].rsplit(".", 1)[1]
        if lang not in known:
            report.error(where, 1, f"language {lang!r} is not in languages.yaml")
            continue
        errors, warnings = facts_problems(probe(path, run))
        for message in errors:
            report.error(where, 1, message)
        for message in warnings:
            report.warning(where, 1, message)
    if content is not None and files:
        _check_texts(src_dir, content, report)


def _check_texts(src_dir: Path, content: Content, report: Report) -> None:
    try:
        states = recording_states(content, src_dir)  # builds the content as a kiosk would
    except Exception:
        if report.ok:
            raise
        return  # content with errors may not build; its errors are in the report already
    for path, state in sorted(states.items()):
        name = path.split("/", 1)[1]
        hint = STALE_HINT.format(name=name)
        if state == "older text":
            report.warning(
                path,
                1,
                "recording is for an older text: the screen's text has changed since it was "
                f"recorded, so it will not be played (speech is synthesized instead); {hint}",
            )
        elif state == "unmarked":
            report.warning(
                path,
                1,
                "no record of the text this recording was made for, so it will not be played "
                f"(speech is synthesized instead); if it says what the screen shows, {hint}",
            )
