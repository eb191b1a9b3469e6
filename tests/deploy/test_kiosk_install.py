"""The kiosk installer's dry run: exactly these actions, in this order, and nothing done."""

from __future__ import annotations

import json
import os
import pwd
import subprocess
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
INSTALL = REPO / "deploy" / "kiosk" / "install.sh"
HERE = REPO / "deploy" / "kiosk"

OS_RELEASES = {
    "debian12": 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\nVERSION_ID="12"\n',
    "ubuntu2404": 'NAME="Ubuntu"\nID=ubuntu\nID_LIKE=debian\nVERSION_ID="24.04"\n',
    "debian11": 'ID=debian\nVERSION_ID="11"\n',
}


def kiosk_user_exists() -> bool:
    try:
        pwd.getpwnam("kiosk")
    except KeyError:
        return False
    return True


def provisioning(tmp_path: Path, **changes: object) -> Path:
    data: dict[str, object] = {
        "server_url": "https://safe-airports.example.org",
        "kiosk_id": "tmj-0a1b2c3d",
        "token": "kiosk_secret-token",
        "airport": "TMJ",
        "format": 1,
        "name": "TMJ-01",
        "trusted_root": {"signed": {"_type": "root", "version": 1}, "signatures": []},
    }
    data.update(changes)
    for key in [k for k, v in data.items() if v is None]:
        del data[key]
    path = tmp_path / "provisioning with space.json"
    path.write_text(json.dumps(data))
    return path


