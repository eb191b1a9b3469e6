"""The central server's settings, declared in one place (see admin_sync/README.md, "Server
settings"). Built from command-line options or environment variables `SAFE_AIRPORTS_<NAME>`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from admin_sync.tuf_repo import Expiries
from content.settings_base import from_environ, from_mapping, setting

ENV_PREFIX = "SAFE_AIRPORTS_"


@dataclass(frozen=True)
class ServerSettings:
    data_dir: Path = setting(
        help="Data folder: TUF repository, online keys, release history and the SQLite database."
    )
    host: str = setting("127.0.0.1", help="Address to listen on.")
    port: int = setting(8470, help="TCP port to listen on.")
    timestamp_expiry_seconds: int = setting(
        86400,
        help="How long a signed timestamp stays valid. Short, so that a kiosk notices a frozen "
        "server (one that keeps serving old metadata) within this time.",
    )
    timestamp_check_seconds: int = setting(
        300,
        help="How often the background task checks whether the timestamp (or snapshot and "
        "targets, near their expiry) must be re-signed.",
    )
    targets_expiry_days: int = setting(90, help="Validity of signed targets metadata.")
    snapshot_expiry_days: int = setting(90, help="Validity of signed snapshot metadata.")
    root_expiry_days: int = setting(
        365, help="Validity of root metadata (renewed with the offline root key)."
    )
    max_upload_bytes: int = setting(
        64 * 1024 * 1024, help="Largest content upload accepted by publishing over HTTP."
    )
    tuf_requires_kiosk_token: bool = setting(
        True,
        help="Serve the TUF repository only to provisioned kiosks (their bearer token), so a "
        "revoked kiosk gets no more updates. Turn off to serve it publicly (e.g. from a CDN).",
    )
    speech_synthesis: bool = setting(
        False,
        help="Synthesize speech (espeak-ng, opusenc) for the kiosks' listen buttons when a "
        "release is published, for every item without a recording; cached in DATA/speech-cache. "
        "The installed server's unit turns it on; off, only recordings are published.",
    )
    speech_cache_dir: Path | None = setting(
        None,
        help="Folder of the synthesized-speech cache (by text); default DATA/speech-cache. The "
        "demo shares one with the tests (.pytest_cache/d/speech), so it synthesizes only once.",
    )
    log_level: str = setting("info", help="Log level: debug, info, warning or error.")

    def expiries(self) -> Expiries:
        return Expiries(
            root=timedelta(days=self.root_expiry_days),
            targets=timedelta(days=self.targets_expiry_days),
            snapshot=timedelta(days=self.snapshot_expiry_days),
            timestamp=timedelta(seconds=self.timestamp_expiry_seconds),
        )

    @classmethod
    def from_mapping(cls, values: Mapping[str, object], *, where: str) -> ServerSettings:
        return from_mapping(cls, values, where=where)

    @classmethod
    def from_environ(
        cls, environ: Mapping[str, str], overrides: Mapping[str, object] | None = None
    ) -> ServerSettings:
        """Settings from `SAFE_AIRPORTS_*` variables, then explicit overrides (CLI options)."""
        return from_environ(
            cls, environ, prefix=ENV_PREFIX, where="server settings", overrides=overrides
        )
