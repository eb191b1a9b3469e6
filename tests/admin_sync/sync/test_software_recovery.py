"""Software update crash safety without venvs: what a kill -9 or power cut at each step of a
switch leaves, and what the next start makes of it (SoftwareUpdater.recover and the start
wrapper deploy/kiosk/software-run.sh, run for real)."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import pytest

from admin_sync.agent.software_store import SoftwareStore, Trial
from admin_sync.agent.software_update import SoftwareConfig, SoftwareUpdater

REPO = Path(__file__).resolve().parents[3]
WRAPPER = REPO / "deploy" / "kiosk" / "software-run.sh"


def make_store(root: Path, versions: tuple[str, ...] = ("1.0", "1.1")) -> SoftwareStore:
    store = SoftwareStore(root / "software")
    for v in versions:
        bin_dir = store.venv(v) / "bin"
        bin_dir.mkdir(parents=True)
        script = bin_dir / "safe-airports"  # stands for the version's entry point
        script.write_text(f'#!/bin/sh\necho running {v} "$@"\n')
        script.chmod(0o755)
        store.mark_complete(v, {})
    store.switch_to(versions[0])
    return store


def updater(store: SoftwareStore, tmp_path: Path, running: str) -> SoftwareUpdater:
    marker = tmp_path / "restarted"
    config = SoftwareConfig(
        software_dir=store.root,
        restart_command=["/bin/sh", "-c", f'echo x >> "{marker}"'],
        health_seconds=30,
        first_frame_path=tmp_path / "frame.json",
        state_dir=tmp_path,
    )
    return SoftwareUpdater(config, running_version=running)


def restarts(tmp_path: Path) -> int:
    marker = tmp_path / "restarted"
    return len(marker.read_text().split()) if marker.exists() else 0


def trial(deadline: float, **kw: object) -> Trial:
    return Trial(
        **{"version": "1.1", "previous": "1.0", "started_at": 0.0, "deadline": deadline, **kw}
    )  # type: ignore[arg-type]


def test_switch_is_one_rename(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    store.switch_to("1.1")
    assert os.readlink(store.current_link) == "versions/1.1"
    assert [p.name for p in store.root.iterdir() if p.name.startswith(".")] == []
    with pytest.raises(RuntimeError, match="not completely installed"):
        store.venv("1.2").mkdir(parents=True)
        store.switch_to("1.2")  # a half-built folder is never switched to
    assert store.current() == "1.1"


def test_killed_before_the_switch(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    store.write_trial(trial(time.time() + 30))
    up = updater(store, tmp_path, "1.0")
    up.recover()
    assert store.current() == "1.0" and store.trial() is None and up.watching is None


def test_killed_between_the_switch_and_the_restart(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    store.write_trial(trial(time.time() + 30))
    store.switch_to("1.1")
    up = updater(store, tmp_path, "1.1")
    up.recover()  # the units were never restarted: restart them now
    assert restarts(tmp_path) == 1 and store.trial() is not None and store.trial().restarted  # type: ignore[union-attr]
    up = updater(store, tmp_path, "1.1")
    up.recover()  # after that restart: watch the trial
    assert up.watching is not None and up.watching.attempts == 1
    assert restarts(tmp_path) == 1 and store.current() == "1.1"


def test_a_crash_looping_agent_rolls_back(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    store.switch_to("1.1")
    store.write_trial(trial(time.time() + 30, attempts=3, restarted=True))
    up = updater(store, tmp_path, "1.1")
    up.recover()
    assert store.current() == "1.0" and store.trial() is None and restarts(tmp_path) == 1
    assert "restarted 3 times" in store.state()["last_rollback"]["reason"]


def test_killed_in_the_middle_of_a_rollback(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    store.switch_to("1.1")
    store.write_trial(trial(time.time() + 30, restarted=True))
    store.record_failure("1.1", "1.0", "no first frame")  # then killed before switching back
    up = updater(store, tmp_path, "1.1")
    up.recover()
    assert store.current() == "1.0" and store.trial() is None and restarts(tmp_path) == 1


def test_the_start_wrapper_rolls_back_an_agent_that_cannot_start(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    store.switch_to("1.1")
    store.write_trial(trial(time.time() + 300, restarted=True))
    run = [str(WRAPPER), "--may-roll-back", str(store.root), "sync"]
    out = subprocess.run(run, capture_output=True, text=True, check=True)
    assert out.stdout == "running 1.1 sync\n"  # within the deadline: the new version runs
    store.write_trial(trial(time.time() - 1, restarted=True))
    kiosk = [str(WRAPPER), str(store.root), "kiosk"]
    out = subprocess.run(kiosk, capture_output=True, text=True, check=True)
    assert out.stdout == "running 1.1 kiosk\n"  # the kiosk unit never rolls back
    out = subprocess.run(run, capture_output=True, text=True, check=True)
    assert out.stdout == "running 1.0 sync\n"
    assert "did not report healthy by its deadline" in out.stderr
    assert store.current() == "1.0" and store.trial() is None
    up = updater(store, tmp_path, "1.0")
    up.recover()  # the previous agent records and reports what the wrapper did
    assert store.state()["last_rollback"]["version"] == "1.1"
    assert not store.note_path.exists() and restarts(tmp_path) == 1


def test_a_failed_pip_install_is_tried_again(tmp_path: Path) -> None:
    from admin_sync.agent.software_install import SoftwareInstallError, install_version
    from admin_sync.software_manifest import SoftwareManifest, WheelInfo

    store = SoftwareStore(tmp_path / "software")
    name = "safe_airports-2.0-py3-none-any.whl"
    manifest = SoftwareManifest("2.0", "t", {name: WheelInfo(1, "0" * 64)})
    (tmp_path / "downloads").mkdir()
    (tmp_path / "downloads" / name).write_bytes(b"not a zip file")  # pip cannot install it
    with pytest.raises(SoftwareInstallError, match="pip install failed") as failed:
        install_version(store, manifest, tmp_path / "downloads", previous=None, timeout=120)
    assert not failed.value.permanent  # a disk full or a damaged download: tried again
    assert not store.is_complete("2.0")
