"""Remote commands on the server (ASGI, a test clock): asked on the kiosk page by role, handed
out with heartbeats until done or expired, answers recorded and audited, screenshots checked
(the end-to-end test with real processes is tests/e2e/test_kiosk_commands.py)."""

from __future__ import annotations

import re
import struct
import zlib

import pytest

from admin_sync.datadir import DataDir
from admin_sync.server.registry import add_kiosk
from tests.admin_sync.console_env import VIEWER, ConsoleEnv


@pytest.fixture
def env(tmp_path) -> ConsoleEnv:
    env = ConsoleEnv(tmp_path)
    env.sign_in()
    return env


def ask(env: ConsoleEnv, kind: str, kiosk_id: str | None = None):
    page = f"/console/kiosks/{kiosk_id or env.kiosk.id}"
    csrf = env.csrf(env.client.get(page).text)
    return env.client.post(f"{page}/command", data={"csrf": csrf, "kind": kind})


def png(width: int, height: int) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body)
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    raw = b"".join(b"\x00" + b"\x00\x00\x00" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw))
            + chunk(b"IEND", b""))  # fmt: skip


def upload(env: ConsoleEnv, command: int, body: bytes, token: str | None = None):
    return env.client.put(
        f"/api/v1/commands/{command}/screenshot",
        content=body,
        headers={
            "Authorization": f"Bearer {token or env.kiosk_token}",
            "Content-Type": "image/png",
        },  # fmt: skip
    )


def test_a_command_is_handed_out_until_answered_and_never_after_its_expiry(env) -> None:
    answer = ask(env, "screenshot")
    assert answer.status_code == 200 and "waits for the kiosk" in answer.text
    command = int(re.search(r"Command (\d+) \(", answer.text).group(1))
    first = env.heartbeat().json()["commands"]
    assert [(c["id"], c["kind"]) for c in first] == [(command, "screenshot")]
    # "busy" keeps it open: handed out again, the page says why it waits
    busy = {"id": command, "status": "busy", "detail": "in a session"}
    again = env.heartbeat(command_results=[busy])
    assert [c["id"] for c in again.json()["commands"]] == [command]
    assert "in a session" in env.client.get(f"/console/kiosks/{env.kiosk.id}").text

    # another kiosk cannot answer it, nor upload its screenshot
    other, other_token = add_kiosk(env.app.state.db, airport="TAS", name="TAS-T2-02")
    body = {"kiosk_id": other.id, "app_version": "0.1.0", "uptime_seconds": 1,
            "command_results": [{"id": command, "status": "done"}]}  # fmt: skip
    headers = {"Authorization": f"Bearer {other_token}"}
    assert env.client.post("/api/v1/heartbeat", json=body, headers=headers).json()["commands"] == []
    assert upload(env, command, png(4, 8), other_token).status_code == 409
    assert upload(env, command, b"not a picture", None).status_code == 400

    env.clock.advance(minutes=16)  # past the console's 15 minutes
    assert env.heartbeat().json()["commands"] == []
    assert upload(env, command, png(4, 8)).status_code == 409  # expired: no picture taken
    late = env.heartbeat(command_results=[{"id": command, "status": "done", "detail": "tardy"}])
    assert late.status_code == 200
    page = env.client.get(f"/console/kiosks/{env.kiosk.id}").text
    assert "expired" in page and "tardy" not in page and "No screenshot yet." in page


def test_a_screenshot_is_stored_served_to_the_signed_in_and_audited(env) -> None:
    command = int(re.search(r"Command (\d+) \(", ask(env, "screenshot").text).group(1))
    env.heartbeat()
    stored = upload(env, command, png(9, 16))
    assert stored.status_code == 201, stored.text
    served = env.client.get(f"/console/commands/{command}/screenshot.png")
    assert served.status_code == 200 and served.content == png(9, 16)
    assert served.headers["cache-control"] == "no-store"
    assert (
        env.new_client()
        .get(f"/console/commands/{command}/screenshot.png", follow_redirects=False)
        .status_code
        == 303
    )
    assert env.heartbeat().json()["commands"] == []  # done
    audit = DataDir(env.data).audit_log().entries()
    assert [(e.action, e.via) for e in audit][:2] == [("command-result", "kiosk"),
                                                      ("command", "console")]  # fmt: skip


def test_roles_unknown_commands_and_the_open_limit(env) -> None:
    viewer = env.new_client()
    env.sign_in(VIEWER, viewer)
    page = f"/console/kiosks/{env.kiosk.id}"
    csrf = env.csrf(viewer.get(page).text)
    for kind, status in (("screenshot", 403), ("restart", 403), ("sync", 200)):
        answer = viewer.post(f"{page}/command", data={"csrf": csrf, "kind": kind})
        assert answer.status_code == status, (kind, answer.text)
    refused = DataDir(env.data).audit_log().entries()
    assert sorted(e.item.split(" ")[0] for e in refused if e.action == "command-refused") == [
        "restart",
        "screenshot",
    ]
    assert ask(env, "format-disk").status_code == 400
    assert ask(env, "sync", "tas-00000000").status_code == 404
    assert viewer.post(f"{page}/command", data={"kind": "sync"}).status_code == 403  # no CSRF
    for _ in range(9):
        assert ask(env, "sync").status_code == 200
    assert ask(env, "sync").status_code == 409  # ten open already


def test_only_the_newest_screenshots_of_a_kiosk_are_kept(env) -> None:
    from admin_sync.server.commands_db import KEEP_SCREENSHOTS

    taken = []
    for _ in range(KEEP_SCREENSHOTS + 2):
        command = int(re.search(r"Command (\d+) \(", ask(env, "screenshot").text).group(1))
        assert upload(env, command, png(2, 2)).status_code == 201
        taken.append(command)
    folder = env.data / "screenshots"
    assert sorted(int(p.stem) for p in folder.iterdir()) == taken[-KEEP_SCREENSHOTS:]
    assert env.client.get(f"/console/commands/{taken[0]}/screenshot.png").status_code == 404
