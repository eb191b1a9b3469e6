"""Every systemd unit passes `systemd-analyze verify`, every shell script passes shellcheck.

`systemd-analyze verify` also checks that each Exec*= program exists and is executable, and the
programs here (/opt/safe-airports/venv/bin/safe-airports, cage, ...) only exist on an installed
machine. So each unit is verified with `--root` against a temporary root that holds: a copy of
this machine's /usr/lib/systemd/system (for the targets and services the units refer to), the
unit under /etc/systemd/system, and an executable stub at every path an Exec*= line names.
Everything else (syntax, section and key names, values, dependencies) is checked for real, and
any warning printed fails the test, as a missing program would.
"""

from __future__ import annotations

import configparser
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy"
UNITS = sorted(p for ext in ("service", "timer") for p in DEPLOY.rglob(f"*.{ext}"))
SYSTEM_UNITS = Path("/usr/lib/systemd/system")


def shell_scripts() -> list[Path]:
    scripts = []
    for path in sorted(DEPLOY.rglob("*")):
        if not path.is_file():
            continue
        if path.suffix == ".sh":
            scripts.append(path)
            continue
        with path.open("rb") as handle:
            first = handle.readline()
        if first.startswith(b"#!") and (b"sh" in first.split(b"/")[-1].split()[0]):
            scripts.append(path)
    return scripts


def exec_programs(unit: Path) -> list[str]:
    parser = configparser.RawConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(unit)
    programs = []
    for section in parser.sections():
        for key, value in parser.items(section):
            if key.startswith("Exec") and value:
                program = value.split()[0].lstrip("-+!@:")
                if program.startswith("/"):
                    programs.append(program)
    return programs


def test_there_are_units_and_scripts_to_check():
    names = {p.name for p in UNITS}
    assert {"safe-airports-kiosk.service", "safe-airports-sync.service"} <= names
    assert DEPLOY / "kiosk" / "install.sh" in shell_scripts()


@pytest.mark.parametrize("unit", UNITS, ids=lambda p: str(p.relative_to(DEPLOY)))
def test_systemd_analyze_verify(unit: Path, tmp_path: Path):
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed (`make test` as root installs systemd)")
    if not SYSTEM_UNITS.is_dir():
        pytest.skip(f"{SYSTEM_UNITS} is missing: no system units to verify dependencies against")
    root = tmp_path / "root"
    shutil.copytree(SYSTEM_UNITS, root / "usr/lib/systemd/system", symlinks=True)
    unit_dir = root / "etc/systemd/system"
    unit_dir.mkdir(parents=True)
    siblings = sorted(unit.parent.glob("*.service"))  # a timer is verified with its service
    for sibling in siblings:
        shutil.copy(sibling, unit_dir / sibling.name)
    shutil.copy(unit, unit_dir / unit.name)
    if unit.suffix == ".service":
        assert exec_programs(unit), f"{unit.name} runs nothing"
    programs = [program for sibling in siblings for program in exec_programs(sibling)]
    for program in programs:
        stub = root / program.lstrip("/")
        stub.parent.mkdir(parents=True, exist_ok=True)
        stub.write_text("#!/bin/sh\nexit 0\n")
        stub.chmod(0o755)
    result = subprocess.run(
        [analyze, "verify", f"--root={root}", f"/etc/systemd/system/{unit.name}"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout + result.stderr == "", "warnings: " + result.stdout + result.stderr


@pytest.mark.parametrize("script", shell_scripts(), ids=lambda p: str(p.relative_to(DEPLOY)))
def test_shellcheck(script: Path):
    shellcheck = shutil.which("shellcheck")
    if shellcheck is None:
        pytest.skip("shellcheck is not installed (`make test` as root installs it)")
    result = subprocess.run(
        [shellcheck, "--severity=style", str(script)], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr


def unit_settings(name: str) -> dict[str, list[str]]:
    path = next(p for p in UNITS if p.name == name)
    settings: dict[str, list[str]] = {}
    for line in path.read_text().splitlines():
        if "=" in line and not line.startswith(("#", "[")):
            key, value = line.split("=", 1)
            settings.setdefault(key, []).append(value)
    return settings


@pytest.mark.parametrize("name", ["safe-airports-kiosk.service", "safe-airports-sync.service"])
def test_kiosk_units_are_sandboxed_supervised_and_log_to_journald(name):
    s = unit_settings(name)
    assert s["Type"] == ["notify"]
    assert s["Restart"] == ["always"]
    assert s["StartLimitIntervalSec"] == ["0"]
    assert int(s["WatchdogSec"][0]) > 0
    assert s["User"] == ["kiosk"]
    assert s["ProtectSystem"] == ["strict"]
    assert s["NoNewPrivileges"] == ["yes"]
    assert s["PrivateTmp"] == ["yes"]
    assert s["StandardOutput"] == ["journal"]
    writable = " ".join(s["ReadWritePaths"]).split()
    assert writable and all(p.startswith("/var/lib/safe-airports/") for p in writable)


def test_the_kiosk_unit_owns_tty1_and_lets_the_app_ping():
    s = unit_settings("safe-airports-kiosk.service")
    assert s["NotifyAccess"] == ["all"]  # the app is a child of cage
    assert s["TTYPath"] == ["/dev/tty1"]
    assert "getty@tty1.service" in s["Conflicts"]
    assert s["ReadWritePaths"] == ["/var/lib/safe-airports/usage"]
    assert "-+/bin/sh -c 'echo 0 > /sys/module/kernel/parameters/consoleblank'" in s["ExecStartPre"]
    app = (DEPLOY / "kiosk" / "kiosk-app.sh").read_text()
    assert "export WATCHDOG_PID=$$" in app and "\nexec " in app
