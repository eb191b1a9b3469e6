"""Facts about the machine the kiosk runs on, read when the maintenance screen opens.

Free disk, the sync agent's state file, the content file's date, and giving freed memory back
to the system. The screens get these as plain values (kiosk/screens/maintenance.py).
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import shutil
from datetime import datetime
from pathlib import Path

from kiosk.content_loader import LoadedContent
from kiosk.screens.maintenance import KioskFacts, SyncState
from kiosk.settings import KioskSettings

STATE_FILE = "state.json"  # written by the sync agent in its state_dir


def free_disk(path: Path) -> str:
    """Free space of the file system holding `path` (or of / if `path` is missing): "12.3 GB"."""
    try:
        usage = shutil.disk_usage(path if path.exists() else "/")
    except OSError:
        return "?"
    return f"{usage.free / 2**30:.1f} GB"


def read_sync_state(state_dir: Path) -> SyncState | None:
    """The agent's last success and last error; None if it never wrote its state."""
    try:
        state = json.loads((Path(state_dir) / STATE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(state, dict):
        return None
    return SyncState(
        last_success=str(state.get("last_success") or ""),
        last_error=str(state.get("last_error") or ""),
        last_error_at=str(state.get("last_error_at") or ""),
    )


def file_date(path: Path) -> str:
    """When the file was last written ("—" when it cannot be read)."""
    try:
        stamp = path.stat().st_mtime
    except OSError:
        return "—"
    return datetime.fromtimestamp(stamp).strftime("%Y-%m-%d %H:%M")


def release_free_memory() -> None:
    """Give memory freed by the last session back to the system (glibc keeps it otherwise)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def kiosk_facts(
    settings: KioskSettings, loaded: LoadedContent, app_version: str, screen_size: str
) -> KioskFacts:
    """What the maintenance screen reports about this kiosk and its host, read now."""
    return KioskFacts(
        kiosk_id=settings.kiosk_id,
        airport=settings.airport,
        app_version=app_version,
        content_origin=loaded.origin,
        content_reason=loaded.reason,
        content_file=str(loaded.path),
        content_file_date=file_date(loaded.path),
        sync=read_sync_state(settings.sync_state_dir),
        free_disk=free_disk(settings.usage_file.parent),
        screen_size=screen_size,
    )
