"""The statistics outbox in detail: upload answers, backoff figures, the cap's order, status,
recovery after a cut, the old schema, and the agent's step. Each test pins one behaviour a
wrong outbox would change (they are the ones `make mutate MODULE=outbox` needs)."""

from __future__ import annotations

import json
import logging
import os
import random
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from admin_sync.agent.stats_outbox import (
    MIGRATIONS,
    CycleReport,
    OutboxSettings,
    StatsOutbox,
    StatsStep,
    _make_durable,
    _reason,
    day_part,
)
from admin_sync.stats_wire import SUPPRESSED
from content.settings_base import SettingsError
from kiosk.usage_store import Cell, UsageStore

NOW = datetime(2026, 11, 22, 13, 5)  # part 2 of 2026-11-22
URL = "http://s"


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


class Response:
    def __init__(self, status: int, data: Any = None, *, text: str = "", bad_json: bool = False):
        self.status_code = status
        self._data = {"detail": f"reason {status}"} if data is None else data
        self.text = text
        self._bad_json = bad_json

    def json(self) -> Any:
        if self._bad_json:
            raise ValueError("not JSON")
        return self._data


class Session:
    """Answers PUTs from a script of statuses, Responses or exceptions; records every call."""

    def __init__(self, script: list[Any]) -> None:
        self.script = list(script)
        self.calls: list[dict[str, Any]] = []

    def put(self, url: str, *, data: bytes, headers: dict[str, str], timeout: float) -> Response:
        self.calls.append({"url": url, "data": data, "headers": headers, "timeout": timeout})
        step = self.script.pop(0)
        if isinstance(step, Exception):
            raise step
        return step if isinstance(step, Response) else Response(step)


class FixedRandom(random.Random):
    def __init__(self, value: float) -> None:
        super().__init__(0)
        self.value = value

    def random(self) -> float:
        return self.value


def make_outbox(
    tmp_path: Path, clock: Clock | None = None, rng: float = 1.0, **settings: Any
) -> StatsOutbox:
    return StatsOutbox(
        tmp_path / "outbox.db",
        kiosk_id="tas-01",
        settings=OutboxSettings(**settings),
        clock=clock or Clock(NOW),
        rng=FixedRandom(rng),
    )


def fill(store: UsageStore, parts_back: int, sessions: int = 7, metric: str = "session") -> None:
    value = {"session": "start", "screen": "home"}[metric]
    store.increment(metric, value, NOW - timedelta(hours=6 * parts_back), by=sessions)


@pytest.fixture
def store(tmp_path: Path) -> UsageStore:
    return UsageStore(tmp_path / "usage.db")


def meta(tmp_path: Path, key: str) -> int | None:
    with sqlite3.connect(tmp_path / "outbox.db") as conn:
        row = conn.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
    conn.close()
    return None if row is None else int(row[0])


def rows(tmp_path: Path) -> list[tuple[Any, ...]]:
    with sqlite3.connect(tmp_path / "outbox.db") as conn:
        found = conn.execute(
            "SELECT batch_id, day, part, state, attempts, last_error, retry_after FROM batches "
            "ORDER BY seq"
        ).fetchall()
    conn.close()
    return found


def cycle(outbox: StatsOutbox, session: Session, store: UsageStore) -> CycleReport:
    return outbox.seal_and_upload(session, counters=store, server_url=URL, token="T")


# -- settings and opening ---------------------------------------------------------------------


def test_settings_defaults() -> None:
    s = OutboxSettings()
    assert (s.k, s.max_pending, s.keep_sent, s.max_uploads_per_cycle) == (5, 4 * 366, 200, 200)
    assert (s.backoff_base_seconds, s.backoff_max_seconds) == (30.0, 6 * 3600.0)
    assert (s.request_timeout_seconds, s.rejected_retry_hours) == (20.0, 24.0)


def test_sync_table_settings_take_only_stats_keys_and_check_them() -> None:
    settings = OutboxSettings.from_sync_table(
        {"server_url": "x", "stats_max_pending": 1, "stats_keep_sent": 3}, where="k.toml"
    )
    assert (settings.max_pending, settings.keep_sent, settings.k) == (1, 3, 5)
    with pytest.raises(
        SettingsError, match=r"^k.toml \[sync\] stats_max_pending: must be at least 1"
    ):
        OutboxSettings.from_sync_table({"stats_max_pending": 0}, where="k.toml")
    with pytest.raises(SettingsError, match=r"^k.toml \[sync\] stats_k: must be at least 5"):
        OutboxSettings.from_sync_table({"stats_k": 4}, where="k.toml")


