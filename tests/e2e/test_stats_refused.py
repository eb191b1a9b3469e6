"""A statistics batch the server refuses is not lost silently (issue 9, item 5).

Real processes: `safe-airports server` on 127.0.0.1 and `safe-airports sync --once` (the agent).
The kiosk was offline for over a year, so one sealed batch is about a day the server no longer
accepts (422). It must stay in the kiosk's outbox with the server's reason, not be resent each
cycle, travel in every heartbeat while it is kept, and appear on the console's fleet page.
"""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import requests

from kiosk.usage_store import UsageStore
from tests.e2e.server_process import ServerProcess, init_data

pytestmark = pytest.mark.e2e

_CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def _cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "safe_airports_cli", *args],
        capture_output=True,
        text=True,
        timeout=120,
        input=stdin,
    )


def _outbox_rows(path: Path) -> list[tuple[str, str, str | None]]:
    with sqlite3.connect(path) as conn:
        return list(conn.execute("SELECT day, state, last_error FROM batches ORDER BY day"))


def test_a_refused_batch_is_kept_reported_and_shown(tmp_path: Path) -> None:
    data = init_data(tmp_path)
    server = ServerProcess(data)
    provisioning = tmp_path / "provisioning.json"
    added = _cli(
        "admin", "add-kiosk", "--data", str(data), "--airport", "TAS", "--name", "TAS-09",
        "--server-url", server.url, "--out", str(provisioning),
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    kiosk_id = json.loads(provisioning.read_text())["kiosk_id"]
    user = _cli(
        "admin", "add-user", "viewer1", "--data", str(data), "--role", "viewer",
        "--password-stdin", stdin="a long enough passphrase\n",
    )  # fmt: skip
    assert user.returncode == 0, user.stderr
    config = tmp_path / "kiosk.toml"
    config.write_text(
        'airport = "TAS"\ncontent_dir = "content"\nusage_file = "usage.db"\n'
        '[sync]\nprovisioning_file = "provisioning.json"\nstate_dir = "state"\n'
    )
    now = datetime.now()
    usage = UsageStore(tmp_path / "usage.db")
    usage.increment_many(
        [
            ("session", "start", now - timedelta(days=500), 9),  # too old for the server
            ("session", "start", now - timedelta(days=1), 7),
        ]
    )
    outbox = tmp_path / "state" / "stats-outbox.db"
    server.start()
    try:
        first = _cli("sync", "--config", str(config), "--once")
        state = json.loads((tmp_path / "state" / "state.json").read_text())
        assert state["stats"]["stats_rejected"] == 1, first.stderr
        assert "older than 400 days" in state["stats"]["stats_rejected_reason"]
        old_day = (now - timedelta(days=500)).date().isoformat()
        rows = _outbox_rows(outbox)
        assert [(day, st) for day, st, _ in rows] == [
            (old_day, "rejected"),
            ((now - timedelta(days=1)).date().isoformat(), "sent"),
        ]
        assert "HTTP 422" in (rows[0][2] or "") and "older than 400 days" in (rows[0][2] or "")

        second = _cli("sync", "--config", str(config), "--once")  # later cycle: not resent
        assert "server rejected statistics batch" not in second.stderr, second.stderr
        assert _outbox_rows(outbox)[0][1] == "rejected"
        with sqlite3.connect(data / "server.db") as conn:
            beat = conn.execute(
                "SELECT stats_rejected, stats_rejected_reason FROM heartbeats WHERE kiosk_id = ?",
                (kiosk_id,),
            ).fetchone()
        assert beat[0] == 1 and old_day in beat[1] and "older than 400 days" in beat[1]

        console = requests.Session()
        page = console.get(f"{server.url}/console/sign-in", timeout=10)
        signed = console.post(
            f"{server.url}/console/sign-in",
            data={
                "csrf": _CSRF.search(page.text).group(1),  # type: ignore[union-attr]
                "username": "viewer1",
                "password": "a long enough passphrase",
            },
            timeout=30,
        )
        assert signed.status_code == 200 and "Fleet" in signed.text
        fleet = console.get(f"{server.url}/console/fleet", timeout=10).text
        assert "1 statistics batch refused by the server, kept on the kiosk" in fleet
        assert "older than 400 days" in fleet and old_day in fleet
    finally:
        server.stop()
