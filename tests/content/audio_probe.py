"""Independent look at audio files for the tests: ffprobe (FFmpeg), not our own code."""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

needs_tools = pytest.mark.skipif(
    any(shutil.which(t) is None for t in ("espeak-ng", "opusenc", "ffprobe", "sox")),
    reason="needs espeak-ng, opus-tools, ffmpeg and sox (make system-deps installs them)",
)


@dataclass(frozen=True)
class Probed:
    format_name: str
    codec: str
    channels: int
    sample_rate: int
    seconds: float
    tags: dict[str, str]


def ffprobe(path: Path) -> Probed:
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-show_entries"]
        + ["format=format_name,duration:stream=codec_name,channels,sample_rate:stream_tags"]
        + ["-of", "json", str(path)],
        capture_output=True,
        check=True,
    )
    info = json.loads(out.stdout)
    stream = info["streams"][0]
    return Probed(
        format_name=info["format"]["format_name"],
        codec=stream["codec_name"],
        channels=int(stream["channels"]),
        sample_rate=int(stream["sample_rate"]),
        seconds=float(info["format"]["duration"]),
        tags={k.lower(): v for k, v in stream.get("tags", {}).items()},
    )


def decode_seconds(path: Path) -> float:
    """Decode the whole file (ffmpeg to raw PCM) and count its samples: a damaged stream fails."""
    out = subprocess.run(
        ["ffmpeg", "-v", "error", "-xerror", "-i", str(path), "-f", "s16le", "-ac", "1"]
        + ["-ar", "16000", "-"],
        capture_output=True,
        check=True,
    )
    return len(out.stdout) / 2 / 16000


def decodes_cleanly(path: Path) -> bool:
    """FFmpeg decodes the whole stream without an error."""
    done = subprocess.run(
        ["ffmpeg", "-v", "error", "-xerror", "-i", str(path), "-f", "null", "-"],
        capture_output=True,
        check=False,
    )
    return done.returncode == 0 and not done.stderr.strip()


def decode_all(paths: list[Path], folder: Path) -> list[Path]:
    """Decode every file completely, in one FFmpeg process (concat); the files that fail."""
    listing = folder / "decode-list.txt"
    listing.write_text("".join(f"file '{p}'\n" for p in paths), encoding="utf-8")
    done = subprocess.run(
        ["ffmpeg", "-v", "error", "-xerror", "-f", "concat", "-safe", "0", "-i", str(listing)]
        + ["-f", "null", "-"],
        capture_output=True,
        check=False,
    )
    if done.returncode == 0 and not done.stderr.strip():
        return []
    return [p for p in paths if not decodes_cleanly(p)] or paths