def test_an_outbox_never_seals_with_a_k_the_server_refuses(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="^statistics outbox: k must be at least 5"):
        StatsOutbox(tmp_path / "o.db", kiosk_id="k", settings=OutboxSettings(k=4))
    assert not (tmp_path / "o.db").exists()


def test_the_file_is_created_in_new_folders_in_wal_mode_with_full_sync(tmp_path: Path) -> None:
    outbox = StatsOutbox(tmp_path / "a" / "b" / "outbox.db", kiosk_id="k")
    assert outbox.settings == OutboxSettings()
    assert outbox._db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert outbox._db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    outbox.close()
    with sqlite3.connect(tmp_path / "a" / "b" / "outbox.db") as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    conn.close()


def test_the_default_clock_is_the_local_time(tmp_path: Path, store: UsageStore) -> None:
    now = datetime.now().astimezone()
    store.increment("session", "start", now - timedelta(hours=12), by=5)
    store.increment("session", "start", now + timedelta(hours=12), by=5)
    outbox = StatsOutbox(tmp_path / "outbox.db", kiosk_id="k")
    [batch_id] = outbox.seal(store)
    later = now + timedelta(hours=12)
    assert [c.key for c in store.cells()] == [(*day_part(later), "session", "start")]
    assert outbox.pending_bodies()[0][0] == batch_id


def test_an_outbox_from_a_newer_agent_is_refused_with_its_path(tmp_path: Path) -> None:
    make_outbox(tmp_path).close()
    with sqlite3.connect(tmp_path / "outbox.db") as conn:
        conn.execute(f"PRAGMA user_version={len(MIGRATIONS) + 1}")
    conn.close()
    with pytest.raises(Exception) as refused:
        make_outbox(tmp_path)
    assert str(refused.value) == (
        f"{tmp_path / 'outbox.db'}: outbox schema {len(MIGRATIONS) + 1} is newer than "
        f"this agent knows ({len(MIGRATIONS)})"
    )


def test_a_version_1_outbox_is_upgraded_and_its_refused_batches_become_due(
    tmp_path: Path, store: UsageStore
) -> None:
    with sqlite3.connect(tmp_path / "outbox.db") as conn:
        conn.executescript(MIGRATIONS[0])
        conn.execute("PRAGMA user_version=1")
        body = json.dumps({"dropped_batches": 0}).encode()
        conn.execute(
            "INSERT INTO batches(batch_id, day, part, body, state, last_error) "
            "VALUES('old', '2026-11-01', 1, ?, 'rejected', 'HTTP 422: k')",
            (body,),
        )
    conn.close()
    outbox = make_outbox(tmp_path)
    assert outbox.rejected() == (1, "batch of 2026-11-01 part 1: HTTP 422: k")
    session = Session([201])
    report = cycle(outbox, session, store)
    assert session.calls[0]["url"] == f"{URL}/api/v1/stats/old"
    assert report.sent == ["old"] and outbox.rejected() == (0, None)


def test_day_part() -> None:
    assert day_part(datetime(2026, 1, 2, 0, 0)) == ("2026-01-02", 0)
    assert day_part(datetime(2026, 1, 2, 5, 59)) == ("2026-01-02", 0)
    assert day_part(datetime(2026, 1, 2, 6, 0)) == ("2026-01-02", 1)
    assert day_part(datetime(2026, 1, 2, 23, 59)) == ("2026-01-02", 3)


# -- sealing ----------------------------------------------------------------------------------


def test_a_sealed_batch_is_the_canonical_wire_body(tmp_path: Path, store: UsageStore) -> None:
    fill(store, 1, sessions=6)
    fill(store, 1, sessions=1, metric="screen")  # under k: withheld (its total is under k too)
    outbox = make_outbox(tmp_path, k=6)
    report = CycleReport()
    [batch_id] = outbox.seal(store, report)
    assert report.sealed == [batch_id] and report.discarded_cells == 0 and report.dropped == 0
    with sqlite3.connect(tmp_path / "outbox.db") as conn:
        day, part, raw, state = conn.execute(
            "SELECT day, part, body, state FROM batches WHERE batch_id=?", (batch_id,)
        ).fetchone()
    conn.close()
    assert (day, part, state) == ("2026-11-22", 1, "pending")
    assert json.loads(raw) == {
        "schema": 1,
        "kiosk_id": "tas-01",
        "day": "2026-11-22",
        "part": 1,
        "k": 6,
        "dropped_batches": 0,
        "cells": [{"metric": "session", "value": "start", "count": 6}],
    }
    assert raw == json.dumps(json.loads(raw), sort_keys=True, separators=(",", ":")).encode()
    assert store.cells() == [] and outbox.recover(store) == 0


