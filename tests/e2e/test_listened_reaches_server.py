"""The "listened" counter (issue 13), end to end: the kiosk's usage file -> the agent's outbox
(small-cell rule) -> a real server process -> its statistics database. (The kiosk writing it
when a listen button is tapped: tests/kiosk/test_audio_playback.py.)"""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta

import pytest
import requests

from admin_sync.agent.stats_outbox import OutboxSettings, StatsOutbox
from admin_sync.server.db import Database
from admin_sync.server.registry import add_kiosk
from kiosk.usage_store import UsageStore
from tests.e2e.server_process import ServerProcess, init_data

pytestmark = pytest.mark.e2e


def test_listened_counts_reach_the_server_per_screen_kind_and_language(tmp_path) -> None:
    data = init_data(tmp_path)
    db = Database(data / "server.db")
    db.migrate()
    kiosk, token = add_kiosk(db, airport="FRU", name="FRU-01")
    server = ServerProcess(data)
    server.start()
    try:
        now = datetime.now().replace(minute=30, second=0, microsecond=0)
        earlier = now - timedelta(hours=6)
        usage = UsageStore(tmp_path / "usage.db")
        usage.increment_many(
            [
                ("listened", "help:ky", earlier, 7),
                ("listened", "article:ru", earlier, 5),
                ("session", "start", earlier, 9),
            ]
        )
        now_clock = lambda: now  # noqa: E731
        outbox = StatsOutbox(
            tmp_path / "outbox.db",
            kiosk_id=kiosk.id,
            settings=OutboxSettings(),
            clock=now_clock,
        )
        outbox.seal_and_upload(
            requests.Session(), counters=usage, server_url=server.url, token=token
        )
        assert outbox.status()["stats_pending"] == 0
        with sqlite3.connect(data / "stats.db") as conn:
            listened = dict(
                conn.execute(
                    "SELECT value, sum(count) FROM counts WHERE metric = 'listened' GROUP BY 1"
                )
            )
        assert listened == {"help:ky": 7, "article:ru": 5}
    finally:
        server.stop()
