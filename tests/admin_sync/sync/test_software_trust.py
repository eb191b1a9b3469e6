"""Who may sign software: only the offline software key pinned in root; versions only grow.

The real signing code and python-tuf's Updater, served from the data folder (no network): the
online targets key (the server's) tries to list software itself, to re-delegate software to a
key of its own, and a software role signed by a wrong key is offered; each is refused.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from types import SimpleNamespace

import pytest
from tuf.api import exceptions
from tuf.ngclient import Updater

from admin_sync.agent.software_fetch import SoftwareRefused, download_wheels, fetch_manifest
from admin_sync.agent.software_store import SoftwareStore
from admin_sync.agent.software_update import SoftwareConfig, SoftwareUpdater
from admin_sync.agent.update import UPDATER_CONFIG
from admin_sync.datadir import DataDir
from admin_sync.keys import generate_key, load_key
from admin_sync.protocol import TUF_METADATA_PATH, TUF_PATH, TUF_TARGETS_PATH
from admin_sync.rollout import KioskIdentity
from admin_sync.software_cli import plan_software_release, publish_wheels
from admin_sync.software_manifest import (
    SoftwareManifest,
    SoftwareManifestError,
    WheelInfo,
)
from admin_sync.software_repo import _sign_software
from tests.admin_sync.sync.test_repository_ops import BASE, DirectoryFetcher, cli

WHEEL = "safe_airports-{v}-py3-none-any.whl"


@pytest.fixture
def repo(tmp_path: Path) -> tuple[DataDir, Path, bytes]:
    data = tmp_path / "data"
    usb = tmp_path / "usb"
    assert cli("init-keys", "--data", str(data), "--root-key", str(usb / "root.pem")) == 0
    provisioned_root = DataDir(data).repository().root_bytes()  # the kiosk's, from before
    software_key = usb / "software.pem"
    args = ["--data", str(data), "--root-key", str(usb / "root.pem")]
    assert cli("software-init", *args, "--software-key", str(software_key)) == 0
    folder = DataDir(data)
    publish_wheels(folder, {WHEEL.format(v="1.0.0"): b"wheel 1.0.0"}, software_key, who="t")
    return folder, software_key, provisioned_root


def updater(tmp_path: Path, data: DataDir, root: bytes) -> Updater:
    meta = tmp_path / "kiosk" / "tuf"
    meta.mkdir(parents=True, exist_ok=True)
    up = Updater(
        metadata_dir=str(meta),
        metadata_base_url=BASE + TUF_METADATA_PATH,
        target_base_url=BASE + TUF_TARGETS_PATH,
        fetcher=DirectoryFetcher(data.store()),
        config=UPDATER_CONFIG,
        bootstrap=root,
    )
    up.refresh()
    return up


def fetch(tmp_path: Path, data: DataDir, root: bytes) -> SoftwareManifest | None:
    up = updater(tmp_path, data, root)
    return fetch_manifest(up, tmp_path / "kiosk" / "tuf", tmp_path)


def test_the_pinned_software_role_is_trusted(tmp_path: Path, repo) -> None:
    data, _, root = repo
    manifest = fetch(tmp_path, data, root)  # root v1 -> v2 (the pin) walked by python-tuf
    assert manifest is not None and manifest.version == "1.0.0"
    up = updater(tmp_path, data, root)
    name = WHEEL.format(v="1.0.0")
    assert download_wheels(up, manifest, [name], tmp_path / "wheels") == len(b"wheel 1.0.0")
    assert (tmp_path / "wheels" / name).read_bytes() == b"wheel 1.0.0"
    # a content release (online key) keeps the delegation
    repo_ = data.repository()
    repo_.put_targets({"release-note.txt": b"x"}, data.online_signers())
    assert fetch(tmp_path, data, root) == manifest


def test_software_listed_by_the_online_targets_key_is_refused(tmp_path: Path, repo) -> None:
    data, _, root = repo
    evil = SoftwareManifest("9.0.0", "now", {WHEEL.format(v="9.0.0"): WheelInfo(4, "0" * 64)})
    data.repository().put_targets({"software/release.json": evil.to_bytes()}, data.online_signers())
    with pytest.raises(SoftwareRefused, match="top-level targets role lists software"):
        fetch(tmp_path, data, root)


def test_a_re_delegation_by_the_online_key_is_refused(tmp_path: Path, repo) -> None:
    data, _, root = repo
    r = data.repository()
    attacker = generate_key()
    targets = r.targets().signed
    targets.version += 1
    role = targets.delegations.roles["software"]
    old_keyid = role.keyids[0]
    targets.delegations.keys = {attacker.public_key.keyid: attacker.public_key}
    role.keyids = [attacker.public_key.keyid]
    assert old_keyid != attacker.public_key.keyid
    soft_files, soft_meta = _sign_software(r, 99, {}, attacker)
    files = {**soft_files}
    files.update(
        r._chain(
            r.root().signed,
            data.online_signers(),
            new_targets=targets,
            new_snapshot=True,
            extra_meta={"software.json": soft_meta},
        )
    )
    r.store.commit_metadata(files)
    with pytest.raises(SoftwareRefused, match="does not pin"):
        fetch(tmp_path, data, root)


def test_software_signed_by_a_wrong_key_is_refused(tmp_path: Path, repo, capsys) -> None:
    data, software_key, root = repo
    wrong = tmp_path / "wrong.pem"
    assert cli("init-keys", "--data", str(tmp_path / "other"), "--root-key", str(wrong)) == 0
    wheel = tmp_path / WHEEL.format(v="2.0.0")
    wheel.write_bytes(b"wheel 2.0.0")
    args = [str(wheel), "--data", str(data.path)]
    assert cli("software-publish", *args, "--software-key", str(wrong)) == 1
    assert "not the one the repository delegates software to" in capsys.readouterr().err
    # signed anyway (a forged software.json in place of the real one): python-tuf refuses it
    r = data.repository()
    soft_files, soft_meta = _sign_software(r, 5, {}, load_key(wrong))
    files = dict(soft_files)
    files.update(
        r._chain(
            r.root().signed,
            data.online_signers(),
            new_targets=None,
            new_snapshot=True,
            extra_meta={"software.json": soft_meta},
        )
    )
    r.store.commit_metadata(files)
    with pytest.raises(exceptions.UnsignedMetadataError):
        fetch(tmp_path, data, root)


def test_versions_only_grow_and_unchanged_wheels_are_carried_over() -> None:
    dep = "requests-2.32.0-py3-none-any.whl"
    first = plan_software_release(
        {WHEEL.format(v="1.0.0"): b"a", dep: b"r"}, None, published_at="t"
    )
    second = plan_software_release({WHEEL.format(v="1.1.0"): b"b"}, first, published_at="t")
    assert set(second.wheels) == {WHEEL.format(v="1.1.0"), dep}
    assert second.wheels[dep] == WheelInfo(1, hashlib.sha256(b"r").hexdigest())
    for older in ("1.1.0", "1.0.9", "1.1"):
        with pytest.raises(SoftwareManifestError, match="not newer"):
            plan_software_release({WHEEL.format(v=older): b"c"}, second, published_at="t")
    with pytest.raises(SoftwareManifestError, match="no wheel of the project"):
        plan_software_release({dep: b"r"}, None, published_at="t")


def test_the_agent_never_downgrades_nor_retries_a_failed_version(tmp_path: Path, repo) -> None:
    data, software_key, root = repo
    store = SoftwareStore(tmp_path / "software")
    store.versions.mkdir(parents=True)
    for v in ("1.0.0", "1.1.0"):
        store.version_dir(v).mkdir()
        store.mark_complete(v, {})
    store.switch_to("1.1.0")
    agent = SimpleNamespace(
        server_url=BASE,
        tuf_url=BASE + TUF_PATH,
        make_fetcher=lambda: DirectoryFetcher(data.store()),
        provisioning=SimpleNamespace(root_bytes=lambda: root),
        identity=lambda: KioskIdentity("tas-1", "TAS"),
    )
    config = SoftwareConfig(
        software_dir=store.root,
        restart_command=["false"],
        health_seconds=10,
        first_frame_path=tmp_path / "frame.json",
        state_dir=tmp_path / "kiosk",
    )
    updater_ = SoftwareUpdater(config, running_version="1.1.0")
    # the live release is 1.0.0, older than the running 1.1.0: ignored
    assert updater_.check(agent) == "software 1.0.0 not newer than 1.1.0"  # type: ignore[arg-type]
    # 1.2.0 failed here before (recorded), and is offered again: ignored too
    store.record_failure("1.2.0", "1.1.0", "no first frame")
    updater_._mark_tried("1.2.0")
    wheel = {WHEEL.format(v="1.2.0"): b"wheel 1.2.0"}
    publish_wheels(data, wheel, software_key, who="t")
    assert updater_.check(agent) == "software 1.2.0 not newer than 1.2.0"  # type: ignore[arg-type]
    assert store.current() == "1.1.0" and not store.version_dir("1.2.0").exists()
