"""The agent's urgent-notices step against the real signing code (repository in memory): stored
atomically beside the content, not downloaded again when unchanged, refused when tampered or
older than the stored ones (the stored notices kept), fetched without a new content version."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from admin_sync.agent.update import check_for_update
from content.notices import NOTICES_FILE, NOTICES_TARGET, Notice, NoticeSet
from tests.admin_sync.sync.kiosk_under_test import Kiosk
from tests.admin_sync.sync.simulator import BASE_URL, SimulatedServer

NOW = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)


def notices(serial: int, text: str) -> bytes:
    n = Notice(1, "TAS", "", NOW, NOW + timedelta(days=1), {"en": text})
    return NoticeSet(serial, "2026-12-01T08:00:00Z", (n,)).to_bytes()


def update(kiosk: Kiosk, sim: SimulatedServer):
    return check_for_update(
        server_url=BASE_URL,
        trusted_root=sim.provisioned_root,
        state_dir=kiosk.state_dir,
        fetcher=sim.fetcher(),
        installer=kiosk.installer,
        notices_path=kiosk.content_dir / NOTICES_FILE,
    )


def stored(kiosk: Kiosk) -> Path:
    return kiosk.content_dir / NOTICES_FILE


def test_notices_arrive_without_a_release_and_are_not_fetched_twice(sim, kiosk, sample_parts):
    sim.publish(sample_parts)
    assert update(kiosk, sim).outcome == "installed"
    assert not stored(kiosk).exists()
    sim.repo.put_targets({NOTICES_TARGET: notices(1, "First.")}, sim.online)
    report = update(kiosk, sim)
    assert report.outcome == "up-to-date" and report.notices == "stored serial 1"
    assert b"First." in stored(kiosk).read_bytes()
    assert "release.json" in sim.repo.targets().signed.targets  # the release is still there
    before = len(sim.requests)
    report = update(kiosk, sim)
    assert report.notices == "up to date"
    assert not any("notices.json" in r for r in sim.requests[before:])


def test_tampered_or_older_notices_are_refused_and_the_stored_kept(
    sim, kiosk, sample_parts, sync_log
):
    sim.publish(sample_parts)
    sim.repo.put_targets({NOTICES_TARGET: notices(5, "Serial five.")}, sim.online)
    assert update(kiosk, sim).ok
    kept = stored(kiosk).read_bytes()

    data = notices(6, "Serial six.")
    sim.repo.put_targets({NOTICES_TARGET: data}, sim.online)
    sim.replace[sim.target_path(NOTICES_TARGET, data)] = data.replace(b"six", b"SIX")
    report = update(kiosk, sim)
    assert report.outcome == "refused" and "tampered" in report.message
    assert stored(kiosk).read_bytes() == kept
    assert "tampered" in sync_log.text

    sim.replace.clear()
    older = notices(4, "Serial four, validly signed but older.")
    sim.repo.put_targets({NOTICES_TARGET: older}, sim.online)
    report = update(kiosk, sim)
    assert report.outcome == "refused"
    assert "older than the stored 5" in report.message and "urgent notices" in report.message
    assert stored(kiosk).read_bytes() == kept
