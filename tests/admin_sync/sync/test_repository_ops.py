"""The administrator's commands on a real data folder (in-process CLI): publishing with
validation, rollback as a new version, key rotation and timestamp re-signing, atomic
generations; kiosks read the folder through a fetcher over the repository files."""

from __future__ import annotations

import json
import shutil
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from tuf.api import exceptions
from tuf.api.metadata import Metadata
from tuf.ngclient import FetcherInterface

import safe_airports_cli
from admin_sync.agent.update import check_for_update
from admin_sync.datadir import DataDir
from admin_sync.protocol import TUF_METADATA_PATH, TUF_TARGETS_PATH
from admin_sync.repo_store import DirectoryStore
from admin_sync.tuf_repo import Expiries
from tests.admin_sync.sync.kiosk_under_test import SAMPLE_DIR, Kiosk, article_text

BASE = "http://data-folder.invalid"
SENTENCE = "A sentence added for the repository tests."


class DirectoryFetcher(FetcherInterface):
    """Serves a server data folder's live repository to python-tuf, as the server would."""

    def __init__(self, store: DirectoryStore) -> None:
        self.store = store

    def _fetch(self, url: str) -> Iterator[bytes]:
        path = url[len(BASE) :]
        if path.startswith(TUF_METADATA_PATH):
            data = self.store.read_metadata(path[len(TUF_METADATA_PATH) :])
        else:
            data = self.store.read_target(path[len(TUF_TARGETS_PATH) :])
        if data is None:
            raise exceptions.DownloadHTTPError(f"{url}: not found", 404)
        return iter([data])


def cli(*args: str) -> int:
    return safe_airports_cli.main(["admin", *args])


@pytest.fixture
def folder(tmp_path: Path) -> tuple[DataDir, Path]:
    data = tmp_path / "data"
    root_key = tmp_path / "usb" / "root.pem"
    assert cli("init-keys", "--data", str(data), "--root-key", str(root_key)) == 0
    return DataDir(data), root_key


def update(kiosk: Kiosk, data: DataDir, root: bytes):
    return check_for_update(
        server_url=BASE,
        trusted_root=root,
        state_dir=kiosk.state_dir,
        fetcher=DirectoryFetcher(data.store()),
        installer=kiosk.installer,
    )


def edited_copy(tmp_path: Path) -> Path:
    edited = tmp_path / "edited"
    shutil.copytree(SAMPLE_DIR, edited)
    article = edited / "articles" / "RU" / "entry-registration" / "en.md"
    article.write_text(article.read_text(encoding="utf-8") + f"\n{SENTENCE}\n", "utf-8")
    return edited


KEY = ("RU", "entry-registration", "en")


def test_invalid_sources_print_file_and_line_and_publish_nothing(folder, tmp_path, capsys):
    data, _ = folder
    broken = tmp_path / "broken"
    shutil.copytree(SAMPLE_DIR, broken)
    (broken / "airports.yaml").write_text("- id: tas\n  country: UZ\n", encoding="utf-8")
    assert cli("publish", str(broken), "--data", str(data.path)) == 1
    err = capsys.readouterr().err
    assert "airports.yaml:1: error:" in err
    assert "nothing was published" in err
    assert data.latest_content_version() is None
    assert data.repository().targets().signed.targets == {}


def test_rollback_republishes_old_content_as_a_new_version(folder, tmp_path):
    data, _ = folder
    root = data.repository().root_bytes()
    kiosk = Kiosk(tmp_path / "kiosk")
    assert cli("publish", str(SAMPLE_DIR), "--data", str(data.path)) == 0
    assert update(kiosk, data, root).installed_version == 1
    assert cli("publish", str(edited_copy(tmp_path)), "--data", str(data.path)) == 0
    assert update(kiosk, data, root).installed_version == 2
    with kiosk.open_cache() as cache:
        assert SENTENCE in article_text(cache, KEY)
    assert cli("rollback", "1", "--data", str(data.path)) == 0
    manifest = data.load_release(3)
    assert manifest.rollback_of == 1 and manifest.parts == data.load_release(1).parts
    report = update(kiosk, data, root)
    assert report.outcome == "installed" and report.installed_version == 3
    assert report.parts_downloaded == 0  # the previous release's parts are kept
    with kiosk.open_cache() as cache:
        assert cache.content_version == 3
        assert SENTENCE not in article_text(cache, KEY)
    assert cli("publish", "--rollback-to", "7", "--data", str(data.path)) == 1


