"""deploy/kiosk/install.sh run for real, end to end, then the installed kiosk started in cage.

As root, in a private mount namespace with the system folders overlaid (tests/deploy/
installed_kiosk.py), so this machine keeps nothing of it: the real installer with a
provisioning file and --rotation 90 (apt-get, the kiosk user, the venv from the package
index, config, units enabled offline since systemd is not running here), then the installed
kiosk-session started as the kiosk user with the unit's environment. Checked: the installer
succeeded, every runtime package the cage test needs is installed, the kiosk user's groups,
both units enabled, the sound server listening, and grim's screenshot of cage's output (720×1280,
rotated as display.conf says) shows the attract screen filling it.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tests.deploy.test_kiosk_install import provisioning, runtime_packages
from tests.kiosk.screens import keep_screenshot

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.timeout(1200)
def test_the_installer_for_real_then_the_installed_kiosk_in_cage(tmp_path) -> None:
    if os.geteuid() != 0:
        pytest.skip("the installer runs as root (in a private mount namespace): run as root")
    missing = [p for p in ("unshare", "cage", "grim", "pactl") if shutil.which(p) is None]
    if missing:
        pytest.skip(f"{', '.join(missing)} not installed (make system-deps installs them)")
    probe = subprocess.run(
        ["unshare", "--mount", "--propagation", "private", "true"], capture_output=True
    )
    if probe.returncode != 0:
        pytest.skip(f"no private mount namespace here: {probe.stderr.decode().strip()}")
    if os.environ.get("SAFE_AIRPORTS_REAL_INSTALL") != "1":
        pytest.skip(
            "takes 2-4 minutes (a venv with PySide6 from the package index): "
            "set SAFE_AIRPORTS_REAL_INSTALL=1 to run it"
        )
    work = Path(tempfile.mkdtemp(prefix="safe-airports-install-", dir="/var/tmp"))
    work.chmod(0o755)  # the kiosk user reaches its runtime directory inside
    try:
        prov = provisioning(tmp_path, airport="TAS", kiosk_id="tas-0a1b2c3d")
        done = subprocess.run(
            ["unshare", "--mount", "--propagation", "private", sys.executable]
            + ["-m", "tests.deploy.installed_kiosk", str(work), str(prov)],
            cwd=REPO,
            env={**os.environ, "PYTHONPATH": str(REPO)},
            capture_output=True,
            text=True,
            timeout=1800,
        )
        assert done.returncode == 0, done.stderr[-3000:]
        result = json.loads(done.stdout.splitlines()[-1])
        assert result["status"] == 0, result["output"] + result["stderr"]
        assert (
            "systemd is not running here: the services start at the next boot" in (result["output"])
        )
        # The same runtime packages as the cage test needs are installed.
        apt_line = next(
            line for line in result["output"].splitlines() if " apt-get install " in line
        )
        assert set(runtime_packages()) | {"pulseaudio"} <= set(apt_line.split())
        assert {"video", "render", "input", "audio"} <= set(result["groups"])
        assert result["enabled"] == [
            "safe-airports-kiosk.service",
            "safe-airports-sync.service",
        ]
        assert "Server Name: pulseaudio" in result["sound"], result["log"]
        shot = Path(result["screenshot"])
        assert shot.exists(), result.get("grim", "grim never ran") + result["log"]
        keep_screenshot(shot)
        assert result["size"] == [720, 1280], result
        assert result["fill"] == [], result
        assert result["running"], result["log"]
        # cage, the sound server and the app run as the kiosk user (runuser stays root).
        processes = [line.split() for line in result["processes"] if line.strip()]
        names = {name for _, name in processes}
        assert {"cage", "pulseaudio"} <= names, processes
        assert all(user == "kiosk" for user, name in processes if name != "runuser"), processes
    finally:
        pgid = work / "session.pgid"
        if pgid.exists():  # the installed kiosk's session, should the helper have been stopped
            with contextlib.suppress(ProcessLookupError):
                os.killpg(int(pgid.read_text()), signal.SIGKILL)
        shutil.rmtree(work, ignore_errors=True)
