"""End to end on 127.0.0.1: an unchanged release costs no `release.json` download, and the
server answers a revalidation with a 304 and no body; a kiosk updates from a mirror of the
repository (`[sync] tuf_url`, a plain static file server on another port) while its
heartbeats stay with the server; the mirror never sees the kiosk's token, and a file tampered
with on the mirror is refused."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import requests

from admin_sync.datadir import DataDir
from content.installed import InstalledStore
from tests.admin_sync.sync.kiosk_under_test import SAMPLE_DIR
from tests.admin_sync.sync.processes import KioskDisk, admin, wait_until
from tests.e2e.mirror_server import MirrorProcess, copy_repository
from tests.e2e.server_process import ServerProcess, free_port, init_data

pytestmark = pytest.mark.e2e

EDITED_ARTICLE = Path("articles/RU/entry-registration/en.md")


def server_requests(server: ServerProcess) -> list[dict[str, object]]:
    lines = server.log_path.read_text().splitlines() if server.log_path.exists() else []
    return [e for e in map(json.loads, lines) if e.get("path")]


def after_heartbeat(server: ServerProcess, beats: int) -> list[dict[str, object]]:
    """The server's request log once it holds `beats` heartbeats (written by a log thread)."""

    def ready() -> list[dict[str, object]]:
        entries = server_requests(server)
        done = [e for e in entries if e["path"] == "/api/v1/heartbeat" and e["status"] == 200]
        return entries if len(done) >= beats else []

    result = wait_until(ready, 30, f"heartbeat {beats} in the server's log")
    assert isinstance(result, list)
    return result


def publish_edit(data: Path, folder: Path, sentence: str) -> None:
    if not folder.exists():
        shutil.copytree(SAMPLE_DIR, folder)
    path = folder / EDITED_ARTICLE
    path.write_text(path.read_text(encoding="utf-8") + f"\n{sentence}\n", "utf-8")
    admin("publish", str(folder), "--data", str(data))


def test_unchanged_release_is_not_fetched_and_a_mirror_serves_without_the_token(
    tmp_path: Path,
) -> None:
    data = init_data(tmp_path)
    server = ServerProcess(data)  # tuf_requires_kiosk_token stays on
    server.start()
    mirror = MirrorProcess(tmp_path / "mirror", free_port(), tmp_path / "mirror.log")
    try:
        admin("publish", str(SAMPLE_DIR), "--data", str(data))
        kiosk = KioskDisk(tmp_path / "kiosk", data, server.url, "TAS-T2-05")
        token = json.loads(kiosk.provisioning.read_text())["token"]
        first = kiosk.sync_once()
        assert first.returncode == 0, first.stderr
        assert kiosk.state()["last_cycle"]["installed_version"] == 1
        seen = len(after_heartbeat(server, 1))

        # 1. an unchanged check: no target at all, only the timestamp and the next-root probe
        again = kiosk.sync_once()
        assert again.returncode == 0, again.stderr
        assert kiosk.state()["last_cycle"]["outcome"] == "up-to-date"
        check = after_heartbeat(server, 2)[seen:]
        tuf = sorted(str(e["path"]) for e in check if str(e["path"]).startswith("/tuf/"))
        assert tuf == ["/tuf/metadata/2.root.json", "/tuf/metadata/timestamp.json"], tuf
        unchanged_bytes = kiosk.state()["last_cycle"]["bytes_fetched"]
        timestamp = (data / "repo" / "metadata" / "timestamp.json").stat().st_size
        assert unchanged_bytes <= timestamp + 200, unchanged_bytes  # + the 404's short body

        # the server answers a revalidation (a CDN's, a mirror's) with a 304 and no body
        auth = {"Authorization": f"Bearer {token}"}
        url = server.url + "/tuf/metadata/timestamp.json"
        full = requests.get(url, headers=auth, timeout=10)
        assert full.status_code == 200 and len(full.content) == timestamp
        etag = full.headers["ETag"]
        same = requests.get(url, headers={**auth, "If-None-Match": f'W/"x", {etag}'}, timeout=10)
        assert same.status_code == 304 and same.content == b"", same.headers
        assert same.headers["ETag"] == etag and same.headers["Cache-Control"] == "no-cache"
        other = requests.get(url, headers={**auth, "If-None-Match": '"x"'}, timeout=10)
        assert other.status_code == 200 and other.content == full.content
        admin("refresh-timestamp", "--force", "--data", str(data))
        resigned = requests.get(url, headers={**auth, "If-None-Match": etag}, timeout=10)
        assert resigned.status_code == 200 and resigned.headers["ETag"] != etag
        assert resigned.content != full.content

        # 2. the kiosk switches to a mirror: a static file server on another port
        copy_repository(data, mirror.folder)
        mirror.start()
        with kiosk.config.open("a") as config:  # [sync] is the file's last table
            config.write(f'tuf_url = "{mirror.url}/tuf"\n')
        publish_edit(data, tmp_path / "edited", "Registration now also opens on Saturdays.")
        copy_repository(data, mirror.folder)
        seen = len(server_requests(server))
        from_mirror = kiosk.sync_once()
        assert from_mirror.returncode == 0, from_mirror.stderr
        assert InstalledStore(kiosk.content_dir).installed_version() == 2
        assert kiosk.state()["last_cycle"]["parts_downloaded"] == 1
        check = after_heartbeat(server, 3)[seen:]
        assert not [e for e in check if str(e["path"]).startswith("/tuf/")], check
        with DataDir(data).database().connect() as conn:
            row = conn.execute(
                "SELECT content_version FROM heartbeats WHERE kiosk_id = ?", (kiosk.kiosk_id,)
            ).fetchone()
        assert row["content_version"] == 2  # the heartbeat (with the token) reached the server
        asked = mirror.requests_seen()
        assert any(e["path"] == "/tuf/metadata/timestamp.json" for e in asked)
        assert any(str(e["path"]).startswith("/tuf/targets/") for e in asked)
        for entry in asked:  # the mirror never saw the token, in any header
            headers = {str(k).lower(): str(v) for k, v in entry["headers"].items()}
            assert "authorization" not in headers, entry
            assert token not in json.dumps(entry), entry

        # 3. a file changed on the mirror is refused; the installed content stays
        publish_edit(data, tmp_path / "edited", "The office closes at 18:00.")
        copy_repository(data, mirror.folder)
        v3 = DataDir(data).load_release(3)
        assert v3 is not None
        part = v3.parts["articles/RU/en.json"]
        [mirrored] = (mirror.folder / "tuf" / "targets").rglob(f"{part.sha256}.*")
        original = mirrored.read_bytes()
        changed = bytearray(original)
        changed[len(changed) // 2] ^= 0x01  # same length, one bit different
        mirrored.write_bytes(bytes(changed))
        tampered = kiosk.sync_once()
        assert tampered.returncode == 1
        assert "does not match its signed length or hash (tampered)" in tampered.stderr
        assert InstalledStore(kiosk.content_dir).installed_version() == 2
        mirrored.write_bytes(original)  # the mirror is repaired: the next check installs
        repaired = kiosk.sync_once()
        assert repaired.returncode == 0, repaired.stderr
        assert InstalledStore(kiosk.content_dir).installed_version() == 3
        assert all("authorization" not in str(e["headers"]).lower() for e in mirror.requests_seen())
    finally:
        mirror.stop()
        server.stop()
