from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from content.sqlite_migrations import apply_migrations, schema_version

MIGRATIONS = (
    "CREATE TABLE a (x INTEGER); INSERT INTO a VALUES (1)",
    "ALTER TABLE a ADD COLUMN y TEXT; UPDATE a SET y = 'two'",
)


@pytest.fixture
def conn(tmp_path: Path) -> Iterator[sqlite3.Connection]:
    conn = sqlite3.connect(tmp_path / "m.db", isolation_level=None)
    yield conn
    conn.close()


def _apply(conn: sqlite3.Connection, migrations) -> int:
    return apply_migrations(conn, migrations, what="m.db: test", newer_hint="this test knows")


def test_applies_every_migration_in_order(conn: sqlite3.Connection) -> None:
    assert _apply(conn, MIGRATIONS) == 2
    assert schema_version(conn) == 2
    assert conn.execute("SELECT x, y FROM a").fetchall() == [(1, "two")]


def test_applies_only_the_missing_ones_and_is_idempotent(conn: sqlite3.Connection) -> None:
    _apply(conn, MIGRATIONS[:1])
    assert schema_version(conn) == 1
    assert _apply(conn, MIGRATIONS) == 2
    assert _apply(conn, MIGRATIONS) == 2  # nothing left: no error, nothing run twice
    assert conn.execute("SELECT x, y FROM a").fetchall() == [(1, "two")]
    assert not conn.in_transaction


def test_callable_migrations_get_the_connection(conn: sqlite3.Connection) -> None:
    def add_row(c: sqlite3.Connection) -> None:
        c.execute("INSERT INTO a (x) VALUES (5)")

    assert _apply(conn, [MIGRATIONS[0], add_row]) == 2
    assert conn.execute("SELECT x FROM a ORDER BY x").fetchall() == [(1,), (5,)]


def test_refuses_a_newer_schema_with_the_callers_message(conn: sqlite3.Connection) -> None:
    conn.execute("PRAGMA user_version = 7")
    with pytest.raises(RuntimeError) as raised:
        _apply(conn, MIGRATIONS)
    assert str(raised.value) == "m.db: test schema 7 is newer than this test knows"
    assert schema_version(conn) == 7
    assert not conn.in_transaction


def test_the_error_type_is_the_callers(conn: sqlite3.Connection) -> None:
    class StoreError(Exception):
        pass

    conn.execute("PRAGMA user_version = 3")
    with pytest.raises(StoreError, match="schema 3 is newer"):
        apply_migrations(conn, MIGRATIONS, what="x", newer_hint="y", error=StoreError)


def test_a_failing_migration_rolls_back_everything(conn: sqlite3.Connection) -> None:
    broken = (*MIGRATIONS, "CREATE TABLE b (z INTEGER); INSERT INTO nowhere VALUES (1)")
    with pytest.raises(sqlite3.OperationalError, match="nowhere"):
        _apply(conn, broken)
    assert schema_version(conn) == 0
    tables = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
    assert tables == []
    assert not conn.in_transaction
    assert _apply(conn, MIGRATIONS) == 2  # the file is still usable


def test_a_failing_callable_rolls_back_too(conn: sqlite3.Connection) -> None:
    def boom(c: sqlite3.Connection) -> None:
        c.execute("INSERT INTO a VALUES (9, 'nine')")
        raise ValueError("migration 3 failed")

    _apply(conn, MIGRATIONS[:1])
    with pytest.raises(ValueError, match="migration 3 failed"):
        _apply(conn, (*MIGRATIONS, boom))
    assert schema_version(conn) == 1
    assert conn.execute("SELECT * FROM a").fetchall() == [(1,)]


def test_needs_an_autocommit_connection(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "m.db")  # default isolation_level: implicit transactions
    try:
        with pytest.raises(ValueError, match="isolation_level=None"):
            _apply(conn, MIGRATIONS)
    finally:
        conn.close()
