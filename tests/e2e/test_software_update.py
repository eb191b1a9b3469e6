"""Signed software updates, end to end: the real server, the real agent and kiosk processes
started from `current` by a stand-in for systemd (tests/e2e/unit_supervisor.py), real
virtualenvs installed by pip from wheels fetched through TUF.

One test walks the whole story (each step costs process starts, so they share them):

1. the kiosk runs software 0.9.0 (bootstrapped as the installer would);
2. 0.9.1 is published staged to airport TMJ: this TAS kiosk keeps 0.9.0 (its signed
   rollout does not include it); promoted to all, the agent installs it beside 0.9.0, switches,
   restarts both units, and the new version proves healthy (first frame and heartbeat as 0.9.1);
3. 0.9.2, whose kiosk crashes right after its first frame, is published: it is installed —
   the agent killed -9 once mid-install and once mid-trial on the way — and switched to,
   never reports healthy, and 0.9.1 comes back by itself; the heartbeat says why;
4. 0.9.2 is never installed again;
5. 0.9.3, whose agent cannot be imported, is refused before anything is switched.

The times from promoting to the kiosk running the new version, and from the failed health check
to the kiosk running the previous version again, are printed (`-s`) for the report.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import sysconfig
import time
from pathlib import Path

import pytest

import safe_airports_cli
from admin_sync.agent.software_install import site_packages
from admin_sync.agent.software_store import SoftwareStore
from admin_sync.protocol import FIRST_FRAME_FILE, read_first_frame
from tests.admin_sync.sync.processes import KioskDisk, wait_until
from tests.e2e.server_process import REPO, ServerProcess, init_data
from tests.e2e.wheel_maker import make_wheel, project_files

pytestmark = pytest.mark.e2e

HEALTH_SECONDS = 15.0
BROKEN_AGENT = "admin_sync/agent/agent.py"
BROKEN_FIRST_FRAME = b"""
import os


def first_frame_path(usage_file):
    return usage_file.parent / "kiosk-first-frame.json"


def write_first_frame(usage_file):
    os._exit(70)  # deliberately broken release: the kiosk dies right after its first frame
