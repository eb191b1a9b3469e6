"""The wire protocol between the server and the kiosk's agent: paths, the release manifest and
the heartbeat. Stdlib only: both the agent and the server import it.

A release is a set of TUF targets:

- `release.json`, the manifest: content version, title, and every part's length and sha256;
- `parts/<name>` for each part of `content.parts.split_parts` (shared data, one part per
  destination and language, content-addressed assets).

A small edit changes one part and the manifest, so a kiosk downloads two small files.

Audio parts (the listen buttons' speech) carry the `languages` they are heard in, and the
manifest lists per airport the languages its kiosks play (`audio_languages`): an agent
downloads only the audio of its own airport (`ReleaseManifest.parts_for`). Both are optional:
an older manifest has neither and every part is fetched; an older agent ignores them.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

TUF_PATH = "/tuf"  # the server's signed repository; a mirror copies what is under it
TUF_METADATA_PATH = TUF_PATH + "/metadata/"
TUF_TARGETS_PATH = TUF_PATH + "/targets/"
HEARTBEAT_PATH = "/api/v1/heartbeat"
# answers 204 to a valid kiosk token (401 unknown, 403 revoked): nginx's auth_request for /tuf/
KIOSK_AUTH_PATH = "/api/v1/kiosk-auth"
HEALTH_PATH = "/healthz"
ADMIN_PUBLISH_PATH = "/api/v1/admin/publish"
ADMIN_ROLLBACK_PATH = "/api/v1/admin/rollback"
# the staged content release: GET its status; POST promote (widen or to all), POST halt
ADMIN_ROLLOUT_PATH = "/api/v1/admin/rollout"
ADMIN_PROMOTE_PATH = ADMIN_ROLLOUT_PATH + "/promote"
ADMIN_HALT_PATH = ADMIN_ROLLOUT_PATH + "/halt"
# a kiosk uploads the screenshot a command asked for (PUT, image/png, kiosk token)
COMMAND_SCREENSHOT_PATH = "/api/v1/commands/{command_id}/screenshot"
MAX_SCREENSHOT_BYTES = 4 * 1024 * 1024


def command_screenshot_path(command_id: int) -> str:
    return COMMAND_SCREENSHOT_PATH.replace("{command_id}", str(int(command_id)))


MANIFEST_TARGET = "release.json"
PART_TARGET_PREFIX = "parts/"
MANIFEST_FORMAT = 1
PROVISIONING_FORMAT = 1

_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_LANGUAGE_ID = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
_PART_NAME = re.compile(r"^[A-Za-z0-9_.\-]+(/[A-Za-z0-9_.\-]+)*$")


class ProtocolError(ValueError):
    """A manifest, heartbeat or provisioning file is malformed; the message says what and where."""


def check_part_name(name: str) -> str:
    if not _PART_NAME.match(name) or any(seg in {".", ".."} for seg in name.split("/")):
        raise ProtocolError(f"part name {name!r} is not a safe relative path")
    return name


def part_target(name: str) -> str:
    return PART_TARGET_PREFIX + check_part_name(name)


@dataclass(frozen=True)
class PartInfo:
    length: int
    sha256: str
    languages: tuple[str, ...] = ()  # audio parts: the languages it is heard in


def _language_list(value: object, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(
        isinstance(s, str) and _LANGUAGE_ID.match(s) for s in value
    ):
        raise ProtocolError(f"release manifest: {where} must be a list of language ids")
    return tuple(value)


@dataclass(frozen=True)
class ReleaseManifest:
    content_version: int
    title: str
    published_at: str  # ISO 8601 UTC
    parts: dict[str, PartInfo] = field(default_factory=dict)
    rollback_of: int | None = None  # set when this release republishes an older one's content
    # the languages its texts were written in; the others are translations (optional: older
    # manifests and agents do without it)
    source_languages: tuple[str, ...] = ()
    # airport id -> the languages whose audio its kiosks play (content/audio_parts.py)
    audio_languages: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def total_bytes(self) -> int:
        return sum(p.length for p in self.parts.values())

    def parts_for(self, airports: tuple[str, ...]) -> dict[str, PartInfo]:
        """The parts a kiosk at `airports` needs: all but the audio of languages none of them
        plays. Every part when an airport is not listed (or the manifest lists none): a kiosk
        that cannot tell what it needs takes everything."""
        if not airports or any(a not in self.audio_languages for a in airports):
            return dict(self.parts)
        heard = {lang for a in airports for lang in self.audio_languages[a]}
        return {
            name: info
            for name, info in self.parts.items()
            if not info.languages or heard.intersection(info.languages)
        }

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "format": MANIFEST_FORMAT,
            "content_version": self.content_version,
            "title": self.title,
            "published_at": self.published_at,
            "parts": {
                name: {"length": p.length, "sha256": p.sha256}
                | ({"languages": list(p.languages)} if p.languages else {})
                for name, p in sorted(self.parts.items())
            },
        }
        if self.audio_languages:
            out["audio_languages"] = {a: list(v) for a, v in sorted(self.audio_languages.items())}
        if self.rollback_of is not None:
            out["rollback_of"] = self.rollback_of
        if self.source_languages:
            out["source_languages"] = list(self.source_languages)
        return out

    def to_bytes(self) -> bytes:
        return (json.dumps(self.to_dict(), sort_keys=True, indent=1, ensure_ascii=False)).encode()

    @classmethod
    def from_bytes(cls, data: bytes) -> ReleaseManifest:
        try:
            raw = json.loads(data)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ProtocolError(f"release manifest: not JSON ({exc})") from exc
        if not isinstance(raw, dict):
            raise ProtocolError("release manifest: expected a JSON object")
        if raw.get("format") != MANIFEST_FORMAT:
            raise ProtocolError(
                f"release manifest: format {raw.get('format')!r} not understood "
                f"(this agent reads format {MANIFEST_FORMAT})"
            )
        version = raw.get("content_version")
        if not isinstance(version, int) or isinstance(version, bool) or version < 1:
            raise ProtocolError("release manifest: content_version must be a positive integer")
        parts_raw = raw.get("parts")
        if not isinstance(parts_raw, dict) or not parts_raw:
            raise ProtocolError("release manifest: parts must be a non-empty object")
        parts: dict[str, PartInfo] = {}
        for name, info in parts_raw.items():
            check_part_name(name)
            if not isinstance(info, dict):
                raise ProtocolError(f"release manifest: part {name}: expected an object")
            length, sha = info.get("length"), info.get("sha256")
            if not isinstance(length, int) or isinstance(length, bool) or length < 0:
                raise ProtocolError(f"release manifest: part {name}: bad length {length!r}")
            if not isinstance(sha, str) or not _SHA256.match(sha):
                raise ProtocolError(f"release manifest: part {name}: bad sha256 {sha!r}")
            languages = _language_list(info.get("languages", []), f"part {name}: languages")
            parts[name] = PartInfo(length, sha, languages)
        rollback_of = raw.get("rollback_of")
        if rollback_of is not None and not isinstance(rollback_of, int):
            raise ProtocolError("release manifest: rollback_of must be an integer")
        sources = raw.get("source_languages", [])
        if not isinstance(sources, list) or not all(
            isinstance(s, str) and _LANGUAGE_ID.match(s) for s in sources
        ):
            raise ProtocolError("release manifest: source_languages must be a list of language ids")
        audio_raw = raw.get("audio_languages", {})
        if not isinstance(audio_raw, dict):
            raise ProtocolError("release manifest: audio_languages must be an object")
        audio_languages = {
            str(airport): _language_list(langs, f"audio_languages of {airport}")
            for airport, langs in audio_raw.items()
        }
        return cls(
            content_version=version,
            title=str(raw.get("title", "")),
            published_at=str(raw.get("published_at", "")),
            parts=parts,
            rollback_of=rollback_of,
            source_languages=tuple(sources),
            audio_languages=audio_languages,
        )


# Fields added to the heartbeat after its first version. A kiosk sends them only when they
# say something (a healthy kiosk's heartbeat is the first version's), and `send_heartbeat`
# resends without them to a server that refuses unknown fields; a server accepts them missing.
HEARTBEAT_EXTENSIONS: tuple[str, ...] = ("stats_rejected", "stats_rejected_reason")
# commands: the urgent notices serial the kiosk app shows, and remote commands' outcomes
HEARTBEAT_EXTENSIONS += ("notices_serial", "command_results")
MAX_COMMAND_RESULTS = 20
MAX_REASON_CHARS = 500


@dataclass(frozen=True)
class Heartbeat:
    kiosk_id: str
    app_version: str
    content_version: int | None
    uptime_seconds: int
    free_disk_bytes: int | None
    last_error: str | None = None
    # statistics batches the server refused, kept in the kiosk's outbox, and the latest reason
    stats_rejected: int = 0
    stats_rejected_reason: str | None = None
    # the serial of the urgent notices the kiosk app shows (None: unknown)
    notices_serial: int | None = None
    # outcomes of remote commands: {"id", "status", "detail"} each (content.kiosk_commands)
    command_results: tuple[dict[str, object], ...] = ()

    def to_dict(self, *, extensions: bool = True) -> dict[str, object]:
        out: dict[str, object] = {
            "kiosk_id": self.kiosk_id,
            "app_version": self.app_version,
            "content_version": self.content_version,
            "uptime_seconds": self.uptime_seconds,
            "free_disk_bytes": self.free_disk_bytes,
            "last_error": self.last_error,
        }
        if extensions and self.stats_rejected:
            out["stats_rejected"] = self.stats_rejected
            out["stats_rejected_reason"] = (self.stats_rejected_reason or "")[:MAX_REASON_CHARS]
        if extensions and self.notices_serial is not None:
            out["notices_serial"] = self.notices_serial
        if extensions and self.command_results:
            out["command_results"] = list(self.command_results[:MAX_COMMAND_RESULTS])
        return out

    def has_extensions(self) -> bool:
        return self.to_dict() != self.to_dict(extensions=False)


@dataclass(frozen=True)
class Provisioning:
    """What a kiosk needs to trust and reach the server; written by `admin add-kiosk`."""

    server_url: str
    kiosk_id: str
    airport: str
    name: str
    token: str
    trusted_root: dict[str, Any]

    def root_bytes(self) -> bytes:
        return json.dumps(self.trusted_root, sort_keys=True).encode()

    def to_bytes(self) -> bytes:
        return (
            json.dumps(
                {
                    "format": PROVISIONING_FORMAT,
                    "server_url": self.server_url,
                    "kiosk_id": self.kiosk_id,
                    "airport": self.airport,
                    "name": self.name,
                    "token": self.token,
                    "trusted_root": self.trusted_root,
                },
                indent=1,
                ensure_ascii=False,
            )
            + "\n"
        ).encode()

    @classmethod
    def from_bytes(cls, data: bytes, *, where: str = "provisioning file") -> Provisioning:
        try:
            raw = json.loads(data)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ProtocolError(f"{where}: not JSON ({exc})") from exc
        if not isinstance(raw, dict) or raw.get("format") != PROVISIONING_FORMAT:
            raise ProtocolError(f"{where}: not a provisioning file of format {PROVISIONING_FORMAT}")
        for key in ("server_url", "kiosk_id", "airport", "name", "token"):
            if not isinstance(raw.get(key), str) or not raw[key]:
                raise ProtocolError(f"{where}: {key} is missing or empty")
        root = raw.get("trusted_root")
        if not isinstance(root, dict) or root.get("signed", {}).get("_type") != "root":
            raise ProtocolError(f"{where}: trusted_root must be TUF root metadata")
        return cls(
            server_url=raw["server_url"].rstrip("/"),
            kiosk_id=raw["kiosk_id"],
            airport=raw["airport"],
            name=raw["name"],
            token=raw["token"],
            trusted_root=root,
        )


# ---- swupdate: the kiosk's first-frame record (health evidence of a software update) ---------
# The kiosk writes it (atomically) next to its usage counters once it has drawn its first frame;
# the agent reads it to decide whether a newly switched software version is healthy.
FIRST_FRAME_FILE = "kiosk-first-frame.json"


@dataclass(frozen=True)
class FirstFrame:
    app_version: str
    pid: int
    at: float  # wall clock, epoch seconds

    def to_bytes(self) -> bytes:
        return (
            json.dumps({"app_version": self.app_version, "pid": self.pid, "at": self.at}) + "\n"
        ).encode()


def read_first_frame(path: Any) -> FirstFrame | None:
    """The record at `path` (a pathlib.Path), or None if missing or malformed."""
    try:
        raw = json.loads(path.read_bytes())
        return FirstFrame(str(raw["app_version"]), int(raw["pid"]), float(raw["at"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None
