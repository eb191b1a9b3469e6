"""The sync agent's settings: the `[sync]` table of the kiosk's TOML file, declared here as data.

The agent also reads four top-level keys of the same file (declared by the kiosk in
kiosk/settings.py): `content_dir`, `kiosk_id`, `usage_file` and `airport` (whose languages'
audio it fetches, with the provisioning file's airport). Keys of `[sync]` starting with
`stats_` belong to the statistics outbox and are read by it.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from admin_sync.rollout import MAX_RING
from content.settings_base import SettingsError, from_mapping, in_range, setting

DEFAULT_CONTENT_DIR = Path("/var/lib/safe-airports/content")
DEFAULT_USAGE_FILE = Path("/var/lib/safe-airports/usage.db")
FOREIGN_PREFIXES = ("stats_",)


@dataclass(frozen=True)
class SyncSettings:
    provisioning_file: Path = setting(
        help="Provisioning file written by `safe-airports admin add-kiosk` (server URL, kiosk "
        "id, secret token, trusted root metadata). Keep it readable by the agent only."
    )
    state_dir: Path = setting(
        Path("/var/lib/safe-airports/sync"),
        help="Agent's own folder: TUF metadata, cached release parts, state.json, lock file.",
    )
    server_url: str | None = setting(
        None, help="Server URL; overrides the one in the provisioning file (e.g. a new address)."
    )
    tuf_url: str | None = setting(
        None,
        help="Address of a mirror of the signed repository (a CDN or object store holding a "
        "byte-for-byte copy of the server's /tuf/ folder: metadata/ and targets/ under it), "
        "e.g. https://mirror.example.org/safe-airports/tuf. None: the server's own /tuf/. "
        "Everything is still checked against the pinned root; the kiosk token is sent only "
        "to the server's address, never to the mirror.",
    )
    token_file: Path | None = setting(
        None, help="File holding the kiosk token; overrides the token in the provisioning file."
    )
    interval_seconds: float = setting(
        300.0, help="Time between two update checks when all is well (jittered)."
    )
    backoff_initial_seconds: float = setting(
        30.0, help="Wait after a first failed cycle; doubles after each further failure."
    )
    backoff_max_seconds: float = setting(3600.0, help="Longest wait between failed cycles.")
    jitter_fraction: float = setting(
        0.2,
        help="Each wait is randomly stretched or shrunk by up to this fraction, so that many "
        "kiosks do not all call the server at the same moment.",
    )
    connect_timeout_seconds: float = setting(10.0, help="Time allowed to connect to the server.")
    read_timeout_seconds: float = setting(
        30.0, help="Time allowed between two pieces of data from the server."
    )
    max_download_seconds: float = setting(
        900.0, help="Longest time one file download may take before it is abandoned."
    )
    heartbeat: bool = setting(True, help="Send a heartbeat to the server after every cycle.")
    # swupdate: signed software updates (admin_sync/agent/software_update.py)
    software_dir: Path | None = setting(
        None,
        help="Folder of the installed software versions (versions/, the `current` symlink the "
        "units start through); the installer sets /var/lib/safe-airports/software. Unset: no "
        "software updates.",
    )
    software_restart_command: str = setting(
        "systemctl --no-block restart safe-airports-kiosk.service safe-airports-sync.service",
        help="Command (split like a shell would) that restarts the kiosk and the agent after "
        "a software switch or rollback.",
    )
    software_health_seconds: float = setting(
        180.0,
        help="Time a new software version has to draw the kiosk's first frame and deliver a "
        "heartbeat; otherwise the previous version comes back by itself.",
    )
    rollout_ring: int | None = setting(
        None,
        help="Staged rollout ring of this kiosk (0 = first to get a staged release, then 1, "
        "2...); a release staged to ring N reaches kiosks of ring N or lower. None: only "
        "releases staged to this kiosk or its airport, and releases to all.",
        check=in_range(0, MAX_RING),
    )
    command_poll_seconds: float = setting(
        60.0,
        help="While waiting between cycles, send a heartbeat this often to collect remote "
        "commands (screenshot, restart, sync now) and report their outcome; 0: only with "
        "each cycle.",
    )


@dataclass(frozen=True)
class AgentConfig:
    sync: SyncSettings
    content_dir: Path
    usage_file: Path
    kiosk_id: str | None
    source: Path | None = None
    airport: str | None = None  # the kiosk's `airport` setting, when the file gives it


def config_from_mapping(data: dict[str, Any], *, where: str) -> AgentConfig:
    sync = data.get("sync")
    if not isinstance(sync, dict):
        raise SettingsError(f"{where}: no [sync] table; the agent needs at least provisioning_file")
    settings = from_mapping(
        SyncSettings, sync, where=f"{where} [sync]", foreign_prefixes=FOREIGN_PREFIXES
    )
    for name in ("content_dir", "usage_file", "kiosk_id", "airport"):
        if name in data and not isinstance(data[name], str):
            raise SettingsError(f"{where}: {name} must be a string")
    return AgentConfig(
        sync=settings,
        content_dir=Path(data.get("content_dir", DEFAULT_CONTENT_DIR)),
        usage_file=Path(data.get("usage_file", DEFAULT_USAGE_FILE)),
        kiosk_id=data.get("kiosk_id"),
        airport=data.get("airport"),
    )


def load_config(path: Path) -> AgentConfig:
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise SettingsError(f"{path}: configuration file not found") from exc
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"{path}: not valid TOML ({exc})") from exc
    config = config_from_mapping(raw, where=str(path))
    base = path.parent

    def resolve(p: Path) -> Path:
        return p if p.is_absolute() else (base / p)

    sync = config.sync
    return AgentConfig(
        sync=SyncSettings(
            **{
                **sync.__dict__,
                "provisioning_file": resolve(sync.provisioning_file),
                "state_dir": resolve(sync.state_dir),
                "token_file": resolve(sync.token_file) if sync.token_file else None,
                "software_dir": resolve(sync.software_dir) if sync.software_dir else None,
            }
        ),
        content_dir=resolve(config.content_dir),
        usage_file=resolve(config.usage_file),
        kiosk_id=config.kiosk_id,
        source=path,
        airport=config.airport,
    )
