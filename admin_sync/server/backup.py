"""Backup and restore of the server's data folder (see admin_sync/datadir.py for its layout).

A backup is one `.tar.gz` holding the SQLite databases copied with SQLite's online backup API
(consistent while the server keeps writing; never a raw file copy, which can catch a
half-written page or miss the WAL: server.db, users.db, stats.db, the audit log audit.db), the
online signing keys, the TUF repository, the release history and the content sources' git
history (`content.git`) as files, and `MANIFEST.json` with the sha256 of every file. The
repository lock (`repo.lock`) and the content history's lock are held while the backup is
taken, so no publication, key rotation or content commit lands halfway through it. The
console's preview pictures (`preview-cache/`) are left out: they are made again on demand.
So are the kiosks' remote screenshots (`screenshots/`, commands_api.py): a picture of a
kiosk's screen at one moment, useful for minutes, kept on the server only for the few latest
per kiosk; a backup is what must survive a lost server, and would otherwise carry up to 4 MiB
per picture for as long as the backup is kept. In the backup's copy of `server.db` the
commands keep their history (who asked, when, "screenshot received") but name no picture, so
a restored console shows no broken image.
The archive holds private keys: it is written owner-only.

Restoring checks every checksum and runs `PRAGMA integrity_check` on every database before it
touches the data folder; then it swaps the restored folder in with one rename and keeps the old
folder beside it.

  python -m admin_sync.server.backup create --data DIR --out FILE_OR_DIR
  python -m admin_sync.server.backup verify FILE
  python -m admin_sync.server.backup restore FILE --data DIR [--force]
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import shutil
import sqlite3
import sys
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any

from content.durable import file_lock, fsync_dir

FORMAT = 1
PREFIX = "safe-airports-backup"
MANIFEST = "MANIFEST.json"
SQLITE_HEADER = b"SQLite format 3\x00"
LOCK_NAME = "repo.lock"
_SKIP_SUFFIXES = ("-wal", "-shm", "-journal", ".tmp", ".partial")
HISTORY_LOCK = "content.git/write.lock"  # admin_sync.content_history's lock for commits
_SKIP_NAMES = (LOCK_NAME, "write.lock", "preview-cache")  # locks; pictures made again on demand
SCREENSHOTS_DIR = "screenshots"  # commands_api.SCREENSHOTS_DIR: transient, never backed up
SERVER_DB = "server.db"  # its copy names no screenshot (forget_screenshots)


class BackupError(Exception):
    """A backup cannot be made, or an archive is not a sound backup to restore."""


@dataclass
class BackupPlan:
    """What a backup of `data_dir` holds, as relative POSIX paths."""

    databases: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    symlinks: dict[str, str] = field(default_factory=dict)
    directories: list[str] = field(default_factory=list)


def _is_sqlite(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(len(SQLITE_HEADER)) == SQLITE_HEADER


def _skipped(name: str) -> bool:
    return name in _SKIP_NAMES or name.endswith(_SKIP_SUFFIXES)


def forget_screenshots(database: Path) -> int:
    """In a backup's copy of server.db: the commands name no screenshot file (the pictures are
    not in the backup). Returns how many did."""
    conn = sqlite3.connect(database, isolation_level=None)
    try:
        found = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'kiosk_commands'"
        ).fetchone()
        if found is None:  # a database from before remote commands
            return 0
        cur = conn.execute(
            "UPDATE kiosk_commands SET screenshot = NULL WHERE screenshot IS NOT NULL"
        )
        return cur.rowcount
    finally:
        conn.close()


def plan_backup(data_dir: Path) -> BackupPlan:
    """Classify every entry of the data folder: database, plain file, symlink, directory.
    Left out: locks, journals, the preview cache and the kiosks' screenshots."""
    if not data_dir.is_dir():
        raise BackupError(f"{data_dir}: data folder not found")
    plan = BackupPlan()
    for dirpath, dirnames, filenames in os.walk(data_dir):
        here = Path(dirpath)
        kept_dirs = []
        for name in sorted(dirnames):
            rel = (here / name).relative_to(data_dir).as_posix()
            if (here / name).is_symlink():
                filenames.append(name)
            elif rel == SCREENSHOTS_DIR:
                continue
            elif not _skipped(name):
                plan.directories.append(rel)
                kept_dirs.append(name)
        dirnames[:] = kept_dirs
        for name in sorted(filenames):
            path = here / name
            rel = path.relative_to(data_dir).as_posix()
            if _skipped(name):
                continue
            if path.is_symlink():
                target = os.readlink(path)
                resolved = (path.parent / target).resolve()
                if os.path.isabs(target) or not resolved.is_relative_to(data_dir.resolve()):
                    raise BackupError(f"{path}: symlink to {target} leaves the data folder")
                plan.symlinks[rel] = target
            elif path.is_file():
                (plan.databases if _is_sqlite(path) else plan.files).append(rel)
    return plan


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _check_database(path: Path) -> int:
    """integrity_check must say ok; returns the schema version (PRAGMA user_version)."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        result = conn.execute("PRAGMA integrity_check").fetchall()
        if result != [("ok",)]:
            raise BackupError(f"{path}: integrity check failed: {result[:5]}")
        return int(conn.execute("PRAGMA user_version").fetchone()[0])
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path}: not a readable SQLite database ({exc})") from exc
    finally:
        conn.close()


def online_backup(source: Path, dest: Path) -> int:
    """Copy a live SQLite database with the backup API; returns its user_version."""
    src = sqlite3.connect(source, timeout=30)
    dst = sqlite3.connect(dest)
    try:
        src.execute("PRAGMA busy_timeout = 30000")
        src.backup(dst)
        dst.execute("PRAGMA journal_mode = DELETE")  # a standalone file, no WAL beside it
    finally:
        dst.close()
        src.close()
    return _check_database(dest)


@contextmanager
def _repository_lock(data_dir: Path) -> Iterator[None]:
    """No publication, key rotation or content commit lands while the backup is taken (git
    writes objects before it moves `main`, so a copy taken halfway could name a missing one)."""
    history_lock = data_dir / HISTORY_LOCK
    with file_lock(data_dir / LOCK_NAME):
        if not history_lock.parent.is_dir():
            yield
            return
        with file_lock(history_lock):
            yield


def _tuf_versions(data_dir: Path) -> dict[str, int]:
    """The live timestamp and snapshot versions (kiosks refuse anything older than they saw)."""
    path = data_dir / "repo" / "metadata" / "timestamp.json"
    try:
        signed = json.loads(path.read_bytes())["signed"]
        versions = {"timestamp": int(signed["version"])}
        versions["snapshot"] = int(signed["meta"]["snapshot.json"]["version"])
    except (OSError, ValueError, KeyError, TypeError):
        return {}
    return versions


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes, mtime: float) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = 0o600
    info.mtime = int(mtime)
    tar.addfile(info, io.BytesIO(data))


def default_backup_name(now: datetime) -> str:
    return f"safe-airports-server-{now.strftime('%Y%m%dT%H%M%SZ')}.tar.gz"


def create_backup(data_dir: Path, out: Path, *, now: datetime) -> dict[str, Any]:
    """Write a backup archive of `data_dir` to `out` (a file, or a folder for a dated name).

    Returns the manifest. The archive appears only when complete (written beside, fsynced,
    renamed) and is readable by its owner only.
    """
    if out.is_dir():
        out = out / default_backup_name(now)
    if out.exists():
        raise BackupError(f"{out} already exists; refusing to overwrite a backup")
    out.parent.mkdir(parents=True, exist_ok=True)
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "created_at": now.astimezone(UTC).isoformat(timespec="seconds"),
        "data_dir": str(data_dir),
        "databases": {},
        "files": {},
        "symlinks": {},
        "directories": [],
        "tuf_versions": {},
    }
    partial = out.with_name(out.name + ".partial")
    with _repository_lock(data_dir), tempfile.TemporaryDirectory(dir=out.parent) as scratch:
        plan = plan_backup(data_dir)
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
                for rel in plan.directories:
                    tar.add(data_dir / rel, f"{PREFIX}/data/{rel}", recursive=False)
                manifest["directories"] = plan.directories
                for number, rel in enumerate(plan.databases):
                    copy = Path(scratch) / f"db{number}"
                    version = online_backup(data_dir / rel, copy)
                    if rel == SERVER_DB:
                        forget_screenshots(copy)
                    manifest["databases"][rel] = {
                        "sha256": _sha256_file(copy),
                        "user_version": version,
                    }
                    tar.add(copy, f"{PREFIX}/data/{rel}", recursive=False)
                for rel in plan.files:
                    manifest["files"][rel] = _sha256_file(data_dir / rel)
                    tar.add(data_dir / rel, f"{PREFIX}/data/{rel}", recursive=False)
                for rel, target in plan.symlinks.items():
                    tar.add(data_dir / rel, f"{PREFIX}/data/{rel}", recursive=False)
                    manifest["symlinks"][rel] = target
                manifest["tuf_versions"] = _tuf_versions(data_dir)
                body = json.dumps(manifest, indent=1, sort_keys=True).encode()
                _add_bytes(tar, f"{PREFIX}/{MANIFEST}", body, now.timestamp())
                raw.flush()
                os.fsync(raw.fileno())
            os.replace(partial, out)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    fsync_dir(out.parent)
    manifest["archive"] = str(out)
    return manifest


def _read_manifest(tar: tarfile.TarFile, archive: Path) -> dict[str, Any]:
    try:
        member = tar.getmember(f"{PREFIX}/{MANIFEST}")
        handle = tar.extractfile(member)
        manifest = json.loads(handle.read()) if handle else None
    except KeyError:
        raise BackupError(f"{archive}: no {MANIFEST}; not a Safe Airports server backup") from None
    except json.JSONDecodeError as exc:
        raise BackupError(f"{archive}: {MANIFEST} is not JSON ({exc})") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        found = manifest.get("format") if isinstance(manifest, dict) else None
        raise BackupError(f"{archive}: backup format {found!r} is not {FORMAT}")
    return manifest


def _extract(archive: Path, dest: Path) -> dict[str, Any]:
    """Unpack into `dest` (the data folder's future content) and check it against the manifest."""
    try:
        with tarfile.open(archive, mode="r:gz") as tar:
            manifest = _read_manifest(tar, archive)
            members = []
            for member in tar.getmembers():
                parts = PurePosixPath(member.name).parts
                if parts[:2] != (PREFIX, "data") or len(parts) < 3:
                    if member.name != f"{PREFIX}/{MANIFEST}":
                        raise BackupError(f"{archive}: unexpected entry {member.name!r}")
                    continue
                changes = {"name": "/".join(parts[2:])}
                if member.islnk():  # hard links name their target by its path in the archive
                    target = PurePosixPath(member.linkname).parts
                    if target[:2] != (PREFIX, "data"):
                        raise BackupError(f"{archive}: hard link {member.name!r} leaves the backup")
                    changes["linkname"] = "/".join(target[2:])
                member = member.replace(deep=False, **changes)  # type: ignore[arg-type]
                members.append(member)
            tar.extractall(dest, members=members, filter="data")
    except (tarfile.TarError, EOFError, OSError) as exc:
        raise BackupError(f"{archive}: damaged or unreadable archive ({exc})") from exc
    problems = []
    for rel, info in manifest["databases"].items():
        path = dest / rel
        if not path.is_file() or _sha256_file(path) != info["sha256"]:
            problems.append(f"database {rel} is missing or does not match its checksum")
            continue
        try:
            version = _check_database(path)
        except BackupError as exc:
            problems.append(str(exc))
            continue
        if version != info["user_version"]:
            problems.append(
                f"database {rel}: schema {version}, manifest says {info['user_version']}"
            )
    for rel, digest in manifest["files"].items():
        path = dest / rel
        if not path.is_file() or _sha256_file(path) != digest:
            problems.append(f"file {rel} is missing or does not match its checksum")
    for rel, target in manifest["symlinks"].items():
        path = dest / rel
        if not path.is_symlink() or os.readlink(path) != target:
            problems.append(f"symlink {rel} -> {target} is missing or different")
    if problems:
        raise BackupError(f"{archive}: " + "; ".join(problems))
    return manifest


def verify_backup(archive: Path) -> dict[str, Any]:
    """Unpack to a temporary folder and check every file; returns the manifest."""
    with tempfile.TemporaryDirectory() as scratch:
        return _extract(archive, Path(scratch) / "data")


@dataclass(frozen=True)
class Restored:
    manifest: dict[str, Any]
    kept: Path | None  # where the previous data folder was moved, if there was one


def restore_backup(archive: Path, data_dir: Path, *, force: bool, now: datetime) -> Restored:
    """Replace `data_dir` with the archive's content, checked first; the server must be stopped.

    The previous data folder is moved aside (kept, never deleted). Without `force`, a
    non-empty data folder is left alone.
    """
    data_dir = data_dir.absolute()
    occupied = data_dir.exists() and any(data_dir.iterdir())
    if occupied and not force:
        raise BackupError(
            f"{data_dir} is not empty; stop the server and pass --force to replace it "
            "(the current folder is kept beside it)"
        )
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    stamp = now.strftime("%Y%m%dT%H%M%SZ")
    staging = data_dir.with_name(f".{data_dir.name}.restore-{stamp}")
    if staging.exists():
        shutil.rmtree(staging)
    try:
        manifest = _extract(archive, staging)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    kept = None
    if data_dir.exists():
        kept = data_dir.with_name(f"{data_dir.name}.before-restore-{stamp}")
        os.replace(data_dir, kept)
    os.replace(staging, data_dir)
    fsync_dir(data_dir.parent)
    return Restored(manifest=manifest, kept=kept)


def main(argv: list[str] | None = None, *, now: datetime | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m admin_sync.server.backup",
        description="Back up or restore the Safe Airports server's data folder.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    create = sub.add_parser("create", help="write a backup archive (owner-only: it holds keys)")
    create.add_argument("--data", type=Path, required=True, help="the server's data folder")
    create.add_argument("--out", type=Path, required=True, help="archive file, or a folder")
    verify = sub.add_parser("verify", help="check an archive without restoring it")
    verify.add_argument("archive", type=Path)
    restore = sub.add_parser("restore", help="replace the data folder with an archive's content")
    restore.add_argument("archive", type=Path)
    restore.add_argument("--data", type=Path, required=True)
    restore.add_argument("--force", action="store_true", help="replace a non-empty data folder")
    args = parser.parse_args(argv)
    when = now or datetime.now(UTC)
    try:
        if args.command == "create":
            manifest = create_backup(args.data, args.out, now=when)
            print(f"backup written: {manifest['archive']}")
        elif args.command == "verify":
            manifest = verify_backup(args.archive)
            print(f"{args.archive}: sound backup of {manifest['data_dir']}")
        else:
            restored = restore_backup(args.archive, args.data, force=args.force, now=when)
            manifest = restored.manifest
            print(f"restored {args.archive} into {args.data}")
            if restored.kept is not None:
                print(f"previous data folder kept as {restored.kept}")
    except BackupError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    _print_summary(manifest)
    return 0


def _print_summary(manifest: dict[str, Any]) -> None:
    print(f"  taken at {manifest['created_at']}")
    for rel, info in sorted(manifest["databases"].items()):
        print(f"  database {rel} (schema {info['user_version']})")
    keys = sorted(rel for rel in manifest["files"] if rel.startswith("keys/"))
    print(f"  {len(keys)} online key(s): {', '.join(keys) or 'none'}")
    print(f"  {len(manifest['files'])} files, {len(manifest['symlinks'])} symlinks")
    versions = manifest.get("tuf_versions") or {}
    if versions:
        print("  TUF " + ", ".join(f"{role} version {v}" for role, v in sorted(versions.items())))


if __name__ == "__main__":
    sys.exit(main())
