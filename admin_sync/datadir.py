"""The server's data folder: the TUF repository, the online keys, the release history, the DB.

```
DIR/repo/            TUF repository (see repo_store.DirectoryStore)
DIR/keys/            online keys: targets.pem, snapshot.pem, timestamp.pem (owner-only)
DIR/releases/N.json  manifest of every content version ever published (for rollback)
DIR/server.db        SQLite: kiosks, heartbeats, administrators, releases
DIR/repo.lock        taken while anything changes the repository
DIR/audit.db         SQLite: the audit log (see audit_log)
DIR/content.git/     the content sources' history (bare git repository, see content_history)
```
The root key is never here: `admin init-keys` writes it where the administrator says.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from securesystemslib.signer import CryptoSigner

from admin_sync.audit_log import AuditLog, audit_db_path
from admin_sync.content_history import ContentHistory
from admin_sync.keys import ONLINE_ROLES, load_key
from admin_sync.protocol import ReleaseManifest
from admin_sync.repo_store import DirectoryStore
from admin_sync.server.db import Database
from admin_sync.tuf_repo import Clock, Expiries, TufRepository, utc_now
from content.durable import file_lock, write_atomic


class DataDir:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.repo_dir = path / "repo"
        self.keys_dir = path / "keys"
        self.releases_dir = path / "releases"
        self.db_path = path / "server.db"
        self.lock_path = path / "repo.lock"
        self.history_dir = path / "content.git"

    def key_path(self, role: str) -> Path:
        return self.keys_dir / f"{role}.pem"

    def database(self) -> Database:
        db = Database(self.db_path)
        db.migrate()
        return db

    def content_history(self, *, clock: Clock = utc_now) -> ContentHistory:
        """The content sources' history (created on first write)."""
        return ContentHistory(self.history_dir, clock=clock)

    def audit_log(self, *, clock: Clock = utc_now) -> AuditLog:
        """Who did what (`DIR/audit.db`)."""
        return AuditLog(audit_db_path(self.path), clock=clock)

    def store(self) -> DirectoryStore:
        return DirectoryStore(self.repo_dir)

    def repository(
        self, *, clock: Clock = utc_now, expiries: Expiries | None = None
    ) -> TufRepository:
        return TufRepository(self.store(), clock=clock, expiries=expiries)

    def online_signers(self) -> dict[str, CryptoSigner]:
        return {role: load_key(self.key_path(role)) for role in ONLINE_ROLES}

    def root_and_online_signers(
        self, root_key: Path
    ) -> tuple[CryptoSigner, dict[str, CryptoSigner]]:
        """The offline root key (the file the administrator names) and the online keys, for a
        change of the root metadata. Raises KeyFileError."""
        return load_key(root_key), self.online_signers()

    @contextmanager
    def lock(self) -> Iterator[None]:
        """Exclusive lock for changes to the repository (CLI and server may both write)."""
        self.path.mkdir(parents=True, exist_ok=True)
        with file_lock(self.lock_path):
            yield

    # ---- release history ---------------------------------------------------------------------
    def release_versions(self) -> list[int]:
        if not self.releases_dir.is_dir():
            return []
        return sorted(int(p.stem) for p in self.releases_dir.glob("*.json") if p.stem.isdigit())

    def latest_content_version(self) -> int | None:
        versions = self.release_versions()
        return versions[-1] if versions else None

    def save_release(self, manifest: ReleaseManifest) -> None:
        write_atomic(self.releases_dir / f"{manifest.content_version}.json", manifest.to_bytes())

    def load_release(self, version: int) -> ReleaseManifest | None:
        path = self.releases_dir / f"{version}.json"
        if not path.is_file():
            return None
        return ReleaseManifest.from_bytes(path.read_bytes())