def test_a_part_with_only_small_cells_seals_nothing_but_is_cleared(
    tmp_path: Path, store: UsageStore
) -> None:
    fill(store, 1, sessions=2)
    outbox = make_outbox(tmp_path)
    assert outbox.seal(store) == [] and outbox.pending_bodies() == []
    assert store.cells() == []


class ListCounters:
    """A counter source without a file (no `path`): cells given as a list."""

    def __init__(self, cells: list[Cell]) -> None:
        self.cells = list(cells)
        self.deleted: list[tuple[str, int, str, str]] = []

    def cells_before(self, day: str, part: int) -> list[Cell]:
        return list(self.cells)  # also returns the running part: the outbox must not trust it

    def delete_cells(self, keys: Any) -> None:
        keys = list(keys)
        self.deleted.extend(keys)
        self.cells = [c for c in self.cells if c.key not in keys]


def test_the_running_part_is_never_sealed_even_if_offered(tmp_path: Path) -> None:
    running = Cell("2026-11-22", 2, "session", "start", 9)
    later = Cell("2026-11-23", 0, "session", "start", 9)
    over = Cell("2026-11-22", 1, "session", "start", 9)
    counters = ListCounters([running, later, over])
    outbox = make_outbox(tmp_path)
    [batch_id] = outbox.seal(counters)
    [(_, body)] = outbox.pending_bodies()
    assert (body["day"], body["part"], body["cells"][0]["count"]) == ("2026-11-22", 1, 9)
    assert counters.deleted == [over.key] and counters.cells == [running, later]
    assert outbox._db.execute("SELECT count(*) FROM sealing").fetchone()[0] == 0


