"""The heartbeat's newer fields (refused statistics batches) are compatible both ways."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
import requests

from admin_sync.agent.heartbeat import send_heartbeat
from admin_sync.protocol import HEARTBEAT_EXTENSIONS, Heartbeat
from admin_sync.server.kiosk_api import HeartbeatIn

FIRST_VERSION_FIELDS = {
    "kiosk_id",
    "app_version",
    "content_version",
    "uptime_seconds",
    "free_disk_bytes",
    "last_error",
}


class OldServer:
    """Answers heartbeats as a server from before the extensions did: 422 on unknown fields."""

    def __init__(self) -> None:
        self.bodies: list[dict[str, Any]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_POST(self) -> None:  # noqa: N802
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                outer.bodies.append(body)
                unknown = sorted(set(body) - FIRST_VERSION_FIELDS)
                status, answer = (
                    (422, {"detail": f"extra fields {unknown}"})
                    if unknown
                    else (
                        200,
                        {"ok": True},
                    )
                )
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()


@pytest.fixture
def old_server() -> Iterator[OldServer]:
    server = OldServer()
    yield server
    server.httpd.shutdown()
    server.httpd.server_close()


def _beat(**extra: Any) -> Heartbeat:
    return Heartbeat("tas-01", "1.0", 3, 60, 10**9, **extra)


def test_a_healthy_kiosk_sends_the_first_versions_heartbeat() -> None:
    assert set(_beat().to_dict()) == FIRST_VERSION_FIELDS
    assert not _beat().has_extensions()


STATS_FIELDS = {"stats_rejected", "stats_rejected_reason"}


def test_refused_batches_travel_and_an_old_server_still_gets_the_rest(old_server) -> None:
    beat = _beat(last_error="statistics: refused", stats_rejected=2, stats_rejected_reason="k")
    assert set(HEARTBEAT_EXTENSIONS) >= STATS_FIELDS
    assert set(beat.to_dict()) == FIRST_VERSION_FIELDS | STATS_FIELDS
    problem = send_heartbeat(
        requests.Session(), server_url=old_server.url, token="t", beat=beat, timeout=(5, 5)
    )
    assert problem is None
    assert [set(b) for b in old_server.bodies] == [
        FIRST_VERSION_FIELDS | STATS_FIELDS,
        FIRST_VERSION_FIELDS,
    ]
    assert old_server.bodies[1]["last_error"] == "statistics: refused"


def test_the_server_reads_both_versions() -> None:
    old = HeartbeatIn.model_validate(_beat().to_dict())
    assert old.stats_rejected == 0 and old.stats_rejected_reason is None
    new = HeartbeatIn.model_validate(
        _beat(stats_rejected=3, stats_rejected_reason="HTTP 422: k").to_dict()
    )
    assert new.stats_rejected == 3 and new.stats_rejected_reason == "HTTP 422: k"


def test_the_notices_serial_and_command_results_travel_and_the_server_reads_them() -> None:
    results = ({"id": 4, "status": "busy", "detail": "in a session"},)
    beat = _beat(notices_serial=7, command_results=results)
    body = beat.to_dict()
    assert set(body) == FIRST_VERSION_FIELDS | {"notices_serial", "command_results"}
    assert beat.has_extensions() and set(beat.to_dict(extensions=False)) == FIRST_VERSION_FIELDS
    read = HeartbeatIn.model_validate(body)
    assert read.notices_serial == 7
    got = [(r.id, r.status, r.detail) for r in read.command_results]
    assert got == [(4, "busy", "in a session")]
