"""The sync agent: one cycle = update check, extra steps (e.g. statistics), heartbeat; then wait.

`Agent.run_cycle()` does one cycle and records it in `state_dir/state.json` (read by the kiosk's
maintenance screen and by tests: the bytes fetched are there). `Agent.run_forever(stop)` repeats
it, waiting the regular interval after a good cycle and a jittered, exponentially growing delay
after failures.
"""

from __future__ import annotations

import json
import logging
import random
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import requests

from admin_sync.agent.backoff import next_delay
from admin_sync.agent.commands import CommandHandler
from admin_sync.agent.fetcher import SessionFetcher
from admin_sync.agent.heartbeat import free_disk_bytes, send_heartbeat
from admin_sync.agent.install import Installer
from admin_sync.agent.server_auth import ServerOnlyBearer
from admin_sync.agent.settings import AgentConfig
from admin_sync.agent.update import UpdateReport, check_for_update, repository_url
from admin_sync.protocol import Heartbeat, ProtocolError, Provisioning
from admin_sync.rollout import KioskIdentity
from content.durable import write_atomic
from content.kiosk_commands import Mailbox, mailbox_dir
from content.notices import NOTICES_FILE

log = logging.getLogger("safe_airports.sync")

CycleStep = Callable[["Agent", UpdateReport], None]


class AgentError(Exception):
    """The agent cannot start: unreadable provisioning file, token file, ..."""


def app_version() -> str:
    try:
        return metadata.version("safe-airports")
    except metadata.PackageNotFoundError:
        return "0+unknown"


def _now_iso() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


