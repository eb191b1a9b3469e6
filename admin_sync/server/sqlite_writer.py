"""One writer thread per SQLite file: async handlers hand their writes to it and await the result,
so neither the write nor its fsync runs on the event loop, and writers never wait on each other's
locks (SQLite's busy handler sleeps in growing steps: the cause of multi-second tails).

Group commit: the thread takes every job waiting in its queue (up to `max_group`), runs each in
its own SAVEPOINT inside one `BEGIN IMMEDIATE` transaction and commits them with one fsync
(`synchronous = FULL`, so an answered write survives a power cut). A job that raises is rolled
back alone and its caller gets the exception; the others commit. A failed COMMIT fails them all.

    writer = SQLiteWriter(path)
    rows = await writer.run(lambda conn: conn.execute("DELETE ...").rowcount)
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import queue
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

log = logging.getLogger("safe_airports.server.writer")

T = TypeVar("T")
Job = Callable[[sqlite3.Connection], T]


@dataclass
class _Queued:
    job: Callable[[sqlite3.Connection], Any]
    future: asyncio.Future[Any]
    loop: asyncio.AbstractEventLoop


def _settle(future: asyncio.Future[Any], ok: bool, value: Any) -> None:
    if future.cancelled():
        return
    if ok:
        future.set_result(value)
    else:
        future.set_exception(value)


class SQLiteWriter:
    """The only writing connection of one SQLite file in this process, owned by one thread
    (started at the first job; `close()` stops it)."""

    def __init__(self, path: Path, *, max_group: int = 256, foreign_keys: bool = True) -> None:
        self.path = Path(path)
        self.max_group = max_group
        self.foreign_keys = foreign_keys
        self._queue: queue.SimpleQueue[_Queued | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._start_lock = threading.Lock()
        self.groups = 0  # transactions committed (for tests and benchmarks)
        self.jobs = 0

    async def run(self, job: Callable[[sqlite3.Connection], T]) -> T:
        """Run `job(conn)` inside the writer's next transaction; its result once committed."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[T] = loop.create_future()
        self._ensure_thread()
        self._queue.put(_Queued(job, future, loop))
        return await future

    def _ensure_thread(self) -> None:
        with self._start_lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._serve, name=f"sqlite-writer:{self.path.name}", daemon=True
                )
                self._thread.start()

    def close(self, timeout: float = 10.0) -> None:
        """Finish the queued jobs and stop the thread."""
        with self._start_lock:
            thread, self._thread = self._thread, None
        if thread is not None and thread.is_alive():
            self._queue.put(None)
            thread.join(timeout)
        if self.jobs:
            log.info(
                "%s: %d writes committed in %d transactions",
                self.path.name,
                self.jobs,
                self.groups,
                extra={"writes": self.jobs, "transactions": self.groups, "file": self.path.name},
            )

    def _open(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=10, isolation_level=None)
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA busy_timeout = 10000")
        conn.execute("PRAGMA synchronous = FULL")
        if self.foreign_keys:
            conn.execute("PRAGMA foreign_keys = ON")
        return conn

    def _serve(self) -> None:
        conn: sqlite3.Connection | None = None
        try:
            while True:
                first = self._queue.get()
                if first is None:
                    return
                group = [first]
                stop = False
                while len(group) < self.max_group:
                    try:
                        item = self._queue.get_nowait()
                    except queue.Empty:
                        break
                    if item is None:
                        stop = True
                        break
                    group.append(item)
                try:
                    conn = conn or self._open()
                    outcomes = self._commit(conn, group)
                except sqlite3.Error as exc:
                    log.error("%s: could not commit %d write(s): %s", self.path, len(group), exc)
                    outcomes = [(False, exc)] * len(group)
                    if conn is not None:
                        with contextlib.suppress(sqlite3.Error):
                            conn.close()
                    conn = None  # reopen for the next group
                for item, (ok, value) in zip(group, outcomes, strict=True):
                    with contextlib.suppress(RuntimeError):  # the caller's loop has closed
                        item.loop.call_soon_threadsafe(_settle, item.future, ok, value)
                if stop:
                    return
        finally:
            if conn is not None:
                conn.close()

    def _commit(self, conn: sqlite3.Connection, group: list[_Queued]) -> list[tuple[bool, Any]]:
        outcomes: list[tuple[bool, Any]] = []
        conn.execute("BEGIN IMMEDIATE")
        try:
            for item in group:
                conn.execute("SAVEPOINT job")
                try:
                    result = item.job(conn)
                except Exception as exc:
                    conn.execute("ROLLBACK TO job")
                    conn.execute("RELEASE job")
                    outcomes.append((False, exc))
                else:
                    conn.execute("RELEASE job")
                    outcomes.append((True, result))
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        self.groups += 1
        self.jobs += len(group)
        return outcomes