def test_cells_off_the_allow_list_or_suppressed_are_discarded_and_counted(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    counters = ListCounters(
        [
            Cell("2026-11-22", 1, "session", SUPPRESSED, 50),
            Cell("2026-11-22", 1, "secret", "x", 50),
            Cell("2026-11-22", 1, "session", "start", 5),
        ]
    )
    outbox = make_outbox(tmp_path)
    report = CycleReport()
    with caplog.at_level(logging.WARNING, logger="admin_sync.agent.stats_outbox"):
        outbox.seal(counters, report)
    assert report.discarded_cells == 2
    assert "allow-list: secret" in caplog.text
    [(_, body)] = outbox.pending_bodies()
    assert body["cells"] == [{"metric": "session", "value": "start", "count": 5}]
    assert counters.cells == [], "discarded cells are deleted too"


def test_a_custom_allow_list_is_used(tmp_path: Path) -> None:
    counters = ListCounters([Cell("2026-11-22", 1, "colour", "red", 8)])
    outbox = StatsOutbox(
        tmp_path / "outbox.db",
        kiosk_id="k",
        clock=Clock(NOW),
        metrics={"colour": frozenset({"red"})},
    )
    outbox.seal(counters)
    [(_, body)] = outbox.pending_bodies()
    assert body["cells"] == [{"metric": "colour", "value": "red", "count": 8}]


def test_batches_are_sealed_oldest_first_and_only_the_first_carries_the_drops(
    tmp_path: Path, store: UsageStore
) -> None:
    clock = Clock(NOW)
    outbox = make_outbox(tmp_path, clock=clock, max_pending=2)
    fill(store, 9)
    fill(store, 8)
    outbox.seal(store)
    for back in (3, 2, 1):
        fill(store, back)
    report = CycleReport(dropped=1)
    ids = outbox.seal(store, report)
    assert report.dropped == 1 + 2 and meta(tmp_path, "dropped_total") == 2
    bodies = outbox.pending_bodies()
    assert [i for i, _ in bodies] == ids
    assert [(b["day"], b["part"], b["dropped_batches"]) for _, b in bodies] == [
        ("2026-11-21", 3, 2),
        ("2026-11-22", 0, 0),
        ("2026-11-22", 1, 0),
    ]
    assert meta(tmp_path, "dropped_unreported") == 0
    clock.now = NOW + timedelta(hours=6)
    fill(store, 0)
    outbox.seal(store)  # drops two, the first of which carried the 2 earlier drops
    assert meta(tmp_path, "dropped_total") == 4
    bodies = outbox.pending_bodies()
    assert [(b["day"], b["part"], b["dropped_batches"]) for _, b in bodies] == [
        ("2026-11-22", 1, 0),
        ("2026-11-22", 2, 4),
    ]
    assert meta(tmp_path, "dropped_unreported") == 0
    clock.now = NOW + timedelta(hours=12)
    fill(store, -2, sessions=1)  # the running part: nothing to seal, the meta stays
    outbox._set_meta("dropped_unreported", 3)
    assert outbox.seal(store) == []
    assert meta(tmp_path, "dropped_unreported") == 3


def test_a_drop_adds_to_drops_not_yet_reported(tmp_path: Path) -> None:
    outbox = make_outbox(tmp_path, max_pending=1)
    outbox.seal(ListCounters([Cell("2026-11-21", 3, "session", "start", 9)]))
    outbox._set_meta("dropped_unreported", 3)  # e.g. dropped while only small cells came
    report = CycleReport()
    outbox.seal(ListCounters([Cell("2026-11-22", 0, "session", "start", 9)]), report)
    [(_, body)] = outbox.pending_bodies()
    assert body["dropped_batches"] == 3 + 1 and report.dropped == 1


def test_the_cap_drops_by_day_and_part_not_by_insertion(tmp_path: Path) -> None:
    outbox = make_outbox(tmp_path, max_pending=2)
    late = ListCounters([Cell("2026-11-22", 1, "session", "start", 9)])
    outbox.seal(late)
    early = ListCounters([Cell("2026-11-21", 3, "session", "start", 9)])
    outbox.seal(early)  # sealed later, but an older part
    newest = ListCounters([Cell("2026-11-22", 0, "session", "start", 9)])
    outbox.seal(newest)
    kept = [(b["day"], b["part"]) for _, b in outbox.pending_bodies()]
    assert kept == [("2026-11-22", 0), ("2026-11-22", 1)]


def test_the_cap_leaves_sent_and_refused_batches_alone(tmp_path: Path, store: UsageStore) -> None:
    clock = Clock(NOW)
    outbox = make_outbox(tmp_path, clock=clock, max_pending=1)
    fill(store, 3)
    outbox.seal(store)
    cycle(outbox, Session([422]), store)
    fill(store, 2)
    outbox.seal(store)
    cycle(outbox, Session([201]), store)
    fill(store, 1)
    outbox.seal(store)
    clock.now = NOW + timedelta(hours=6)
    fill(store, 0)
    report = CycleReport()
    outbox.seal(store, report)
    assert report.dropped == 1
    assert [(r[2], r[3]) for r in rows(tmp_path)] == [(3, "rejected"), (0, "sent"), (2, "pending")]
    assert outbox.status()["stats_dropped_total"] == 1


def test_a_failed_seal_rolls_back_and_keeps_the_counters(tmp_path: Path, store: UsageStore) -> None:
    fill(store, 1)
    outbox = make_outbox(tmp_path)
    outbox._db.execute(
        "CREATE TRIGGER no BEFORE INSERT ON batches BEGIN SELECT RAISE(ABORT, 'x'); END"
    )
    with pytest.raises(sqlite3.IntegrityError):
        outbox.seal(store)
    assert outbox._db.execute("SELECT count(*) FROM sealing").fetchone()[0] == 0
    assert not outbox._db.in_transaction
    assert len(store.cells()) == 1


# -- recovery after a cut ---------------------------------------------------------------------


def sealing_rows(outbox: StatsOutbox) -> list[tuple[Any, ...]]:
    return outbox._db.execute("SELECT day, part, metric, value FROM sealing").fetchall()


def test_recover_deletes_the_recorded_cells_and_forgets_them(
    tmp_path: Path, store: UsageStore
) -> None:
    fill(store, 1)
    fill(store, 1, metric="screen")
    fill(store, 0)
    outbox = make_outbox(tmp_path)
    outbox._db.executemany(
        "INSERT INTO sealing VALUES(?, ?, ?, ?)",
        [("2026-11-22", "1", "session", "start"), ("2026-11-22", 1, "screen", "home")],
    )
    assert outbox.recover(store) == 2
    assert [c.key for c in store.cells()] == [("2026-11-22", 2, "session", "start")]
    assert sealing_rows(outbox) == []
    assert outbox.recover(store) == 0


class Recording(UsageStore):
    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.deletes: list[list[tuple[str, int, str, str]]] = []

    def delete_cells(self, keys: Any) -> None:
        keys = list(keys)
        self.deletes.append(keys)
        super().delete_cells(keys)


def test_recover_does_not_touch_the_counters_when_nothing_was_interrupted(
    tmp_path: Path,
) -> None:
    store = Recording(tmp_path / "usage.db")
    assert make_outbox(tmp_path).recover(store) == 0
    assert store.deletes == []


class Uncheckpointable:
    """The usage store, but its file cannot be checkpointed (an error opening it)."""

    def __init__(self, store: UsageStore, path: Path) -> None:
        self.store = store
        self.path = path

    def cells_before(self, day: str, part: int) -> list[Cell]:
        return self.store.cells_before(day, part)

    def delete_cells(self, keys: Any) -> None:
        self.store.delete_cells(keys)


def test_the_keys_stay_recorded_while_the_usage_file_cannot_be_checkpointed(
    tmp_path: Path, store: UsageStore
) -> None:
    fill(store, 1)
    outbox = make_outbox(tmp_path)
    (tmp_path / "a-folder").mkdir()
    failing = Uncheckpointable(store, tmp_path / "a-folder")
    [batch_id] = outbox.seal(failing)
    assert sealing_rows(outbox) == [("2026-11-22", 1, "session", "start")]
    assert outbox.recover(failing) == 1
    assert sealing_rows(outbox) != []
    assert outbox.recover(store) == 1
    assert sealing_rows(outbox) == [] and store.cells() == []
    assert [i for i, _ in outbox.pending_bodies()] == [batch_id]


def test_sealing_is_forgotten_once_the_open_usage_file_is_checkpointed(
    tmp_path: Path, store: UsageStore
) -> None:
    fill(store, 1)
    kiosk = sqlite3.connect(tmp_path / "usage.db")  # the kiosk keeps its file open: WAL stays
    try:
        kiosk.execute("SELECT count(*) FROM counters").fetchone()
        outbox = make_outbox(tmp_path)
        [batch_id] = outbox.seal(store)
        assert (tmp_path / "usage.db-wal").exists()
        assert sealing_rows(outbox) == [] and store.cells() == []
        assert outbox.recover(store) == 0
    finally:
        kiosk.close()


def test_make_durable(tmp_path: Path, store: UsageStore) -> None:
    assert _make_durable(SimpleNamespace()) is True  # no file: nothing to checkpoint
    fill(store, 1)
    assert _make_durable(store) is True
    (tmp_path / "dir.db").mkdir()
    assert _make_durable(SimpleNamespace(path=tmp_path / "dir.db")) is False


# -- uploading --------------------------------------------------------------------------------


def test_a_put_carries_the_token_the_json_type_the_timeout_and_the_exact_bytes(
    tmp_path: Path, store: UsageStore
) -> None:
    fill(store, 1)
    outbox = make_outbox(tmp_path, request_timeout_seconds=7.5)
    [batch_id] = outbox.seal(store)
    [(_, body)] = outbox.pending_bodies()
    session = Session([204])
    report = CycleReport()
    outbox.upload(session, server_url="http://s:8/baseX/", token="tok", report=report)
    [call] = session.calls
    assert call["url"] == f"http://s:8/baseX/api/v1/stats/{batch_id}"
    assert call["headers"] == {"Authorization": "Bearer tok", "Content-Type": "application/json"}
    assert call["timeout"] == 7.5
    assert call["data"] == json.dumps(body, sort_keys=True, separators=(",", ":")).encode()
    assert report.sent == [batch_id] and report.error is None
    assert rows(tmp_path)[0][3:6] == ("sent", 0, None)


@pytest.mark.parametrize("status", [200, 201, 299])
def test_any_2xx_is_sent(tmp_path: Path, store: UsageStore, status: int) -> None:
    fill(store, 1)
    outbox = make_outbox(tmp_path)
    report = cycle(outbox, Session([status]), store)
    assert len(report.sent) == 1 and outbox.status()["stats_pending"] == 0


@pytest.mark.parametrize("status", [199, 300, 400, 404, 409, 413, 422])
def test_other_answers_set_the_batch_aside(tmp_path: Path, store: UsageStore, status: int) -> None:
    fill(store, 2)
    fill(store, 1)
    outbox = make_outbox(tmp_path, rejected_retry_hours=2.5)
    first, second = outbox.seal(store)
    session = Session([Response(status, {"detail": "no"}), 201])
    report = cycle(outbox, session, store)
    assert report.rejected == [first] and report.sent == [second] and report.error is None
    assert rows(tmp_path)[0][3:] == (
        "rejected",
        0,
        f"HTTP {status}: no",
        int(NOW.timestamp()) + 9000,
    )
    assert meta(tmp_path, "upload_not_before") is None


@pytest.mark.parametrize("status", [401, 403, 408, 425, 429, 500, 502, 503, 599])
def test_transient_answers_back_off_and_keep_the_batch(
    tmp_path: Path, store: UsageStore, status: int
) -> None:
    fill(store, 2)
    fill(store, 1)
    outbox = make_outbox(tmp_path, backoff_base_seconds=100)
    outbox.seal(store)
    session = Session([Response(status, {"detail": "later"}), 201])
    report = cycle(outbox, session, store)
    assert len(session.calls) == 1 and report.sent == [] and report.rejected == []
    assert report.error == f"stats upload: HTTP {status}: later"
    assert [r[3:6] for r in rows(tmp_path)] == [
        ("pending", 1, f"HTTP {status}: later"),
        ("pending", 0, None),
    ]
    assert meta(tmp_path, "upload_failures") == 1
    assert meta(tmp_path, "upload_not_before") == int(NOW.timestamp()) + 100 + 1


def test_a_network_error_is_recorded_with_its_type(tmp_path: Path, store: UsageStore) -> None:
    fill(store, 1)
    outbox = make_outbox(tmp_path)
    report = cycle(outbox, Session([TimeoutError("slow " * 200)]), store)
    assert report.error is not None and report.error.startswith("stats upload failed: slow")
    error = rows(tmp_path)[0][5]
    assert error.startswith("network: TimeoutError: slow") and len(error) == 500


def test_the_backoff_doubles_up_to_its_maximum_with_jitter(
    tmp_path: Path, store: UsageStore
) -> None:
    fill(store, 1)
    clock = Clock(NOW)
    outbox = make_outbox(tmp_path, clock=clock, rng=1.0, backoff_max_seconds=500)
    waits = []
    for failures in range(6):
        session = Session([503])
        cycle(outbox, session, store)
        assert len(session.calls) == 1
        not_before = meta(tmp_path, "upload_not_before")
        assert not_before is not None
        waits.append(not_before - int(clock.now.timestamp()))
        assert meta(tmp_path, "upload_failures") == failures + 1
        clock.now = datetime.fromtimestamp(not_before - 1)
        cycle(outbox, Session([]), store)  # one second early: nothing is sent
        clock.now = datetime.fromtimestamp(not_before)
    assert waits == [31, 61, 121, 241, 481, 501]
    assert rows(tmp_path)[0][4] == 6  # attempts
    session = Session([201])
    cycle(outbox, session, store)
    assert meta(tmp_path, "upload_failures") == 0 and len(session.calls) == 1


def test_the_jitter_shortens_the_wait_by_up_to_half(tmp_path: Path, store: UsageStore) -> None:
    fill(store, 1)
    outbox = make_outbox(tmp_path, rng=0.0, backoff_base_seconds=100)
    cycle(outbox, Session([503]), store)
    assert meta(tmp_path, "upload_not_before") == int(NOW.timestamp()) + 50 + 1
    outbox.close()
    (tmp_path / "outbox.db").unlink()
    other = tmp_path / "other"
    other.mkdir()
    store2 = UsageStore(other / "usage.db")
    fill(store2, 1)
    outbox = make_outbox(other, rng=0.5, backoff_base_seconds=100)
    cycle(outbox, Session([503]), store2)
    assert meta(other, "upload_not_before") == int(NOW.timestamp()) + 75 + 1


def test_a_long_outage_does_not_overflow_the_backoff(tmp_path: Path, store: UsageStore) -> None:
    fill(store, 1)
    outbox = make_outbox(tmp_path)
    outbox._set_meta("upload_failures", 5000)
    cycle(outbox, Session([503]), store)
    assert meta(tmp_path, "upload_not_before") == int(NOW.timestamp()) + 6 * 3600 + 1


def test_the_doubling_stops_after_30_failures(tmp_path: Path, store: UsageStore) -> None:
    fill(store, 1)
    outbox = make_outbox(tmp_path, backoff_base_seconds=1, backoff_max_seconds=1e12)
    outbox._set_meta("upload_failures", 40)
    cycle(outbox, Session([503]), store)
    assert meta(tmp_path, "upload_not_before") == int(NOW.timestamp()) + 2**30 + 1


def test_at_most_max_uploads_per_cycle_pending_before_due_refused(
    tmp_path: Path, store: UsageStore
) -> None:
    clock = Clock(NOW)
    outbox = make_outbox(tmp_path, clock=clock, max_uploads_per_cycle=2, rejected_retry_hours=1)
    fill(store, 4)
    [refused] = outbox.seal(store)
    cycle(outbox, Session([422]), store)
    for back in (3, 2, 1):
        fill(store, back)
    pending = outbox.seal(store)
    clock.now = NOW + timedelta(hours=2)
    session = Session([201, 201])
    report = cycle(outbox, session, store)
    assert [c["url"].rsplit("/", 1)[1] for c in session.calls] == pending[:2]
    assert report.sent == pending[:2]
    session = Session([201, 201])
    report = cycle(outbox, session, store)
    assert report.sent == [pending[2], refused]


def test_sent_batches_are_pruned_to_keep_sent_newest(tmp_path: Path, store: UsageStore) -> None:
    outbox = make_outbox(tmp_path, keep_sent=2)
    for back in (4, 3, 2, 1):
        fill(store, back)
    ids = outbox.seal(store)
    cycle(outbox, Session([201, 201, 201, 201]), store)
    assert [r[0] for r in rows(tmp_path)] == ids[2:]


def test_refused_and_pending_batches_are_never_pruned(tmp_path: Path, store: UsageStore) -> None:
    outbox = make_outbox(tmp_path, keep_sent=1)
    for back in (3, 2, 1):
        fill(store, back)
    outbox.seal(store)
    cycle(outbox, Session([422, 201, 503]), store)
    assert [r[3] for r in rows(tmp_path)] == ["rejected", "sent", "pending"]


def test_the_reason_of_an_answer() -> None:
    assert _reason(Response(400, {"detail": "x" * 300})) == "x" * 200
    assert _reason(Response(400, {"detail": ["a"]})) == "['a']"
    assert _reason(Response(400, ["list", "y" * 300])) == str(["list", "y" * 300])[:200]
    assert (
        _reason(Response(502, bad_json=True, text="Bad gateway " * 40))
        == ("Bad gateway " * 40)[:200]
    )
    assert _reason(SimpleNamespace(json=lambda: 1 / 0)) == ""
    # JSON that is not an object: shown as it is, even if it mentions "detail"
    assert _reason(Response(400, ["detail", "z"])) == "['detail', 'z']"
    assert _reason(Response(400, "no detail")) == "no detail"


# -- status for the heartbeat -----------------------------------------------------------------


def test_status_figures(tmp_path: Path, store: UsageStore) -> None:
    outbox = make_outbox(tmp_path, rejected_retry_hours=0)
    assert outbox.status() == {
        "stats_pending": 0,
        "stats_oldest_pending_day": None,
        "stats_rejected": 0,
        "stats_rejected_reason": None,
        "stats_dropped_total": 0,
    }
    fill(store, 9)  # 2026-11-20 part 1
    fill(store, 5)  # 2026-11-21 part 1
    fill(store, 1)
    outbox.seal(store)
    cycle(
        outbox,
        Session([Response(422, {"detail": "first"}), Response(409, {"detail": "second"}), 503]),
        store,
    )
    assert outbox.status() == {
        "stats_pending": 1,
        "stats_oldest_pending_day": "2026-11-22",
        "stats_rejected": 2,
        "stats_rejected_reason": "batch of 2026-11-21 part 1: HTTP 409: second",
        "stats_dropped_total": 0,
    }
    assert [r[6] for r in rows(tmp_path)] == [None, None, None]


def test_pending_bodies_are_ordered_by_day_and_part(tmp_path: Path) -> None:
    outbox = make_outbox(tmp_path)
    outbox.seal(ListCounters([Cell("2026-11-22", 1, "session", "start", 9)]))
    outbox.seal(ListCounters([Cell("2026-11-21", 3, "session", "start", 9)]))
    outbox.seal(ListCounters([Cell("2026-11-22", 0, "session", "start", 9)]))
    assert [(b["day"], b["part"]) for _, b in outbox.pending_bodies()] == [
        ("2026-11-21", 3),
        ("2026-11-22", 0),
        ("2026-11-22", 1),
    ]


# -- the agent's step -------------------------------------------------------------------------


def agent(tmp_path: Path, session: Session, token: str | None = "T") -> SimpleNamespace:
    return SimpleNamespace(
        state_dir=tmp_path / "state",
        kiosk_id="fru-02",
        session=session,
        server_url=URL,
        token=token,
        config=SimpleNamespace(usage_file=tmp_path / "usage.db"),
        state={},
    )


def test_the_step_seals_uploads_and_reports_in_the_agent_state(tmp_path: Path) -> None:
    store = UsageStore(tmp_path / "usage.db")
    store.increment("session", "start", datetime.now().astimezone() - timedelta(days=1), by=6)
    step = StatsStep(OutboxSettings(keep_sent=5))
    assert step.__name__ == "statistics" and step.outbox is None
    session = Session([201])
    a = agent(tmp_path, session)
    step(a)
    assert step.outbox is not None and step.outbox.path == tmp_path / "state" / "stats-outbox.db"
    assert step.outbox.kiosk_id == "fru-02" and step.outbox.settings.keep_sent == 5
    assert json.loads(session.calls[0]["data"])["kiosk_id"] == "fru-02"
    assert a.state["stats"] == {
        "stats_pending": 0,
        "stats_oldest_pending_day": None,
        "stats_rejected": 0,
        "stats_rejected_reason": None,
        "stats_dropped_total": 0,
        "sealed_last_cycle": 1,
        "sent_last_cycle": 1,
        "last_upload_error": None,
    }
    outbox = step.outbox
    step(agent(tmp_path, Session([]), token=None))
    assert step.outbox is outbox, "the outbox is opened once"


def test_the_step_raises_when_the_server_refuses_a_batch(tmp_path: Path) -> None:
    store = UsageStore(tmp_path / "usage.db")
    store.increment("session", "start", datetime.now().astimezone() - timedelta(days=1), by=6)
    step = StatsStep()
    assert step.settings == OutboxSettings()
    a = agent(tmp_path, Session([503]))
    step(a)  # a transient failure is only recorded
    assert a.state["stats"]["last_upload_error"] == "stats upload: HTTP 503: reason 503"
    assert a.state["stats"]["stats_pending"] == 1
    step.outbox._set_meta("upload_not_before", 0)  # type: ignore[union-attr]
    a = agent(tmp_path, Session([422]))
    with pytest.raises(RuntimeError, match=r"^server refused 1 statistics batch\(es\)"):
        step(a)


def test_the_step_without_a_config_file_uses_the_defaults() -> None:
    assert StatsStep.from_config(SimpleNamespace()).settings == OutboxSettings()
    assert StatsStep.from_config(SimpleNamespace(source=None)).settings == OutboxSettings()


def test_the_step_reads_the_sync_table_of_the_config_file(tmp_path: Path) -> None:
    toml = tmp_path / "kiosk.toml"
    toml.write_text("[sync]\nstats_keep_sent = 4\n", encoding="utf-8")
    assert StatsStep.from_config(SimpleNamespace(source=toml)).settings.keep_sent == 4
    toml.write_text("[kiosk]\nx = 1\n", encoding="utf-8")
    assert StatsStep.from_config(SimpleNamespace(source=toml)).settings == OutboxSettings()
    toml.write_text("[sync]\nstats_k = 3\n", encoding="utf-8")
    with pytest.raises(SettingsError, match=str(toml)):
        StatsStep.from_config(SimpleNamespace(source=toml))


def test_the_toml_file_is_read_as_utf8_under_a_c_locale(tmp_path: Path) -> None:
    import subprocess
    import sys

    import admin_sync.agent.stats_outbox as module

    toml = tmp_path / "kiosk.toml"
    toml.write_text("# Tashkent – Oʻzbekiston\n[sync]\nstats_keep_sent = 4\n", encoding="utf-8")
    code = (
        "import sys, types\n"
        "from admin_sync.agent.stats_outbox import StatsStep\n"
        "print(StatsStep.from_config(types.SimpleNamespace(source=sys.argv[1])).settings.keep_sent)"
    )
    env = {"LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0"}
    done = subprocess.run(
        [sys.executable, "-c", code, str(toml)],
        cwd=Path(module.__file__).resolve().parents[2],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert (done.returncode, done.stdout) == (0, "4\n"), done.stderr
    # and in this process (which also ties this test to from_config for `make mutate`)
    assert StatsStep.from_config(SimpleNamespace(source=toml)).settings.keep_sent == 4
