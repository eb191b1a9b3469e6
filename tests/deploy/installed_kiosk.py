"""Run deploy/kiosk/install.sh for real, then start the installed kiosk as its unit would.

Run as root inside a private mount namespace (`unshare --mount --propagation private`) by
tests/deploy/test_kiosk_install_real.py: the system folders the installer writes (/etc, /opt,
/var/lib, /var/cache, /usr/share/icons) are overlays whose upper layers live in WORK, so the
machine itself is left as it was when the namespace ends. systemd is not running here: the
installer installs and enables the units without starting them, and this script starts
/opt/safe-airports/libexec/kiosk-session as the unit would: as the kiosk user, with the unit's
Environment= lines, its EnvironmentFile (display.conf), its runtime and cache directories;
only the backend is wlroots' headless one (no screen, no GPU here).

Prints one JSON line: the installer's exit status and output tail, the kiosk user's groups, the
installed units, whether the sound server listens, grim's screenshot path and the session log.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
OVERLAID = ["/etc", "/opt", "/var/lib", "/var/cache", "/usr/share/icons"]
UNIT = Path("/etc/systemd/system/safe-airports-kiosk.service")


def overlay(work: Path) -> None:
    for folder in OVERLAID:
        name = folder.strip("/").replace("/", "-")
        upper, scratch = work / "upper" / name, work / "scratch" / name
        upper.mkdir(parents=True)
        scratch.mkdir(parents=True)
        subprocess.run(
            ["mount", "-t", "overlay", "overlay", "-o"]
            + [f"lowerdir={folder},upperdir={upper},workdir={scratch}", folder],
            check=True,
        )


def unit_environment() -> dict[str, str]:
    """The environment systemd would give the kiosk unit's processes (the parts that matter)."""
    env = {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": "/var/lib/safe-airports"}
    for line in UNIT.read_text().splitlines():
        if line.startswith("Environment="):
            key, _, value = line.removeprefix("Environment=").partition("=")
            env[key] = value
    for line in Path("/etc/safe-airports/display.conf").read_text().splitlines():
        if line and not line.startswith("#"):
            key, _, value = line.partition("=")
            env[key] = value
    return env


def main(work: Path, provisioning: Path) -> dict:
    overlay(work)
    install = subprocess.run(
        ["bash", str(REPO / "deploy/kiosk/install.sh"), "--rotation", "90", str(provisioning)],
        capture_output=True,
        text=True,
        timeout=1200,
    )
    result: dict = {"status": install.returncode, "output": install.stdout}
    result["stderr"] = install.stderr[-4000:]
    if install.returncode != 0:
        return result
    result["groups"] = subprocess.run(
        ["id", "-nG", "kiosk"], capture_output=True, text=True, check=True
    ).stdout.split()
    result["enabled"] = sorted(
        p.name for p in Path("/etc/systemd/system/multi-user.target.wants").glob("safe-*")
    )
    # What systemd makes for the unit: RuntimeDirectory= and CacheDirectory= (mode 0700).
    run_dir = work / "run" / "safe-airports-kiosk"
    cache = Path("/var/cache/safe-airports-kiosk")
    for folder in (run_dir, cache):
        folder.mkdir(parents=True, mode=0o700)
        subprocess.run(["chown", "kiosk:kiosk", str(folder)], check=True)
    (work / "run").chmod(0o755)
    env = unit_environment()
    env.update(
        RUNTIME_DIRECTORY=str(run_dir),
        WLR_BACKENDS="headless",
        WLR_RENDERER="pixman",
        WLR_LIBINPUT_NO_DEVICES="1",
    )
    log = work / "session.log"
    session = subprocess.Popen(
        ["runuser", "-u", "kiosk", "--", "env", "-i", *[f"{k}={v}" for k, v in env.items()]]
        + ["/opt/safe-airports/libexec/kiosk-session"],
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    (work / "session.pgid").write_text(f"{session.pid}\n")  # for the test to stop it, whatever
    shot = run_dir / "installed-kiosk-grim.png"  # grim runs as the kiosk user: its folder
    client = ["runuser", "-u", "kiosk", "--", "env", f"XDG_RUNTIME_DIR={run_dir}"]
    try:
        deadline = time.monotonic() + 180
        # The kiosk draws its attract screen: grim's capture of cage's (rotated) output.
        while True:
            if session.poll() is not None:
                break
            grim = None
            if "display: scale" in log.read_text(errors="replace"):
                grim = subprocess.run(
                    [*client, "WAYLAND_DISPLAY=wayland-0", "grim", str(shot)],
                    capture_output=True,
                    text=True,
                    check=False,
                )
                result["grim"] = grim.stderr[-500:]
            if grim is not None and grim.returncode == 0:
                from PIL import Image

                from tests.kiosk.screens import fill_report

                with Image.open(shot) as image:
                    result["size"] = list(image.size)
                    result["fill"] = fill_report(image)
                if not result["fill"]:
                    break
            if time.monotonic() > deadline:
                break
            time.sleep(0.5)  # polling the compositor: there is no signal to wait on
        result["sound"] = subprocess.run(
            [*client, f"PULSE_COOKIE={run_dir}/.config/pulse/cookie", "pactl", "info"],
            capture_output=True,
            text=True,
            check=False,
        ).stdout
        result["running"] = session.poll() is None
        result["processes"] = subprocess.run(
            ["ps", "-o", "user=,comm=", "-g", str(session.pid)],
            capture_output=True,
            text=True,
            check=False,
        ).stdout.split("\n")
    finally:
        if session.poll() is None:
            os.killpg(session.pid, signal.SIGKILL)
        session.wait(timeout=30)
    result["screenshot"] = str(shot)
    result["log"] = log.read_text(errors="replace")[-3000:]
    return result


if __name__ == "__main__":
    print(json.dumps(main(Path(sys.argv[1]), Path(sys.argv[2]))))
