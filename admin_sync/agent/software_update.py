"""Software updates of the kiosk itself: check, install beside, switch, prove healthy or roll back.

One cycle step (`SoftwareUpdater.software_step`, after the content check):

1. refresh TUF and read the `software` role's manifest (`software_fetch`: only the pinned,
   offline-signed role is trusted); a staged release is taken only when its signed rollout
   includes this kiosk (`admin_sync.rollout.choose_newest`, `Agent.identity()`), otherwise
   the kiosk keeps its version;
2. a version not higher than every version this kiosk ever tried is ignored: never installed
   twice, never downgraded (a failed version stays failed);
3. download the wheels the running version lacks, install them into `versions/V`
   (`software_install`), write the trial record, switch `current`, run the restart command
   (systemd restarts the kiosk and the agent units through `current`).

The new agent, at start (`recover`), finds the trial for its own version and watches
(`watch`, a thread): the kiosk must write its first-frame record for that version (the kiosk
writes it after drawing its first frame, `admin_sync.protocol.FIRST_FRAME_FILE`) and this
agent must deliver a heartbeat, both after the switch, within `software_health_seconds`.
Then the trial ends (`confirm`); otherwise `rollback`: `current` back to the previous
version, the reason recorded in `state.json`, the units restarted; the previous version's
agent then reports the reason in every heartbeat's `last_error` until a newer version is
healthy. An agent that cannot even start is rolled back by the start wrapper
(deploy/kiosk/software-run.sh) once the trial's deadline passes.
"""

from __future__ import annotations

import logging
import shlex
import shutil
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from tuf.ngclient import Updater

from admin_sync.agent.software_fetch import download_wheels, fetch_manifest, offered_rollout
from admin_sync.agent.software_install import (
    SoftwareInstallError,
    install_version,
    wheels_needed,
)
from admin_sync.agent.software_store import SoftwareStore, Trial, restarted
from admin_sync.protocol import FirstFrame, read_first_frame
from admin_sync.rollout import Candidate, choose_newest
from admin_sync.software_manifest import SoftwareManifestError, version_key

if TYPE_CHECKING:
    from admin_sync.agent.agent import Agent
    from admin_sync.agent.update import UpdateReport

log = logging.getLogger("safe_airports.software")


class SoftwareRolledBack(Exception):
    """Reported in the heartbeat's last_error: a version failed and the previous one runs."""


@dataclass(frozen=True)
class SoftwareConfig:
    software_dir: Path
    restart_command: list[str]
    health_seconds: float
    first_frame_path: Path
    state_dir: Path
    max_attempts: int = 3


def _key(version: str | None) -> tuple[int, ...]:
    try:
        return version_key(version) if version else ()
    except SoftwareManifestError:
        return ()


