"""Independent look at audio files for the tests: ffprobe (FFmpeg), not our own code."""

from __future__ import annotations

import json
import re
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


_INPUT = re.compile(r"^Input #(\d+), ([\w,]+), from '(.*)':$")
_DURATION = re.compile(r"^\s+Duration: (\d+):(\d\d):(\d\d(?:\.\d+)?),")
_STREAM = re.compile(r"^\s+Stream #(\d+):0(?:\((\w+)\))?: Audio: (\w+), (\d+) Hz, (\w+)")
_CHANNELS = {"mono": 1, "stereo": 2}


def probe_many(paths: list[Path], chunk: int = 100) -> dict[Path, Probed]:
    """What FFmpeg says of each file (format, codec, channels, rate, length, language tag), with
    one `ffmpeg -i a -i b ...` per `chunk` files instead of one ffprobe process per file (a
    process costs ~0.1 s of CPU; the sample has ~400 files). A file FFmpeg cannot open is
    missing from the answer."""
    out: dict[Path, Probed] = {}
    for start in range(0, len(paths), chunk):
        batch = paths[start : start + chunk]
        args = ["ffmpeg", "-hide_banner", "-nostdin"]
        for path in batch:
            args += ["-i", str(path)]
        done = subprocess.run(args, capture_output=True, check=False)  # no output: exits 1
        found: dict[int, dict[str, object]] = {}
        current = -1
        for line in done.stderr.decode("utf-8", "replace").splitlines():
            if m := _INPUT.match(line):
                current = int(m.group(1))
                found[current] = {"format_name": m.group(2), "path": m.group(3)}
            elif (m := _DURATION.match(line)) and current in found:
                h, mi, sec = m.groups()
                found[current]["seconds"] = int(h) * 3600 + int(mi) * 60 + float(sec)
            elif (m := _STREAM.match(line)) and int(m.group(1)) in found:
                info = found[int(m.group(1))]
                info.setdefault("language", m.group(2) or "")
                info.setdefault("codec", m.group(3))
                info.setdefault("sample_rate", int(m.group(4)))
                info.setdefault("channels", _CHANNELS.get(m.group(5), 0))
        for index, info in found.items():
            path = batch[index]
            assert str(path) == info["path"], (path, info)
            out[path] = Probed(
                format_name=str(info["format_name"]),
                codec=str(info.get("codec", "")),
                channels=int(info.get("channels", 0)),  # type: ignore[call-overload]
                sample_rate=int(info.get("sample_rate", 0)),  # type: ignore[call-overload]
                seconds=float(info.get("seconds", 0.0)),  # type: ignore[arg-type]
                tags={"language": str(info["language"])} if info.get("language") else {},
            )
    return out


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
