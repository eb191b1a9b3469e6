from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from content.settings_base import describe, markdown_table
from kiosk.settings import KioskSettings, SettingsError, help_text, load_settings

SETTINGS = describe(KioskSettings)
README = Path(__file__).resolve().parents[2] / "kiosk" / "README.md"


def test_every_setting_is_declared_documented_and_printed() -> None:
    text = help_text()
    for setting in SETTINGS:
        assert len(setting.help) > 20, setting.name
        assert f"{setting.name} ({setting.type_name}, default " in text
        assert setting.help in text
    assert "sync_state_dir" not in text and "source" not in {s.name for s in SETTINGS}


def test_the_readme_table_is_the_declaration() -> None:
    section = README.read_text(encoding="utf-8").split("\n## Settings\n")[1]
    assert markdown_table(KioskSettings) in section


def test_contract_keys_are_settings() -> None:
    names = {s.name for s in SETTINGS}
    assert {
        "airport",
        "kiosk_id",
        "content_dir",
        "usage_file",
        "idle_seconds",
        "countdown_seconds",
        "maintenance_pin_hash",
        "fallback_cache_dir",
    } <= names


def test_defaults_without_a_file() -> None:
    assert load_settings(None) == KioskSettings()
    assert KioskSettings().idle_seconds == 60 and KioskSettings().countdown_seconds == 20


def test_reads_a_file_and_leaves_the_sync_table_to_the_agent(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.toml"
    path.write_text(
        'airport = "FRU"\nkiosk_id = "fru-1"\nidle_seconds = 90\ncontent_dir = "/srv/c"\n'
        '[sync]\nserver_url = "https://x"\nstate_dir = "/var/lib/sa/agent"\n'
    )
    s = load_settings(path)
    assert (s.airport, s.kiosk_id, s.idle_seconds) == ("FRU", "fru-1", 90)
    assert s.content_dir == Path("/srv/c")
    assert s.sync_state_dir == Path("/var/lib/sa/agent")


@pytest.mark.parametrize(
    ("line", "words"),
    [
        ('idle_seconds = "sixty"', ["idle_seconds", "'sixty'", "whole number"]),
        ("idle_seconds = 2", ["idle_seconds", "2", "from 10 to 3600"]),
        ("countdown_seconds = true", ["countdown_seconds", "True", "whole number"]),
        ('airport = "tashkent"', ["airport", "'tashkent'", "IATA"]),
        ('kiosk_id = "a b"', ["kiosk_id", "'a b'", "letters"]),
        ('maintenance_pin_hash = "1234"', ["maintenance_pin_hash", "pbkdf2_sha256"]),
        ('content_dir = ""', ["content_dir", "empty", "path"]),
        ("idle_secs = 5", ["unknown setting(s) idle_secs", "idle_seconds"]),
        ('idle_seconds = "60"', ["idle_seconds", "'60'", "whole number"]),
        ("sync_state_dir = 'x'", ["unknown setting(s) sync_state_dir"]),
        ("idle_seconds = ", ["not valid TOML"]),
    ],
)
def test_bad_settings_say_which_what_and_expected(tmp_path: Path, line: str, words: list) -> None:
    path = tmp_path / "kiosk.toml"
    path.write_text(line + "\n")
    with pytest.raises(SettingsError) as info:
        load_settings(path)
    message = str(info.value)
    assert str(path) in message
    for word in words:
        assert word in message


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="cannot read the settings file"):
        load_settings(tmp_path / "nope.toml")


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "safe_airports_cli", "kiosk", *args],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=Path(__file__).resolve().parents[2],
    )


def test_help_settings_command_prints_every_setting() -> None:
    result = _cli("--help-settings")
    assert result.returncode == 0, result.stderr
    for setting in SETTINGS:
        assert setting.name in result.stdout


def test_bad_config_exits_with_a_clear_message(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.toml"
    path.write_text("idle_seconds = 1\n")
    result = _cli("--config", str(path), "--platform", "offscreen")
    assert result.returncode == 2
    assert "idle_seconds" in result.stderr and "from 10 to 3600" in result.stderr


def test_relative_paths_are_taken_from_the_settings_file_folder(tmp_path: Path) -> None:
    path = tmp_path / "etc" / "kiosk.toml"
    path.parent.mkdir()
    path.write_text(
        'content_dir = "content"\nusage_file = "/abs/usage.db"\n[sync]\nstate_dir = "sync"\n'
    )
    s = load_settings(path)
    assert s.content_dir == tmp_path / "etc" / "content"
    assert s.usage_file == Path("/abs/usage.db")
    assert s.sync_state_dir == tmp_path / "etc" / "sync"


@pytest.mark.parametrize("value", ["2", "4", '"five"', "true"])
def test_a_stats_k_the_server_would_refuse_stops_the_kiosk(tmp_path: Path, value: str) -> None:
    """Privacy settings agree (issue 9, item 5): the kiosk does not start with a k under the
    shared MIN_K, which the server would refuse (losing the figures)."""
    from admin_sync.stats_wire import MIN_K

    path = tmp_path / "kiosk.toml"
    path.write_text(f"[sync]\nstats_k = {value}\n")
    with pytest.raises(SettingsError) as info:
        load_settings(path)
    message = str(info.value)
    assert str(path) in message and "[sync] stats_k" in message
    assert f"at least {MIN_K}" in message or "whole number" in message
    path.write_text(f"[sync]\nstats_k = {MIN_K}\n")
    load_settings(path)


def test_the_kiosk_command_refuses_a_small_stats_k(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.toml"
    path.write_text("[sync]\nstats_k = 2\n")
    result = _cli("--config", str(path), "--platform", "offscreen")
    assert result.returncode == 2
    assert "stats_k" in result.stderr and "at least 5" in result.stderr
