"""The fleet page: statuses from heartbeat ages, with the clock and settings given by overrides."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from admin_sync.server.console import providers
from admin_sync.server.console.fleet_page import ago, fleet_rows
from admin_sync.server.console.settings import ConsoleSettings
from admin_sync.server.registry import Heartbeat, Kiosk
from tests.admin_sync.console_env import ConsoleEnv

NOW = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)


def kiosk(kid: str, revoked: bool = False) -> Kiosk:
    return Kiosk(kid, "TAS", kid.upper(), "2026-11-01", "2026-11-02" if revoked else None)


def beat(kid: str, minutes_ago: float, version: int | None = 3) -> Heartbeat:
    received = (NOW - timedelta(minutes=minutes_ago)).isoformat()
    return Heartbeat(kid, received, "0.1.0", version, 60, 10**9, None)


def test_fleet_rows_status_and_version_notes() -> None:
    kiosks = [kiosk("a"), kiosk("b"), kiosk("c"), kiosk("d"), kiosk("e", revoked=True)]
    beats = {
        "a": beat("a", 0.5, version=3),
        "b": beat("b", 20, version=1),
        "c": beat("c", 121, version=None),
        "e": beat("e", 0),
    }
    rows = fleet_rows(kiosks, beats, now=NOW, latest=3, settings=ConsoleSettings())
    assert [(r.status, r.version_note, r.last_seen) for r in rows] == [
        ("online", "up to date", "just now"),
        ("online", "2 behind", "20 min ago"),
        ("offline", "unknown", "2 h ago"),
        ("never seen", "unknown", "never"),
        ("revoked", "up to date", "just now"),
    ]
    strict = ConsoleSettings(late_after_minutes=10, offline_after_minutes=15)
    rows = fleet_rows(kiosks, beats, now=NOW, latest=None, settings=strict)
    assert [r.status for r in rows][:3] == ["online", "offline", "offline"]
    assert {r.version_note for r in rows} == {"unknown"}


@pytest.mark.parametrize(
    ("minutes", "text"),
    [
        (None, "never"),
        (0.2, "just now"),
        (59, "59 min ago"),
        (150, "2 h ago"),
        (4320, "3 days ago"),
    ],
)
def test_ago(minutes, text) -> None:
    assert ago(minutes) == text


def test_fleet_page_uses_the_clock_and_settings_it_is_given(tmp_path) -> None:
    env = ConsoleEnv(tmp_path)
    env.sign_in()
    assert env.heartbeat(content_version=1, free_disk_bytes=3 * 1024**3).status_code == 200
    page = env.client.get("/console/fleet").text
    assert ">online<" in page and "3.0 GB" in page and "just now" in page
    env.override(providers.clock, lambda: env.clock.now + timedelta(minutes=45))
    page = env.client.get("/console/fleet").text
    assert ">late<" in page and "45 min ago" in page
    env.override(providers.console_settings, ConsoleSettings(late_after_minutes=60))
    page = env.client.get("/console/fleet").text
    assert ">online<" in page and "heartbeat in the last 60 min" in page
    env.override(providers.clock, lambda: env.clock.now + timedelta(days=3))
    assert ">offline<" in env.client.get("/console/fleet").text
