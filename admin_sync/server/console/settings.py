"""The console's settings, declared as data (environment: `SAFE_AIRPORTS_CONSOLE_<NAME>`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from content.settings_base import from_environ, setting

ENV_PREFIX = "SAFE_AIRPORTS_CONSOLE_"


@dataclass(frozen=True)
class ConsoleSettings:
    secure_cookies: str = setting(
        "auto",
        help="Secure flag of the session cookie: 'auto' (set when the request came over HTTPS, "
        "e.g. behind a TLS proxy sending X-Forwarded-Proto), 'always' or 'never'.",
    )
    session_hours: int = setting(12, help="How long a console sign-in lasts.")
    max_failures: int = setting(
        5, help="Wrong passwords in a row before a user name is locked for a while."
    )
    lock_seconds: int = setting(
        300, help="First lock after repeated failures; doubles with each further lock (max 15 min)."
    )
    late_after_minutes: int = setting(
        20, help="Fleet: a kiosk is 'late' when its last heartbeat is older than this."
    )
    offline_after_minutes: int = setting(
        120, help="Fleet: a kiosk is 'offline' when its last heartbeat is older than this."
    )
    command_expiry_minutes: int = setting(
        15,
        help="Remote commands (screenshot, restart, sync now) not carried out within this "
        "many minutes expire and are never carried out.",
    )
    max_archive_bytes: int = setting(
        64 * 1024 * 1024, help="Largest content archive (zip or tar.gz) accepted, unpacked."
    )
    public_server_url: str = setting(
        "",
        help="URL kiosks use to reach this server, written into provisioning files; empty: the "
        "address the console was opened with.",
    )
    stats_default_days: int = setting(
        30, help="Statistics pages show this many days up to today unless a range is chosen."
    )

    four_eyes: bool = setting(
        True,
        help="A production release needs the approval of an editor other than the last author "
        "of each changed file; turn off for a one-person team.",
    )
    preview_worker: str = setting(
        "auto",
        help="Previews from the kiosk's own renderer (a worker process running the kiosk "
        "offscreen): 'auto' where the kiosk extra (PySide6) is installed, 'off' for the "
        "browser's approximation only.",
    )

    @classmethod
    def from_environ(cls, environ: Mapping[str, str]) -> ConsoleSettings:
        settings = from_environ(cls, environ, prefix=ENV_PREFIX, where="console settings")
        if settings.secure_cookies not in ("auto", "always", "never"):
            raise ValueError(
                f"console settings: secure_cookies must be auto, always or never, "
                f"got {settings.secure_cookies!r}"
            )
        if settings.preview_worker not in ("auto", "off"):
            raise ValueError(
                f"console settings: preview_worker must be auto or off, "
                f"got {settings.preview_worker!r}"
            )
        return settings
