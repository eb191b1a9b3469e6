"""The content cache's numbered migrations (content/migrations.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlite_utils

from content.migrations import SCHEMA_VERSION, migrate


def test_migrations_are_numbered_and_applied_once(tmp_path: Path) -> None:
    db = sqlite_utils.Database(tmp_path / "m.db")
    assert migrate(db) == list(range(1, SCHEMA_VERSION + 1))
    assert migrate(db) == []
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert {"meta", "articles", "labels", "ui_strings"} <= set(db.table_names())
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(ValueError, match="newer than this code understands"):
        migrate(db)
    db.close()
