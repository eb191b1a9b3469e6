"""The statistics outbox: sealing, crash recovery, cap, upload states and backoff."""

from __future__ import annotations

import random
import sqlite3
from datetime import datetime, timedelta

import pytest

from admin_sync.agent.stats_outbox import MIGRATIONS, OutboxSettings, StatsOutbox
from kiosk.usage_store import UsageStore

NOW = datetime(2026, 11, 22, 13, 5)


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


class Response:
    def __init__(self, status: int, detail: str = "") -> None:
        self.status_code = status
        self._detail = detail

    def json(self) -> dict:
        return {"detail": self._detail}


class ScriptedSession:
    """Answers PUTs from a script; an Exception in the script is raised like a network error."""

    def __init__(self, script: list) -> None:
        self.script = list(script)
        self.calls: list[tuple[str, bytes, dict]] = []

    def put(self, url: str, *, data: bytes, headers: dict, timeout: float):
        self.calls.append((url, data, headers))
        step = self.script.pop(0)
        if isinstance(step, Exception):
            raise step
        return Response(step)


def fill(store: UsageStore, parts_back: int, sessions: int = 7) -> None:
    when = NOW - timedelta(hours=6 * parts_back)
    store.increment("session", "start", when, by=sessions)


@pytest.fixture
def store(tmp_path) -> UsageStore:
    return UsageStore(tmp_path / "usage.db")


def make_outbox(tmp_path, clock=None, **settings) -> StatsOutbox:
    return StatsOutbox(
        tmp_path / "outbox.db",
        kiosk_id="tas-01",
        settings=OutboxSettings(**settings),
        clock=clock or Clock(NOW),
        rng=random.Random(1),
    )


def test_seals_only_finished_parts_one_batch_each(tmp_path, store) -> None:
    fill(store, 0)
    fill(store, 1)
    fill(store, 5)
    outbox = make_outbox(tmp_path)
    ids = outbox.seal(store)
    assert len(ids) == 2 and len(set(ids)) == 2
    parts = [(b["day"], b["part"]) for _, b in outbox.pending_bodies()]
    assert parts == [("2026-11-21", 1), ("2026-11-22", 1)]
    assert [c.part for c in store.cells()] == [2]
    assert outbox.seal(store) == []  # nothing new: nothing sealed twice


def test_schema_version_recorded(tmp_path) -> None:
    make_outbox(tmp_path).close()
    with sqlite3.connect(tmp_path / "outbox.db") as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)


class CrashAfterOutboxCommit(UsageStore):
    """The power fails after the outbox committed and before the counters were deleted."""

    crash = True

    def delete_cells(self, keys):
        if self.crash:
            raise KeyboardInterrupt("power cut")
        return super().delete_cells(keys)


def test_power_cut_between_outbox_and_counters_neither_loses_nor_doubles(tmp_path) -> None:
    store = CrashAfterOutboxCommit(tmp_path / "usage.db")
    fill(store, 1, sessions=9)
    outbox = make_outbox(tmp_path)
    with pytest.raises(KeyboardInterrupt):
        outbox.seal(store)
    outbox.close()
    assert store.cells(), "the counters are still there after the cut"
    store.crash = False
    outbox = make_outbox(tmp_path)  # the agent restarts
    assert outbox.seal(store) == []
    bodies = [b for _, b in outbox.pending_bodies()]
    assert [c["count"] for b in bodies for c in b["cells"]] == [9]
    assert store.cells() == []


def test_cap_drops_oldest_and_reports_the_number(tmp_path, store) -> None:
    outbox = make_outbox(tmp_path, max_pending=3)
    for back in (12, 11, 10):
        fill(store, back)
    outbox.seal(store)
    fill(store, 9)
    fill(store, 8)
    outbox.seal(store)
    bodies = [b for _, b in outbox.pending_bodies()]
    assert len(bodies) == 3
    assert outbox.status()["stats_dropped_total"] == 2
    # the first batch sealed after the drop carries the count of dropped batches
    assert sorted(b["dropped_batches"] for b in bodies) == [0, 0, 2]
    fill(store, 7)
    outbox.seal(store)  # drops the oldest pending one (which carried nothing)
    bodies = [b for _, b in outbox.pending_bodies()]
    assert [b["dropped_batches"] for b in bodies] == [2, 0, 1]
    assert outbox.status()["stats_dropped_total"] == 3
    # every drop is reported exactly once across what is still to be sent
    assert sum(b["dropped_batches"] for b in bodies) == 3


