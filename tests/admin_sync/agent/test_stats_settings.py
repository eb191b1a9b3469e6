"""Statistics and console settings: declared as data, each documented in STATISTICS.md."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from admin_sync.agent.stats_outbox import OutboxSettings, StatsStep
from admin_sync.server.console.settings import ConsoleSettings
from admin_sync.server.stats_api import StatsSettings
from content.settings_base import SettingsError, describe

DOC = Path(__file__).resolve().parents[3] / "admin_sync" / "STATISTICS.md"


@pytest.mark.parametrize("cls", [OutboxSettings, StatsSettings, ConsoleSettings])
def test_every_setting_has_help_and_a_documented_row(cls) -> None:
    text = DOC.read_text(encoding="utf-8")
    for info in describe(cls):
        assert len(info.help) > 15, info.name
        assert re.search(rf"^\| `{info.name}` \| ", text, re.M), f"{info.name} not in {DOC}"


def test_documented_rows_exist() -> None:
    documented = set(re.findall(r"^\| `([a-z_]+)` \| ", DOC.read_text(encoding="utf-8"), re.M))
    declared = {
        i.name for cls in (OutboxSettings, StatsSettings, ConsoleSettings) for i in describe(cls)
    }
    assert documented == declared


def test_outbox_settings_from_the_sync_table(tmp_path) -> None:
    settings = OutboxSettings.from_sync_table(
        {"provisioning_file": "p.json", "stats_k": 7, "stats_max_pending": "30"}, where="kiosk.toml"
    )
    assert settings.k == 7 and settings.max_pending == 30
    with pytest.raises(
        SettingsError, match=r"kiosk.toml \[sync\] stats_\*: unknown setting\(s\) kay"
    ):
        OutboxSettings.from_sync_table({"stats_kay": 7}, where="kiosk.toml")
    with pytest.raises(SettingsError, match="stats_k: must be at least 5"):
        OutboxSettings.from_sync_table({"stats_k": 2}, where="kiosk.toml")
    toml = tmp_path / "kiosk.toml"
    toml.write_text('[sync]\nprovisioning_file = "p.json"\nstats_k = 9\n')

    class Config:
        source = toml

    assert StatsStep.from_config(Config()).settings.k == 9


def test_console_settings_from_environment() -> None:
    s = ConsoleSettings.from_environ(
        {
            "SAFE_AIRPORTS_CONSOLE_SECURE_COOKIES": "always",
            "SAFE_AIRPORTS_CONSOLE_SESSION_HOURS": "2",
        }
    )
    assert s.secure_cookies == "always" and s.session_hours == 2
    with pytest.raises(ValueError, match="secure_cookies must be auto, always or never"):
        ConsoleSettings.from_environ({"SAFE_AIRPORTS_CONSOLE_SECURE_COOKIES": "sometimes"})


def test_the_server_command_passes_console_settings_from_its_environment(tmp_path) -> None:
    import os
    import subprocess
    import sys

    from admin_sync.server.app import create_app
    from admin_sync.server.settings import ServerSettings

    app = create_app(
        ServerSettings(data_dir=tmp_path / "data"),
        console_settings=ConsoleSettings(public_server_url="https://kiosks.example.org"),
    )
    assert app.state.console.settings.public_server_url == "https://kiosks.example.org"
    env = {**os.environ, "SAFE_AIRPORTS_CONSOLE_SECURE_COOKIES": "sometimes"}
    done = subprocess.run(
        [sys.executable, "-m", "safe_airports_cli", "server", "--data", str(tmp_path / "data")],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "secure_cookies must be auto, always or never, got 'sometimes'" in done.stderr