class Agent:
    def __init__(
        self,
        config: AgentConfig,
        *,
        installer: Installer | None = None,
        session: requests.Session | None = None,
        rng: random.Random | None = None,
        monotonic: Callable[[], float] = time.monotonic,
        progress: Callable[[], None] = lambda: None,
    ) -> None:
        self.config = config
        settings = config.sync
        try:
            self.provisioning = Provisioning.from_bytes(
                settings.provisioning_file.read_bytes(), where=str(settings.provisioning_file)
            )
        except OSError as exc:
            raise AgentError(
                f"{settings.provisioning_file}: cannot read the provisioning file ({exc.strerror})"
            ) from exc
        except ProtocolError as exc:
            raise AgentError(str(exc)) from exc
        self.server_url = (settings.server_url or self.provisioning.server_url).rstrip("/")
        # the signed repository: a mirror (tuf_url) or the server's own /tuf/
        self.tuf_url = repository_url(self.server_url, settings.tuf_url)
        self.token = self.provisioning.token
        if settings.token_file is not None:
            try:
                self.token = settings.token_file.read_text().strip()
            except OSError as exc:
                raise AgentError(f"{settings.token_file}: cannot read token ({exc})") from exc
        self.kiosk_id = self.provisioning.kiosk_id
        if config.kiosk_id and config.kiosk_id != self.kiosk_id:
            log.warning(
                "kiosk_id %r in the settings differs from %r in the provisioning file; "
                "using the provisioning file's",
                config.kiosk_id,
                self.kiosk_id,
            )
        if installer is None:
            from admin_sync.agent.install import ContentInstaller

            installer = ContentInstaller(config.content_dir)
        self.installer = installer
        self.session = session or requests.Session()
        self.session.headers["User-Agent"] = f"safe-airports-agent/{app_version()}"
        # the token goes to the server only, never to a mirror of the repository (server_auth)
        self.session.auth = ServerOnlyBearer(self.token, self.server_url)
        self.rng = rng or random.Random()
        self.monotonic = monotonic
        self.started = monotonic()
        self.state_dir = settings.state_dir
        self.state_path = self.state_dir / "state.json"
        self.state = self._load_state()
        self.failures = int(self.state.get("consecutive_failures", 0))
        self.steps: list[CycleStep] = []  # extension point: run after the update check
        self.progress = progress  # called whenever the agent makes progress (watchdog)
        self.heartbeat_delivered_at: float | None = None  # wall clock (software health check)
        # remote commands (commands.py): collected with heartbeats, answered with later ones
        self.commands = CommandHandler(self.state, Mailbox(mailbox_dir(config.usage_file)))

    # ---- state ------------------------------------------------------------------------------
    def _load_state(self) -> dict[str, Any]:
        try:
            data = json.loads(self.state_path.read_text(encoding="utf-8"))
            return data if isinstance(data, dict) else {}
        except (OSError, ValueError):
            return {}

    def _save_state(self) -> None:
        write_atomic(
            self.state_path, (json.dumps(self.state, indent=1, sort_keys=True) + "\n").encode()
        )

    def _installed_version(self) -> int | None:
        try:
            return self.installer.installed_version()
        except Exception as exc:  # a damaged version record: reported, never fatal here
            log.error("cannot read the installed content version: %s", exc)
            return None

    def _stats_rejected(self) -> dict[str, Any]:
        """The statistics step's refused batches (`state["stats"]`) for the heartbeat."""
        stats = self.state.get("stats")
        if not isinstance(stats, dict) or not stats.get("stats_rejected"):
            return {}
        return {
            "stats_rejected": int(stats["stats_rejected"]),
            "stats_rejected_reason": stats.get("stats_rejected_reason"),
        }

    def airports(self) -> tuple[str, ...]:
        """Whose languages' audio to fetch: the kiosk's `airport` setting and the provisioning
        file's airport (both, should they differ: no button goes missing)."""
        found = (self.config.airport, self.provisioning.airport)
        return tuple(dict.fromkeys(a for a in found if a))

    # ---- one cycle --------------------------------------------------------------------------
    def make_fetcher(self) -> SessionFetcher:
        s = self.config.sync
        return SessionFetcher(
            self.session,
            connect_timeout=s.connect_timeout_seconds,
            read_timeout=s.read_timeout_seconds,
            max_seconds=s.max_download_seconds,
            on_chunk=self.progress,
        )

    def identity(self) -> KioskIdentity:
        """Who this kiosk is for staged releases (admin_sync.rollout)."""
        return KioskIdentity(
            self.kiosk_id, self.provisioning.airport, self.config.sync.rollout_ring
        )

    def run_cycle(self) -> UpdateReport:
        started = self.monotonic()
        self.commands.cycle_started()  # a "sync now" is done by this cycle
        fetcher = self.make_fetcher()
        report = check_for_update(
            server_url=self.server_url,
            tuf_url=self.tuf_url,
            trusted_root=self.provisioning.root_bytes(),
            state_dir=self.state_dir,
            fetcher=fetcher,
            installer=self.installer,
            notices_path=self.config.content_dir / NOTICES_FILE,
            kiosk=self.identity(),
            airports=self.airports(),
        )
        errors = [] if report.ok else [report.message]
        for step in self.steps:
            self.progress()
            try:
                step(self, report)
            except Exception as exc:  # one broken step must not stop updates
                log.exception("cycle step %s failed", getattr(step, "__name__", step))
                errors.append(f"{getattr(step, '__name__', 'step')}: {exc}")
        if self.config.sync.heartbeat:
            beat = Heartbeat(
                kiosk_id=self.kiosk_id,
                app_version=app_version(),
                content_version=self._installed_version(),
                uptime_seconds=int(self.monotonic() - self.started),
                free_disk_bytes=free_disk_bytes(self.config.content_dir),
                last_error=errors[0][:2000] if errors else None,
                **self._stats_rejected(),
            )
            problem = self._send_beat(beat)
            if problem:
                errors.append(problem)
            else:
                self.heartbeat_delivered_at = time.time()
        self.failures = 0 if report.ok else self.failures + 1
        self._record(report, errors, self.monotonic() - started)
        return report

    def _timeouts(self) -> tuple[float, float]:
        return (self.config.sync.connect_timeout_seconds, self.config.sync.read_timeout_seconds)

    def _send_beat(self, beat: Heartbeat) -> str | None:
        """Send `beat` with the commands' outcomes and the notices serial the kiosk app shows;
        take the commands of the answer."""
        results = self.commands.results(self.session, self.server_url, self._timeouts())
        beat = replace(
            beat,
            notices_serial=self.commands.notices_serial(),
            command_results=tuple(results),
        )
        problem = send_heartbeat(
            self.session,
            server_url=self.server_url,
            token=self.token,
            beat=beat,
            timeout=self._timeouts(),
            on_answer=lambda answer: self.commands.take(answer.get("commands")),
        )
        if problem is None:
            self.commands.reported(results)
        return problem

    def poll_commands(self) -> None:
        """Between cycles: a heartbeat that reports and collects commands (kiosks behind NAT
        are reached only this way)."""
        last_error = self.state.get("last_error")
        beat = Heartbeat(
            kiosk_id=self.kiosk_id,
            app_version=app_version(),
            content_version=self._installed_version(),
            uptime_seconds=int(self.monotonic() - self.started),
            free_disk_bytes=free_disk_bytes(self.config.content_dir),
            last_error=str(last_error)[:2000] if last_error else None,
            **self._stats_rejected(),
        )
        self._send_beat(beat)
        self._save_state()

    def _record(self, report: UpdateReport, errors: list[str], seconds: float) -> None:
        now = _now_iso()
        totals = self.state.setdefault("totals", {})
        totals["cycles"] = totals.get("cycles", 0) + 1
        totals["bytes_fetched"] = totals.get("bytes_fetched", 0) + report.bytes_fetched
        totals["parts_downloaded"] = totals.get("parts_downloaded", 0) + report.parts_downloaded
        self.state["last_cycle_at"] = now
        self.state["last_cycle"] = {**report.to_dict(), "seconds": round(seconds, 3)}
        self.state["consecutive_failures"] = self.failures
        self.state["installed_version"] = self._installed_version()
        if report.ok:
            self.state["last_success"] = now
        if errors:
            self.state["last_error"] = errors[0]
            self.state["last_error_at"] = now
        elif report.ok:
            self.state["last_error"] = None
        self._save_state()

    # ---- the loop ---------------------------------------------------------------------------
    def run_forever(self, stop: threading.Event, *, max_cycles: int | None = None) -> None:
        cycles = 0
        while not stop.is_set():
            self.progress()
            try:
                self.run_cycle()
            except Exception:  # a bug or a full disk: log, back off, try again
                self.failures += 1
                log.exception("sync cycle crashed; will retry")
            cycles += 1
            if max_cycles is not None and cycles >= max_cycles:
                return
            delay = next_delay(self.failures, self.config.sync, self.rng)
            if self.commands.sync_requested():
                delay = 0.0  # an administrator asked for a sync now
            if self.failures:
                log.info(
                    "%d failed cycle(s) in a row: backing off, next try in %.1f s",
                    self.failures,
                    delay,
                )
            else:
                log.info("next check in %.1f s", delay)
            self.state["next_cycle_in_seconds"] = round(delay, 1)
            self._save_state()
            deadline = self.monotonic() + delay
            poll = self.config.sync.command_poll_seconds if self.config.sync.heartbeat else 0
            next_poll = self.monotonic() + poll
            while not stop.is_set() and self.monotonic() < deadline:  # waiting is progress too
                self.progress()
                if poll > 0 and self.monotonic() >= next_poll:
                    try:
                        self.poll_commands()
                    except Exception:  # a bug here must not stop the loop
                        log.exception("polling for commands failed")
                    next_poll = self.monotonic() + poll
                    if self.commands.sync_requested():
                        break
                wake = min(deadline, next_poll) if poll > 0 else deadline
                stop.wait(min(1.0, max(0.0, wake - self.monotonic())))


def state_of(state_dir: Path) -> dict[str, Any]:
    """The agent's last recorded state (for tests and the maintenance screen)."""
    try:
        data = json.loads((state_dir / "state.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}
