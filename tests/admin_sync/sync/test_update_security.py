"""Attacks on the update channel, against the real signing and agent code (repository in memory).

Each attack ends with the kiosk still on the content it had, opening read-only, and a log line
saying in plain words why the update was refused.
"""

from __future__ import annotations

import json
import shutil
from datetime import timedelta

import pytest
from tuf.api.metadata import Metadata

from admin_sync.keys import generate_key
from admin_sync.protocol import part_target
from content.parts import split_parts
from tests.admin_sync.sync.kiosk_under_test import (
    Kiosk,
    article_text,
    edit_one_article,
    load_sample,
)
from tests.admin_sync.sync.simulator import SimulatedServer

MARKER = "Updated hotline number checked on the day of this test."


@pytest.fixture(scope="module")
def edited(sample_content):
    content, key = edit_one_article(sample_content, MARKER)
    return split_parts(content), key


@pytest.fixture
def on_v1(sim: SimulatedServer, kiosk: Kiosk, sample_parts) -> tuple[SimulatedServer, Kiosk]:
    """A kiosk with version 1 installed from the simulated server."""
    sim.publish(sample_parts)
    report = kiosk.update_from(sim)
    assert report.outcome == "installed", report
    assert kiosk.installed_version() == 1
    return sim, kiosk


def changed_part(old: dict[str, bytes], new: dict[str, bytes]) -> str:
    names = [n for n in new if old.get(n) != new[n]]
    assert len(names) == 1, names
    return names[0]


def assert_still_on(kiosk: Kiosk, version: int, key, *, has_marker: bool = False) -> None:
    assert kiosk.installed_version() == version
    with kiosk.open_cache() as cache:
        assert cache.content_version == version
        assert (MARKER in article_text(cache, key)) is has_marker


def refused_lines(log) -> list[str]:
    return [r.getMessage() for r in log.records if "refused the update" in r.getMessage()]


def test_one_article_edit_downloads_only_that_part(on_v1, edited, sample_parts, sync_log):
    sim, kiosk = on_v1
    parts, key = edited
    sim.publish(parts)
    report = kiosk.update_from(sim)
    assert report.outcome == "installed"
    assert report.parts_downloaded == 1
    assert report.parts_reused == len(parts) - 1
    name = changed_part(sample_parts, parts)
    assert report.part_bytes_downloaded == len(parts[name])
    assert_still_on(kiosk, 2, key, has_marker=True)
    assert any("downloaded 1 changed parts" in r.getMessage() for r in sync_log.records)


def test_tampered_target_is_refused(on_v1, edited, sample_parts, sync_log):
    sim, kiosk = on_v1
    parts, key = edited
    sim.publish(parts)
    name = changed_part(sample_parts, parts)
    data = parts[name]
    lie = b"Call +70000000000 for a free work visa".ljust(len(MARKER), b"!")
    evil = data.replace(MARKER.encode(), lie)
    assert len(evil) == len(data) and evil != data
    sim.replace[sim.target_path(part_target(name), data)] = evil
    report = kiosk.update_from(sim)
    assert report.outcome == "refused"
    assert_still_on(kiosk, 1, key)
    assert any("does not match its signed length or hash" in m for m in refused_lines(sync_log))


def _timestamp_url(sim: SimulatedServer) -> str:
    return sim.metadata_path("timestamp.json")


def test_tampered_metadata_is_refused(on_v1, edited, sync_log):
    sim, kiosk = on_v1
    parts, key = edited
    sim.publish(parts)
    raw = json.loads(sim.store.read_metadata("timestamp.json"))
    raw["signed"]["expires"] = "2099-01-01T00:00:00Z"  # changed after signing
    sim.replace[_timestamp_url(sim)] = json.dumps(raw).encode()
    report = kiosk.update_from(sim)
    assert report.outcome == "refused"
    assert_still_on(kiosk, 1, key)
    assert any("not signed by the trusted keys" in m for m in refused_lines(sync_log))


def test_unsigned_metadata_is_refused(on_v1, edited, sync_log):
    sim, kiosk = on_v1
    parts, key = edited
    sim.publish(parts)
    raw = json.loads(sim.store.read_metadata("timestamp.json"))
    raw["signatures"] = []
    sim.replace[_timestamp_url(sim)] = json.dumps(raw).encode()
    report = kiosk.update_from(sim)
    assert report.outcome == "refused"
    assert_still_on(kiosk, 1, key)
    assert any("not signed by the trusted keys" in m for m in refused_lines(sync_log))


