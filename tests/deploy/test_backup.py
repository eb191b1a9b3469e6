"""Server backup and restore on real data folders made by the admin CLI and real SQLite files."""

from __future__ import annotations

import io
import os
import sqlite3
import subprocess
import sys
import tarfile
from datetime import UTC, datetime
from pathlib import Path

import pytest

from admin_sync.server.backup import (
    BackupError,
    create_backup,
    plan_backup,
    restore_backup,
    verify_backup,
)

REPO = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 11, 22, 6, 0, tzinfo=UTC)


def admin(*args: str | Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "safe_airports_cli", "admin", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr


@pytest.fixture(scope="module")
def server_data(tmp_path_factory) -> Path:
    """A data folder as a real server has it: keys, signed repository, a registered kiosk."""
    base = tmp_path_factory.mktemp("server")
    data = base / "data"
    admin("init-keys", "--data", data, "--root-key", base / "root.pem")
    admin(
        "add-kiosk", "--airport", "TMJ", "--name", "TMJ-01", "--data", data,
        "--server-url", "https://sa.example.org", "--out", base / "prov.json",
    )  # fmt: skip
    return data


def copy_tree(src: Path, dst: Path) -> Path:
    subprocess.run(["cp", "-a", str(src), str(dst)], check=True)
    return dst


def tree(root: Path) -> dict[str, bytes | str]:
    """Every file's bytes and every symlink's target, lock and journal files aside."""
    out: dict[str, bytes | str] = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if path.name == "repo.lock" or path.name.endswith(("-wal", "-shm")):
            continue
        if path.is_symlink():
            out[rel] = "-> " + os.readlink(path)
        elif path.is_file() and path.suffix != ".db":
            out[rel] = path.read_bytes()
    return out


def rows(db: Path, sql: str) -> list[tuple]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def test_round_trip_restores_keys_repository_and_database(server_data, tmp_path):
    data = copy_tree(server_data, tmp_path / "data")
    manifest = create_backup(data, tmp_path, now=NOW)
    archive = Path(manifest["archive"])
    assert archive.name == "safe-airports-server-20261122T060000Z.tar.gz"
    assert archive.stat().st_mode & 0o777 == 0o600  # it holds private keys
    assert set(manifest["files"]) >= {"keys/targets.pem", "keys/snapshot.pem", "keys/timestamp.pem"}
    assert manifest["tuf_versions"]["timestamp"] >= 1

    restored = restore_backup(archive, tmp_path / "restored", force=False, now=NOW)
    assert restored.kept is None
    assert tree(tmp_path / "restored") == tree(data)
    assert rows(tmp_path / "restored" / "server.db", "SELECT name, airport FROM kiosks") == [
        ("TMJ-01", "TMJ")
    ]
    assert (tmp_path / "restored" / "keys" / "timestamp.pem").stat().st_mode & 0o777 == 0o600


def test_database_backup_is_online_and_sees_uncheckpointed_wal(tmp_path):
    """Rows committed but still only in the WAL are in the backup: no raw file copy does that."""
    data = tmp_path / "data"
    data.mkdir()
    db = data / "stats.db"
    writer = sqlite3.connect(db, isolation_level=None)
    try:
        writer.execute("PRAGMA journal_mode = WAL")
        writer.execute("PRAGMA wal_autocheckpoint = 0")
        writer.execute("PRAGMA user_version = 3")
        writer.execute("CREATE TABLE batches (id TEXT PRIMARY KEY)")
        writer.executemany("INSERT INTO batches VALUES (?)", [(f"b{i}",) for i in range(500)])
        assert Path(f"{db}-wal").stat().st_size > 0
        manifest = create_backup(data, tmp_path / "b.tar.gz", now=NOW)
    finally:
        writer.close()
    assert manifest["databases"]["stats.db"]["user_version"] == 3
    restore_backup(tmp_path / "b.tar.gz", tmp_path / "restored", force=False, now=NOW)
    restored = tmp_path / "restored" / "stats.db"
    assert rows(restored, "SELECT count(*) FROM batches") == [(500,)]
    assert rows(restored, "PRAGMA journal_mode") == [("delete",)]
    assert not Path(f"{restored}-wal").exists()


def test_restore_refuses_a_tampered_archive_and_touches_nothing(server_data, tmp_path):
    archive = tmp_path / "b.tar.gz"
    create_backup(server_data, archive, now=NOW)
    tampered = tmp_path / "tampered.tar.gz"
    with tarfile.open(archive) as src, tarfile.open(tampered, "w:gz") as dst:
        for member in src.getmembers():
            payload = src.extractfile(member) if member.isfile() else None
            body = payload.read() if payload else None
            if member.name.endswith("keys/timestamp.pem") and body is not None:
                body = body.replace(b"A", b"B", 1)
            dst.addfile(member, io.BytesIO(body) if body is not None else None)
    target = copy_tree(server_data, tmp_path / "live")
    before = tree(target)
    with pytest.raises(BackupError, match="keys/timestamp.pem is missing or does not match"):
        restore_backup(tampered, target, force=True, now=NOW)
    assert tree(target) == before
    assert not any(p.name.startswith(".live.restore") for p in tmp_path.iterdir())
    with pytest.raises(BackupError, match="does not match"):
        verify_backup(tampered)


def test_restore_keeps_the_previous_folder_and_needs_force(server_data, tmp_path):
    archive = tmp_path / "b.tar.gz"
    create_backup(server_data, archive, now=NOW)
    live = tmp_path / "live"
    live.mkdir()
    (live / "server.db").write_bytes(b"the broken one")
    with pytest.raises(BackupError, match="is not empty; stop the server and pass --force"):
        restore_backup(archive, live, force=False, now=NOW)
    restored = restore_backup(archive, live, force=True, now=NOW)
    assert restored.kept == tmp_path / "live.before-restore-20261122T060000Z"
    assert (restored.kept / "server.db").read_bytes() == b"the broken one"
    assert rows(live / "server.db", "SELECT count(*) FROM kiosks") == [(1,)]


def test_a_truncated_archive_is_refused(server_data, tmp_path):
    archive = tmp_path / "b.tar.gz"
    create_backup(server_data, archive, now=NOW)
    cut = tmp_path / "cut.tar.gz"
    cut.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    with pytest.raises(BackupError, match="cut.tar.gz"):
        restore_backup(cut, tmp_path / "restored", force=False, now=NOW)
    assert not (tmp_path / "restored").exists()


def test_plan_skips_locks_and_journals_and_refuses_escaping_links(tmp_path):
    data = tmp_path / "data"
    (data / "repo").mkdir(parents=True)
    (data / "repo.lock").write_text("")
    (data / "server.db-wal").write_text("")
    (data / "repo" / ".x.json.abc.tmp").write_text("")
    (data / "repo" / "ok.json").write_text("{}")
    plan = plan_backup(data)
    assert plan.files == ["repo/ok.json"]
    (data / "repo" / "evil").symlink_to("/etc")
    with pytest.raises(BackupError, match="leaves the data folder"):
        plan_backup(data)


def test_an_existing_archive_is_never_overwritten(server_data, tmp_path):
    archive = tmp_path / "b.tar.gz"
    archive.write_bytes(b"older backup")
    with pytest.raises(BackupError, match="already exists"):
        create_backup(server_data, archive, now=NOW)
    assert archive.read_bytes() == b"older backup"


def test_backup_keeps_the_content_history_and_the_audit_log(tmp_path):
    """A server that published edits: the restored folder has every commit with its author
    (git fsck clean), the audit log's rows, and the release still names a commit it has."""
    from admin_sync.audit_log import AuditLog, audit_db_path
    from admin_sync.content_history import ContentHistory
    from admin_sync.server.db import Database, release_history

    base = tmp_path / "server"
    data = base / "data"
    admin("init-keys", "--data", data, "--root-key", base / "root.pem")
    source = tmp_path / "content"
    copy_tree(REPO / "content" / "sample", source)
    admin("publish", source, "--data", data)
    history = ContentHistory(data / "content.git")
    topics = source / "topics.yaml"
    topics.write_text(topics.read_text(encoding="utf-8") + "# checked\n", encoding="utf-8")
    history.commit_folder(source, author="nodira", message="Note on topics")
    AuditLog(audit_db_path(data)).record(
        "aibek", "approve", f"version {history.head()}", "", via="console"
    )
    (data / "preview-cache" / "x").mkdir(parents=True)  # pictures made again on demand
    (data / "preview-cache" / "x" / "page-1.png").write_bytes(b"png")

    manifest = create_backup(data, tmp_path / "backups", now=NOW)
    assert "audit.db" in manifest["databases"]
    assert any(name.startswith("content.git/objects/") for name in manifest["files"])
    assert not any(name.startswith("preview-cache") for name in manifest["files"])
    restored_dir = tmp_path / "restored"
    restore_backup(Path(manifest["archive"]), restored_dir, force=False, now=NOW)

    restored = ContentHistory(restored_dir / "content.git")
    assert restored.head() == history.head()
    assert [(r.author, r.message) for r in restored.log()] == [
        (r.author, r.message) for r in history.log()
    ]
    assert restored.log()[0].author == "nodira"
    assert restored.read("topics.yaml") == topics.read_bytes()
    fsck = subprocess.run(
        ["git", "--git-dir", str(restored_dir / "content.git"), "fsck", "--full", "--strict"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert fsck.returncode == 0, fsck.stderr
    actions = [(e.who, e.action) for e in AuditLog(audit_db_path(restored_dir)).entries()]
    assert ("aibek", "approve") in actions and any(a == "publish" for _, a in actions)
    (release,) = release_history(Database(restored_dir / "server.db"))
    assert release.source_commit and restored.resolve(release.source_commit)
    assert not (restored_dir / "preview-cache").exists()


def test_screenshots_stay_out_of_backups_and_their_commands_name_none(
    server_data: Path, tmp_path: Path
) -> None:
    """A kiosk's screenshot (commands_api: the file in DIR/screenshots/, the command naming it)
    is transient: the backup holds neither the picture nor its name, the command's history is
    kept, and the live server still has both."""
    from datetime import timedelta

    from admin_sync.datadir import DataDir
    from admin_sync.server.commands_api import screenshots_dir
    from admin_sync.server.commands_db import add_command, get_command, record_screenshot
    from admin_sync.server.db import Database

    data = copy_tree(server_data, tmp_path / "data")
    db = Database(data / "server.db")
    ((kiosk_id,),) = rows(data / "server.db", "SELECT id FROM kiosks")
    command = add_command(
        db,
        kiosk_id=kiosk_id,
        kind="screenshot",
        by="aibek",
        now=NOW,
        lifetime=timedelta(minutes=15),
    )
    picture = os.urandom(3 * 1024 * 1024)  # incompressible: it would show in the archive's size
    folder = screenshots_dir(DataDir(data))  # where the server's upload route keeps them
    folder.mkdir()
    (folder / f"{command.id}.png").write_bytes(picture)
    with db.transaction() as conn:
        record_screenshot(conn, command.id, f"{command.id}.png", NOW, kiosk_id)

    manifest = create_backup(data, tmp_path / "backups", now=NOW)
    archive = Path(manifest["archive"])
    assert archive.stat().st_size < len(picture) // 4
    with tarfile.open(archive) as tar:
        assert not [n for n in tar.getnames() if "screenshots" in n]
    assert "screenshots" not in manifest["directories"]
    live = get_command(db, command.id)
    assert live is not None and live.screenshot == f"{command.id}.png"  # live: untouched

    restored_dir = tmp_path / "restored"
    restore_backup(archive, restored_dir, force=False, now=NOW)
    kept = get_command(Database(restored_dir / "server.db"), command.id)
    assert kept is not None and kept.status == "done" and kept.requested_by == "aibek"
    assert kept.screenshot is None
    assert not screenshots_dir(DataDir(restored_dir)).exists()
