"""The usage counters file (Qt-free; the sync agent reads it when sealing batches).

One SQLite file with numbered migrations (`PRAGMA user_version`) and one table of counters per
(day, 6-hour part of the day, metric, value). There are no timestamps and no sequences: the
order of events cannot be recovered from the file. Only allow-listed values are accepted.

`UsageRecorder` puts increments on a queue that a worker thread writes in batches, so recording
never blocks the UI thread.
"""

from __future__ import annotations

import logging
import queue
import sqlite3
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from content.sqlite_migrations import apply_migrations
from kiosk.usage_metrics import is_allowed

log = logging.getLogger(__name__)

MIGRATIONS: tuple[str, ...] = (
    # 1: the counters table
    """
    CREATE TABLE counters (
        day TEXT NOT NULL CHECK (length(day) = 10),
        part INTEGER NOT NULL CHECK (part BETWEEN 0 AND 3),
        metric TEXT NOT NULL,
        value TEXT NOT NULL,
        count INTEGER NOT NULL CHECK (count > 0),
        PRIMARY KEY (day, part, metric, value)
    ) WITHOUT ROWID;
    """,
)


class UsageError(Exception):
    """A metric or value not on the allow-list, or an unusable usage file."""


@dataclass(frozen=True)
class Cell:
    day: str
    part: int
    metric: str
    value: str
    count: int

    @property
    def key(self) -> tuple[str, int, str, str]:
        return (self.day, self.part, self.metric, self.value)


def day_and_part(when: datetime) -> tuple[str, int]:
    """The calendar day and which 6-hour part of it (0: 00-06, ..., 3: 18-24)."""
    return when.strftime("%Y-%m-%d"), when.hour // 6


class UsageStore:
    """The counters file. Each method opens its own short connection (thread-safe by design)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._migrate()

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=10, isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        return conn

    def _migrate(self) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = self._connect()
        except (OSError, sqlite3.Error) as exc:
            raise UsageError(f"cannot open the usage file {self.path}: {exc}") from exc
        try:
            apply_migrations(
                conn,
                MIGRATIONS,
                what=f"{self.path}: usage file",
                newer_hint=f"this kiosk understands ({len(MIGRATIONS)})",
                error=UsageError,
            )
        finally:
            conn.close()

    def increment(self, metric: str, value: str, when: datetime, by: int = 1) -> None:
        self.increment_many([(metric, value, when, by)])

    def increment_many(self, items: Iterable[tuple[str, str, datetime, int]]) -> None:
        rows = []
        for metric, value, when, by in items:
            if not is_allowed(metric, value):
                raise UsageError(f"not on the usage allow-list: {metric}={value!r}")
            rows.append((*day_and_part(when), metric, value, by))
        if not rows:
            return
        conn = self._connect()
        try:
            conn.execute("BEGIN IMMEDIATE")
            conn.executemany(
                "INSERT INTO counters (day, part, metric, value, count) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (day, part, metric, value) "
                "DO UPDATE SET count = count + excluded.count",
                rows,
            )
            conn.execute("COMMIT")
        finally:
            conn.close()

    def cells(self) -> list[Cell]:
        conn = self._connect()
        try:
            rows = conn.execute(
                "SELECT day, part, metric, value, count FROM counters "
                "ORDER BY day, part, metric, value"
            ).fetchall()
        finally:
            conn.close()
        return [Cell(*row) for row in rows]

    def cells_before(self, day: str, part: int) -> list[Cell]:
        """Cells of periods that are over, i.e. strictly before (day, part)."""
        return [c for c in self.cells() if (c.day, c.part) < (day, part)]

    def delete_cells(self, keys: Iterable[tuple[str, int, str, str]]) -> None:
        conn = self._connect()
        try:
            conn.execute("BEGIN IMMEDIATE")
            conn.executemany(
                "DELETE FROM counters WHERE day = ? AND part = ? AND metric = ? AND value = ?",
                list(keys),
            )
            conn.execute("COMMIT")
        finally:
            conn.close()


_STOP = object()


class UsageRecorder:
    """Records counters off the UI thread: `record()` only validates and enqueues.

    A worker thread drains the queue and writes each batch in one transaction. `flush()` waits
    until everything queued so far is written (tests, and at exit).
    """

    def __init__(self, store: UsageStore | None, clock: Callable[[], datetime]) -> None:
        self._store = store
        self._clock = clock
        self._queue: queue.Queue[object] = queue.Queue()
        self._thread: threading.Thread | None = None
        if store is not None:
            self._thread = threading.Thread(target=self._run, name="usage-writer", daemon=True)
            self._thread.start()

    def record(self, metric: str, value: str) -> None:
        if not is_allowed(metric, value):
            log.error("usage counter refused (not on the allow-list): %s", metric)
            return
        if self._store is not None:
            self._queue.put((metric, value, self._clock(), 1))

    def flush(self, timeout: float = 10.0) -> None:
        if self._thread is None:
            return
        done = threading.Event()
        self._queue.put(done)
        done.wait(timeout)

    def close(self) -> None:
        if self._thread is None:
            return
        self.flush()
        self._queue.put(_STOP)
        self._thread.join(timeout=10)
        self._thread = None

    def _run(self) -> None:
        assert self._store is not None
        while True:
            item = self._queue.get()
            batch: list[tuple[str, str, datetime, int]] = []
            waiters: list[threading.Event] = []
            stop = False
            while True:
                if item is _STOP:
                    stop = True
                elif isinstance(item, threading.Event):
                    waiters.append(item)
                else:
                    batch.append(item)  # type: ignore[arg-type]
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
            try:
                self._store.increment_many(batch)
            except Exception:  # the kiosk must keep running even if the disk is full
                log.exception("could not write %d usage counters", len(batch))
            for waiter in waiters:
                waiter.set()
            if stop:
                return
