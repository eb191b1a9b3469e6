"""Facts about the machine (kiosk/host.py): the agent's state file, free disk, file dates."""

from __future__ import annotations

import json
from pathlib import Path

from kiosk import host
from kiosk.screens.maintenance import SyncState


def test_host_reads_the_agents_state_file(tmp_path: Path) -> None:
    assert host.read_sync_state(tmp_path) is None
    (tmp_path / host.STATE_FILE).write_text("not json")
    assert host.read_sync_state(tmp_path) is None
    (tmp_path / host.STATE_FILE).write_text(
        json.dumps({"last_success": "2026-01-01", "last_error": "timeout", "last_error_at": "t"})
    )
    assert host.read_sync_state(tmp_path) == SyncState("2026-01-01", "timeout", "t")


def test_host_disk_and_file_date(tmp_path: Path) -> None:
    assert host.free_disk(tmp_path).endswith(" GB")
    assert host.free_disk(tmp_path / "missing").endswith(" GB")  # falls back to /
    assert host.file_date(tmp_path / "missing") == "—"
    (tmp_path / "f").write_text("x")
    assert len(host.file_date(tmp_path / "f")) == len("2026-01-01 10:00")
