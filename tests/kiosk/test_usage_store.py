from __future__ import annotations

import sqlite3
import threading
from datetime import datetime
from pathlib import Path

import pytest

from content.model import TOPIC_IDS
from kiosk.usage_metrics import METRICS, is_allowed, session_length_bucket
from kiosk.usage_store import MIGRATIONS, UsageError, UsageRecorder, UsageStore, day_and_part

WHEN = datetime(2026, 11, 22, 13, 45, 12)


def test_allow_list_matches_the_contract() -> None:
    assert set(METRICS) == {
        "session",
        "language",
        "destination",
        "nationality",
        "topic",
        "screen",
        "qr_shown",
        "help_opened",
        "search_used",
        "session_length",
        "idle_reset",
        "listened",
    }
    assert METRICS["topic"] == frozenset(TOPIC_IDS)
    assert is_allowed("language", "uz-Cyrl") and is_allowed("language", "ru")
    assert is_allowed("destination", "RU")
    assert is_allowed("nationality", "KG") and not is_allowed("nationality", "Kyrgyz")
    for metric, value in [
        ("language", "Russian please"),
        ("destination", "Russia"),
        ("screen", "settings"),
        ("search_used", "passport"),
        ("qr_shown", "+79161234567"),
        ("nope", "1"),
        ("session", "2026-11-22T13:45:12"),
    ]:
        assert not is_allowed(metric, value), (metric, value)


@pytest.mark.parametrize(
    ("seconds", "bucket"),
    [(0, "lt30s"), (29.9, "lt30s"), (30, "30s-1m"), (61, "1-3m"), (200, "3-10m"), (601, "gt10m")],
)
def test_session_length_buckets(seconds: float, bucket: str) -> None:
    assert session_length_bucket(seconds) == bucket


def test_day_and_six_hour_part() -> None:
    assert day_and_part(WHEN) == ("2026-11-22", 2)
    assert day_and_part(datetime(2026, 1, 1, 0, 0)) == ("2026-01-01", 0)
    assert day_and_part(datetime(2026, 1, 1, 23, 59)) == ("2026-01-01", 3)


def test_counts_per_cell_without_timestamps(tmp_path: Path) -> None:
    store = UsageStore(tmp_path / "usage.db")
    store.increment("screen", "home", WHEN)
    store.increment("screen", "home", WHEN.replace(minute=1))
    store.increment("screen", "help", WHEN.replace(hour=19))
    cells = store.cells()
    assert [(c.day, c.part, c.metric, c.value, c.count) for c in cells] == [
        ("2026-11-22", 2, "screen", "home", 2),
        ("2026-11-22", 3, "screen", "help", 1),
    ]
    conn = sqlite3.connect(tmp_path / "usage.db")
    assert conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    columns = [r[1] for r in conn.execute("PRAGMA table_info(counters)")]
    assert columns == ["day", "part", "metric", "value", "count"]
    conn.close()


def test_refuses_values_off_the_allow_list(tmp_path: Path) -> None:
    store = UsageStore(tmp_path / "usage.db")
    with pytest.raises(UsageError, match="allow-list"):
        store.increment("search_text", "passport", WHEN)
    assert store.cells() == []


def test_cells_before_and_delete(tmp_path: Path) -> None:
    store = UsageStore(tmp_path / "usage.db")
    store.increment("session", "start", WHEN.replace(hour=1))
    store.increment("session", "start", WHEN)
    old = store.cells_before("2026-11-22", 2)
    assert [(c.part, c.count) for c in old] == [(0, 1)]
    store.delete_cells([c.key for c in old])
    assert [(c.part, c.count) for c in store.cells()] == [(2, 1)]


def test_reopening_keeps_counts_and_refuses_newer_schema(tmp_path: Path) -> None:
    path = tmp_path / "usage.db"
    UsageStore(path).increment("help_opened", "1", WHEN)
    assert UsageStore(path).cells()[0].count == 1
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    with pytest.raises(UsageError, match="newer"):
        UsageStore(path)


def test_recorder_writes_off_the_calling_thread(tmp_path: Path) -> None:
    store = UsageStore(tmp_path / "usage.db")
    writers: set[str] = set()
    original = store.increment_many

    def spy(items):  # records which thread writes; the real write still happens
        writers.add(threading.current_thread().name)
        return original(items)

    store.increment_many = spy  # type: ignore[method-assign]
    recorder = UsageRecorder(store, clock=lambda: WHEN)
    for _ in range(500):
        recorder.record("screen", "article")
    recorder.record("search_used", "what I typed")  # refused, never written
    recorder.close()
    assert writers == {"usage-writer"}
    assert [(c.metric, c.value, c.count) for c in store.cells()] == [("screen", "article", 500)]
