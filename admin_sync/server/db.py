"""The server's SQLite database (in the data folder): kiosks, heartbeats, releases.

Schema changes are numbered migrations applied in order; `PRAGMA user_version` records how many
have run. To change the schema, append a migration: never edit one that has shipped.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from admin_sync.server.recent_lookups import RecentLookups
from admin_sync.server.sqlite_writer import SQLiteWriter
from content.sqlite_migrations import apply_migrations

if TYPE_CHECKING:
    from admin_sync.server.registry import Kiosk

MIGRATIONS: list[str] = [
    # 1: kiosks, their heartbeats, administrators, the release history
    """
    CREATE TABLE kiosks (
        id TEXT PRIMARY KEY,
        airport TEXT NOT NULL,
        name TEXT NOT NULL UNIQUE,
        token_sha256 TEXT NOT NULL UNIQUE,
        created_at TEXT NOT NULL,
        revoked_at TEXT
    );
    CREATE TABLE heartbeats (
        kiosk_id TEXT PRIMARY KEY REFERENCES kiosks(id),
        received_at TEXT NOT NULL,
        app_version TEXT NOT NULL,
        content_version INTEGER,
        uptime_seconds INTEGER NOT NULL,
        free_disk_bytes INTEGER,
        last_error TEXT,
        remote_addr TEXT
    );
    CREATE TABLE admin_users (
        name TEXT PRIMARY KEY,
        token_sha256 TEXT NOT NULL UNIQUE,
        created_at TEXT NOT NULL,
        disabled_at TEXT
    );
    CREATE TABLE releases (
        content_version INTEGER PRIMARY KEY,
        title TEXT NOT NULL,
        published_at TEXT NOT NULL,
        published_by TEXT NOT NULL,
        targets_version INTEGER,
        rollback_of INTEGER,
        total_bytes INTEGER NOT NULL,
        parts INTEGER NOT NULL
    );
    """,
    # 2: administrators are the console users (users.db, argon2 passwords); no API tokens
    """
    DROP TABLE admin_users;
    """,
    # 3: statistics batches the server refused, as the kiosk's last heartbeat reports them
    """
    ALTER TABLE heartbeats ADD COLUMN stats_rejected INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE heartbeats ADD COLUMN stats_rejected_reason TEXT;
    """,
    # 4: the commit of the content history a release was built from (admin_sync.content_history)
    # and whether it was a production release (1), a sample one (0) or unknown (NULL, older)
    """
    ALTER TABLE releases ADD COLUMN source_commit TEXT;
    ALTER TABLE releases ADD COLUMN production INTEGER;
    """,
    # 5: urgent notices (admin_sync/server/notices_db.py): texts is a JSON object lang -> text
    """
    CREATE TABLE notices (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        airport TEXT NOT NULL,
        destination TEXT NOT NULL,
        starts_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        texts TEXT NOT NULL,
        written_by TEXT NOT NULL,
        written_at TEXT NOT NULL,
        withdrawn_by TEXT,
        withdrawn_at TEXT
    );
    CREATE INDEX notices_expiry ON notices (expires_at);
    """,
    # 6: the languages a release's texts were written in (space-separated; NULL: not recorded)
    """
    ALTER TABLE releases ADD COLUMN source_languages TEXT;
    """,
    # 7 (alerts helper): alerts and their state changes, each administrator's e-mail
    # subscription (with the last change already mailed), and the outgoing mail queue
    # (admin_sync/server/alerts/store.py)
    """
    CREATE TABLE alerts (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        key TEXT NOT NULL,
        kind TEXT NOT NULL,
        subject TEXT NOT NULL,
        grp TEXT NOT NULL,
        level TEXT NOT NULL,
        detail TEXT NOT NULL,
        opened_at TEXT NOT NULL,
        closed_at TEXT
    );
    CREATE UNIQUE INDEX alerts_open_key ON alerts (key) WHERE closed_at IS NULL;
    CREATE TABLE alert_events (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        alert_id INTEGER NOT NULL REFERENCES alerts(id),
        at TEXT NOT NULL,
        change TEXT NOT NULL,
        level TEXT NOT NULL,
        detail TEXT NOT NULL
    );
    CREATE TABLE alert_subscriptions (
        user TEXT PRIMARY KEY,
        email TEXT NOT NULL,
        mode TEXT NOT NULL CHECK (mode IN ('off', 'immediate', 'digest')),
        last_event_id INTEGER NOT NULL DEFAULT 0,
        last_digest_on TEXT,
        changed_at TEXT NOT NULL
    );
    CREATE TABLE alert_mail (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        user TEXT NOT NULL,
        email TEXT NOT NULL,
        subject TEXT NOT NULL,
        body TEXT NOT NULL,
        created_at TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_try_at TEXT NOT NULL,
        sent_at TEXT,
        failed_at TEXT,
        last_error TEXT
    );
    CREATE INDEX alert_mail_user_created ON alert_mail (user, created_at);
    """,
    # 8 (commands helper): remote commands to kiosks (admin_sync/server/commands_db.py), the urgent
    # notices serial a kiosk shows, notice headings and edits
    """
    CREATE TABLE kiosk_commands (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        kiosk_id TEXT NOT NULL REFERENCES kiosks(id),
        kind TEXT NOT NULL,
        requested_by TEXT NOT NULL,
        requested_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        delivered_at TEXT,
        status TEXT NOT NULL DEFAULT 'waiting',
        detail TEXT NOT NULL DEFAULT '',
        finished_at TEXT,
        screenshot TEXT
    );
    CREATE INDEX kiosk_commands_open ON kiosk_commands (kiosk_id, status);
    ALTER TABLE heartbeats ADD COLUMN notices_serial INTEGER;
    ALTER TABLE notices ADD COLUMN headings TEXT NOT NULL DEFAULT '{}';
    ALTER TABLE notices ADD COLUMN edited_by TEXT;
    ALTER TABLE notices ADD COLUMN edited_at TEXT;
    """,
]


@contextmanager
def sqlite_connection(
    path: Path, *, rows: bool = True, foreign_keys: bool = True
) -> Iterator[sqlite3.Connection]:
    """A short-lived autocommit connection to one of the server's SQLite files."""
    conn = sqlite3.connect(path, timeout=10, isolation_level=None)
    if rows:
        conn.row_factory = sqlite3.Row
    if foreign_keys:
        conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA busy_timeout = 10000")
    try:
        yield conn
    finally:
        conn.close()


