"""Attacks end to end against the real server process: a tampered target file and rolled-back
metadata on the server's disk (a compromised mirror), a revoked and a wrong kiosk token. Each
ends with the kiosk still on its content and a plain-words line in the agent's log."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from admin_sync.datadir import DataDir
from admin_sync.protocol import part_target
from admin_sync.tuf_repo import hashed_target_name
from content.installed import InstalledStore
from tests.admin_sync.sync.kiosk_under_test import SAMPLE_DIR
from tests.admin_sync.sync.processes import KioskDisk, admin
from tests.e2e.server_process import ServerProcess, init_data

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("security")
    data = init_data(root)
    admin("publish", str(SAMPLE_DIR), "--data", str(data))
    process = ServerProcess(data)
    process.start()
    yield process
    process.stop()


def edited_sample(tmp_path: Path, sentence: str) -> Path:
    edited = tmp_path / "edited"
    shutil.copytree(SAMPLE_DIR, edited)
    article = edited / "articles" / "KZ" / "rights-at-work" / "en.md"
    article.write_text(article.read_text(encoding="utf-8") + f"\n{sentence}\n", "utf-8")
    return edited


def provisioned(tmp_path: Path, server: ServerProcess, name: str) -> KioskDisk:
    kiosk = KioskDisk(tmp_path / name, server.data, server.url, name)
    result = kiosk.sync_once()
    assert result.returncode == 0, result.stderr
    return kiosk


def replace_file(path: Path, data: bytes) -> None:
    """Swap a file's bytes by rename (generations share files through hard links)."""
    tmp = path.with_name(path.name + ".attack")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def test_tampered_target_on_the_server_is_refused(server, tmp_path):
    kiosk = provisioned(tmp_path, server, "TAS-SEC-01")
    before = InstalledStore(kiosk.content_dir).installed_version()
    data = DataDir(server.data)
    admin("publish", str(edited_sample(tmp_path, "Tamper test.")), "--data", str(server.data))
    new = data.load_release(data.latest_content_version())
    old = data.load_release(before)
    name = next(n for n in new.parts if old.parts.get(n) != new.parts[n])
    stored = data.store().target_file(hashed_target_name(part_target(name), new.parts[name].sha256))
    original = stored.read_bytes()
    try:
        forged = original.replace(b"Tamper test.", b"Call +7000!!")
        assert len(forged) == len(original) and forged != original
        replace_file(stored, forged)
        result = kiosk.sync_once()
        assert result.returncode == 1
        assert "does not match its signed length or hash" in result.stderr
        assert f"keeping installed content version {before}" in result.stderr
        assert InstalledStore(kiosk.content_dir).installed_version() == before
        with data.database().connect() as conn:  # the administrators see why, per kiosk
            row = conn.execute(
                "SELECT last_error, content_version FROM heartbeats WHERE kiosk_id = ?",
                (kiosk.kiosk_id,),
            ).fetchone()
        assert "does not match its signed length or hash" in row["last_error"]
        assert row["content_version"] == before
    finally:
        replace_file(stored, original)
    healed = kiosk.sync_once()  # once the mirror is honest again, the update goes through
    assert healed.returncode == 0, healed.stderr
    assert InstalledStore(kiosk.content_dir).installed_version() == new.content_version


def test_metadata_rolled_back_on_the_server_is_refused(server, tmp_path):
    data = DataDir(server.data)
    live = data.store().live_metadata_dir
    old_timestamp = (live() / "timestamp.json").read_bytes()
    admin("publish", str(edited_sample(tmp_path, "Rollback test one.")), "--data", str(server.data))
    kiosk = provisioned(tmp_path, server, "TAS-SEC-02")  # has seen the newer timestamp
    current = InstalledStore(kiosk.content_dir).installed_version()
    # a compromised mirror now serves the older timestamp to hide the next release
    admin("publish", str(SAMPLE_DIR), "--data", str(server.data))
    good_timestamp = (live() / "timestamp.json").read_bytes()
    try:
        replace_file(live() / "timestamp.json", old_timestamp)
        result = kiosk.sync_once()
        assert result.returncode == 1
        assert "older than what this kiosk already trusts (rollback)" in result.stderr
        assert InstalledStore(kiosk.content_dir).installed_version() == current
    finally:
        replace_file(live() / "timestamp.json", good_timestamp)


def test_revoked_kiosk_gets_403_and_keeps_its_content(server, tmp_path):
    kiosk = provisioned(tmp_path, server, "TAS-SEC-03")
    current = InstalledStore(kiosk.content_dir).installed_version()
    admin("revoke-kiosk", kiosk.kiosk_id, "--data", str(server.data))
    admin("publish", str(edited_sample(tmp_path, "After revocation.")), "--data", str(server.data))
    result = kiosk.sync_once()
    assert result.returncode == 1
    assert "token revoked (HTTP 403)" in result.stderr
    assert "heartbeat refused: this kiosk's token was revoked" in result.stderr
    assert InstalledStore(kiosk.content_dir).installed_version() == current


def test_wrong_kiosk_token_gets_401_and_keeps_its_content(server, tmp_path):
    kiosk = provisioned(tmp_path, server, "TAS-SEC-04")
    current = InstalledStore(kiosk.content_dir).installed_version()
    (kiosk.root / "token").write_text("sak_not-the-right-token\n")
    with kiosk.config.open("a") as f:
        f.write('token_file = "token"\n')
    admin("publish", str(edited_sample(tmp_path, "Wrong token.")), "--data", str(server.data))
    result = kiosk.sync_once()
    assert result.returncode == 1
    assert "does not know this kiosk's token (HTTP 401)" in result.stderr
    assert InstalledStore(kiosk.content_dir).installed_version() == current


def cli(*args: str, password: str) -> subprocess.CompletedProcess:
    """`safe-airports admin ...` as its own process, the password on standard input."""
    return subprocess.run(
        [sys.executable, "-m", "safe_airports_cli", "admin", *args, "--password-stdin"],
        input=password + "\n",
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_publishing_over_http_needs_an_editors_name_and_password(server, tmp_path):
    data = str(server.data)
    assert cli("add-user", "editor-e2e", "--data", data, "--role", "editor",
               password="editor e2e password").returncode == 0  # fmt: skip
    assert cli("add-user", "viewer-e2e", "--data", data, "--role", "viewer",
               password="viewer e2e password").returncode == 0  # fmt: skip
    edited = edited_sample(tmp_path, "Published over HTTP.")
    before = DataDir(server.data).latest_content_version()
    publish = ["publish", str(edited), "--server", server.url]
    wrong = cli(*publish, "--user", "editor-e2e", password="not the password")
    assert wrong.returncode == 1 and "HTTP 401" in wrong.stderr, wrong.stderr
    viewer = cli(*publish, "--user", "viewer-e2e", password="viewer e2e password")
    assert viewer.returncode == 1 and "HTTP 403" in viewer.stderr and "editor" in viewer.stderr
    assert DataDir(server.data).latest_content_version() == before
    done = cli(*publish, "--user", "editor-e2e", password="editor e2e password")
    assert done.returncode == 0, done.stderr
    assert DataDir(server.data).latest_content_version() == before + 1
    assert (
        "Published over HTTP."
        in DataDir(server.data)
        .store()
        .read_target(
            hashed_target_name(
                part_target("articles/KZ/en.json"),
                DataDir(server.data).load_release(before + 1).parts["articles/KZ/en.json"].sha256,
            )
        )
        .decode()
    )