"""


def admin(*args: object) -> None:
    code = safe_airports_cli.main(["admin", *map(str, args)])
    assert code == 0, f"admin {args} failed"


def bootstrap(store: SoftwareStore, wheel: Path) -> None:
    """What the installer does: a first version folder (here its dependencies come from the
    test environment through a .pth file) and the `current` symlink."""
    venv = store.venv("0.9.0")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "install"]
        + ["-q", "--no-index", "--no-deps", "--disable-pip-version-check", str(wheel)],
        check=True,
    )
    deps = sysconfig.get_paths()["purelib"]
    (site_packages(venv) / "zz_test_dependencies.pth").write_text(deps + "\n")
    store.mark_complete("0.9.0", {"version": "0.9.0"})
    store.switch_to("0.9.0")


class Units:
    def __init__(self, root: Path, units: dict[str, list[str]]) -> None:
        self.log = root / "units.jsonl"
        self.pidfile = root / "supervisor.pid"
        config = root / "units.json"
        config.write_text(
            json.dumps(
                {
                    "units": units,
                    "env": {"QT_QPA_PLATFORM": "offscreen", "PYTHONUNBUFFERED": "1"},
                    "log": str(self.log),
                    "pidfile": str(self.pidfile),
                }
            )
        )
        env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}  # run the venvs' code
        self.proc = subprocess.Popen(
            [sys.executable, str(REPO / "tests" / "e2e" / "unit_supervisor.py"), str(config)],
            cwd=root,
            env=env,
        )

    def events(self) -> list[dict]:
        if not self.log.exists():
            return []
        return [json.loads(line) for line in self.log.read_text().splitlines() if line]

    def pid(self, unit: str) -> int:
        return [e["pid"] for e in self.events() if e["event"] == "start" and e["unit"] == unit][-1]

    def kill9(self, unit: str) -> None:
        try:
            os.killpg(self.pid(unit), signal.SIGKILL)  # the unit's whole process group
        except ProcessLookupError:  # it was being restarted: kill the new one
            wait_until(lambda: _alive(self.pid(unit)), 30, f"{unit} to be restarted")
            os.killpg(self.pid(unit), signal.SIGKILL)

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(30)


def _alive(pid: int) -> bool:
    try:
        os.killpg(pid, 0)
    except ProcessLookupError:
        return False
    return True


def heartbeat(data: Path, kiosk_id: str) -> dict:
    with sqlite3.connect(data / "server.db") as conn:
        conn.row_factory = sqlite3.Row
        row = conn.execute("SELECT * FROM heartbeats WHERE kiosk_id = ?", (kiosk_id,)).fetchone()
    return dict(row) if row else {}


def test_software_update_installs_switches_and_rolls_back(tmp_path: Path) -> None:
    data = init_data(tmp_path)
    software_key = tmp_path / "usb" / "software.pem"
    admin(
        "software-init",
        "--data",
        data,
        "--root-key",
        tmp_path / "root.pem",
        "--software-key",
        software_key,
    )
    files = project_files()
    wheels = tmp_path / "wheels"
    kiosk_root = tmp_path / "kiosk"
    software = kiosk_root / "software"
    store = SoftwareStore(software)
    bootstrap(store, make_wheel(wheels / "0.9.0", "0.9.0", files))

    server = ServerProcess(data)
    server.start()
    units: Units | None = None
    try:
        pidfile = kiosk_root / "supervisor.pid"
        disk = KioskDisk(
            kiosk_root,
            data,
            server.url,
            "TAS-SW-01",
            interval_seconds=1.0,
            jitter_fraction=0.0,
            software_dir="software",
            software_health_seconds=HEALTH_SECONDS,
            software_restart_command=f"/bin/sh -c 'kill -USR1 $(cat {pidfile})'",
        )
        toml = disk.config.read_text()  # the kiosk's own settings go before [sync]
        disk.config.write_text(
            'usage_file = "usage/usage.db"\nfallback_cache_dir = "fallback"\n' + toml
        )
        (kiosk_root / "usage").mkdir()
        frame_path = kiosk_root / "usage" / FIRST_FRAME_FILE
        run = [str(REPO / "deploy" / "kiosk" / "software-run.sh"), str(software)]
        units = Units(
            kiosk_root,
            {
                "kiosk": [*run, "kiosk", "--config", str(disk.config)],
                "sync": [
                    *run[:1],
                    "--may-roll-back",
                    *run[1:],
                    "sync",
                    "--config",
                    str(disk.config),
                ],
            },
        )

        def kiosk_runs(version: str, after: float = 0.0) -> float | None:
            frame = read_first_frame(frame_path)
            ok = frame is not None and frame.app_version == version and frame.at > after
            return frame.at if ok and frame is not None else None

        wait_until(lambda: kiosk_runs("0.9.0"), 120, "the kiosk to draw its first frame (0.9.0)")
        wait_until(
            lambda: heartbeat(data, disk.kiosk_id).get("app_version") == "0.9.0",
            60,
            "a heartbeat from agent 0.9.0",
        )

        # --- 2. a good version, staged to airport TMJ first: this TAS kiosk keeps 0.9.0 -------
        key_args = ["--data", data, "--software-key", software_key]
        staged_to = ["--first-to-airports", "TMJ"]
        admin(
            "software-publish", make_wheel(wheels / "0.9.1", "0.9.1", files), *key_args, *staged_to
        )
        cycles = disk.state()["totals"]["cycles"]
        wait_until(lambda: disk.state()["totals"]["cycles"] >= cycles + 2, 60, "two cycles")
        assert (
            "0.9.1 is staged to airport TMJ, not to this kiosk"
            in (kiosk_root / "sync.log").read_text()
        )
        assert store.current() == "0.9.0" and not store.version_dir("0.9.1").exists()
        published = time.time()  # promoted to all: from here the kiosk takes it
        admin("software-rollout", "promote", *key_args, "--all")
        admin_done = time.time()
        running_at = wait_until(
            lambda: kiosk_runs("0.9.1", published), 120, "the kiosk to run 0.9.1"
        )
        wait_until(
            lambda: store.trial() is None and store.state().get("current") == "0.9.1",
            HEALTH_SECONDS + 30,
            "0.9.1 to be confirmed healthy",
        )
        assert store.current() == "0.9.1"
        assert store.is_complete("0.9.0"), "the previous version is kept"
        wait_until(
            lambda: heartbeat(data, disk.kiosk_id).get("app_version") == "0.9.1",
            30,
            "a heartbeat from agent 0.9.1",
        )
        update_seconds = float(running_at) - published  # type: ignore[arg-type]

        # --- 3. a broken version rolls back by itself -------------------------------------------
        broken = make_wheel(
            wheels / "0.9.2",
            "0.9.2",
            files,
            replace={"kiosk/first_frame.py": BROKEN_FIRST_FRAME},
        )
        args = ["--data", data, "--software-key", software_key, "--notes", "broken on purpose"]
        admin("software-publish", broken, *args)
        folder = store.version_dir("0.9.2")
        wait_until(
            lambda: (folder / "venv").exists() and not store.is_complete("0.9.2"),
            60,
            "the agent to start installing 0.9.2",
        )
        units.kill9("sync")  # kill -9 mid-install: the half-built folder is never used
        assert store.current() == "0.9.1"
        wait_until(
            lambda: store.trial() is not None and store.current() == "0.9.2",
            120,
            "the switch to 0.9.2 (its trial)",
        )
        assert store.is_complete("0.9.2")
        units.kill9("sync")  # kill -9 mid-trial: the restarted agent carries the trial on
        last = wait_until(
            lambda: (
                store.current() == "0.9.1"
                and store.trial() is None
                and store.state().get("last_rollback")
            ),
            HEALTH_SECONDS + 60,
            "the rollback",
        )
        assert last["version"] == "0.9.2" and last["back_to"] == "0.9.1"  # type: ignore[index]
        assert "first frame" in last["reason"]  # type: ignore[index]
        rolled_at = float(last["at"])  # type: ignore[index]
        back_at = wait_until(
            lambda: kiosk_runs("0.9.1", rolled_at), 120, "the kiosk to run 0.9.1 again"
        )
        beat = wait_until(
            lambda: (
                (b := heartbeat(data, disk.kiosk_id)).get("app_version") == "0.9.1"
                and "software 0.9.2 was refused" in (b.get("last_error") or "")
                and b
            ),
            60,
            "the heartbeat to report the rollback",
        )
        assert "first frame" in beat["last_error"]  # type: ignore[index]

        # --- 4. never installed twice: cycles go by, nothing is switched or restarted -----------
        restarts = len([e for e in units.events() if e["event"] == "restart"])
        cycles = disk.state()["totals"]["cycles"]
        wait_until(lambda: disk.state()["totals"]["cycles"] >= cycles + 2, 60, "two more cycles")
        assert len([e for e in units.events() if e["event"] == "restart"]) == restarts
        assert store.current() == "0.9.1"
        assert "failed here before" in (kiosk_root / "sync.log").read_text()

        # --- 5. a version whose agent cannot even be imported is refused before the switch ----
        no_import = b'raise ImportError("deliberately broken release")\n'
        admin(
            "software-publish",
            make_wheel(wheels / "0.9.3", "0.9.3", files, replace={BROKEN_AGENT: no_import}),
            "--data",
            data,
            "--software-key",
            software_key,
        )
        failed = wait_until(
            lambda: store.state().get("failed", {}).get("0.9.3"), 120, "0.9.3 to be refused"
        )
        assert "pre-flight import failed" in failed and "deliberately broken" in failed  # type: ignore[operator]
        assert store.current() == "0.9.1" and not store.version_dir("0.9.3").exists()
        assert len([e for e in units.events() if e["event"] == "restart"]) == restarts
        print(
            f"\nsoftware update: promoted to all -> kiosk running it: {update_seconds:.1f} s "
            f"(promote command itself {admin_done - published:.1f} s); "
            f"rollback: decision -> kiosk running the previous version: "
            f"{float(back_at) - rolled_at:.1f} s "  # type: ignore[arg-type]
            f"(the decision comes at most 0.2 s after the {HEALTH_SECONDS:.0f} s health window)"
        )
    finally:
        if units is not None:
            units.stop()
        server.stop()
