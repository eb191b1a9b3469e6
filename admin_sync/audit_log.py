"""The audit log: who edited, approved, published, rolled back, verified or uploaded what, when.

Its own SQLite file in the data folder (`DIR/audit.db`) with numbered migrations; the console,
the administrators' API and `safe-airports admin publish` append to it, the console shows it
(filterable) and exports it as CSV. Rows are never changed or deleted.
"""

from __future__ import annotations

import csv
import io
import sqlite3
from collections.abc import Iterable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path

from admin_sync.server.db import migrate_file, sqlite_connection
from admin_sync.tuf_repo import Clock, utc_now

ACTIONS: tuple[str, ...] = ("edit", "restore", "upload", "publish", "rollback", "approve")
ACTIONS += ("verify", "notice", "expire-notice")  # notice: urgent notices (notice_pages)
ACTIONS += ("software",)  # swupdate: a signed software release (admin software-publish)
ACTIONS += ("alert-mail",)  # alerts: a user changed their own alert e-mail (alert_pages)
ACTIONS += ("stage", "promote", "halt")  # staged rollout (rollout_publish)
# commands: remote commands to kiosks (asked, refused for the role, answered), notice edits
ACTIONS += ("command", "command-refused", "command-result", "edit-notice")
MIGRATIONS: list[str] = [
    # 1: one row per action
    """
    CREATE TABLE audit (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at TEXT NOT NULL,
        who TEXT NOT NULL,
        action TEXT NOT NULL,
        item TEXT NOT NULL,
        detail TEXT NOT NULL,
        via TEXT NOT NULL
    );
    CREATE INDEX audit_at ON audit (at);
    CREATE INDEX audit_who ON audit (who, at);
    """,
]
CSV_COLUMNS = ("id", "at", "who", "action", "item", "detail", "via")


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: str
    who: str
    action: str
    item: str
    detail: str
    via: str


@dataclass(frozen=True)
class AuditFilter:
    """What to show: every field optional ("" = any); `since`/`until` are dates (inclusive)."""

    who: str = ""
    action: str = ""
    item: str = ""
    since: str = ""
    until: str = ""

    def where(self) -> tuple[str, list[str]]:
        clauses: list[str] = []
        values: list[str] = []
        if self.who:
            clauses.append("who = ?")
            values.append(self.who)
        if self.action:
            clauses.append("action = ?")
            values.append(self.action)
        if self.item:
            clauses.append("instr(lower(item), lower(?)) > 0")
            values.append(self.item)
        if self.since:
            clauses.append("at >= ?")
            values.append(self.since)
        if self.until:
            clauses.append("at < ?")
            values.append(self.until + "T99")  # the whole day `until`
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", values


def audit_db_path(data_dir: Path) -> Path:
    return data_dir / "audit.db"


class AuditLog:
    def __init__(self, path: Path, *, clock: Clock = utc_now) -> None:
        self.path = path
        self.clock = clock

    def connect(self) -> AbstractContextManager[sqlite3.Connection]:
        return sqlite_connection(self.path)

    def migrate(self) -> int:
        return migrate_file(
            self.path,
            self.connect,
            MIGRATIONS,
            what=f"{self.path}: audit log",
            newer_hint=f"this program knows ({len(MIGRATIONS)}); upgrade the server",
        )

    def record(self, who: str, action: str, item: str, detail: str = "", *, via: str) -> None:
        """Append one row (`via`: console, api or cli)."""
        if action not in ACTIONS:
            raise ValueError(f"unknown audit action {action!r}")
        at = self.clock().replace(microsecond=0).isoformat()
        self.migrate()
        with self.connect() as conn:
            conn.execute(
                "INSERT INTO audit (at, who, action, item, detail, via) VALUES (?, ?, ?, ?, ?, ?)",
                (at, who, action, item, detail, via),
            )

    def entries(
        self, filters: AuditFilter = AuditFilter(), *, limit: int = 500
    ) -> list[AuditEntry]:
        """Newest first."""
        self.migrate()
        where, values = filters.where()
        with self.connect() as conn:
            rows = conn.execute(
                f"SELECT * FROM audit{where} ORDER BY id DESC LIMIT ?", (*values, limit)
            ).fetchall()
        return [AuditEntry(**dict(row)) for row in rows]

    def people(self) -> list[str]:
        self.migrate()
        with self.connect() as conn:
            return [r[0] for r in conn.execute("SELECT DISTINCT who FROM audit ORDER BY who")]


def to_csv(entries: Iterable[AuditEntry]) -> str:
    """The rows as CSV; cells that a spreadsheet would run as a formula are quoted with '."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for entry in entries:
        writer.writerow([_cell(getattr(entry, column)) for column in CSV_COLUMNS])
    return buffer.getvalue()


def _cell(value: object) -> object:
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