class SoftwareUpdater:
    def __init__(
        self,
        config: SoftwareConfig,
        *,
        running_version: str,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.config = config
        self.store = SoftwareStore(config.software_dir)
        self.running_version = running_version
        self.clock = clock
        self.watching: Trial | None = None

    # ---- at start ---------------------------------------------------------------------------
    def recover(self) -> None:
        """Finish what a crash, a kill -9 or the start wrapper left half done."""
        store = self.store
        self._take_wrapper_note()
        trial = store.trial()
        if trial is None:
            return
        current = store.current()
        if trial.version in store.state().get("failed", {}):
            log.warning("finishing the interrupted rollback of software %s", trial.version)
            self._switch_back(trial)
            return
        if current != trial.version:  # killed before the switch: nothing happened yet
            log.info("software %s was never switched to; trying again later", trial.version)
            store.clear_trial()
            return
        self._mark_tried(trial.version)
        if not trial.restarted:  # killed between the switch and the restart: restart now
            store.write_trial(restarted(trial))
            if self.restart():
                return
        attempts = trial.attempts + 1 if self.running_version == trial.version else trial.attempts
        if attempts > self.config.max_attempts:
            self.rollback(trial, f"its agent restarted {attempts - 1} times during the trial")
            return
        now = self.clock()
        trial = Trial(
            trial.version,
            trial.previous,
            trial.started_at,
            max(trial.deadline, now + self.config.health_seconds)
            if self.running_version == trial.version
            else trial.deadline,
            attempts,
            True,
        )
        store.write_trial(trial)
        self.watching = trial
        log.info(
            "software %s is on trial: healthy within %.0f s or back to %s",
            trial.version,
            trial.deadline - now,
            trial.previous,
        )

    def _take_wrapper_note(self) -> None:
        try:
            line = self.store.note_path.read_text(encoding="utf-8").strip()
        except OSError:
            return
        version, _, rest = line.partition(" ")
        previous, _, reason = rest.partition(" ")
        if version:
            self.store.record_failure(version, previous or None, reason or "rolled back at start")
            self._mark_tried(version)
        self.store.note_path.unlink(missing_ok=True)
        if version and self.running_version != version:
            self.restart()  # the kiosk may still run the failed version

    def _mark_tried(self, version: str) -> None:
        state = self.store.state()
        tried = set(state.get("tried", []))
        if version not in tried:
            state["tried"] = sorted(tried | {version}, key=_key)
            self.store.save_state(state)

    # ---- the trial --------------------------------------------------------------------------
    def health(self, trial: Trial, heartbeat_at: float | None) -> tuple[bool, bool]:
        """(kiosk drew its first frame as `trial.version`, this agent delivered a heartbeat)."""
        frame: FirstFrame | None = read_first_frame(self.config.first_frame_path)
        kiosk_ok = (
            frame is not None
            and frame.app_version == trial.version
            and frame.at >= trial.started_at
        )
        agent_ok = (
            self.running_version == trial.version
            and heartbeat_at is not None
            and heartbeat_at >= trial.started_at
        )
        return kiosk_ok, agent_ok

    def watch(self, heartbeat_at: Callable[[], float | None], stop: threading.Event) -> str:
        """Wait for the health evidence of the trial; returns "confirmed", "rolled back" or
        "stopped"."""
        trial = self.watching
        if trial is None:
            return "stopped"
        kiosk_ok = agent_ok = False
        while not stop.is_set():
            kiosk_ok, agent_ok = self.health(trial, heartbeat_at())
            if kiosk_ok and agent_ok:
                self.confirm(trial)
                return "confirmed"
            if self.clock() >= trial.deadline:
                missing = []
                if not kiosk_ok:
                    missing.append("the kiosk did not draw its first frame")
                if not agent_ok:
                    missing.append("the agent delivered no heartbeat")
                seconds = self.config.health_seconds
                self.rollback(trial, f"{' and '.join(missing)} within {seconds:.0f} s")
                return "rolled back"
            stop.wait(0.2)
        return "stopped"

    def confirm(self, trial: Trial) -> None:
        store = self.store
        state = store.state()
        state.update(
            current=trial.version,
            previous=trial.previous,
            confirmed_at=self.clock(),
        )
        state.pop("last_rollback", None)
        store.save_state(state)
        store.clear_trial()
        self.watching = None
        removed = store.prune({trial.version, trial.previous})
        log.info(
            "software %s is healthy (kiosk drew its first frame, heartbeat delivered); "
            "keeping %s as the previous version%s",
            trial.version,
            trial.previous,
            f"; removed {', '.join(removed)}" if removed else "",
        )

    def rollback(self, trial: Trial, reason: str) -> None:
        log.error(
            "software %s failed its health check (%s): switching back to %s",
            trial.version,
            reason,
            trial.previous,
        )
        self.store.record_failure(trial.version, trial.previous, reason)
        self._mark_tried(trial.version)
        self._switch_back(trial)

    def _switch_back(self, trial: Trial) -> None:
        self.store.switch_to(trial.previous)
        self.store.clear_trial()
        self.watching = None
        self.restart()

    def restart(self) -> bool:
        cmd = self.config.restart_command
        log.info("restarting the kiosk and agent: %s", shlex.join(cmd))
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            log.error("restart command failed: %s", exc)
            return False
        if done.returncode != 0:
            log.error("restart command exited %d: %s", done.returncode, done.stderr.strip())
            return False
        return True

    # ---- the cycle step ---------------------------------------------------------------------
    def software_step(self, agent: Agent, report: UpdateReport) -> None:
        if self.watching is None and self.store.trial() is None:
            self.check(agent)
        last = self.store.state().get("last_rollback")
        if isinstance(last, dict) and self.store.current() != last.get("version"):
            back = f"; running {last['back_to']}" if last.get("back_to") else ""
            raise SoftwareRolledBack(
                f"software {last.get('version')} was refused: {last.get('reason')}{back}"
            )

    def updater(self, agent: Agent) -> Updater:
        from admin_sync.agent.update import repository_updater

        return repository_updater(  # the same repository (mirror or server) as the content
            tuf_url=agent.tuf_url,
            metadata_dir=self.config.state_dir / "tuf",
            download_dir=self.config.state_dir / "downloads",
            fetcher=agent.make_fetcher(),
            trusted_root=agent.provisioning.root_bytes(),
        )

    def check(self, agent: Agent) -> str:
        """Look for a newer software version and, if there is one, install and switch to it.
        Returns what happened in a few words."""
        store = self.store
        (self.config.state_dir / "downloads").mkdir(parents=True, exist_ok=True)
        updater = self.updater(agent)
        updater.refresh()
        manifest = fetch_manifest(
            updater, self.config.state_dir / "tuf", self.config.state_dir / "downloads"
        )
        if manifest is None:
            return "no software published"
        rollout = offered_rollout(updater)
        candidate = Candidate(_key(manifest.version), rollout, manifest)
        if choose_newest([candidate], agent.identity()) is None:
            log.info(
                "software %s is staged to %s, not to this kiosk: keeping the running version",
                manifest.version,
                rollout.describe(),
            )
            return f"software {manifest.version} not offered to this kiosk"
        current = store.current()
        state = store.state()
        tried = [v for v in state.get("tried", []) if isinstance(v, str)]
        highest = max([current or "", *tried], key=_key)
        offered = manifest.version
        if _key(offered) <= _key(highest):
            if offered in state.get("failed", {}):
                log.info("software %s failed here before; waiting for a newer one", offered)
            return f"software {offered} not newer than {highest}"
        if current is None or not store.is_complete(current):
            log.error("no complete current software version in %s: cannot update", store.root)
            return "no current version"
        downloads = self.config.state_dir / "software-downloads" / offered
        needed = wheels_needed(manifest, store.venv(current))
        log.info(
            "software %s offered (running %s): %d of %d wheels to download",
            offered,
            current,
            len(needed),
            len(manifest.wheels),
        )
        download_wheels(updater, manifest, needed, downloads)
        try:
            install_version(store, manifest, downloads, previous=current)
        except SoftwareInstallError as exc:
            store.remove_version(offered)
            if exc.permanent:  # the version is broken: never again
                store.record_failure(offered, None, f"not installed: {exc}")
                self._mark_tried(offered)
            raise
        finally:
            shutil.rmtree(downloads, ignore_errors=True)
        now = self.clock()
        trial = Trial(offered, current, now, now + self.config.health_seconds)
        store.write_trial(trial)  # first: a crash after the switch is then resumed as a trial
        store.switch_to(offered)
        self._mark_tried(offered)
        store.write_trial(restarted(trial))
        if not self.restart():
            self.rollback(trial, "the restart command failed")
            return "restart failed"
        return f"switched to software {offered}"
