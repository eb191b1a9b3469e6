"""The agent's HTTP fetcher against a real HTTP server on 127.0.0.1: endless responses are cut
at the length the signed metadata allows, and the kiosk keeps its content."""

from __future__ import annotations

import pytest
import requests

from admin_sync.agent.fetcher import CHUNK_SIZE, SessionFetcher
from admin_sync.agent.update import UPDATER_CONFIG, check_for_update
from admin_sync.protocol import part_target
from content.parts import split_parts
from tests.admin_sync.sync.kiosk_under_test import Kiosk, edit_one_article
from tests.admin_sync.sync.simulator import SimulatedServer, served_over_http


def http_update(kiosk: Kiosk, sim: SimulatedServer, url: str, fetcher: SessionFetcher):
    return check_for_update(
        server_url=url,
        trusted_root=sim.provisioned_root,
        state_dir=kiosk.state_dir,
        fetcher=fetcher,
        installer=kiosk.installer,
    )


def new_fetcher(session: requests.Session) -> SessionFetcher:
    return SessionFetcher(session, connect_timeout=5, read_timeout=5, max_seconds=30)


@pytest.mark.parametrize("what", ["timestamp", "changed part"])
def test_endless_response_is_cut_at_the_expected_length(
    sim, kiosk, sample_content, sample_parts, sync_log, what
):
    sim.publish(sample_parts)
    parts = split_parts(edit_one_article(sample_content, "Endless test edit.")[0])
    with requests.Session() as session, served_over_http(sim, endless=set()) as url:
        assert http_update(kiosk, sim, url, new_fetcher(session)).outcome == "installed"
    sim.publish(parts)
    if what == "timestamp":
        path = sim.metadata_path("timestamp.json")
        limit = UPDATER_CONFIG.timestamp_max_length
    else:
        name = next(n for n in parts if sample_parts.get(n) != parts[n])
        path = sim.target_path(part_target(name), parts[name])
        limit = len(parts[name])
    with requests.Session() as session, served_over_http(sim, endless={path}) as url:
        fetcher = new_fetcher(session)
        report = http_update(kiosk, sim, url, fetcher)
    assert report.outcome == "refused"
    assert kiosk.installed_version() == 1
    # everything else is small; the endless file cost at most its limit plus one chunk
    assert fetcher.bytes_received < limit + CHUNK_SIZE + 64_000
    messages = [r.getMessage() for r in sync_log.records]
    assert any("more data than the signed metadata allows" in m for m in messages), messages


def test_unreachable_server_is_a_failure_not_a_refusal(sim, kiosk, sync_log):
    with requests.Session() as session, served_over_http(sim, endless=set()) as url:
        pass  # the port is closed again: nothing listens there now
    report = http_update(kiosk, sim, url, new_fetcher(session))
    assert report.outcome == "failed"
    assert kiosk.installed_version() is None
    assert any("cannot download from the server" in r.getMessage() for r in sync_log.records)
