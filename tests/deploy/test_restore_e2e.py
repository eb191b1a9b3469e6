"""A restore from a backup yields a server that kiosks sync from.

Real processes on 127.0.0.1 throughout: the admin CLI sets up a server data folder and
registers a kiosk, the server runs, the kiosk's sync agent (`safe-airports sync --once`) installs
content, deploy/server/backup.sh backs the live server up, the data folder is destroyed, the
backup is restored into a new folder, a new server process runs on it, a new release is published
with the restored online keys, and the same kiosk, with its configuration written by the
installer's configure.py, installs that release and is heard from by the restored server.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from content.installed import InstalledStore

pytestmark = pytest.mark.e2e

REPO = Path(__file__).resolve().parents[2]
FIXTURE = REPO / "tests" / "content" / "fixtures" / "minimal"


def cli(*args: str | Path, timeout: float = 180) -> subprocess.CompletedProcess:
    done = subprocess.run(
        [sys.executable, "-m", "safe_airports_cli", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=timeout,
    )
    assert done.returncode == 0, f"safe-airports {args[0]} {args[1]}: {done.stdout}{done.stderr}"
    return done


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def running_server(data: Path, port: int) -> Iterator[None]:
    process = subprocess.Popen(
        [sys.executable, "-m", "safe_airports_cli", "server", "--data", str(data),
         "--port", str(port)],
        cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, f"server exited with {process.returncode}"
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                assert time.monotonic() < deadline, "server did not listen within 60 s"
                time.sleep(0.05)
        yield
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def installer_config(provisioning: Path, kiosk_root: Path) -> Path:
    """kiosk.toml exactly as deploy/kiosk/configure.py writes it, its folders moved under tmp."""
    spec = importlib.util.spec_from_file_location(
        "deploy_kiosk_configure", REPO / "deploy" / "kiosk" / "configure.py"
    )
    assert spec and spec.loader
    configure = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(configure)
    data = configure.load_provisioning(provisioning, allow_http=True)
    airport = configure.airport_for(data, None, provisioning)
    text = configure.to_toml(
        configure.plan_kiosk_config(data, airport, "/etc/safe-airports/token", {})
    )
    for sub in ("content", "usage", "sync"):
        (kiosk_root / "var" / sub).mkdir(parents=True)
    (kiosk_root / "etc").mkdir()
    shutil.copy(provisioning, kiosk_root / "etc" / "provisioning.json")
    (kiosk_root / "etc" / "token").write_text(data["token"] + "\n")
    text = text.replace("/var/lib/safe-airports/", f"{kiosk_root}/var/")
    text = text.replace("/etc/safe-airports/", f"{kiosk_root}/etc/")
    config = kiosk_root / "etc" / "kiosk.toml"
    config.write_text(text)
    return config


def heartbeat_of(data: Path, kiosk_id: str) -> tuple | None:
    conn = sqlite3.connect(f"file:{data / 'server.db'}?mode=ro", uri=True)
    try:
        return conn.execute(
            "SELECT content_version, received_at FROM heartbeats WHERE kiosk_id = ?", (kiosk_id,)
        ).fetchone()
    finally:
        conn.close()


def test_a_restored_server_is_one_kiosks_sync_from(tmp_path):
    port = free_port()
    data = tmp_path / "server-data"
    cli("admin", "init-keys", "--data", data, "--root-key", tmp_path / "root.pem")
    cli("admin", "publish", FIXTURE, "--data", data)
    provisioning = tmp_path / "provisioning.json"
    cli(
        "admin", "add-kiosk", "--airport", "TAS", "--name", "TAS-T2-01", "--data", data,
        "--server-url", f"http://127.0.0.1:{port}", "--out", provisioning,
    )  # fmt: skip
    kiosk_id = json.loads(provisioning.read_text())["kiosk_id"]
    config = installer_config(provisioning, tmp_path / "kiosk")
    store = InstalledStore(tmp_path / "kiosk" / "var" / "content")
    backups = tmp_path / "backups"
    backups.mkdir()

    with running_server(data, port):
        cli("sync", "--config", config, "--once")
        assert store.installed_version() == 1
        backup = subprocess.run(
            ["bash", str(REPO / "deploy" / "server" / "backup.sh")],
            env={
                **os.environ,
                "PYTHON": sys.executable,
                "DATA_DIR": str(data),
                "BACKUP_DIR": str(backups),
                "KEEP": "3",
            },
            capture_output=True,
            text=True,
            timeout=180,
        )
        assert backup.returncode == 0, backup.stderr
    archives = sorted(backups.glob("safe-airports-server-*.tar.gz"))
    assert len(archives) == 1
    before = heartbeat_of(data, kiosk_id)
    assert before is not None and before[0] == 1

    shutil.rmtree(data)  # the server's disk is lost

    restored = tmp_path / "new-machine" / "safe-airports-server"
    done = subprocess.run(
        [sys.executable, "-m", "admin_sync.server.backup", "restore", str(archives[0]),
         "--data", str(restored)],
        cwd=REPO, capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert heartbeat_of(restored, kiosk_id) == before

    with running_server(restored, port):
        cli("admin", "publish", FIXTURE, "--data", restored)  # signed with the restored keys
        cli("sync", "--config", config, "--once")
        assert store.installed_version() == 2
        after = heartbeat_of(restored, kiosk_id)
        assert after is not None and after[0] == 2 and after[1] > before[1]
