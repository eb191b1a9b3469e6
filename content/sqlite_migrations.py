"""Numbered SQLite schema migrations recorded in `PRAGMA user_version`.

One runner for every small SQLite file of the project (server database, statistics, users,
the agent's outbox, the kiosk's usage counters). Migration `i` (0-based) takes the schema from
version `i` to `i + 1`; `user_version` says how many have been applied. The missing ones are
applied in a single `BEGIN IMMEDIATE` transaction, so a failing migration leaves the file, and
its version, exactly as they were. A file whose schema is newer than the code knows is refused.

Qt-free and stdlib-only so that `kiosk/` and `admin_sync/` may both import it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence

Migration = str | Callable[[sqlite3.Connection], None]


def schema_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def _run(conn: sqlite3.Connection, migration: Migration) -> None:
    if callable(migration):
        migration(conn)
        return
    # executescript() would commit the open transaction, so the statements run one by one
    for statement in migration.split(";"):
        if statement.strip():
            conn.execute(statement)


def apply_migrations(
    conn: sqlite3.Connection,
    migrations: Sequence[Migration],
    *,
    what: str,
    newer_hint: str,
    error: type[Exception] = RuntimeError,
) -> int:
    """Apply the migrations `conn`'s file has not had yet; return the schema version (their count).

    `conn` must be in autocommit mode (`isolation_level=None`) and not inside a transaction.
    A schema newer than `len(migrations)` raises `error` with the message
    "{what} schema {version} is newer than {newer_hint}", e.g. what="/x/stats.db: statistics",
    newer_hint="this program knows (2); upgrade the server".
    A string migration is split on ";" (so no ";" inside literals or triggers); a callable
    gets the connection and must not commit.
    """
    if conn.isolation_level is not None:
        raise ValueError(
            f"{what}: apply_migrations needs a connection opened with isolation_level=None"
        )
    if conn.in_transaction:
        raise ValueError(f"{what}: apply_migrations called inside an open transaction")
    conn.execute("BEGIN IMMEDIATE")
    try:
        current = schema_version(conn)
        if current > len(migrations):
            raise error(f"{what} schema {current} is newer than {newer_hint}")
        for number in range(current + 1, len(migrations) + 1):
            _run(conn, migrations[number - 1])
            conn.execute(f"PRAGMA user_version = {number}")
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:  # some errors have already rolled it back
            conn.execute("ROLLBACK")
        raise
    return len(migrations)
