"""Settings are declared as data; each is documented in admin_sync/README.md, and bad values
get a message naming the setting and the file."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from admin_sync.agent.backoff import next_delay
from admin_sync.agent.settings import SyncSettings, config_from_mapping, load_config
from admin_sync.server.settings import ServerSettings
from content.settings_base import SettingsError, describe

README = Path(__file__).resolve().parents[3] / "admin_sync" / "README.md"


@pytest.mark.parametrize("cls", [ServerSettings, SyncSettings])
def test_every_setting_has_help_and_a_row_in_the_readme(cls):
    text = README.read_text(encoding="utf-8")
    for info in describe(cls):
        assert len(info.help) > 15, info.name
        assert re.search(rf"^\| `{info.name}` \| ", text, re.M), f"{info.name} not in {README}"


@pytest.mark.parametrize("cls", [ServerSettings, SyncSettings])
def test_readme_documents_no_setting_that_does_not_exist(cls):
    text = README.read_text(encoding="utf-8")
    section = text.split("## Server settings")[1] if cls is ServerSettings else text
    section = section.split("## Agent settings")[0 if cls is ServerSettings else 1]
    section = section.split("## Extending")[0]
    documented = set(re.findall(r"^\| `([a-z_]+)` \| ", section, re.M))
    assert documented == {i.name for i in describe(cls)}


def test_server_settings_from_environment_and_overrides(tmp_path):
    s = ServerSettings.from_environ(
        {"SAFE_AIRPORTS_TIMESTAMP_EXPIRY_SECONDS": "3600", "SAFE_AIRPORTS_PORT": "9000"},
        {"data_dir": str(tmp_path), "port": 9100},
    )
    assert s.timestamp_expiry_seconds == 3600 and s.port == 9100
    assert s.expiries().timestamp.total_seconds() == 3600
    with pytest.raises(SettingsError, match="'port' must be int"):
        ServerSettings.from_environ({"SAFE_AIRPORTS_PORT": "eighty"}, {"data_dir": "x"})
    with pytest.raises(SettingsError, match="required setting 'data_dir'"):
        ServerSettings.from_environ({}, {})


def test_agent_config_errors_name_the_setting_and_file(tmp_path):
    with pytest.raises(SettingsError, match=r"kiosk.toml \[sync\]: unknown setting\(s\) intervall"):
        config_from_mapping(
            {"sync": {"provisioning_file": "p", "intervall": 5}}, where="kiosk.toml"
        )
    with pytest.raises(SettingsError, match="no \\[sync\\] table"):
        config_from_mapping({"airport": "TAS"}, where="kiosk.toml")
    bad = tmp_path / "kiosk.toml"
    bad.write_text('[sync]\nprovisioning_file = "p.json"\nheartbeat = "maybe"\n')
    with pytest.raises(SettingsError, match="'heartbeat' must be bool"):
        load_config(bad)


def test_agent_config_resolves_paths_next_to_the_file_and_skips_stats_keys(tmp_path):
    path = tmp_path / "kiosk.toml"
    path.write_text(
        'content_dir = "content"\nkiosk_id = "tas-1"\n'
        '[sync]\nprovisioning_file = "prov.json"\nstate_dir = "/abs/sync"\nstats_k = 5\n'
    )
    config = load_config(path)
    assert config.sync.provisioning_file == tmp_path / "prov.json"
    assert config.sync.state_dir == Path("/abs/sync")
    assert config.content_dir == tmp_path / "content"


def test_backoff_grows_exponentially_with_jitter_and_is_capped():
    settings = SyncSettings(
        provisioning_file=Path("p"),
        interval_seconds=300,
        backoff_initial_seconds=10,
        backoff_max_seconds=100,
        jitter_fraction=0.2,
    )
    rng = random.Random(7)
    assert 240 <= next_delay(0, settings, rng) <= 360
    for failures, base in [(1, 10), (2, 20), (3, 40), (4, 80), (5, 100), (50, 100)]:
        delays = [next_delay(failures, settings, rng) for _ in range(200)]
        assert all(0.8 * base <= d <= 1.2 * base for d in delays), failures
        assert max(delays) - min(delays) > 0.1 * base  # actually jittered
