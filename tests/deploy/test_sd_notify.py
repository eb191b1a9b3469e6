"""The systemd notify helper against a real AF_UNIX datagram socket standing in for systemd."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from content.sd_notify import Watchdog, notify

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def notify_socket(tmp_path: Path) -> Iterator[tuple[socket.socket, str]]:
    path = str(tmp_path / "notify")
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(path)
    try:
        yield sock, path
    finally:
        sock.close()


def receive(sock: socket.socket, timeout: float = 10.0) -> str:
    sock.settimeout(timeout)
    return sock.recv(4096).decode()


def test_notify_sends_the_state_to_a_path_socket(notify_socket):
    sock, path = notify_socket
    assert notify("READY=1\nSTATUS=up", path) is True
    assert receive(sock) == "READY=1\nSTATUS=up"


def test_notify_reads_notify_socket_from_the_environment(notify_socket, monkeypatch):
    sock, path = notify_socket
    monkeypatch.setenv("NOTIFY_SOCKET", path)
    assert notify("STOPPING=1") is True
    assert receive(sock) == "STOPPING=1"


def test_notify_supports_abstract_sockets():
    name = f"safe-airports-test-{os.getpid()}-{time.monotonic_ns()}"
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
        sock.bind(b"\0" + name.encode())
        assert notify("WATCHDOG=1", "@" + name) is True
        assert receive(sock) == "WATCHDOG=1"


def test_notify_is_a_no_op_outside_systemd(monkeypatch):
    monkeypatch.delenv("NOTIFY_SOCKET", raising=False)
    assert notify("READY=1") is False


def test_notify_refuses_a_relative_socket_path():
    with pytest.raises(ValueError, match="absolute path"):
        notify("READY=1", "relative/notify")


def test_notify_reports_failure_when_nobody_listens(tmp_path):
    assert notify("READY=1", str(tmp_path / "nobody-here")) is False


def test_watchdog_interval_is_half_the_timeout(notify_socket):
    sock, path = notify_socket
    wd = Watchdog({"NOTIFY_SOCKET": path, "WATCHDOG_USEC": "30000000"}, pid=1234)
    assert wd.enabled
    assert wd.interval_seconds == 15.0
    assert wd.interval_ms == 15000
    assert wd.ping() is True
    assert receive(sock) == "WATCHDOG=1"


def test_watchdog_for_our_pid_is_enabled_for_another_pid_is_not(notify_socket):
    _, path = notify_socket
    env = {"NOTIFY_SOCKET": path, "WATCHDOG_USEC": "4000000", "WATCHDOG_PID": "77"}
    assert Watchdog(env, pid=77).enabled
    theirs = Watchdog(env, pid=78)
    assert not theirs.enabled
    assert theirs.interval_ms == 0
    assert theirs.ping() is False


def test_watchdog_without_systemd_is_a_no_op():
    wd = Watchdog({})
    assert not wd.enabled
    assert wd.interval_seconds is None
    assert wd.interval_ms == 0
    assert (wd.ping(), wd.ready(), wd.stopping()) == (False, False, False)


def test_ready_and_stopping_work_without_a_watchdog(notify_socket):
    sock, path = notify_socket
    wd = Watchdog({"NOTIFY_SOCKET": path})
    assert not wd.enabled
    assert wd.ready("content v42") is True
    assert receive(sock) == "READY=1\nSTATUS=content v42"
    assert wd.stopping() is True
    assert receive(sock) == "STOPPING=1"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"WATCHDOG_USEC": "soon"}, "WATCHDOG_USEC='soon' is not a whole number"),
        ({"WATCHDOG_USEC": "0"}, "must be a positive"),
        ({"WATCHDOG_USEC": "5", "WATCHDOG_PID": "me"}, "WATCHDOG_PID='me' is not a process id"),
        ({"NOTIFY_SOCKET": "vsock:2:1234"}, "is not supported"),
    ],
)
def test_bad_environment_gets_a_clear_error(env, message):
    with pytest.raises(ValueError, match=message):
        Watchdog(env)


def test_a_blocked_qt_event_loop_stops_pinging_within_the_interval(notify_socket):
    """A kiosk-like Qt process pings from a QTimer; once its loop blocks, pings stop.

    The watchdog timeout is 2 s, so the process pings every 1 s. After 3 pings it blocks its
    own event loop. Every gap between pings must stay under the timeout (systemd would not
    restart a healthy process), and after the block no ping may arrive for 1.5 timeouts
    (systemd would restart the frozen one), while the process is still alive.
    """
    sock, path = notify_socket
    timeout_s = 2.0
    env = dict(os.environ)
    env.pop("WATCHDOG_PID", None)
    env.update(
        NOTIFY_SOCKET=path,
        WATCHDOG_USEC=str(int(timeout_s * 1_000_000)),
        QT_QPA_PLATFORM="offscreen",
    )
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.deploy.blocking_pinger", "3"],
        cwd=REPO,
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert receive(sock, timeout=60) == "READY=1"
        ping_times: list[float] = []
        while True:
            message = receive(sock, timeout=timeout_s)  # a late ping fails here
            if message == "WATCHDOG=1":
                ping_times.append(time.monotonic())
            else:
                assert message == "STATUS=blocking the event loop"
                break
        assert len(ping_times) == 3
        gaps = [b - a for a, b in zip(ping_times, ping_times[1:], strict=False)]
        assert all(gap < timeout_s for gap in gaps), gaps
        sock.settimeout(timeout_s * 1.5)
        with pytest.raises(TimeoutError):
            late = sock.recv(4096)
            pytest.fail(f"a blocked event loop still notified systemd: {late!r}")
        assert child.poll() is None, "the pinger exited instead of blocking"
    finally:
        child.kill()
        _, stderr = child.communicate(timeout=30)
    assert "watchdog not enabled" not in stderr


def test_the_real_kiosk_app_reports_ready_then_pings_from_its_loop(notify_socket, tmp_path):
    """`safe-airports kiosk` as the unit runs it (offscreen here): READY=1 once the window is
    up, then WATCHDOG=1 every half timeout, from the app's own Qt event loop."""
    sock, path = notify_socket
    config = tmp_path / "kiosk.toml"
    config.write_text(
        f'airport = "TAS"\nkiosk_id = "tas-watchdog"\ncontent_dir = "{tmp_path / "content"}"\n'
        f'usage_file = "{tmp_path / "usage.sqlite"}"\n'
        f'fallback_cache_dir = "{tmp_path / "fallback"}"\n'
    )
    timeout_s = 2.0
    env = dict(os.environ)
    env.update(
        NOTIFY_SOCKET=path,
        WATCHDOG_USEC=str(int(timeout_s * 1_000_000)),
        QT_QPA_PLATFORM="offscreen",
    )
    app = subprocess.Popen(
        [sys.executable, "-m", "safe_airports_cli", "kiosk", "--config", str(config)],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        ready = receive(sock, timeout=120).split("\n")
        assert ready[0] == "READY=1" and all(line.startswith("STATUS=") for line in ready[1:])
        times = []
        for _ in range(3):
            assert receive(sock, timeout=timeout_s) == "WATCHDOG=1"
            times.append(time.monotonic())
        assert all(b - a < timeout_s for a, b in zip(times, times[1:], strict=False))
    finally:
        app.kill()
        app.communicate(timeout=30)


def test_the_real_sync_agent_reports_ready_and_pings_while_it_waits(notify_socket, tmp_path):
    """`safe-airports sync` with a server that does not answer: it backs off for 30 s and more,
    and must keep pinging all the while (the unit has Type=notify and WatchdogSec)."""
    sock, path = notify_socket
    provisioning = tmp_path / "provisioning.json"
    for args in (
        ["init-keys", "--data", str(tmp_path / "server"), "--root-key", str(tmp_path / "root.pem")],
        [
            "add-kiosk", "--airport", "TAS", "--name", "TAS-WD", "--data", str(tmp_path / "server"),
            "--server-url", "http://127.0.0.1:9", "--out", str(provisioning),  # nothing answers
        ],
    ):  # fmt: skip
        done = subprocess.run(
            [sys.executable, "-m", "safe_airports_cli", "admin", *args],
            cwd=REPO, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
    kiosk_id = json.loads(provisioning.read_text())["kiosk_id"]
    config = tmp_path / "kiosk.toml"
    config.write_text(
        f'kiosk_id = "{kiosk_id}"\ncontent_dir = "{tmp_path / "content"}"\n'
        f'usage_file = "{tmp_path / "usage.sqlite"}"\n[sync]\n'
        f'provisioning_file = "{provisioning}"\nstate_dir = "{tmp_path / "sync"}"\n'
    )
    timeout_s = 2.0
    env = dict(os.environ, NOTIFY_SOCKET=path, WATCHDOG_USEC=str(int(timeout_s * 1_000_000)))
    agent = subprocess.Popen(
        [sys.executable, "-m", "safe_airports_cli", "sync", "--config", str(config)],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        messages = []
        while "READY=1" not in messages:
            messages += receive(sock, timeout=60).split("\n")
        for _ in range(4):
            assert "WATCHDOG=1" in receive(sock, timeout=timeout_s).split("\n")
    finally:
        agent.kill()
        agent.communicate(timeout=30)
