"""The maintenance screen (kiosk/screens/maintenance.py), host facts passed in."""

from __future__ import annotations

from content.cache import ContentCache
from kiosk.screens.maintenance import (
    KioskFacts,
    SyncState,
    build_maintenance,
    content_date,
    last_sync,
)

STRINGS = {"maintenance.never": "never", "maintenance.content_fallback": "Sample content"}


def facts(**changes: object) -> KioskFacts:
    values: dict[str, object] = {
        "kiosk_id": "tas-1",
        "airport": "TAS",
        "app_version": "9.9",
        "content_origin": "fallback",
        "content_reason": "no installed content",
        "content_file": "/x/cache.db",
        "content_file_date": "2026-01-01 10:00",
        "sync": None,
        "free_disk": "1.5 GB",
        "screen_size": "1080×1920",
    }
    values.update(changes)
    return KioskFacts(**values)  # type: ignore[arg-type]


def test_rows_in_order_with_the_facts_passed_in(cache: ContentCache) -> None:
    page = build_maintenance(cache, STRINGS, facts())
    values = [r.value for r in page.rows]
    assert values[:2] == ["tas-1", "TAS"]
    assert values[2] == f"{cache.content_version} — {cache.release_title}"
    assert values[4] == "Sample content (no installed content)"
    assert values[5:] == ["/x/cache.db", "never", "9.9", "1.5 GB", "1080×1920"]
    assert page.rows[0].label == "maintenance.kiosk_id"  # a missing string shows its key


def test_last_sync_and_content_date() -> None:
    assert last_sync(None, STRINGS) == "never"
    ok = SyncState("2026-02-03T04:05", "", "")
    assert last_sync(ok, STRINGS) == "2026-02-03T04:05"
    failed = SyncState("", "x" * 500, "2026-02-04")
    assert last_sync(failed, STRINGS) == "never — 2026-02-04: " + "x" * 160
    assert content_date({"released_on": "2026-03-01"}, "file") == "2026-03-01"
    assert content_date({}, "file") == "file"