def migrate_file(
    path: Path,
    connect: Callable[[], AbstractContextManager[sqlite3.Connection]],
    migrations: Sequence[str],
    *,
    what: str,
    newer_hint: str,
) -> int:
    """Create the file's folder, switch it to WAL and apply the missing numbered migrations."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with connect() as conn:
        conn.execute("PRAGMA journal_mode = WAL")
        return apply_migrations(conn, migrations, what=what, newer_hint=newer_hint)


_KIOSK_TOKENS: dict[Path, RecentLookups[Kiosk]] = {}
_KIOSK_TOKENS_LOCK = threading.Lock()


def _kiosk_tokens(path: Path) -> RecentLookups[Kiosk]:
    with _KIOSK_TOKENS_LOCK:
        return _KIOSK_TOKENS.setdefault(Path(path).resolve(), RecentLookups())


class Database:
    """Short-lived connections to one SQLite file; `migrate()` brings the schema up to date.
    Async handlers write through `writer` (one thread, group commits), never on the loop."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.writer = SQLiteWriter(path)
        # kiosk-token hash -> Kiosk, for a second (auth.check_kiosk); one per file in this
        # process, so a revocation through any Database of the file clears it
        self.kiosk_tokens: RecentLookups[Kiosk] = _kiosk_tokens(path)
        self._local = threading.local()
        self._readers: list[sqlite3.Connection] = []
        self._readers_lock = threading.Lock()

    def reader(self) -> sqlite3.Connection:
        """This thread's long-lived connection for reads (each statement sees the latest
        commit); saves opening a connection per lookup on the hot paths (kiosk tokens)."""
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(
                self.path, timeout=10, isolation_level=None, check_same_thread=False
            )
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA busy_timeout = 10000")
            self._local.conn = conn
            with self._readers_lock:
                self._readers.append(conn)
        return conn

    def close(self) -> None:
        self.writer.close()
        with self._readers_lock:
            readers, self._readers = self._readers, []
        for conn in readers:
            conn.close()

    def connect(self) -> AbstractContextManager[sqlite3.Connection]:
        return sqlite_connection(self.path)

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        with self.connect() as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    def schema_version(self) -> int:
        with self.connect() as conn:
            return int(conn.execute("PRAGMA user_version").fetchone()[0])

    def migrate(self) -> int:
        """Apply the migrations not yet applied; returns the schema version."""
        return migrate_file(
            self.path,
            self.connect,
            MIGRATIONS,
            what=f"{self.path}: database",
            newer_hint=f"this program knows ({len(MIGRATIONS)}); upgrade the server",
        )


@dataclass(frozen=True)
class ReleaseRecord:
    """One row of the release history (written by `admin_sync.publish`)."""

    content_version: int
    title: str
    published_at: str
    published_by: str
    targets_version: int | None
    rollback_of: int | None
    total_bytes: int
    parts: int
    source_commit: str | None = None
    production: bool | None = None
    source_languages: tuple[str, ...] = ()


def release_history(db: Database) -> list[ReleaseRecord]:
    """Every release recorded in `server.db`, newest first."""
    with db.connect() as conn:
        return [
            ReleaseRecord(
                r["content_version"],
                r["title"],
                r["published_at"],
                r["published_by"],
                r["targets_version"],
                r["rollback_of"],
                r["total_bytes"],
                r["parts"],
                r["source_commit"],
                None if r["production"] is None else bool(r["production"]),
                tuple((r["source_languages"] or "").split()),
            )
            for r in conn.execute("SELECT * FROM releases ORDER BY content_version DESC")
        ]


def release_source_commit(db: Database, version: int) -> str | None:
    """The content history commit release `version` was built from (None: not recorded)."""
    with db.connect() as conn:
        row = conn.execute(
            "SELECT source_commit FROM releases WHERE content_version = ?", (version,)
        ).fetchone()
    return row["source_commit"] if row else None
