"""The kiosk's installed software versions: one folder per version, a `current` symlink.

    software_dir/
      versions/1.4.2/venv/…          a virtualenv with that version installed
      versions/1.4.2/COMPLETE        written (fsynced) last: only complete folders are used
      current -> versions/1.4.2      what the units start (ExecStart goes through it)
      trial                          present while a new version proves itself (one line)
      state.json                     tried versions, failures, the last rollback
      rollback-note                  written by the start wrapper when it rolled back

A version folder is built in place (its virtualenv's scripts hold absolute paths, so it cannot
be built elsewhere and renamed) and counts only once `COMPLETE` exists; a half-built folder is
removed and built again. `current` is switched by making a new symlink and renaming it over the
old one, then fsyncing the folder: a kill -9 or power cut leaves the old or the new link, each
pointing at a complete version.
"""

from __future__ import annotations

import json
import logging
import math
import os
import shutil
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from content.durable import fsync_dir, write_atomic

log = logging.getLogger("safe_airports.software")

COMPLETE = "COMPLETE"
CURRENT = "current"


@dataclass(frozen=True)
class Trial:
    """A switched-to version that has not yet reported healthy."""

    version: str
    previous: str
    started_at: float  # wall clock (epoch seconds): health evidence must be newer
    deadline: float  # wall clock: rolled back if not healthy by then
    attempts: int = 0  # agent starts during this trial (a crash loop rolls back)
    restarted: bool = False  # the restart command was run after the switch

    def to_line(self) -> str:
        # one line the start wrapper (deploy/kiosk/software-run.sh) reads with `read`
        return (
            f"{math.ceil(self.deadline)} {self.previous} {self.version} "
            f"{self.started_at:.3f} {self.attempts} {int(self.restarted)}\n"
        )

    @classmethod
    def from_line(cls, line: str) -> Trial:
        deadline, previous, version, started, attempts, restarted = line.split()
        return cls(
            version, previous, float(started), float(deadline), int(attempts), restarted == "1"
        )


class SoftwareStore:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.versions = root / "versions"
        self.current_link = root / CURRENT
        self.trial_path = root / "trial"
        self.state_path = root / "state.json"
        self.note_path = root / "rollback-note"

    # ---- versions ---------------------------------------------------------------------------
    def version_dir(self, version: str) -> Path:
        return self.versions / version

    def venv(self, version: str) -> Path:
        return self.version_dir(version) / "venv"

    def is_complete(self, version: str) -> bool:
        return (self.version_dir(version) / COMPLETE).is_file()

    def current(self) -> str | None:
        """The version `current` points at (None when there is no link yet)."""
        try:
            target = os.readlink(self.current_link)
        except OSError:
            return None
        return Path(target).name

    def switch_to(self, version: str) -> None:
        """Point `current` at `version` atomically (symlink, rename, fsync of the folder)."""
        if not self.is_complete(version):
            raise RuntimeError(f"software {version} is not completely installed")
        tmp = self.root / f".{CURRENT}.{os.getpid()}"
        tmp.unlink(missing_ok=True)
        tmp.symlink_to(Path("versions") / version)
        os.replace(tmp, self.current_link)
        fsync_dir(self.root)
        log.info("switched %s to software %s", self.current_link, version)

    def mark_complete(self, version: str, info: dict[str, Any]) -> None:
        folder = self.version_dir(version)
        write_atomic(folder / "software.json", (json.dumps(info, indent=1) + "\n").encode())
        write_atomic(folder / COMPLETE, f"{version}\n".encode())

    def remove_version(self, version: str) -> None:
        folder = self.version_dir(version)
        if folder.exists():
            # rename first: a kill -9 mid-removal leaves a dot-folder, never a half version
            doomed = self.versions / f".removing-{version}-{os.getpid()}"
            os.replace(folder, doomed)
            fsync_dir(self.versions)
            shutil.rmtree(doomed, ignore_errors=True)

    def prune(self, keep: set[str]) -> list[str]:
        """Remove every version folder but `keep` (and leftovers of interrupted removals)."""
        removed: list[str] = []
        if not self.versions.is_dir():
            return removed
        for folder in sorted(self.versions.iterdir()):
            if folder.name.startswith(".removing-"):
                shutil.rmtree(folder, ignore_errors=True)
            elif folder.is_dir() and folder.name not in keep:
                self.remove_version(folder.name)
                removed.append(folder.name)
        return removed

    # ---- trial ------------------------------------------------------------------------------
    def trial(self) -> Trial | None:
        try:
            return Trial.from_line(self.trial_path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:
            log.error("unreadable %s (%s): ignoring it", self.trial_path, exc)
            return None

    def write_trial(self, trial: Trial) -> None:
        write_atomic(self.trial_path, trial.to_line().encode())

    def clear_trial(self) -> None:
        self.trial_path.unlink(missing_ok=True)
        fsync_dir(self.root)

    # ---- state ------------------------------------------------------------------------------
    def state(self) -> dict[str, Any]:
        try:
            data = json.loads(self.state_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def save_state(self, state: dict[str, Any]) -> None:
        write_atomic(self.state_path, (json.dumps(state, indent=1, sort_keys=True) + "\n").encode())

    def record_failure(self, version: str, previous: str | None, reason: str) -> dict[str, Any]:
        state = self.state()
        state.setdefault("failed", {})[version] = reason
        state["last_rollback"] = {
            "version": version,
            "back_to": previous,
            "reason": reason,
            "at": time.time(),
        }
        self.save_state(state)
        return state


def restarted(trial: Trial) -> Trial:
    return replace(trial, restarted=True)
