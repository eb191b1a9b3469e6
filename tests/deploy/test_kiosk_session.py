"""The kiosk session scripts: cage arguments, screen rotation, and the watchdog hand-over.

The real scripts run with stand-ins for the programs that only exist on a kiosk: `cage`
(answers `-h` like cage 0.1.4 or 0.1.5, then runs the app as its child, as cage does),
`wlr-randr` (lists one output, records what it is asked) and the kiosk app (a Python process that
builds the real `content.sd_notify.Watchdog` and records whether the watchdog is its own).
The test starts the session the way systemd does: WATCHDOG_PID is the PID of the unit's main
process, which exec's into cage.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SESSION = REPO / "deploy" / "kiosk" / "kiosk-session.sh"
APP = REPO / "deploy" / "kiosk" / "kiosk-app.sh"

CAGE = r"""#!/bin/bash
if [[ ${1:-} == -h ]]; then
  echo "Usage: cage [OPTIONS] [--] APPLICATION"
  echo " -d	 Don't draw client side decorations, when possible"
  if [[ $FAKE_CAGE_VERSION == 0.1.4 ]]; then
    echo " -r	 Rotate the output 90 degrees clockwise, specify up to three times"
  fi
  echo " -s	 Allow VT switching"
  exit 1
fi
echo "cage pid=$$ args=$*" >>"$LOG"
while [[ $1 != -- ]]; do shift; done
shift
"$@"
"""

WLR_RANDR = r"""#!/bin/bash
if [[ $# == 0 ]]; then
  printf 'HDMI-A-1 "Dell P2418HT"\n  Enabled: yes\n  Transform: normal\nDP-2 "Other"\n'
  exit 0
fi
echo "wlr-randr $*" >>"$LOG"
if [[ $2 != HDMI-A-1 && $2 != DP-2 ]]; then
  echo "Unknown output $2" >&2
  exit 1
fi
"""

# Listens on the socket a PulseAudio server makes, records its arguments and whether it was
# given systemd's notify socket, and stays until its parent (kiosk-session, become cage) ends.
PULSEAUDIO = """#!{python}
import os, socket, sys, time
with open(os.environ["LOG"], "a") as log:
    print(f"pulseaudio notify={{os.environ.get('NOTIFY_SOCKET')}} home={{os.environ['HOME']}} "
          f"args={{' '.join(sys.argv[1:])}}", file=log)
os.makedirs(os.environ["XDG_RUNTIME_DIR"] + "/pulse", exist_ok=True)
server = socket.socket(socket.AF_UNIX)
server.bind(os.environ["XDG_RUNTIME_DIR"] + "/pulse/native")
server.listen()
parent = os.getppid()
while os.getppid() == parent:
    time.sleep(0.05)
"""

FAKE_APP = """#!{python}
import os, sys
from content.sd_notify import Watchdog
wd = Watchdog()
with open(os.environ["LOG"], "a") as log:
    print(f"app pid={{os.getpid()}} watchdog_pid={{os.environ.get('WATCHDOG_PID')}} "
          f"enabled={{wd.enabled}} interval_ms={{wd.interval_ms}} "
          f"pulse_cookie={{os.environ.get('PULSE_COOKIE')}} args={{' '.join(sys.argv[1:])}}",
          file=log)
"""


def session(tmp_path: Path, cage_version: str, **display: str) -> tuple[int, list[str], str]:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    for name, text in (
        ("cage", CAGE),
        ("wlr-randr", WLR_RANDR),
        ("safe-airports", FAKE_APP.format(python=sys.executable)),
        ("pulseaudio", PULSEAUDIO.format(python=sys.executable)),
    ):
        (bin_dir / name).write_text(text)
        (bin_dir / name).chmod(0o755)
    log = tmp_path / "log"
    log.write_text("")
    env = {
        "PATH": f"{bin_dir}:{os.environ['PATH']}",
        "LOG": str(log),
        "FAKE_CAGE_VERSION": cage_version,
        "KIOSK_APP": str(APP),
        "SAFE_AIRPORTS_BIN": str(bin_dir / "safe-airports"),
        "NOTIFY_SOCKET": str(tmp_path / "notify"),
        "WATCHDOG_USEC": "30000000",
        "RUNTIME_DIRECTORY": str(tmp_path / "run"),
        "PYTHONPATH": str(REPO),
        **display,
    }
    # systemd: WATCHDOG_PID is the main process, which becomes kiosk-session, then cage.
    done = subprocess.run(
        ["bash", "-c", 'export WATCHDOG_PID=$$; exec bash "$0"', str(SESSION)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    return done.returncode, log.read_text().splitlines(), done.stderr


def field(line: str, name: str) -> str:
    return next(part.split("=", 1)[1] for part in line.split() if part.startswith(name + "="))


@pytest.mark.parametrize(
    ("version", "rotation", "cage_args", "randr"),
    [
        ("0.1.4", "0", "-d -- ", None),
        ("0.1.4", "90", "-d -r -- ", None),
        ("0.1.4", "180", "-d -r -r -- ", None),
        ("0.1.4", "270", "-d -r -r -r -- ", None),
        ("0.1.5", "0", "-d -- ", None),
        ("0.1.5", "90", "-d -- ", "wlr-randr --output HDMI-A-1 --transform 90"),
        ("0.1.5", "270", "-d -- ", "wlr-randr --output HDMI-A-1 --transform 270"),
    ],
)
def test_rotation_by_cage_or_wlr_randr(tmp_path, version, rotation, cage_args, randr):
    status, log, stderr = session(tmp_path, version, ROTATION=rotation)
    assert status == 0, stderr
    cage = [line for line in log if line.startswith("cage ")]
    assert len(cage) == 1
    assert cage[0].split(" args=", 1)[1] == cage_args + str(APP)
    assert [line for line in log if line.startswith("wlr-randr")] == ([randr] if randr else [])
    app = [line for line in log if line.startswith("app ")]
    assert len(app) == 1
    assert app[0].endswith("args=kiosk --config /etc/safe-airports/kiosk.toml")


def test_a_named_output_is_rotated(tmp_path):
    status, log, stderr = session(tmp_path, "0.1.5", ROTATION="180", OUTPUT="DP-2")
    assert status == 0, stderr
    assert "wlr-randr --output DP-2 --transform 180" in log


def test_the_app_gets_the_watchdog_that_systemd_gave_cage(tmp_path):
    status, log, stderr = session(tmp_path, "0.1.4")
    assert status == 0, stderr
    cage = next(line for line in log if line.startswith("cage "))
    app = next(line for line in log if line.startswith("app "))
    assert field(app, "pid") != field(cage, "pid")  # the app is cage's child
    assert field(app, "watchdog_pid") == field(app, "pid")
    assert field(app, "enabled") == "True"
    assert field(app, "interval_ms") == "15000"


def test_the_session_starts_a_sound_server_for_the_app(tmp_path):
    status, log, stderr = session(tmp_path, "0.1.4")
    assert status == 0, stderr
    run = tmp_path / "run"
    pulse = next(line for line in log if line.startswith("pulseaudio "))
    assert field(pulse, "notify") == "None"  # systemd's notify socket is the app's alone
    assert field(pulse, "home") == str(run)  # writable, unlike the kiosk user's home
    assert "--exit-idle-time=-1" in pulse
    app = next(line for line in log if line.startswith("app "))
    assert field(app, "pulse_cookie") == f"{run}/.config/pulse/cookie"
    assert log.index(pulse) < log.index(app)


def test_a_bad_rotation_stops_with_a_clear_message(tmp_path):
    status, log, stderr = session(tmp_path, "0.1.4", ROTATION="45")
    assert status == 2
    assert "ROTATION=45 is not one of 0, 90, 180, 270" in stderr
    assert log == []


def test_a_failed_rotation_still_starts_the_kiosk(tmp_path):
    status, log, stderr = session(tmp_path, "0.1.5", ROTATION="90", OUTPUT="HDMI-A-9")
    assert status == 0, stderr
    assert "kiosk-app: could not rotate output 'HDMI-A-9' by 90 degrees" in stderr
    assert any(line.startswith("app ") for line in log)
