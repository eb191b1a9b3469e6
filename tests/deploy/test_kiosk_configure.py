"""deploy/kiosk/configure.py: the files the installer writes, checked by reading them back."""

from __future__ import annotations

import grp
import json
import os
import pwd
import struct
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CONFIGURE = REPO / "deploy" / "kiosk" / "configure.py"


def configure(*args: str | Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(CONFIGURE), *map(str, args)],
        capture_output=True,
        text=True,
        timeout=60,
    )


def me() -> str:
    return pwd.getpwuid(os.getuid()).pw_name


@pytest.fixture
def prov(tmp_path: Path) -> Path:
    path = tmp_path / "provisioning.json"
    path.write_text(
        json.dumps(
            {
                "server_url": "https://safe-airports.example.org",
                "kiosk_id": "tmj-0a1b2c3d",
                "token": "kiosk_abc\n",
                "airport": "TMJ",
                "trusted_root": {"signed": {"_type": "root"}, "signatures": []},
            }
        )
    )
    return path


def test_kiosk_config_and_token(tmp_path, prov):
    config, token = tmp_path / "kiosk.toml", tmp_path / "token"
    result = configure("kiosk-config", prov, "--config", config, "--token", token, "--owner", me())
    assert result.returncode == 0, result.stderr
    assert tomllib.loads(config.read_text()) == {
        "airport": "TMJ",
        "kiosk_id": "tmj-0a1b2c3d",
        "content_dir": "/var/lib/safe-airports/content",
        "usage_file": "/var/lib/safe-airports/usage/usage.sqlite",
        "fallback_cache_dir": "/var/cache/safe-airports-kiosk/fallback",
        "sync": {
            "provisioning_file": "/etc/safe-airports/provisioning.json",
            "server_url": "https://safe-airports.example.org",
            "token_file": str(token),
            "state_dir": "/var/lib/safe-airports/sync",
            "software_dir": "/var/lib/safe-airports/software",
        },
    }
    assert token.read_text() == "kiosk_abc\n"
    assert token.stat().st_mode & 0o777 == 0o600
    assert config.stat().st_mode & 0o777 == 0o640
    assert grp.getgrgid(config.stat().st_gid).gr_name == me()


def test_rerun_keeps_local_settings_and_updates_owned_ones(tmp_path, prov):
    config, token = tmp_path / "kiosk.toml", tmp_path / "token"
    config.write_text(
        'airport = "TAS"\nidle_seconds = 90\nmaintenance_pin_hash = "x$y"\n'
        '[sync]\ninterval_seconds = 600\nserver_url = "https://old.example.org"\n'
    )
    result = configure("kiosk-config", prov, "--config", config, "--token", token)
    assert result.returncode == 0, result.stderr
    data = tomllib.loads(config.read_text())
    assert data["airport"] == "TMJ"
    assert data["idle_seconds"] == 90
    assert data["maintenance_pin_hash"] == "x$y"
    assert data["sync"]["interval_seconds"] == 600
    assert data["sync"]["server_url"] == "https://safe-airports.example.org"
    again = config.read_text()
    configure("kiosk-config", prov, "--config", config, "--token", token)
    assert config.read_text() == again  # idempotent


def test_broken_existing_config_is_reported_not_overwritten(tmp_path, prov):
    config = tmp_path / "kiosk.toml"
    config.write_text("airport = \n")
    result = configure("kiosk-config", prov, "--config", config, "--token", tmp_path / "t")
    assert result.returncode == 1
    assert f"{config}: existing configuration is not valid TOML" in result.stderr
    assert config.read_text() == "airport = \n"


def test_display_keeps_what_is_not_given(tmp_path):
    conf = tmp_path / "display.conf"
    assert configure("display", "--out", conf, "--rotation", "90").returncode == 0
    assert configure("display", "--out", conf, "--output", "HDMI-A-1").returncode == 0
    values = dict(
        line.split("=", 1) for line in conf.read_text().splitlines() if not line.startswith("#")
    )
    assert values == {"ROTATION": "90", "TOUCH_ROTATION": "", "OUTPUT": "HDMI-A-1"}
    bad = configure("display", "--out", conf, "--rotation", "45")
    assert bad.returncode == 1
    assert "rotation '45' is not one of 0, 90, 180, 270" in bad.stderr


def test_display_conf_is_readable_by_the_session_script_shell(tmp_path):
    conf = tmp_path / "display.conf"
    configure("display", "--out", conf, "--rotation", "270", "--output", "DSI-1")
    shown = subprocess.run(
        ["bash", "-c", f'set -a; . "{conf}"; echo "$ROTATION/$OUTPUT"'],
        capture_output=True,
        text=True,
        check=True,
    )
    assert shown.stdout.strip() == "270/DSI-1"


