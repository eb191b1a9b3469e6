"""Small pieces of the agent and of provisioning, each on its own: the instance lock (also
after kill -9), the part cache, provisioning files and what the server stores of a token."""

from __future__ import annotations

import json
import os
import signal
import stat
from pathlib import Path

import pytest

import safe_airports_cli
from admin_sync.agent.lock import AlreadyRunning, InstanceLock
from admin_sync.agent.part_cache import PartCache
from admin_sync.protocol import ProtocolError, Provisioning, ReleaseManifest


def test_lock_refuses_a_second_holder_and_is_freed_by_kill_9(tmp_path):
    path = tmp_path / "sync.lock"
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # a child holds the lock until it is killed
        try:
            InstanceLock(path).acquire()
            os.write(write_fd, b"x")
            signal.pause()
        finally:
            os._exit(0)
    try:
        assert os.read(read_fd, 1) == b"x"
        with pytest.raises(AlreadyRunning, match=f"pid {pid}"):
            InstanceLock(path).acquire()
    finally:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(read_fd)
        os.close(write_fd)
    with InstanceLock(path):  # the kernel released it with the dead process
        assert path.read_text().strip() == str(os.getpid())


def test_part_cache_drops_damaged_files(tmp_path):
    import hashlib

    cache = PartCache(tmp_path / "parts")
    data = b'{"part": 1}'
    sha = hashlib.sha256(data).hexdigest()
    cache.put(sha, data)
    assert cache.get(sha) == data
    cache.path(sha).write_bytes(b'{"part": 2}')  # bit rot or tampering on the kiosk's disk
    assert cache.get(sha) is None and not cache.path(sha).exists()
    with pytest.raises(ValueError):
        cache.put(sha, b"other bytes")
    with pytest.raises(ValueError):
        cache.path("../../etc/passwd")


def test_manifest_errors_say_what_is_wrong():
    good = ReleaseManifest.from_bytes(
        json.dumps(
            {
                "format": 1,
                "content_version": 4,
                "parts": {"shared.json": {"length": 1, "sha256": "a" * 64}},
            }  # fmt: skip
        ).encode()
    )
    assert good.content_version == 4 and good.total_bytes() == 1
    cases = {
        b"[]": "expected a JSON object",
        b'{"format": 2}': "format 2 not understood",
        b'{"format": 1, "content_version": 0, "parts": {}}': "positive integer",
        b'{"format": 1, "content_version": 1, "parts": {"../x": {}}}': "not a safe relative path",
    }
    for raw, message in cases.items():
        with pytest.raises(ProtocolError, match=message):
            ReleaseManifest.from_bytes(raw)


def test_add_kiosk_writes_a_private_provisioning_file_and_stores_only_a_hash(tmp_path, capsys):
    data = tmp_path / "data"
    main = safe_airports_cli.main
    assert main(["admin", "init-keys", "--data", str(data), "--root-key", str(tmp_path / "r")]) == 0
    out = tmp_path / "tas.json"
    args = ["admin", "add-kiosk", "--airport", "TAS", "--name", "TAS-T2-01", "--data", str(data)]
    assert main([*args, "--server-url", "https://u.example/", "--out", str(out)]) == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    prov = Provisioning.from_bytes(out.read_bytes())
    assert prov.server_url == "https://u.example" and prov.airport == "TAS"
    assert prov.trusted_root["signed"]["_type"] == "root" and len(prov.token) > 40
    db_bytes = b"".join(p.read_bytes() for p in data.glob("server.db*"))
    assert prov.token.encode() not in db_bytes  # only its sha256 is kept
    capsys.readouterr()
    assert main([*args, "--server-url", "https://u.example", "--out", str(out)]) == 1
    assert "already exists" in capsys.readouterr().err
    bad = ["admin", "add-kiosk", "--airport", "tashkent", "--name", "X", "--data", str(data)]
    assert main([*bad, "--server-url", "https://u", "--out", str(tmp_path / "x.json")]) == 1
    assert "3-letter IATA code" in capsys.readouterr().err


def test_provisioning_file_errors_are_clear(tmp_path: Path):
    with pytest.raises(ProtocolError, match="prov.json: not JSON"):
        Provisioning.from_bytes(b"{", where="prov.json")
    with pytest.raises(ProtocolError, match="token is missing"):
        Provisioning.from_bytes(
            json.dumps(
                {
                    "format": 1,
                    "server_url": "u",
                    "kiosk_id": "k",
                    "airport": "TAS",
                    "name": "n",
                    "trusted_root": {},
                }
            ).encode()  # fmt: skip
        )


def test_watchdog_pings_only_while_the_agent_makes_progress(tmp_path):
    import socket

    from admin_sync.agent.liveness import Liveness
    from content.sd_notify import Watchdog

    path = str(tmp_path / "notify.sock")
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(path)
    sock.settimeout(5)
    now = [0.0]
    watchdog = Watchdog({"NOTIFY_SOCKET": path, "WATCHDOG_USEC": "100000"})  # ping every 0.05 s
    liveness = Liveness(watchdog, stall_seconds=10, monotonic=lambda: now[0])
    try:
        liveness.ready("testing")
        assert sock.recv(4096).decode().startswith("READY=1")
        assert sock.recv(4096) == b"WATCHDOG=1"
        now[0] = 11.0  # no mark for longer than stall_seconds: the agent is stuck
        sock.settimeout(0.5)
        received = []
        try:
            while True:
                received.append(sock.recv(4096))
        except TimeoutError:
            pass
        assert len(received) <= 1  # at most one ping already in flight, then silence
        liveness.mark()  # progress again: pings resume
        sock.settimeout(5)
        assert sock.recv(4096) == b"WATCHDOG=1"
    finally:
        liveness.stopping("done")
        sock.close()
