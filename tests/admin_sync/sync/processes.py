"""Helpers for the sync end-to-end tests: kiosk provisioning, the agent as a real process,
waiting on conditions (never sleeping and hoping)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import safe_airports_cli
from admin_sync.agent.agent import state_of

REPO = Path(__file__).resolve().parents[3]


def wait_until(condition: Callable[[], object], timeout: float, what: str) -> object:
    """Poll `condition` until it returns something truthy; fail with `what` after `timeout`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def admin(*args: str) -> None:
    assert safe_airports_cli.main(["admin", *args]) == 0, f"admin {' '.join(args)} failed"


class KioskDisk:
    """A provisioned kiosk: its TOML settings, content store and agent state folder."""

    def __init__(
        self,
        root: Path,
        data: Path,
        server_url: str,
        name: str,
        *,
        airport: str = "TAS",
        **sync: object,
    ):
        root.mkdir(parents=True, exist_ok=True)
        self.root = root
        self.provisioning = root / "provisioning.json"
        admin(
            "add-kiosk",
            "--airport",
            airport,
            "--name",
            name,
            "--data",
            str(data),
            "--server-url",
            server_url,
            "--out",
            str(self.provisioning),
        )
        self.kiosk_id = json.loads(self.provisioning.read_text())["kiosk_id"]
        self.content_dir = root / "content"
        self.state_dir = root / "sync"
        self.config = root / "kiosk.toml"
        settings = {
            "provisioning_file": "provisioning.json",
            "state_dir": "sync",
            "connect_timeout_seconds": 2.0,
            "read_timeout_seconds": 5.0,
            **sync,
        }
        lines = [
            f'airport = "{airport}"',
            f'kiosk_id = "{self.kiosk_id}"',
            'content_dir = "content"',
        ]
        lines.append("[sync]")
        lines += [f"{k} = {json.dumps(v)}" for k, v in settings.items()]
        self.config.write_text("\n".join(lines) + "\n")
        self.log = root / "agent.log"

    def sync_once(self, timeout: float = 120) -> subprocess.CompletedProcess:
        result = subprocess.run(
            [sys.executable, "-m", "safe_airports_cli", "sync", "--config", str(self.config)]
            + ["--once"],
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=timeout,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        with self.log.open("a") as log:
            log.write(result.stderr)
        return result

    def start_agent(self) -> subprocess.Popen:
        log = self.log.open("ab")
        try:
            return subprocess.Popen(
                [sys.executable, "-m", "safe_airports_cli", "sync", "--config", str(self.config)],
                cwd=REPO,
                stdout=log,
                stderr=subprocess.STDOUT,
                env={**os.environ, "PYTHONUNBUFFERED": "1"},
            )
        finally:
            log.close()

    def state(self) -> dict:
        return state_of(self.state_dir)

    def log_text(self) -> str:
        return self.log.read_text() if self.log.exists() else ""
