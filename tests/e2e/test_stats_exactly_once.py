"""Exactly-once statistics: a real server process, lost responses and a kill -9 in the middle.

A proxy between the kiosk's outbox and the server forwards every upload but, for some, hangs
up before passing the answer back (the server stored the batch; the kiosk does not know).
Half-way the server is killed with SIGKILL and started again. At the end the server must hold
every sealed count exactly once.
"""

from __future__ import annotations

import random
import socket
import sqlite3
import threading
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests

from admin_sync.agent.stats_outbox import OutboxSettings, StatsOutbox
from admin_sync.server.db import Database
from admin_sync.server.registry import add_kiosk
from kiosk.usage_store import UsageStore
from tests.e2e.server_process import ServerProcess, init_data

pytestmark = pytest.mark.e2e


class LossyProxy:
    """Forwards PUTs to the server; hangs up instead of answering when `drop()` says so."""

    def __init__(self, upstream: str, drop) -> None:
        self.upstream = upstream
        self.drop = drop
        self.forwarded = 0
        self.dropped = 0
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def do_PUT(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                try:
                    upstream = requests.put(
                        proxy.upstream + self.path,
                        data=body,
                        headers={
                            "Authorization": self.headers["Authorization"],
                            "Content-Type": "application/json",
                        },
                        timeout=30,
                    )
                except requests.RequestException:
                    self.send_error(502, "upstream down")
                    return
                proxy.forwarded += 1
                if proxy.drop():
                    proxy.dropped += 1
                    self.connection.shutdown(socket.SHUT_RDWR)  # the answer is lost
                    self.close_connection = True
                    return
                self.send_response(upstream.status_code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(upstream.content)))
                self.end_headers()
                self.wfile.write(upstream.content)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def test_every_count_arrives_exactly_once(tmp_path) -> None:
    data = init_data(tmp_path)
    db = Database(data / "server.db")
    db.migrate()
    kiosk, token = add_kiosk(db, airport="TMJ", name="TMJ-01")
    server = ServerProcess(data)
    server.start()
    rng = random.Random(7)
    proxy = LossyProxy(server.url, drop=lambda: rng.random() < 0.4)
    try:
        # a week of counters, 4 parts a day, on the kiosk
        now = datetime.now().replace(minute=30, second=0, microsecond=0)
        usage = UsageStore(tmp_path / "usage.db")
        items = []
        for parts_back in range(1, 29):
            when = now - timedelta(hours=6 * parts_back)
            items += [
                ("session", "start", when, 5 + parts_back),
                ("language", "uz", when, 5 + parts_back % 4),
                ("topic", "warning-signs", when, 6),
                ("qr_shown", "tel", when, 2),  # under k: withheld
            ]
        usage.increment_many(items)
        clock = Clock(now)
        outbox = StatsOutbox(
            tmp_path / "outbox.db",
            kiosk_id=kiosk.id,
            settings=OutboxSettings(backoff_base_seconds=60, max_uploads_per_cycle=5),
            clock=clock,
        )
        outbox.seal(usage)
        sealed = {
            batch_id: sum(c["count"] for c in body["cells"] if c["metric"] == "session")
            for batch_id, body in outbox.pending_bodies()
        }
        assert len(sealed) == 28
        session = requests.Session()
        cycles = 0
        killed = restarted = False
        while outbox.status()["stats_pending"] and cycles < 200:
            cycles += 1
            clock.now += timedelta(hours=7)  # past any backoff
            outbox.seal_and_upload(session, counters=usage, server_url=proxy.url, token=token)
            if not killed and outbox.status()["stats_pending"] <= 14:
                server.kill()  # SIGKILL in the middle of the run
                killed = True
            elif killed and not restarted:
                # the kiosk tried while the server was down; now it comes back
                server.start()
                restarted = True
        assert killed and restarted
        assert outbox.status()["stats_pending"] == 0 and outbox.status()["stats_rejected"] == 0
        assert proxy.dropped > 3, "the test must really lose answers"
        with sqlite3.connect(data / "stats.db") as conn:
            stored = dict(conn.execute("SELECT batch_id, count(*) FROM batches GROUP BY 1"))
            total = conn.execute(
                "SELECT sum(count) FROM counts WHERE metric = 'session'"
            ).fetchone()[0]
            qr = conn.execute("SELECT count(*) FROM counts WHERE metric = 'qr_shown'").fetchone()
        assert set(stored) == set(sealed) and set(stored.values()) == {1}
        assert total == sum(sealed.values()) == sum(5 + b for b in range(1, 29))
        assert qr == (0,), "cells under k never reach the server"
        assert usage.cells() == []
        # the server answers a late duplicate with success and does not count it
        batch_id, body = next(iter(outbox._db.execute("SELECT batch_id, body FROM batches")))
        again = requests.put(
            f"{server.url}/api/v1/stats/{batch_id}",
            data=body,
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
            timeout=10,
        )
        assert again.status_code == 200 and again.json()["stored"] is False
        with sqlite3.connect(data / "stats.db") as conn:
            assert (
                conn.execute("SELECT sum(count) FROM counts WHERE metric = 'session'").fetchone()[0]
                == total
            )
    finally:
        proxy.close()
        server.stop()


def test_the_agent_seals_and_uploads_in_its_cycle(tmp_path) -> None:
    """`safe-airports sync --once` (a real agent process) carries the counters to the server."""
    import json
    import subprocess
    import sys

    data = init_data(tmp_path)
    server = ServerProcess(data)
    provisioning = tmp_path / "provisioning.json"
    added = subprocess.run(
        [
            sys.executable,
            "-m",
            "safe_airports_cli",
            "admin",
            "add-kiosk",
            "--data",
            str(data),
            "--airport",
            "NMA",
            "--name",
            "NMA-01",
            "--server-url",
            server.url,
            "--out",
            str(provisioning),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert added.returncode == 0, added.stderr
    kiosk_id = json.loads(provisioning.read_text())["kiosk_id"]
    (tmp_path / "kiosk.toml").write_text(
        'airport = "NMA"\ncontent_dir = "content"\nusage_file = "usage.db"\n'
        '[sync]\nprovisioning_file = "provisioning.json"\nstate_dir = "state"\nstats_k = 6\n'
    )
    yesterday = datetime.now() - timedelta(days=1)
    usage = UsageStore(tmp_path / "usage.db")
    usage.increment_many(
        [
            ("session", "start", yesterday, 14),
            ("language", "uz", yesterday, 8),
            ("language", "ru", yesterday, 3),
            ("language", "tk", yesterday, 2),
        ]
    )
    server.start()
    try:
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "safe_airports_cli",
                "sync",
                "--config",
                str(tmp_path / "kiosk.toml"),
                "--once",
            ],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        state = json.loads((tmp_path / "state" / "state.json").read_text())
        assert state["stats"]["sent_last_cycle"] == 1 and state["stats"]["stats_pending"] == 0
        with sqlite3.connect(data / "stats.db") as conn:
            rows = sorted(
                conn.execute("SELECT airport, kiosk_id, metric, value, count FROM counts")
            )
        assert rows == [
            # ru 3 + tk 2 = 5 < k=6 would be subtractable from the 13: only the total is sent
            ("NMA", kiosk_id, "language", "_suppressed", 13),
            ("NMA", kiosk_id, "session", "start", 14),
        ]
        assert usage.cells() == []
    finally:
        server.stop()