def test_signature_by_a_wrong_key_is_refused(on_v1, edited, sync_log):
    sim, kiosk = on_v1
    parts, key = edited
    sim.publish(parts)
    md = Metadata.from_bytes(sim.store.read_metadata("timestamp.json"))
    md.signatures.clear()
    md.sign(generate_key())  # a well-formed signature, by a key the root does not trust
    sim.replace[_timestamp_url(sim)] = md.to_bytes()
    report = kiosk.update_from(sim)
    assert report.outcome == "refused"
    assert_still_on(kiosk, 1, key)
    assert any("not signed by the trusted keys" in m for m in refused_lines(sync_log))


def test_metadata_rolled_back_to_an_older_version_is_refused(on_v1, edited, sync_log):
    sim, kiosk = on_v1
    parts, key = edited
    old_metadata = sim.snapshot_of_metadata()  # what the server served for version 1
    sim.publish(parts)
    assert kiosk.update_from(sim).outcome == "installed"
    # the attacker replays the version-1 timestamp to hide a newer release
    sim.publish(split_parts(edit_one_article(load_sample(), "A third version.")[0]))
    sim.replace[_timestamp_url(sim)] = old_metadata["timestamp.json"]
    report = kiosk.update_from(sim)
    assert report.outcome == "refused"
    assert_still_on(kiosk, 2, key, has_marker=True)
    assert any("older than what this kiosk already trusts" in m for m in refused_lines(sync_log))


def test_mix_and_match_of_metadata_versions_is_refused(on_v1, edited, sync_log):
    sim, kiosk = on_v1
    parts, key = edited
    before = sim.snapshot_of_metadata()
    old_snapshot_version = sim.repo.snapshot().signed.version
    sim.publish(parts)
    new_snapshot_version = sim.repo.snapshot().signed.version
    # new timestamp, but the old snapshot served under the new snapshot's name
    sim.replace[sim.metadata_path(f"{new_snapshot_version}.snapshot.json")] = before[
        f"{old_snapshot_version}.snapshot.json"
    ]
    report = kiosk.update_from(sim)
    assert report.outcome == "refused"
    assert_still_on(kiosk, 1, key)
    assert refused_lines(sync_log)


def test_expired_timestamp_from_a_frozen_server_is_refused(on_v1, edited, sync_log):
    sim, kiosk = on_v1
    parts, key = edited
    sim.now -= timedelta(days=2)  # signed two days ago with a one-day expiry, never refreshed
    sim.publish(parts)
    report = kiosk.update_from(sim)
    assert report.outcome == "refused"
    assert_still_on(kiosk, 1, key)
    assert any("has expired" in m for m in refused_lines(sync_log))


def test_older_content_version_is_refused_even_without_tuf_state(on_v1, edited, sync_log):
    sim, kiosk = on_v1
    parts, key = edited
    sim.publish(parts)
    assert kiosk.update_from(sim).outcome == "installed"
    # TUF's local metadata is lost; a validly signed release carries an older content version
    shutil.rmtree(kiosk.state_dir / "tuf")
    sim.publish(parts, version=1)
    report = kiosk.update_from(sim)
    assert report.outcome == "refused"
    assert_still_on(kiosk, 2, key, has_marker=True)
    assert any("older than installed version 2" in r.getMessage() for r in sync_log.records)


@pytest.mark.parametrize("role", ["timestamp", "snapshot", "targets", "root"])
def test_kiosk_with_the_old_root_updates_after_key_rotation(on_v1, edited, role):
    sim, kiosk = on_v1
    parts, key = edited
    new_key = generate_key()
    online = dict(sim.online)
    if role != "root":
        online[role] = new_key
    sim.repo.rotate_key(role, root_signer=sim.root_key, new_signer=new_key, online=online)
    sim.online = online
    if role == "root":
        sim.root_key = new_key
    sim.publish(parts)
    # the kiosk still bootstraps from the root it was provisioned with (version 1)
    assert json.loads(sim.provisioned_root)["signed"]["version"] == 1
    report = kiosk.update_from(sim)
    assert report.outcome == "installed", report
    assert_still_on(kiosk, 2, key, has_marker=True)


def test_rotation_with_the_wrong_root_key_is_refused(sim):
    from admin_sync.tuf_repo import RepositoryError

    with pytest.raises(RepositoryError, match="not the one the root metadata trusts"):
        sim.repo.rotate_key(
            "timestamp", root_signer=generate_key(), new_signer=generate_key(), online=sim.online
        )


def test_damaged_version_record_stops_updates_with_a_clear_reason(on_v1, edited, sync_log):
    sim, kiosk = on_v1
    parts, key = edited
    sim.publish(parts)
    current = kiosk.installer.store.current_path()
    record = kiosk.content_dir / "installed-version.json"
    record.write_text("{not json")
    report = kiosk.update_from(sim)
    assert report.outcome == "failed"
    assert "is damaged" in report.message
    assert kiosk.installer.store.current_path() == current
    with kiosk.open_cache() as cache:
        assert cache.content_version == 1
    assert any("update failed" in r.getMessage() for r in sync_log.records)
