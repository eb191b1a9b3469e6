"""The kiosk's settings: declared once, as data, and read from one TOML file.

Each setting has a name, a type, a default and a help text. `safe-airports kiosk
--help-settings` prints them; a bad value stops the kiosk at start with a message naming the
setting, the value found and what is expected. The sync agent reads the same file (its own
settings live in the `[sync]` table and are declared in `admin_sync/agent/settings.py`).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from admin_sync.stats_wire import k_problem

# Tables of the shared file that belong to other programs (the kiosk leaves them alone).
FOREIGN_TABLES: frozenset[str] = frozenset({"sync"})


class SettingsError(Exception):
    """A setting is missing its file, has the wrong type or an out-of-range value."""


@dataclass(frozen=True)
class Setting:
    name: str
    kind: str  # "str" | "int" | "path"
    default: Any
    help: str
    check: Callable[[Any], str | None] | None = None  # returns what is expected, or None if ok


def _range(lo: int, hi: int) -> Callable[[Any], str | None]:
    def check(value: Any) -> str | None:
        return None if lo <= value <= hi else f"a whole number from {lo} to {hi}"

    return check


def _pattern(regex: str, expected: str) -> Callable[[Any], str | None]:
    compiled = re.compile(regex)

    def check(value: Any) -> str | None:
        return None if compiled.fullmatch(value) else expected

    return check


_PIN_HASH = r"(|pbkdf2_sha256\$[0-9]+\$[0-9a-f]+\$[0-9a-f]+)"

SETTINGS: tuple[Setting, ...] = (
    Setting(
        "airport",
        "str",
        "TAS",
        "IATA code of the airport this kiosk stands in (TAS, TMJ, NMA, KSQ, ASB, FRU); "
        "chooses the languages and destinations shown.",
        _pattern(r"[A-Z]{3}", "a three-letter IATA code in capitals, e.g. TAS"),
    ),
    Setting(
        "kiosk_id",
        "str",
        "kiosk-dev",
        "This kiosk's own id, shown on the maintenance screen (letters, digits, '-', '_').",
        _pattern(r"[A-Za-z0-9_-]{1,64}", "1 to 64 letters, digits, '-' or '_'"),
    ),
    Setting(
        "content_dir",
        "path",
        "/var/lib/safe-airports/content",
        "Root of the installed-content store written by the sync agent; the kiosk opens the "
        "cache its `current` pointer names, read-only.",
    ),
    Setting(
        "usage_file",
        "path",
        "/var/lib/safe-airports/usage.db",
        "SQLite file of the anonymous usage counters (created if missing).",
    ),
    Setting(
        "idle_seconds",
        "int",
        60,
        "Seconds without a touch before the 'still there?' question appears.",
        _range(10, 3600),
    ),
    Setting(
        "countdown_seconds",
        "int",
        20,
        "Seconds the 'still there?' question counts down before the session is cleared.",
        _range(5, 300),
    ),
    Setting(
        "maintenance_pin_hash",
        "str",
        "",
        "Hash of the maintenance PIN (make one with `python -m kiosk.pin`); empty disables the "
        "maintenance screen.",
        _pattern(_PIN_HASH, "empty, or pbkdf2_sha256$ITER$SALT$HASH from python -m kiosk.pin"),
    ),
    Setting(
        "fallback_cache_dir",
        "path",
        "/var/cache/safe-airports",
        "Where the kiosk builds (once) the cache of the sample content shipped with the package, "
        "used when the installed content is missing or unreadable.",
    ),
)

_BY_NAME: dict[str, Setting] = {s.name: s for s in SETTINGS}


@dataclass(frozen=True)
class KioskSettings:
    airport: str = "TAS"
    kiosk_id: str = "kiosk-dev"
    content_dir: Path = Path("/var/lib/safe-airports/content")
    usage_file: Path = Path("/var/lib/safe-airports/usage.db")
    idle_seconds: int = 60
    countdown_seconds: int = 20
    maintenance_pin_hash: str = ""
    fallback_cache_dir: Path = Path("/var/cache/safe-airports")
    # The sync agent's folder (its state.json says when it last synced): [sync] state_dir.
    sync_state_dir: Path = Path("/var/lib/safe-airports/sync")
    source: str = "(defaults)"


def _convert(setting: Setting, value: Any, where: str) -> Any:
    if setting.kind == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            raise SettingsError(
                f"{where}: setting '{setting.name}' is {value!r}; expected a whole number"
            )
    elif not isinstance(value, str):
        raise SettingsError(f"{where}: setting '{setting.name}' is {value!r}; expected a string")
    elif setting.kind == "path" and not value.strip():
        raise SettingsError(f"{where}: setting '{setting.name}' is empty; expected a path")
    if setting.check is not None:
        expected = setting.check(value)
        if expected is not None:
            raise SettingsError(
                f"{where}: setting '{setting.name}' is {value!r}; expected {expected}"
            )
    return Path(value) if setting.kind == "path" else value


def settings_from_mapping(
    data: Mapping[str, Any], where: str = "settings", base: Path | None = None
) -> KioskSettings:
    """Check and convert a parsed TOML document.

    Relative paths are taken from `base` (the settings file's folder), as the sync agent does
    with the same file, so both programs find the same files.
    """
    values: dict[str, Any] = {}
    for key, value in data.items():
        if key in FOREIGN_TABLES:
            continue
        setting = _BY_NAME.get(key)
        if setting is None:
            known = ", ".join(s.name for s in SETTINGS)
            raise SettingsError(f"{where}: unknown setting '{key}'; known settings: {known}")
        values[key] = _convert(setting, value, where)
    sync = data.get("sync")
    if isinstance(sync, Mapping) and isinstance(sync.get("state_dir"), str):
        values["sync_state_dir"] = Path(sync["state_dir"])
    if isinstance(sync, Mapping) and "stats_k" in sync:
        # the agent seals this kiosk's counters with it: refuse at start what it would refuse
        problem = k_problem(sync["stats_k"])
        if problem is not None:
            raise SettingsError(f"{where}: setting '[sync] stats_k' {problem}")
    if base is not None:
        for key, value in values.items():
            if isinstance(value, Path) and not value.is_absolute():
                values[key] = base / value
    return KioskSettings(**values, source=where)


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
    lines = [
        "Kiosk settings (top-level keys of the TOML file given with --config; relative paths",
        "are taken from the file's folder):",
        "",
    ]
    for s in SETTINGS:
        default = f'"{s.default}"' if isinstance(s.default, str) else str(s.default)
        lines.append(f"{s.name} ({s.kind}, default {default})")
        lines.append(f"    {s.help}")
    lines.append("")
    lines.append("The [sync] table belongs to the sync agent (safe-airports sync --help).")
    return "\n".join(lines)


def _check_declarations() -> None:
    """The dataclass and the declarations must agree (used by the tests)."""
    names = {f.name for f in fields(KioskSettings)} - {"sync_state_dir", "source"}
    if names != set(_BY_NAME):
        raise AssertionError(f"KioskSettings fields {names} != declared {set(_BY_NAME)}")
    for s in SETTINGS:
        default = getattr(KioskSettings(), s.name)
        if (Path(s.default) if s.kind == "path" else s.default) != default:
            raise AssertionError(f"default of {s.name} differs")
