"""The audit log's own SQLite file, and `admin publish` of a folder as a commit."""

from __future__ import annotations

import csv
import io
import sqlite3
from datetime import UTC, datetime

import pytest

import safe_airports_cli
from admin_sync.audit_log import MIGRATIONS, AuditFilter, AuditLog, to_csv
from admin_sync.datadir import DataDir
from admin_sync.server.db import release_history
from tests.admin_sync.console_env import init_data, valid_source


@pytest.fixture
def log(tmp_path) -> AuditLog:
    return AuditLog(tmp_path / "audit.db", clock=lambda: datetime(2026, 11, 22, 9, tzinfo=UTC))


def test_numbered_migrations(log) -> None:
    assert log.migrate() == len(MIGRATIONS)
    with sqlite3.connect(log.path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)


def test_record_filter_and_csv(log) -> None:
    log.record("edna", "edit", "contacts.yaml", "phone", via="console")
    log.record("vic", "approve", "draft", '=HYPERLINK("x")', via="console")
    log.clock = lambda: datetime(2026, 11, 25, 9, tzinfo=UTC)
    log.record("edna", "publish", "content version 3", "", via="cli")
    assert [e.action for e in log.entries()] == ["publish", "approve", "edit"]
    assert [e.action for e in log.entries(AuditFilter(who="edna"))] == ["publish", "edit"]
    assert [e.item for e in log.entries(AuditFilter(item="CONTACTS"))] == ["contacts.yaml"]
    assert [e.action for e in log.entries(AuditFilter(until="2026-11-22"))] == ["approve", "edit"]
    assert [e.action for e in log.entries(AuditFilter(since="2026-11-23"))] == ["publish"]
    rows = list(csv.reader(io.StringIO(to_csv(log.entries()))))
    assert rows[0] == ["id", "at", "who", "action", "item", "detail", "via"]
    assert rows[2][5] == '\'=HYPERLINK("x")'  # a spreadsheet does not run it
    with pytest.raises(ValueError):
        log.record("edna", "delete", "x", via="console")


def test_admin_publish_of_a_folder_is_a_commit_and_an_audit_row(tmp_path, monkeypatch) -> None:
    data = init_data(tmp_path)
    source = valid_source(tmp_path / "content")
    monkeypatch.setenv("USER", "carol")
    assert safe_airports_cli.main(["admin", "publish", str(source), "--data", str(data)]) == 0
    history = DataDir(data).content_history()
    (rev,) = history.log()
    assert rev.author == "carol" and rev.message.startswith("Publish ")
    (release,) = release_history(DataDir(data).database())
    assert release.source_commit == rev.commit
    assert safe_airports_cli.main(["admin", "rollback", "1", "--data", str(data)]) == 0
    entries = DataDir(data).audit_log().entries()
    assert [(e.who, e.action, e.via) for e in entries] == [
        ("carol", "rollback", "cli"),
        ("carol", "publish", "cli"),
    ]
    assert release_history(DataDir(data).database())[0].source_commit == rev.commit