@pytest.mark.parametrize(
    ("screen", "touch", "matrix"),
    [
        ("90", None, "0 -1 1 1 0 0"),
        ("180", None, "-1 0 1 0 -1 1"),
        ("270", None, "0 1 0 -1 0 1"),
        ("0", "90", "0 -1 1 1 0 0"),
        ("90", "0", None),
        ("0", None, None),
    ],
)
def test_touch_rule_follows_the_rotation(tmp_path, screen, touch, matrix):
    conf, rule = tmp_path / "display.conf", tmp_path / "90-touch.rules"
    args = ["display", "--out", conf, "--rotation", screen]
    if touch is not None:
        args += ["--touch-rotation", touch]
    assert configure(*args).returncode == 0
    assert configure("touch-rule", "--display", conf, "--out", rule).returncode == 0
    rules = [line for line in rule.read_text().splitlines() if not line.startswith("#")]
    if matrix is None:
        assert rules == []
    else:
        assert rules == [
            'ACTION=="add|change", KERNEL=="event[0-9]*", ENV{ID_INPUT_TOUCHSCREEN}=="1", '
            f'ENV{{LIBINPUT_CALIBRATION_MATRIX}}="{matrix}"'
        ]


def test_blank_cursor_theme_is_a_valid_transparent_xcursor(tmp_path):
    theme = tmp_path / "safe-airports-blank"
    assert configure("blank-cursor", theme).returncode == 0
    assert configure("blank-cursor", theme).returncode == 0  # again: idempotent
    data = (theme / "cursors" / "left_ptr").read_bytes()
    magic, header, version, ntoc = struct.unpack_from("<4sIII", data, 0)
    assert (magic, header, version, ntoc) == (b"Xcur", 16, 0x10000, 1)
    chunk_type, size, position = struct.unpack_from("<III", data, 16)
    assert chunk_type == 0xFFFD0002
    fields = struct.unpack_from("<9I", data, position)
    assert fields[:2] == (36, 0xFFFD0002)
    width, height = fields[4], fields[5]
    pixels = struct.unpack_from(f"<{width * height}I", data, position + 36)
    assert all(pixel >> 24 == 0 for pixel in pixels)  # alpha 0: invisible
    assert len(data) == position + 36 + 4 * width * height
    for name in ("default", "pointer", "text", "hand2"):
        assert os.readlink(theme / "cursors" / name) == "left_ptr"
    assert "Name=safe-airports-blank" in (theme / "index.theme").read_text()


def test_check_summarises_a_good_file(prov):
    result = configure("check", prov)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "kiosk tmj-0a1b2c3d at TMJ, server https://safe-airports.example.org"
    )


def test_a_real_provisioning_file_gives_a_config_the_agent_accepts(tmp_path):
    """`admin add-kiosk` writes the file, the installer's configure turns it into kiosk.toml,
    and the sync agent's own settings loader reads that kiosk.toml without complaint."""
    from admin_sync.agent.settings import config_from_mapping

    data = tmp_path / "server"
    cli = [sys.executable, "-m", "safe_airports_cli", "admin"]
    for args in (
        ["init-keys", "--data", str(data), "--root-key", str(tmp_path / "root.pem")],
        [
            "add-kiosk", "--airport", "TMJ", "--name", "TMJ-01", "--data", str(data),
            "--server-url", "https://safe-airports.example.org/", "--out", str(tmp_path / "p.json"),
        ],
    ):  # fmt: skip
        done = subprocess.run(cli + args, capture_output=True, text=True, cwd=REPO, timeout=120)
        assert done.returncode == 0, done.stderr
    config, token = tmp_path / "kiosk.toml", tmp_path / "token"
    result = configure("kiosk-config", tmp_path / "p.json", "--config", config, "--token", token)
    assert result.returncode == 0, result.stderr
    raw = tomllib.loads(config.read_text())
    agent = config_from_mapping(raw, where=str(config))
    assert agent.kiosk_id == raw["kiosk_id"] and agent.kiosk_id.startswith("tmj-")
    assert agent.sync.server_url == "https://safe-airports.example.org"
    assert str(agent.sync.token_file) == str(token)
    assert str(agent.usage_file) == "/var/lib/safe-airports/usage/usage.sqlite"
    assert token.read_text().strip() == json.loads((tmp_path / "p.json").read_text())["token"]


def test_the_kiosk_app_accepts_the_config_with_a_maintenance_pin(tmp_path, prov):
    from kiosk.pin import check_pin, hash_pin
    from kiosk.settings import settings_from_mapping

    config, token = tmp_path / "kiosk.toml", tmp_path / "token"
    pin_hash = hash_pin("482916")
    result = configure(
        "kiosk-config", prov, "--config", config, "--token", token,
        "--maintenance-pin-hash", pin_hash,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    settings = settings_from_mapping(tomllib.loads(config.read_text()), where=str(config))
    assert settings.airport == "TMJ"
    assert settings.kiosk_id == "tmj-0a1b2c3d"
    assert str(settings.fallback_cache_dir) == "/var/cache/safe-airports-kiosk/fallback"
    assert check_pin("482916", settings.maintenance_pin_hash)
    # running again without the option keeps the PIN
    assert configure("kiosk-config", prov, "--config", config, "--token", token).returncode == 0
    assert tomllib.loads(config.read_text())["maintenance_pin_hash"] == pin_hash


def test_a_pin_instead_of_its_hash_is_refused(tmp_path, prov):
    result = configure(
        "kiosk-config", prov, "--config", tmp_path / "k.toml", "--token", tmp_path / "t",
        "--maintenance-pin-hash", "1234",
    )  # fmt: skip
    assert result.returncode == 1
    assert "python -m kiosk.pin" in result.stderr
    assert not (tmp_path / "k.toml").exists()
