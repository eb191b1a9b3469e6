"""For technicians: what this kiosk runs and shows. Host facts are read by the caller."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from content.cache import ContentCache
from kiosk.screens.text import Strings, t

log = logging.getLogger(__name__)

SYNC_ERROR_MAX = 160  # characters of the agent's last error shown


@dataclass(frozen=True)
class SyncState:
    """From the sync agent's state file."""

    last_success: str
    last_error: str
    last_error_at: str


@dataclass(frozen=True)
class KioskFacts:
    """What the maintenance screen reports beside the content: passed in by the app."""

    kiosk_id: str
    airport: str
    app_version: str
    content_origin: str  # "installed" or "fallback"
    content_reason: str  # why the fallback is shown ("" when installed)
    content_file: str
    content_file_date: str  # when the cache file was written (if the content names no date)
    sync: SyncState | None  # None: the agent never ran
    free_disk: str
    screen_size: str


@dataclass(frozen=True)
class MaintenanceRow:
    label: str
    value: str


@dataclass(frozen=True)
class MaintenanceScreen:
    title: str = ""
    rows: tuple[MaintenanceRow, ...] = ()


def content_date(summary: dict[str, Any], file_date: str) -> str:
    """The release date if the content names one, else when the cache file was written."""
    for key in ("released_on", "release_date", "date"):
        if summary.get(key):
            return str(summary[key])
    return file_date


def last_sync(sync: SyncState | None, strings: Strings) -> str:
    """When the agent last succeeded, and its last error."""
    if sync is None:
        return t(strings, "maintenance.never")
    text = sync.last_success or t(strings, "maintenance.never")
    if sync.last_error:
        text += f" — {sync.last_error_at}: {sync.last_error[:SYNC_ERROR_MAX]}"
    return text


def build_maintenance(
    cache: ContentCache, strings: Strings, facts: KioskFacts
) -> MaintenanceScreen:
    summary: dict[str, Any] = {}
    try:
        summary = cache.summary()
    except Exception:
        log.exception("content summary unreadable")
    origin = t(
        strings,
        "maintenance.content_installed"
        if facts.content_origin == "installed"
        else "maintenance.content_fallback",
    )
    reason = f" ({facts.content_reason})" if facts.content_reason else ""
    rows = [
        ("maintenance.kiosk_id", facts.kiosk_id),
        ("maintenance.airport", facts.airport),
        ("maintenance.content_version", f"{cache.content_version} — {cache.release_title}"),
        ("maintenance.content_date", content_date(summary, facts.content_file_date)),
        ("maintenance.content_source", origin + reason),
        ("maintenance.content_file", facts.content_file),
        ("maintenance.last_sync", last_sync(facts.sync, strings)),
        ("maintenance.app_version", facts.app_version),
        ("maintenance.free_disk", facts.free_disk),
        ("maintenance.screen_size", facts.screen_size),
    ]
    return MaintenanceScreen(
        t(strings, "maintenance.title"),
        tuple(MaintenanceRow(t(strings, key), value) for key, value in rows),
    )