def dry_run(
    tmp_path: Path, *args: str, os_release: str = "debian12"
) -> subprocess.CompletedProcess:
    release = tmp_path / "os-release"
    release.write_text(OS_RELEASES[os_release])
    env = {**os.environ, "SAFE_AIRPORTS_OS_RELEASE": str(release)}
    return subprocess.run(
        ["bash", str(INSTALL), "--dry-run", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


def actions(output: str) -> list[str]:
    return [line[2:] for line in output.splitlines() if line.startswith("+ ")]


def runtime_packages() -> list[str]:
    """The kiosk's runtime packages: one list for the installer, `make demo` and the tests."""
    lines = (HERE / "runtime-packages.txt").read_text().splitlines()
    names = [line.split("#")[0].strip() for line in lines]
    return [name for name in names if name]


def test_the_runtime_list_has_what_the_display_tests_needed() -> None:
    needed = {
        "cage",
        "xwayland",
        "libgl1-mesa-dri",
        "libxcb-cursor0",
        "libxcb-icccm4",
        "libxcb-keysyms1",
        "libxkbcommon-x11-0",
        "libwayland-egl1",
        "fonts-noto-core",
    }
    assert needed <= set(runtime_packages())
    makefile = (REPO / "Makefile").read_text()
    assert "deploy/kiosk/runtime-packages.txt" in makefile


VERSION = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["version"]
SOFTWARE = f"/var/lib/safe-airports/software/versions/{VERSION}"  # the first software version


def expected_install_actions(prov: Path, rotation_args: str) -> list[str]:
    apt = "env DEBIAN_FRONTEND=noninteractive apt-get"
    user = (
        []
        if kiosk_user_exists()
        else [
            "useradd --system --user-group --home-dir /var/lib/safe-airports --no-create-home "
            "--shell /usr/sbin/nologin --comment 'Safe Airports kiosk' kiosk"
        ]
    )
    cfg = f"python3 {HERE}/configure.py"
    return [
        f"{apt} update -q",
        f"{apt} install -y -q --no-install-recommends python3 python3-venv udev dbus "
        f"libpam-systemd polkitd pulseaudio {' '.join(runtime_packages())}",
        *user,
        "usermod --append --groups video,render,input,audio kiosk",
        "install -d -m 0755 -o root -g root /etc/safe-airports /opt/safe-airports "
        "/opt/safe-airports/libexec /opt/safe-airports/share",
        "install -d -m 0750 -o kiosk -g kiosk /var/lib/safe-airports "
        "/var/lib/safe-airports/content /var/lib/safe-airports/usage /var/lib/safe-airports/sync",
        "install -d -m 0755 -o kiosk -g kiosk /var/lib/safe-airports/software "
        "/var/lib/safe-airports/software/versions",
        f"rm -rf {SOFTWARE}",
        f"python3 -m venv {SOFTWARE}/venv",
        f"{SOFTWARE}/venv/bin/pip install --quiet --upgrade pip",
        f"{SOFTWARE}/venv/bin/pip install --quiet --upgrade '{REPO}[kiosk,agent]'",
        f"touch {SOFTWARE}/COMPLETE",
        f"chown -R kiosk:kiosk {SOFTWARE}",
        f"ln -sfn versions/{VERSION} /var/lib/safe-airports/software/.current.install",
        "mv -fT /var/lib/safe-airports/software/.current.install "
        "/var/lib/safe-airports/software/current",
        f"install -m 0755 {HERE}/software-run.sh /opt/safe-airports/libexec/software-run",
        f"install -D -m 0644 {HERE}/polkit-safe-airports.rules "
        "/etc/polkit-1/rules.d/50-safe-airports.rules",
        f"install -m 0755 {HERE}/kiosk-session.sh /opt/safe-airports/libexec/kiosk-session",
        f"install -m 0755 {HERE}/kiosk-app.sh /opt/safe-airports/libexec/kiosk-app",
        f"install -m 0644 {REPO}/deploy/README.md /opt/safe-airports/share/README.md",
        f"install -m 0600 -o kiosk -g kiosk '{prov}' /etc/safe-airports/provisioning.json",
        f"{cfg} kiosk-config /etc/safe-airports/provisioning.json "
        "--config /etc/safe-airports/kiosk.toml --token /etc/safe-airports/token --owner kiosk",
        f"{cfg} display --out /etc/safe-airports/display.conf{rotation_args}",
        f"{cfg} touch-rule --display /etc/safe-airports/display.conf "
        "--out /etc/udev/rules.d/90-safe-airports-touch.rules",
        "udevadm control --reload",
        "udevadm trigger --subsystem-match=input --action=change",
        f"{cfg} blank-cursor /usr/share/icons/safe-airports-blank",
        f"install -m 0644 {HERE}/pam-safe-airports-kiosk /etc/pam.d/safe-airports-kiosk",
        f"install -D -m 0644 {HERE}/journald.conf /etc/systemd/journald.conf.d/safe-airports.conf",
        "systemctl restart systemd-journald.service",
        f"install -m 0644 {HERE}/safe-airports-sync.service "
        "/etc/systemd/system/safe-airports-sync.service",
        f"install -m 0644 {HERE}/safe-airports-kiosk.service "
        "/etc/systemd/system/safe-airports-kiosk.service",
        "systemctl daemon-reload",
        "systemctl mask sleep.target suspend.target hibernate.target hybrid-sleep.target",
        "systemctl enable safe-airports-sync.service safe-airports-kiosk.service",
        "systemctl restart safe-airports-sync.service safe-airports-kiosk.service",
    ]


@pytest.mark.parametrize("os_release", ["debian12", "ubuntu2404"])
def test_dry_run_prints_exactly_the_install_actions_in_order(tmp_path, os_release):
    prov = provisioning(tmp_path)
    result = dry_run(tmp_path, "--rotation", "90", str(prov), os_release=os_release)
    assert result.returncode == 0, result.stderr
    assert actions(result.stdout) == expected_install_actions(prov, " --rotation 90")
    assert "# provisioning: kiosk tmj-0a1b2c3d at TMJ" in result.stdout


def test_dry_run_changes_nothing(tmp_path):
    watched = [
        Path("/etc/safe-airports"),
        Path("/opt/safe-airports"),
        Path("/var/lib/safe-airports"),
    ]
    before = {p: p.exists() for p in watched}
    result = dry_run(tmp_path, str(provisioning(tmp_path)))
    assert result.returncode == 0, result.stderr
    assert {p: p.exists() for p in watched} == before
    assert kiosk_user_exists() == ("useradd" not in result.stdout)


def test_options_reach_the_configuration_commands(tmp_path):
    prov = provisioning(tmp_path, airport=None, server_url="http://127.0.0.1:8470")
    result = dry_run(
        tmp_path,
        "--airport", "TMJ", "--allow-http", "--touch-rotation", "270", "--output", "HDMI-A-1",
        "--no-start", "--pin-hash", "pbkdf2_sha256$1000$ab$cd", str(prov),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    done = actions(result.stdout)
    assert any(
        a.endswith(
            "--owner kiosk --airport TMJ --allow-http --maintenance-pin-hash "
            "'pbkdf2_sha256$1000$ab$cd'"
        )
        for a in done
    ), done
    assert any(a.endswith("--touch-rotation 270 --output HDMI-A-1") for a in done), done
    assert not any(a.startswith("systemctl restart safe-airports") for a in done)
    assert done[-1] == "systemctl enable safe-airports-sync.service safe-airports-kiosk.service"


def test_offline_install_uses_only_the_wheelhouse(tmp_path):
    wheels = tmp_path / "wheels"
    wheels.mkdir()
    result = dry_run(tmp_path, "--wheelhouse", str(wheels), str(provisioning(tmp_path)))
    assert result.returncode == 0, result.stderr
    pip = [a for a in actions(result.stdout) if "/pip " in a]
    assert pip == [
        f"{SOFTWARE}/venv/bin/pip install --quiet --no-index --find-links {wheels} "
        f"--upgrade '{REPO}[kiosk,agent]'"
    ]


def test_dry_run_uninstall_lists_removals(tmp_path):
    result = dry_run(tmp_path, "--uninstall", "--purge")
    assert result.returncode == 0, result.stderr
    done = actions(result.stdout)
    installed = Path("/etc/systemd/system/safe-airports-kiosk.service").exists()
    assert ("systemctl disable --now safe-airports-kiosk.service" in done) == installed
    tail = [
        "rm -rf /opt/safe-airports /usr/share/icons/safe-airports-blank",
        "rm -rf /etc/safe-airports /var/lib/safe-airports",
    ] + (["userdel kiosk"] if kiosk_user_exists() else [])
    assert done[-len(tail) :] == tail
    assert (
        "systemctl unmask sleep.target suspend.target hibernate.target hybrid-sleep.target" in done
    )


@pytest.mark.parametrize(
    ("args", "changes", "message"),
    [
        (["--rotation", "45"], {}, "rotation '45' is not one of 0, 90, 180, 270"),
        ([], {"token": ""}, "'token' is missing or empty"),
        ([], {"trusted_root": None}, "TUF root metadata ('trusted_root') is missing"),
        ([], {"server_url": "http://sa.example.org"}, "plain http"),
        ([], {"airport": None}, "pass --airport"),
        (["--airport", "TAS"], {}, "is for airport 'TMJ', not 'TAS'"),
        (["--purge"], {}, "--purge only goes with --uninstall"),
    ],
)
def test_bad_input_stops_before_any_action(tmp_path, args, changes, message):
    result = dry_run(tmp_path, *args, str(provisioning(tmp_path, **changes)))
    assert result.returncode != 0
    assert message in result.stderr
    assert actions(result.stdout) == []


def test_unsupported_system_is_refused(tmp_path):
    result = dry_run(tmp_path, str(provisioning(tmp_path)), os_release="debian11")
    assert result.returncode != 0
    assert "supports Debian 12 and Ubuntu 24.04, not 'debian 11'" in result.stderr
    assert actions(result.stdout) == []


def test_missing_provisioning_file_is_named(tmp_path):
    result = dry_run(tmp_path, str(tmp_path / "nope.json"))
    assert result.returncode != 0
    assert "nope.json: provisioning file not found" in result.stderr


def test_bad_json_gets_its_line(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{\n  "server_url": "https://x",\n  oops\n}')
    result = dry_run(tmp_path, str(bad))
    assert result.returncode != 0
    assert f"{bad}:3: not valid JSON" in result.stderr
