"""Remote commands between the agent and the kiosk app's mailbox (no network: what is not
uploaded is checked in tests/e2e/test_kiosk_commands.py with real processes)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import requests

from admin_sync.agent.commands import CommandHandler
from content.kiosk_commands import BUSY_DETAIL, CommandRequest, CommandResult, Mailbox, decide

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


def later(minutes: float) -> str:
    return (NOW + timedelta(minutes=minutes)).isoformat()


def test_the_kiosk_app_decides_by_expiry_kind_and_session() -> None:
    shot = CommandRequest(1, "screenshot", NOW + timedelta(minutes=5))
    assert decide(shot, now=NOW, between_sessions=True) == "screenshot"
    assert decide(shot, now=NOW, between_sessions=False) == "busy"
    assert decide(shot, now=NOW + timedelta(minutes=5), between_sessions=True) == "expired"
    restart = CommandRequest(2, "restart", NOW + timedelta(minutes=5))
    assert decide(restart, now=NOW, between_sessions=True) == "restart"
    odd = CommandRequest(3, "sync", NOW + timedelta(minutes=5))  # the agent's, not the app's
    assert decide(odd, now=NOW, between_sessions=True) == "unknown"


def test_commands_are_handed_on_reported_once_and_never_carried_out_late(tmp_path: Path) -> None:
    clock = [NOW]
    state: dict = {}
    box = Mailbox(tmp_path / "kiosk-commands")
    handler = CommandHandler(state, box, clock=lambda: clock[0])
    handler.take([
        {"id": 1, "kind": "screenshot", "expires_at": later(15)},
        {"id": 2, "kind": "restart", "expires_at": later(-1)},  # expired by the kiosk's clock
        {"id": 3, "kind": "sync", "expires_at": later(15)},
        {"id": 4, "kind": "reformat", "expires_at": later(15)},
        {"id": 5, "kind": "restart", "expires_at": later(1)},
    ])  # fmt: skip
    assert [r.id for r in box.requests()] == [1, 5]  # the expired restart is not handed on
    assert handler.sync_requested()
    session = requests.Session()
    results = handler.results(session, "http://127.0.0.1:9", (0.1, 0.1))
    assert {r["id"]: r["status"] for r in results} == {2: "expired", 4: "failed"}
    handler.reported(results)
    handler.cycle_started()
    assert not handler.sync_requested()

    box.answer(CommandResult(1, "busy", BUSY_DETAIL))
    busy = handler.results(session, "http://127.0.0.1:9", (0.1, 0.1))
    assert {r["id"]: r["status"] for r in busy} == {1: "busy", 3: "done"}
    handler.reported(busy)
    assert handler.results(session, "http://127.0.0.1:9", (0.1, 0.1)) == []  # said once

    clock[0] = NOW + timedelta(minutes=2)  # restart 5 expires unanswered: taken back
    expired = handler.results(session, "http://127.0.0.1:9", (0.1, 0.1))
    assert expired == [{"id": 5, "status": "expired",
                        "detail": "expired before the kiosk could carry it out"}]  # fmt: skip
    assert [r.id for r in box.requests()] == [1]
    # the same commands again in an answer (a lost heartbeat): not carried out twice
    handler.take([{"id": 5, "kind": "restart", "expires_at": later(1)}])
    assert [r.id for r in box.requests()] == [1]
    # a restarted agent remembers them (state.json)
    again = CommandHandler(state, box, clock=lambda: clock[0])
    again.take([{"id": 3, "kind": "sync", "expires_at": later(15)}])
    assert not again.sync_requested()


def test_the_mailbox_refuses_garbage_and_reads_the_notices_serial(tmp_path: Path) -> None:
    box = Mailbox(tmp_path / "kiosk-commands")
    assert box.requests() == [] and box.notices_serial() is None
    box.path.mkdir()
    (box.path / "7.request.json").write_text("{not json")
    (box.path / "x.request.json").write_text("{}")
    assert box.requests() == []
    answered = box.result(7)
    assert answered is not None and answered.status == "failed"
    box.write_status(notices_serial=4, now=NOW)
    assert box.notices_serial() == 4
    (box.path / "kiosk-status.json").write_text('{"notices_serial": true}')
    assert box.notices_serial() is None


def test_a_mailbox_that_cannot_be_written_fails_the_command_not_the_agent(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the folder should be")
    handler = CommandHandler({}, Mailbox(blocker / "kiosk-commands"), clock=lambda: NOW)
    handler.take([{"id": 9, "kind": "screenshot", "expires_at": later(15)}])
    (result,) = handler.results(requests.Session(), "http://127.0.0.1:9", (0.1, 0.1))
    assert result["status"] == "failed" and "cannot hand it to the kiosk app" in result["detail"]