def test_rotate_keys_with_the_cli_and_old_kiosks_keep_updating(folder, tmp_path, capsys):
    data, root_key = folder
    provisioned_root = data.repository().root_bytes()
    kiosk = Kiosk(tmp_path / "kiosk")
    assert cli("publish", str(SAMPLE_DIR), "--data", str(data.path)) == 0
    assert update(kiosk, data, provisioned_root).installed_version == 1
    for role in ("timestamp", "snapshot", "targets"):
        old_pem = data.key_path(role).read_bytes()
        assert cli("rotate-key", role, "--data", str(data.path), "--root-key", str(root_key)) == 0
        assert data.key_path(role).read_bytes() != old_pem
    new_root_key = tmp_path / "usb" / "root-2.pem"
    assert (
        cli(
            "rotate-key",
            "root",
            "--data",
            str(data.path),
            "--root-key",
            str(root_key),
            "--new-root-key",
            str(new_root_key),
        )
        == 0
    )
    # the old root key no longer works for anything
    assert (
        cli("rotate-key", "timestamp", "--data", str(data.path), "--root-key", str(root_key)) == 1
    )
    assert "not the one the root metadata trusts" in capsys.readouterr().err
    assert cli("publish", str(edited_copy(tmp_path)), "--data", str(data.path)) == 0
    report = update(kiosk, data, provisioned_root)
    assert report.outcome == "installed" and report.installed_version == 2
    assert (
        Metadata.from_bytes(data.repository().root_bytes()).signed.version == 5
    )  # 1 + three online rotations + root


def test_timestamp_is_resigned_when_half_its_life_is_gone(folder):
    data, _ = folder
    now = datetime.now(UTC)
    expiries = Expiries(timestamp=timedelta(hours=1))
    repo = data.repository(clock=lambda: now, expiries=expiries)
    repo.refresh(data.online_signers(), force=True)
    version = repo.timestamp().signed.version
    assert repo.refresh(data.online_signers()) == []  # fresh: nothing to do
    later = data.repository(clock=lambda: now + timedelta(minutes=31), expiries=expiries)
    assert later.refresh(data.online_signers()) == ["timestamp"]
    signed = later.timestamp().signed
    assert signed.version == version + 1
    assert signed.expires == (now + timedelta(minutes=91)).replace(microsecond=0)
    # far later, targets and snapshot near their own expiry are re-signed too
    much_later = data.repository(clock=lambda: now + timedelta(days=80))
    assert much_later.refresh(data.online_signers()) == ["targets", "snapshot", "timestamp"]


def test_refresh_timestamp_command(folder, capsys):
    data, _ = folder
    before = data.repository().timestamp().signed.version
    assert cli("refresh-timestamp", "--data", str(data.path), "--force") == 0
    assert data.repository().timestamp().signed.version == before + 1
    assert "re-signed timestamp" in capsys.readouterr().out


def test_server_background_task_resigns_the_timestamp(folder):
    from admin_sync.server.app import create_app
    from admin_sync.server.settings import ServerSettings
    from tests.admin_sync.asgi_client import TestClient
    from tests.admin_sync.sync.processes import wait_until

    data, _ = folder
    before = data.repository().timestamp().signed.version
    shifted = datetime.now(UTC) + timedelta(hours=13)  # more than half a day later
    settings = ServerSettings(data_dir=data.path, timestamp_check_seconds=1)
    with TestClient(create_app(settings, clock=lambda: shifted)):
        wait_until(
            lambda: data.repository().timestamp().signed.version > before,
            30,
            "the background task to re-sign the timestamp",
        )


