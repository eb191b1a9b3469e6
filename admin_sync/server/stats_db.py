"""The statistics database (`DIR/stats.db`): stored batches and the aggregates the console reads.

Its own SQLite file with numbered migrations (`PRAGMA user_version`), apart from the server's
`server.db`, so the statistics schema evolves on its own and the busiest table never holds a
lock that publishing or heartbeats wait for.

Exactly once: `store_batch` records the batch id with the sha256 of its canonical body and adds
its cells to `counts` in one transaction. The same id again with the same body is a duplicate
(nothing is added); the same id with another body is a conflict.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from admin_sync.server.db import migrate_file, sqlite_connection
from admin_sync.server.sqlite_writer import SQLiteWriter
from admin_sync.stats_wire import SUPPRESSED

MIGRATIONS: tuple[str, ...] = (
    # 1: batches received (one row per batch id) and the counts they added
    """
    CREATE TABLE batches (
        batch_id TEXT PRIMARY KEY,
        kiosk_id TEXT NOT NULL,
        airport TEXT NOT NULL,
        day TEXT NOT NULL,
        part INTEGER NOT NULL CHECK (part BETWEEN 0 AND 3),
        body_sha256 TEXT NOT NULL,
        cells INTEGER NOT NULL,
        dropped_batches INTEGER NOT NULL,
        received_at TEXT NOT NULL
    );
    CREATE INDEX batches_kiosk ON batches(kiosk_id, day);
    CREATE TABLE counts (
        airport TEXT NOT NULL,
        kiosk_id TEXT NOT NULL,
        day TEXT NOT NULL,
        part INTEGER NOT NULL,
        metric TEXT NOT NULL,
        value TEXT NOT NULL,
        count INTEGER NOT NULL,
        PRIMARY KEY (kiosk_id, day, part, metric, value)
    ) WITHOUT ROWID;
    CREATE INDEX counts_metric_day ON counts(metric, day, airport);
    """,
)

SESSION_METRIC = "session"


class BatchConflict(Exception):
    """The batch id is already stored with a different body."""


@dataclass(frozen=True)
class StatsFilter:
    """Which counts a console query covers; None means no limit."""

    airport: str | None = None
    day_from: str | None = None  # inclusive, YYYY-MM-DD
    day_to: str | None = None  # inclusive

    def where(self) -> tuple[str, list[Any]]:
        clauses: list[str] = []
        params: list[Any] = []
        if self.airport:
            clauses.append("airport = ?")
            params.append(self.airport)
        if self.day_from:
            clauses.append("day >= ?")
            params.append(self.day_from)
        if self.day_to:
            clauses.append("day <= ?")
            params.append(self.day_to)
        return (" AND ".join(clauses) or "1"), params


def store_batch_in(
    conn: sqlite3.Connection,
    *,
    batch_id: str,
    kiosk_id: str,
    airport: str,
    day: str,
    part: int,
    cells: Sequence[tuple[str, str, int]],
    dropped_batches: int,
    body_sha256: str,
    received_at: str,
) -> Literal["stored", "duplicate"]:
    """Store a validated batch once inside the caller's transaction. Raises BatchConflict for a
    reused id with another body (nothing written)."""
    row = conn.execute(
        "SELECT body_sha256, kiosk_id FROM batches WHERE batch_id = ?", (batch_id,)
    ).fetchone()
    if row is not None:
        if row[0] == body_sha256 and row[1] == kiosk_id:
            return "duplicate"
        raise BatchConflict(f"batch {batch_id} was already stored with a different body")
    conn.execute(
        "INSERT INTO batches (batch_id, kiosk_id, airport, day, part, body_sha256, "
        "cells, dropped_batches, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (batch_id, kiosk_id, airport, day, part, body_sha256, len(cells), dropped_batches,
         received_at),
    )  # fmt: skip
    conn.executemany(
        "INSERT INTO counts (airport, kiosk_id, day, part, metric, value, count) "
        "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (kiosk_id, day, part, metric, value) "
        "DO UPDATE SET count = count + excluded.count",
        [(airport, kiosk_id, day, part, m, v, n) for m, v, n in cells],
    )
    return "stored"


class StatsDB:
    """Short-lived connections to `stats.db`; call `migrate()` once at start-up."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.writer = SQLiteWriter(self.path, foreign_keys=False)

    def close(self) -> None:
        self.writer.close()

    def connect(self) -> AbstractContextManager[sqlite3.Connection]:
        return sqlite_connection(self.path, rows=False, foreign_keys=False)

    def migrate(self) -> int:
        return migrate_file(
            self.path,
            self.connect,
            MIGRATIONS,
            what=f"{self.path}: statistics",
            newer_hint=f"this program knows ({len(MIGRATIONS)}); upgrade the server",
        )

    # -- writing ---------------------------------------------------------------------------

    def store_batch(self, **batch: Any) -> Literal["stored", "duplicate"]:
        """Store a validated batch once, in this thread (see `store_batch_async`)."""
        with self.connect() as conn:
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute("BEGIN IMMEDIATE")
            try:
                outcome = store_batch_in(conn, **batch)
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
        return outcome

    async def store_batch_async(
        self,
        *,
        batch_id: str,
        kiosk_id: str,
        airport: str,
        day: str,
        part: int,
        cells: Sequence[tuple[str, str, int]],
        dropped_batches: int,
        body_sha256: str,
        received_at: str,
    ) -> Literal["stored", "duplicate"]:
        """Store a validated batch once through the writer thread (committed with the other
        batches waiting, one fsync for all). Raises BatchConflict for a reused id."""

        def job(conn: sqlite3.Connection) -> Literal["stored", "duplicate"]:
            return store_batch_in(
                conn,
                batch_id=batch_id,
                kiosk_id=kiosk_id,
                airport=airport,
                day=day,
                part=part,
                cells=cells,
                dropped_batches=dropped_batches,
                body_sha256=body_sha256,
                received_at=received_at,
            )

        return await self.writer.run(job)

    # -- reading (console) -----------------------------------------------------------------

    def sessions_per_day(self, flt: StatsFilter) -> list[tuple[str, str, int]]:
        """(day, airport, sessions) rows, by day then airport."""
        where, params = flt.where()
        with self.connect() as conn:
            return conn.execute(
                f"SELECT day, airport, sum(count) FROM counts WHERE metric = ? AND {where} "
                "GROUP BY day, airport ORDER BY day, airport",
                [SESSION_METRIC, *params],
            ).fetchall()

    def breakdown(self, metric: str, flt: StatsFilter) -> list[tuple[str, int]]:
        """(value, total) of one metric, largest first; `_suppressed` last."""
        where, params = flt.where()
        with self.connect() as conn:
            rows = conn.execute(
                f"SELECT value, sum(count) AS n FROM counts WHERE metric = ? AND {where} "
                "GROUP BY value ORDER BY n DESC, value",
                [metric, *params],
            ).fetchall()
        return sorted(rows, key=lambda r: (r[0] == SUPPRESSED, -r[1], r[0]))

    def by_airport(self, metric: str, flt: StatsFilter) -> list[tuple[str, int]]:
        """(airport, total of the metric), by airport."""
        where, params = flt.where()
        with self.connect() as conn:
            return conn.execute(
                f"SELECT airport, sum(count) FROM counts WHERE metric = ? AND {where} "
                "GROUP BY airport ORDER BY airport",
                [metric, *params],
            ).fetchall()

    def people_reached(self, flt: StatsFilter) -> list[tuple[str, int, int, int]]:
        """(airport, sessions, kiosks reporting, days with data) in the period."""
        where, params = flt.where()
        with self.connect() as conn:
            return conn.execute(
                "SELECT airport, sum(count), count(DISTINCT kiosk_id), count(DISTINCT day) "
                f"FROM counts WHERE metric = ? AND {where} GROUP BY airport ORDER BY airport",
                [SESSION_METRIC, *params],
            ).fetchall()

    def rows(self, flt: StatsFilter) -> Iterator[tuple[str, str, str, int, str, str, int]]:
        """Every (day, airport, kiosk, part, metric, value, count) for the CSV export."""
        where, params = flt.where()
        with self.connect() as conn:
            yield from conn.execute(
                "SELECT day, airport, kiosk_id, part, metric, value, count FROM counts "
                f"WHERE {where} ORDER BY day, airport, kiosk_id, part, metric, value",
                params,
            )

    def airports(self) -> list[str]:
        with self.connect() as conn:
            return [r[0] for r in conn.execute("SELECT DISTINCT airport FROM counts ORDER BY 1")]

    def batch_count(self) -> int:
        with self.connect() as conn:
            return int(conn.execute("SELECT count(*) FROM batches").fetchone()[0])

    def dropped_reported(self) -> list[tuple[str, int]]:
        """(kiosk, batches the kiosk reports it had to drop while offline)."""
        with self.connect() as conn:
            return conn.execute(
                "SELECT kiosk_id, sum(dropped_batches) FROM batches GROUP BY kiosk_id "
                "HAVING sum(dropped_batches) > 0 ORDER BY kiosk_id"
            ).fetchall()
