"""The kiosk's settings: declared once, as data, and read from one TOML file.

Each setting is a field of `KioskSettings` declared with `setting()` (content/settings_base.py,
the mechanism the sync agent and the server use too): name, type, default, help text and the
check of its value in one place. `safe-airports kiosk --help-settings` prints them; a bad value
stops the kiosk at start with a message naming the setting, the value found and what is
expected. The sync agent reads the same file (its own settings live in the `[sync]` table and
are declared in `admin_sync/agent/settings.py`).
"""

from __future__ import annotations

import dataclasses
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from admin_sync.stats_wire import k_problem
from content.settings_base import (
    SettingsError,
    from_mapping,
    help_lines,
    in_range,
    matching,
    setting,
)

__all__ = ["KioskSettings", "SettingsError", "help_text", "load_settings", "settings_from_mapping"]

# Tables of the shared file that belong to other programs (the kiosk leaves them alone).
FOREIGN_TABLES: frozenset[str] = frozenset({"sync"})


def _diagonal(value: float) -> str | None:
    return None if value == 0 or 5 <= value <= 120 else "0 (not set) or inches from 5 to 120"


_PIN_HASH = r"(|pbkdf2_sha256\$[0-9]+\$[0-9a-f]+\$[0-9a-f]+)"


@dataclass(frozen=True)
class KioskSettings:
    airport: str = setting(
        "TAS",
        help="IATA code of the airport this kiosk stands in (TAS, TMJ, NMA, KSQ, ASB, FRU); "
        "chooses the languages and destinations shown.",
        check=matching(r"[A-Z]{3}", "a three-letter IATA code in capitals, e.g. TAS"),
    )
    kiosk_id: str = setting(
        "kiosk-dev",
        help="This kiosk's own id, shown on the maintenance screen (letters, digits, '-', '_').",
        check=matching(r"[A-Za-z0-9_-]{1,64}", "1 to 64 letters, digits, '-' or '_'"),
    )
    content_dir: Path = setting(
        Path("/var/lib/safe-airports/content"),
        help="Root of the installed-content store written by the sync agent; the kiosk opens "
        "the cache its `current` pointer names, read-only.",
    )
    usage_file: Path = setting(
        Path("/var/lib/safe-airports/usage.db"),
        help="SQLite file of the anonymous usage counters (created if missing).",
    )
    idle_seconds: int = setting(
        60,
        help="Seconds without a touch before the 'still there?' question appears.",
        check=in_range(10, 3600),
    )
    qr_idle_seconds: int = setting(
        180,
        help="Seconds without a touch before the 'still there?' question on a screen with QR "
        "codes (help, articles), where a person may be scanning a code with a phone.",
        check=in_range(10, 3600),
    )
    countdown_seconds: int = setting(
        20,
        help="Seconds the 'still there?' question counts down before the session is cleared.",
        check=in_range(5, 300),
    )
    maintenance_pin_hash: str = setting(
        "",
        help="Hash of the maintenance PIN (make one with `python -m kiosk.pin`); empty disables "
        "the maintenance screen.",
        check=matching(
            _PIN_HASH, "empty, or pbkdf2_sha256$ITER$SALT$HASH from python -m kiosk.pin"
        ),
    )
    fallback_cache_dir: Path = setting(
        Path("/var/cache/safe-airports"),
        help="Where the kiosk builds (once) the cache of the sample content shipped with the "
        "package, used when the installed content is missing or unreadable.",
    )
    panel_diagonal_inches: float = setting(
        0.0,
        help="The screen's diagonal in inches, e.g. 21.5. With it text and touch targets keep "
        "their size in millimetres on a panel larger than the 21.5-inch reference one, and never "
        "shrink under 9 mm on a small one. 0: the size the display reports, if believable.",
        check=_diagonal,
    )
    renderer: str = setting(
        "auto",
        help="How Qt Quick draws: opengl (Qt's default backend, for a kiosk with a GPU), "
        "software (Qt Quick's software backend, faster without a GPU) or auto (opengl where "
        "there is a GPU render node whose OpenGL is not a CPU rasteriser, else software).",
        check=matching("auto|opengl|software", "auto, opengl or software"),
    )
    audio_volume: int = setting(
        80,
        help="Volume of the listen buttons' audio, 0 (silent) to 100 (the sound output's full "
        "level).",
        check=in_range(0, 100),
    )
    audio_headphones_only: bool = setting(
        False,
        help="Play audio only through headphones: the listen buttons appear only while the "
        "sound server offers an output whose name says headphones or headset, and play there.",
    )
    audio_attract_autoplay: bool = setting(
        False,
        help="Let the attract screen say its invitation aloud, in each of the airport's "
        "languages, each time it appears. Off: nothing plays unless a person taps listen.",
    )
    # Derived, not settings of the kiosk: the sync agent's folder (its state.json says when it
    # last synced), read from [sync] state_dir; and where the settings came from.
    sync_state_dir: Path = Path("/var/lib/safe-airports/sync")
    source: str = "(defaults)"


def settings_from_mapping(
    data: Mapping[str, Any], where: str = "settings", base: Path | None = None
) -> KioskSettings:
    """Check and convert a parsed TOML document.

    Relative paths are taken from `base` (the settings file's folder), as the sync agent does
    with the same file, so both programs find the same files.
    """
    settings = from_mapping(
        KioskSettings, data, where=where, foreign_keys=FOREIGN_TABLES, from_text=False, base=base
    )
    sync = data.get("sync")
    sync_state_dir = settings.sync_state_dir
    if isinstance(sync, Mapping) and isinstance(sync.get("state_dir"), str):
        sync_state_dir = Path(sync["state_dir"])
        if base is not None and not sync_state_dir.is_absolute():
            sync_state_dir = base / sync_state_dir
    if isinstance(sync, Mapping) and "stats_k" in sync:
        # the agent seals this kiosk's counters with it: refuse at start what it would refuse
        problem = k_problem(sync["stats_k"])
        if problem is not None:
            raise SettingsError(f"{where}: setting '[sync] stats_k' {problem}")
    return dataclasses.replace(settings, sync_state_dir=sync_state_dir, source=where)


def load_settings(path: Path | None) -> KioskSettings:
    """Read the TOML file at `path` (None: all defaults)."""
    if path is None:
        return KioskSettings()
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SettingsError(f"cannot read the settings file {path}: {exc.strerror}") from exc
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"{path}: not valid TOML: {exc}") from exc
    return settings_from_mapping(data, str(path), base=path.parent)


def help_text() -> str:
    """What `--help-settings` prints: every setting, its type, default and help."""
    return "\n".join(
        [
            "Kiosk settings (top-level keys of the TOML file given with --config; relative",
            "paths are taken from the file's folder):",
            "",
            *help_lines(KioskSettings),
            "",
            "The [sync] table belongs to the sync agent (safe-airports sync --help-settings).",
        ]
    )