def test_readers_never_see_a_mix_of_two_publications(folder):
    """While releases are published in a loop, every timestamp read names a snapshot that
    exists in the same generation, and that snapshot's targets file too."""
    data, _ = folder
    store = data.store()
    stop = threading.Event()
    problems: list[str] = []
    reads = 0

    def reader() -> None:
        nonlocal reads
        while not stop.is_set():
            live = store.live_metadata_dir()
            try:
                ts = json.loads((live / "timestamp.json").read_bytes())
                snap_v = ts["signed"]["meta"]["snapshot.json"]["version"]
                snap = json.loads((live / f"{snap_v}.snapshot.json").read_bytes())
                tgt_v = snap["signed"]["meta"]["targets.json"]["version"]
                (live / f"{tgt_v}.targets.json").read_bytes()
            except (OSError, KeyError, ValueError) as exc:
                problems.append(repr(exc))
            reads += 1

    from admin_sync.publish import publish_parts

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        for i in range(15):
            publish_parts(
                data, {"shared.json": f"release {i}".encode()}, title="t", published_by="t"
            )
    finally:
        stop.set()
        thread.join()
    assert reads > 0 and problems == []
    generations = sorted(p.name for p in store.generations_dir.iterdir())
    assert len(generations) <= DirectoryStore.KEEP_GENERATIONS


def test_renew_root_extends_its_expiry_and_old_kiosks_follow(folder, tmp_path, capsys):
    data, root_key = folder
    provisioned_root = data.repository().root_bytes()
    before = data.repository().root().signed
    assert cli("renew-root", "--data", str(data.path), "--root-key", str(root_key)) == 0
    after = data.repository().root().signed
    assert after.version == before.version + 1 and after.expires >= before.expires
    assert after.keys == before.keys
    wrong = tmp_path / "not-root.pem"
    wrong.write_bytes(data.key_path("timestamp").read_bytes())
    assert cli("renew-root", "--data", str(data.path), "--root-key", str(wrong)) == 1
    assert "not the one the root metadata trusts" in capsys.readouterr().err
    from tuf.ngclient import Updater

    updater = Updater(
        str(tmp_path / "tuf"),
        BASE + TUF_METADATA_PATH,
        fetcher=DirectoryFetcher(data.store()),
        bootstrap=provisioned_root,
    )
    updater.refresh()
    # the kiosk now trusts the renewed root: python-tuf stored it in its root history
    assert (tmp_path / "tuf" / "root_history" / f"{after.version}.root.json").is_file()


def test_versions_keep_growing_even_if_the_release_history_is_lost(folder):
    from admin_sync.publish import live_content_version, publish_parts

    data, _ = folder
    for i in range(2):
        publish_parts(data, {"shared.json": f"v{i}".encode()}, title="t", published_by="t")
    assert live_content_version(data) == 2
    shutil.rmtree(data.releases_dir)  # an operator deleted the history folder
    manifest = publish_parts(data, {"shared.json": b"v3"}, title="t", published_by="t")
    assert manifest.content_version == 3


def test_status_list_kiosks_and_help_settings(folder, capsys):
    data, _ = folder
    assert cli("status", "--data", str(data.path)) == 0
    out = capsys.readouterr().out
    assert "latest content version: none" in out and "timestamp: version 1, expires" in out
    from admin_sync.server import registry

    kiosk, _token = registry.add_kiosk(data.database(), airport="FRU", name="FRU-A-01")
    registry.revoke_kiosk(data.database(), kiosk.id)
    assert cli("list-kiosks", "--data", str(data.path)) == 0
    line = capsys.readouterr().out.strip()
    assert line.startswith(f"{kiosk.id}\tFRU\tFRU-A-01\trevoked ")
    assert safe_airports_cli.main(["server", "--help-settings"]) == 0
    assert "timestamp_expiry_seconds (int, default 86400)" in capsys.readouterr().out
    assert safe_airports_cli.main(["sync", "--help-settings"]) == 0
    assert "provisioning_file (Path, (required))" in capsys.readouterr().out
