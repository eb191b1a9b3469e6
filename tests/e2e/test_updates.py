"""End to end across real processes on 127.0.0.1: server, publishing, provisioning, the agent,
the kiosk's content switch at a session reset, and the agent backing off while the server is
down."""

from __future__ import annotations

import json
import shutil
import signal
from pathlib import Path

import pytest

from admin_sync.datadir import DataDir
from content.installed import InstalledStore
from kiosk.content_loader import INSTALLED, ContentSource
from tests.admin_sync.sync.kiosk_under_test import SAMPLE_DIR
from tests.admin_sync.sync.processes import KioskDisk, admin, wait_until
from tests.e2e.server_process import ServerProcess, init_data

pytestmark = pytest.mark.e2e

EDITED_ARTICLE = Path("articles/RU/entry-registration/en.md")
NEW_SENTENCE = "The registration office in Moscow now also opens on Saturdays."


def article_text(cache, scope: str, topic: str, lang: str) -> str:
    view = cache.article(scope, topic, lang)
    return "\n".join(
        b.text + " ".join(b.items) for section in view.sections for b in section.blocks
    )


def test_publish_provision_update_edit_and_outage(tmp_path: Path) -> None:
    data = init_data(tmp_path)
    server = ServerProcess(data)
    server.start()
    try:
        # publish the sample, provision a kiosk, run the agent once: content installed
        admin("publish", str(SAMPLE_DIR), "--data", str(data))
        kiosk = KioskDisk(
            tmp_path / "kiosk",
            data,
            server.url,
            "TAS-T2-01",
            interval_seconds=0.5,
            backoff_initial_seconds=0.3,
            backoff_max_seconds=1.0,
        )
        first = kiosk.sync_once()
        assert first.returncode == 0, first.stderr
        assert "installed content version 1" in first.stderr
        store = InstalledStore(kiosk.content_dir)
        assert store.installed_version() == 1

        # the kiosk app shows it (its Qt-free content source, as at start-up)
        source = ContentSource(kiosk.content_dir, tmp_path / "fallback", "TAS")
        shown = source.open()
        assert shown.origin == INSTALLED and shown.cache.content_version == 1
        assert NEW_SENTENCE not in article_text(shown.cache, "RU", "entry-registration", "en")

        # the server recorded the heartbeat
        with DataDir(data).database().connect() as conn:
            row = conn.execute(
                "SELECT content_version FROM heartbeats WHERE kiosk_id = ?", (kiosk.kiosk_id,)
            ).fetchone()
        assert row is not None and row["content_version"] == 1

        # an administrator edits one article and publishes
        edited = tmp_path / "edited"
        shutil.copytree(SAMPLE_DIR, edited)
        path = edited / EDITED_ARTICLE
        path.write_text(path.read_text(encoding="utf-8") + f"\n{NEW_SENTENCE}\n", "utf-8")
        admin("publish", str(edited), "--data", str(data))
        v1 = DataDir(data).load_release(1)
        v2 = DataDir(data).load_release(2)
        changed = {n for n in v2.parts if v1.parts.get(n) != v2.parts[n]}
        assert changed == {"articles/RU/en.json"}

        second = kiosk.sync_once()
        assert second.returncode == 0, second.stderr
        cycle = kiosk.state()["last_cycle"]
        assert cycle["outcome"] == "installed" and cycle["installed_version"] == 2
        # only the changed part was downloaded; everything fetched is a small share
        assert cycle["parts_downloaded"] == 1
        assert cycle["part_bytes_downloaded"] == v2.parts["articles/RU/en.json"].length
        assert cycle["bytes_fetched"] < 0.25 * v2.total_bytes(), cycle
        assert "part articles/RU/en.json changed" in second.stderr

        # the kiosk switches only at a session reset, and then shows the new text
        assert shown.cache.content_version == 1  # the running session is untouched
        assert source.maybe_switch() is True
        now = source.current
        assert now.cache.content_version == 2
        assert NEW_SENTENCE in article_text(now.cache, "RU", "entry-registration", "en")
        now.cache.close()

        # the server goes away: the long-running agent backs off, the content stays
        agent = kiosk.start_agent()
        try:
            wait_until(
                lambda: kiosk.state().get("totals", {}).get("cycles", 0) >= 3,
                60,
                "the running agent's first cycle",
            )
            server.stop()
            wait_until(
                lambda: kiosk.state().get("consecutive_failures", 0) >= 2,
                60,
                "the agent to notice the server is down",
            )
            assert "backing off" in kiosk.log_text()
            assert store.installed_version() == 2
            # the server returns: the next cycle succeeds
            admin("publish", str(SAMPLE_DIR), "--data", str(data))  # v3 while it was away
            server.start()
            wait_until(
                lambda: (
                    kiosk.state().get("installed_version") == 3
                    and kiosk.state().get("consecutive_failures") == 0
                ),
                60,
                "the agent to recover and install version 3",
            )
        finally:
            agent.send_signal(signal.SIGTERM)
            assert agent.wait(timeout=30) == 0
        assert "sync agent stopped" in kiosk.log_text()
    finally:
        server.stop()
    # the server logged structured JSON lines, one per request among them
    entries = [json.loads(line) for line in server.log_path.read_text().splitlines() if line]
    assert any(e.get("path") == "/api/v1/heartbeat" and e.get("status") == 200 for e in entries)
    assert all({"time", "level", "logger", "message"} <= e.keys() for e in entries)
    # written by a thread of their own (server/logs.py), and still all there after SIGTERM
    assert entries[-1]["message"].startswith("Finished server process"), entries[-1]


def test_second_agent_instance_is_refused(tmp_path: Path) -> None:
    data = init_data(tmp_path)
    server = ServerProcess(data)
    server.start()
    try:
        kiosk = KioskDisk(tmp_path / "kiosk", data, server.url, "TAS-T1-09", interval_seconds=600.0)
        agent = kiosk.start_agent()
        try:
            wait_until(lambda: kiosk.state().get("last_cycle_at"), 60, "the first agent's cycle")
            second = kiosk.sync_once()
            assert second.returncode == 3
            assert "another sync agent is running" in second.stderr
        finally:
            agent.send_signal(signal.SIGTERM)
            agent.wait(timeout=30)
    finally:
        server.stop()