def test_dropping_a_batch_that_carried_a_report_keeps_the_report(tmp_path, store) -> None:
    outbox = make_outbox(tmp_path, max_pending=1)
    fill(store, 3)
    outbox.seal(store)
    fill(store, 2)
    outbox.seal(store)  # drops 1; the new batch carries 1
    fill(store, 1)
    outbox.seal(store)  # drops the carrier: 1 + the 1 it carried
    [(_, body)] = outbox.pending_bodies()
    assert body["dropped_batches"] == 2 and outbox.status()["stats_dropped_total"] == 2


def test_upload_marks_sent_only_on_2xx_and_backs_off(tmp_path, store) -> None:
    clock = Clock(NOW)
    outbox = make_outbox(tmp_path, clock=clock, backoff_base_seconds=60)
    fill(store, 2)
    fill(store, 1)
    outbox.seal(store)
    session = ScriptedSession([ConnectionError("no route"), 503])
    report = outbox.seal_and_upload(session, counters=store, server_url="http://s", token="T")
    assert report.sent == [] and "no route" in report.error
    assert len(session.calls) == 1, "stops at the first transient failure"
    url, body, headers = session.calls[0]
    assert url.startswith("http://s/api/v1/stats/") and headers["Authorization"] == "Bearer T"
    # backoff: nothing is retried before the delay is over
    outbox.seal_and_upload(session, counters=store, server_url="http://s", token="T")
    assert len(session.calls) == 1
    clock.now = NOW + timedelta(seconds=62)
    report = outbox.seal_and_upload(session, counters=store, server_url="http://s", token="T")
    assert len(session.calls) == 2 and report.error.startswith("stats upload: HTTP 503")
    assert outbox.status()["stats_pending"] == 2
    clock.now = NOW + timedelta(hours=1)
    session.script = [200, 201]
    report = outbox.seal_and_upload(session, counters=store, server_url="http://s", token="T")
    assert len(report.sent) == 2 and outbox.status()["stats_pending"] == 0
    # the retried request carried the very same id and bytes
    assert session.calls[0][:2] == session.calls[2][:2]


def test_permanent_rejection_is_set_aside(tmp_path, store) -> None:
    outbox = make_outbox(tmp_path)
    fill(store, 2)
    fill(store, 1)
    outbox.seal(store)
    session = ScriptedSession([422, 200])
    report = outbox.seal_and_upload(session, counters=store, server_url="http://s", token="T")
    assert len(report.rejected) == 1 and len(report.sent) == 1
    assert outbox.status()["stats_rejected"] == 1 and outbox.status()["stats_pending"] == 0


def test_without_token_only_seals(tmp_path, store) -> None:
    outbox = make_outbox(tmp_path)
    fill(store, 1)
    session = ScriptedSession([])
    report = outbox.seal_and_upload(session, counters=store, server_url="http://s", token=None)
    assert len(report.sealed) == 1 and session.calls == []


def test_a_refused_batch_is_kept_and_offered_again_only_a_day_later(tmp_path, store) -> None:
    clock = Clock(NOW)
    outbox = make_outbox(tmp_path, clock=clock)
    fill(store, 1)
    outbox.seal(store)
    session = ScriptedSession([422])
    report = outbox.seal_and_upload(session, counters=store, server_url="http://s", token="T")
    assert len(report.rejected) == 1
    count, reason = outbox.rejected()
    assert count == 1 and reason is not None and "HTTP 422" in reason
    for hours in (1, 6, 23):  # later cycles the same day: not resent
        clock.now = NOW + timedelta(hours=hours)
        outbox.seal_and_upload(session, counters=store, server_url="http://s", token="T")
    assert len(session.calls) == 1
    clock.now = NOW + timedelta(hours=24, minutes=1)
    session.script = [422]  # still refused: kept, not reported as new, due again in a day
    report = outbox.seal_and_upload(session, counters=store, server_url="http://s", token="T")
    assert len(session.calls) == 2 and report.rejected == [] and outbox.rejected()[0] == 1
    assert session.calls[0][:2] == session.calls[1][:2], "the very same id and bytes"
    clock.now = NOW + timedelta(hours=49)
    session.script = [201]  # the server's setting was fixed
    report = outbox.seal_and_upload(session, counters=store, server_url="http://s", token="T")
    assert len(report.sent) == 1 and outbox.rejected() == (0, None)


def test_refused_batches_are_never_retried_when_so_set(tmp_path, store) -> None:
    clock = Clock(NOW)
    outbox = make_outbox(tmp_path, clock=clock, rejected_retry_hours=0)
    fill(store, 1)
    outbox.seal(store)
    session = ScriptedSession([422])
    outbox.seal_and_upload(session, counters=store, server_url="http://s", token="T")
    clock.now = NOW + timedelta(days=30)
    outbox.seal_and_upload(session, counters=store, server_url="http://s", token="T")
    assert len(session.calls) == 1 and outbox.rejected()[0] == 1
