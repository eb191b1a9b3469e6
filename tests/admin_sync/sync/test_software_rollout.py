"""Staged rollout of software releases: the audience is signed by the offline software key.

A real data folder, the real signing code and python-tuf's Updater reading it (no network):
software 1.1.0 staged to airport TMJ reaches an agent at TMJ and not one at TAS; after
`software-rollout promote --all` both; a halt withdraws the offer; a rollout widened with the
online targets key instead of the software key is refused by TUF.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from tuf.api import exceptions

from admin_sync.agent.software_store import SoftwareStore
from admin_sync.agent.software_update import SoftwareConfig, SoftwareUpdater
from admin_sync.datadir import DataDir
from admin_sync.protocol import TUF_PATH
from admin_sync.rollout import KioskIdentity, Rollout
from admin_sync.software_manifest import SOFTWARE_MANIFEST_TARGET
from admin_sync.software_repo import _commit_software, live_software_rollout, load_software
from tests.admin_sync.sync.test_repository_ops import BASE, DirectoryFetcher, cli
from tests.admin_sync.sync.test_software_trust import WHEEL
from tests.admin_sync.sync.test_software_trust import repo as repo  # noqa: F401  (fixture)

SWITCHED = "switched to software 1.1.0"
TMJ = KioskIdentity("tmj-00000001", "TMJ")
TAS = KioskIdentity("tas-00000002", "TAS", ring=1)


def kiosk_updater(tmp_path: Path, name: str) -> SoftwareUpdater:
    """An agent's software updater running 1.0.0, restart = `true` (a real command)."""
    store = SoftwareStore(tmp_path / name / "software")
    store.versions.mkdir(parents=True)
    store.version_dir("1.0.0").mkdir()
    store.mark_complete("1.0.0", {})
    store.switch_to("1.0.0")
    config = SoftwareConfig(
        software_dir=store.root,
        restart_command=["true"],
        health_seconds=10,
        first_frame_path=tmp_path / name / "frame.json",
        state_dir=tmp_path / name / "state",
    )
    return SoftwareUpdater(config, running_version="1.0.0")


@pytest.fixture(autouse=True)
def no_pip(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The install step (pip into a new venv, tested in test_software_recovery and the e2e
    test) is replaced by marking the version complete: these tests ask who is offered what."""
    installed: list[str] = []

    def install(store: SoftwareStore, manifest, downloads: Path, **_: object) -> list[str]:
        assert all((downloads / name).is_file() for name in manifest.wheels)  # fetched via TUF
        store.version_dir(manifest.version).mkdir(parents=True)
        store.mark_complete(manifest.version, {})
        installed.append(manifest.version)
        return list(manifest.wheels)

    monkeypatch.setattr("admin_sync.agent.software_update.install_version", install)
    return installed


def check(updater: SoftwareUpdater, data: DataDir, root: bytes, who: KioskIdentity) -> str:
    """One software check of an agent that is `who`, against the data folder."""
    agent = SimpleNamespace(
        server_url=BASE,
        tuf_url=BASE + TUF_PATH,
        make_fetcher=lambda: DirectoryFetcher(data.store()),
        provisioning=SimpleNamespace(root_bytes=lambda: root),
        identity=lambda: who,
    )
    return updater.check(agent)  # type: ignore[arg-type]


def test_a_staged_software_release_reaches_only_its_audience(tmp_path: Path, repo, capsys) -> None:
    data, software_key, root = repo
    wheel = tmp_path / WHEEL.format(v="1.1.0")
    wheel.write_bytes(b"wheel 1.1.0")
    key = ["--data", str(data.path), "--software-key", str(software_key)]
    assert cli("software-publish", str(wheel), *key, "--first-to-airports", "TMJ") == 0
    assert "offered to airport TMJ" in capsys.readouterr().out
    assert live_software_rollout(data.repository()) == Rollout(airports=frozenset({"TMJ"}))
    at_tmj, at_tas = kiosk_updater(tmp_path, "tmj"), kiosk_updater(tmp_path, "tas")
    assert check(at_tmj, data, root, TMJ) == SWITCHED
    assert check(at_tas, data, root, TAS) == "software 1.1.0 not offered to this kiosk"
    assert at_tas.store.current() == "1.0.0"  # kept what it has
    assert at_tmj.store.current() == "1.1.0"

    # promote to ring 1 (TAS's ring), then to all: both are offered it
    assert cli("software-rollout", "promote", *key, "--ring", "1") == 0
    assert check(kiosk_updater(tmp_path, "tas2"), data, root, TAS) == SWITCHED
    assert cli("software-rollout", "promote", *key, "--all") == 0
    assert "offered to all kiosks" in capsys.readouterr().out
    assert check(kiosk_updater(tmp_path, "tas3"), data, root, TAS) == SWITCHED
    assert check(kiosk_updater(tmp_path, "tmj2"), data, root, TMJ) == SWITCHED
    assert cli("software-rollout", "promote", *key, "--all") == 1  # already everyone's
    assert "already offered to all" in capsys.readouterr().err

    # halt: nobody more is offered it; status says so
    assert cli("software-rollout", "halt", *key) == 0
    assert check(kiosk_updater(tmp_path, "tmj3"), data, root, TMJ) == (
        "software 1.1.0 not offered to this kiosk"
    )
    assert cli("software-rollout", "status", "--data", str(data.path)) == 0
    assert "software 1.1.0 is offered to nobody" in capsys.readouterr().out
    actions = [e.action for e in data.audit_log().entries(limit=3)]
    assert actions == ["halt", "promote", "promote"]


def test_promote_needs_the_software_key(tmp_path: Path, repo, capsys) -> None:
    data, software_key, root = repo
    wheel = tmp_path / WHEEL.format(v="1.1.0")
    wheel.write_bytes(b"wheel 1.1.0")
    key = ["--data", str(data.path), "--software-key", str(software_key)]
    assert cli("software-publish", str(wheel), *key, "--first-to-kiosks", TMJ.kiosk_id) == 0
    wrong = tmp_path / "wrong.pem"
    assert cli("init-keys", "--data", str(tmp_path / "other"), "--root-key", str(wrong)) == 0
    args = ["--data", str(data.path), "--software-key", str(wrong)]
    assert cli("software-rollout", "promote", *args, "--all") == 1
    assert "not the one the repository delegates software to" in capsys.readouterr().err
    assert cli("software-rollout", "promote", "--data", str(data.path), "--all") == 1
    assert cli("software-publish", str(wheel), *key, "--first-to-ring", "12") == 1
    assert "ring 12" in capsys.readouterr().err

    # the server (online targets key) widens the rollout itself: python-tuf refuses it
    r = data.repository()
    software = load_software(r)
    assert software is not None
    targets = dict(software.signed.targets)
    targets[SOFTWARE_MANIFEST_TARGET].unrecognized_fields["custom"]["rollout"] = "all"
    _commit_software(r, targets, data.online_signers()["targets"], data.online_signers())
    at_tas = kiosk_updater(tmp_path, "tas")
    with pytest.raises(exceptions.UnsignedMetadataError):
        check(at_tas, data, root, TAS)
    assert at_tas.store.current() == "1.0.0"
