"""A software release: the kiosk's own wheels as TUF targets of the delegated `software` role.

The role `software` is delegated by the top-level targets role for the paths `software/*` and
signed by its own key, which the release engineer keeps offline like the root key. The root
metadata (offline root key) pins that key in a field of its own (`ROOT_PIN_FIELD`): a kiosk
accepts the delegation only with exactly the pinned keys, so whoever holds the online targets
key (the server, the console) can neither sign software nor re-delegate it to another key.

A release is `software/release.json` (this manifest) plus one target per wheel,
`software/<wheel file name>`. The manifest names every wheel the version is made of (the
project's wheel and all its dependencies); a kiosk downloads only the wheels its running version
does not already have. Stdlib only: the agent and the publishing side both import it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

SOFTWARE_ROLE = "software"
SOFTWARE_PATHS = ("software/*",)
SOFTWARE_PREFIX = "software/"
SOFTWARE_MANIFEST_TARGET = "software/release.json"
ROOT_PIN_FIELD = "x-safe-airports-software-keyids"
SOFTWARE_MANIFEST_FORMAT = 1
PROJECT_DISTRIBUTION = "safe_airports"

_VERSION = re.compile(r"^[0-9]{1,6}(\.[0-9]{1,6}){0,3}$")
# name-version(-build)?-python-abi-platform.whl (PEP 427), no path separators
_WHEEL = re.compile(
    r"^(?P<name>[A-Za-z0-9_.]+)-(?P<version>[A-Za-z0-9_.!+]+)(-[0-9][A-Za-z0-9_.]*)?"
    r"-[A-Za-z0-9_.]+-[A-Za-z0-9_.]+-[A-Za-z0-9_.]+\.whl$"
)
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


class SoftwareManifestError(ValueError):
    """A software manifest, version or wheel name is malformed; the message says which."""


def check_version(version: str) -> str:
    """Software versions are plain numbers with dots (1.4.2): ordered as tuples of numbers."""
    if not isinstance(version, str) or not _VERSION.match(version):
        raise SoftwareManifestError(
            f"software version {version!r} must be numbers with dots, e.g. 1.4.2"
        )
    return version


def version_key(version: str) -> tuple[int, ...]:
    parts = [int(p) for p in check_version(version).split(".")]
    while len(parts) > 1 and parts[-1] == 0:  # 1.2 == 1.2.0
        parts.pop()
    return tuple(parts)


def wheel_distribution(filename: str) -> tuple[str, str]:
    """(normalised distribution name, version) of a wheel file name."""
    m = _WHEEL.match(filename)
    if not m:
        raise SoftwareManifestError(f"{filename!r} is not a wheel file name (PEP 427)")
    return re.sub(r"[-_.]+", "_", m["name"]).lower(), m["version"]


def wheel_target(filename: str) -> str:
    wheel_distribution(filename)
    return SOFTWARE_PREFIX + filename


@dataclass(frozen=True)
class WheelInfo:
    length: int
    sha256: str


@dataclass(frozen=True)
class SoftwareManifest:
    version: str
    published_at: str
    wheels: dict[str, WheelInfo]  # wheel file name -> length and sha256
    notes: str = ""

    def __post_init__(self) -> None:
        check_version(self.version)
        names: dict[str, str] = {}
        for filename in self.wheels:
            dist, _ = wheel_distribution(filename)
            if dist in names:
                raise SoftwareManifestError(
                    f"software {self.version}: two wheels of {dist}: {names[dist]}, {filename}"
                )
            names[dist] = filename
        project = names.get(PROJECT_DISTRIBUTION)
        if project is None:
            raise SoftwareManifestError(
                f"software {self.version}: no wheel of the project ({PROJECT_DISTRIBUTION})"
            )
        if version_key(wheel_distribution(project)[1]) != version_key(self.version):
            raise SoftwareManifestError(
                f"software {self.version}: the project's wheel {project} has another version; "
                "the release takes its version from the project's wheel"
            )

    def project_wheel(self) -> str:
        return next(f for f in self.wheels if wheel_distribution(f)[0] == PROJECT_DISTRIBUTION)

    def total_bytes(self) -> int:
        return sum(w.length for w in self.wheels.values())

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": SOFTWARE_MANIFEST_FORMAT,
            "version": self.version,
            "published_at": self.published_at,
            "notes": self.notes,
            "wheels": {
                name: {"length": w.length, "sha256": w.sha256}
                for name, w in sorted(self.wheels.items())
            },
        }

    def to_bytes(self) -> bytes:
        return (json.dumps(self.to_dict(), indent=1, sort_keys=True) + "\n").encode()

    @classmethod
    def from_bytes(cls, data: bytes) -> SoftwareManifest:
        try:
            raw = json.loads(data)
        except ValueError as exc:
            raise SoftwareManifestError(f"software manifest is not JSON: {exc}") from exc
        if not isinstance(raw, dict) or raw.get("format") != SOFTWARE_MANIFEST_FORMAT:
            raise SoftwareManifestError(
                f"software manifest: format must be {SOFTWARE_MANIFEST_FORMAT}"
            )
        wheels_raw = raw.get("wheels")
        if not isinstance(wheels_raw, dict) or not wheels_raw:
            raise SoftwareManifestError("software manifest: 'wheels' must be a non-empty object")
        wheels: dict[str, WheelInfo] = {}
        for name, info in wheels_raw.items():
            if not isinstance(info, dict):
                raise SoftwareManifestError(f"software manifest: wheel {name!r} is not an object")
            length, sha = info.get("length"), info.get("sha256")
            if not isinstance(length, int) or length < 0 or not isinstance(sha, str):
                raise SoftwareManifestError(f"software manifest: wheel {name!r}: bad length/hash")
            if not _SHA256.match(sha):
                raise SoftwareManifestError(f"software manifest: wheel {name!r}: bad sha256")
            wheel_distribution(name)
            wheels[name] = WheelInfo(length, sha)
        for key in ("version", "published_at"):
            if not isinstance(raw.get(key), str):
                raise SoftwareManifestError(f"software manifest: {key!r} must be a string")
        notes = raw.get("notes", "")
        return cls(
            version=raw["version"],
            published_at=raw["published_at"],
            wheels=wheels,
            notes=notes if isinstance(notes, str) else "",
        )
