"""`safe-airports sync --config kiosk.toml [--once]`: run the kiosk's sync agent."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from admin_sync.agent.settings import AgentConfig
    from admin_sync.agent.software_update import SoftwareUpdater


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "sync",
        help="run the kiosk's sync agent (updates, heartbeat, stats)",
        description="Keep this kiosk's content up to date from the central server: signed "
        "updates (TUF), heartbeat, statistics. Settings: the [sync] table of the kiosk TOML.",
    )
    parser.add_argument("--config", type=Path, help="the kiosk's TOML settings file")
    parser.add_argument("--once", action="store_true", help="run one cycle and exit (0 if ok)")
    parser.add_argument("--help-settings", action="store_true", help="list the [sync] settings")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from admin_sync.agent.settings import SyncSettings, load_config
    from content.settings_base import SettingsError, help_lines

    if args.help_settings:
        print("[sync] settings of the kiosk TOML file:")
        print("\n".join(help_lines(SyncSettings)))
        return 0
    if args.config is None:
        print("safe-airports sync: --config FILE is required", file=sys.stderr)
        return 2
    logging.basicConfig(
        level=logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    from admin_sync.agent.agent import Agent, AgentError
    from admin_sync.agent.liveness import Liveness
    from admin_sync.agent.lock import AlreadyRunning, InstanceLock
    from admin_sync.agent.stats_outbox import StatsStep
    from content.sd_notify import Watchdog

    try:
        config = load_config(args.config)
        s = config.sync
        liveness = Liveness(
            Watchdog(),
            stall_seconds=max(120.0, 2 * (s.connect_timeout_seconds + s.read_timeout_seconds)),
        )
        agent = Agent(config, progress=liveness.mark)
        agent.steps.append(StatsStep.from_config(config))  # seal + upload usage statistics
        software = software_updater(config)  # swupdate: signed software updates
        if software is not None:
            agent.steps.append(software.software_step)
    except (SettingsError, AgentError, ValueError) as exc:
        print(f"safe-airports sync: {exc}", file=sys.stderr)
        return 2
    log = logging.getLogger("safe_airports.sync")
    try:
        lock = InstanceLock(config.sync.state_dir / "sync.lock")
        lock.acquire()
    except AlreadyRunning as exc:
        log.error("%s; exiting", exc)
        return 3
    try:
        if software is not None:
            try:
                software.recover()  # a trial to watch, an interrupted rollback to finish
            except Exception:  # never keeps the agent from running
                log.exception("software recovery failed")
        if args.once:
            report = agent.run_cycle()
            return 0 if report.ok else 1
        stop = threading.Event()
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: stop.set())
        log.info("sync agent started for kiosk %s, server %s", agent.kiosk_id, agent.server_url)
        if software is not None and software.watching is not None:
            threading.Thread(
                target=software.watch,
                args=(lambda: agent.heartbeat_delivered_at, stop),
                name="software-trial",
                daemon=True,
            ).start()
        liveness.ready(f"sync agent for kiosk {agent.kiosk_id}")
        try:
            agent.run_forever(stop)
        finally:
            liveness.stopping("sync agent stopping")
        log.info("sync agent stopped")
        return 0
    finally:
        lock.release()


def software_updater(config: AgentConfig) -> SoftwareUpdater | None:
    """The software update step when `[sync] software_dir` is set (None otherwise)."""
    import shlex

    from admin_sync.agent.agent import app_version
    from admin_sync.agent.software_update import SoftwareConfig, SoftwareUpdater
    from admin_sync.protocol import FIRST_FRAME_FILE

    s = config.sync
    if s.software_dir is None:
        return None
    return SoftwareUpdater(
        SoftwareConfig(
            software_dir=s.software_dir,
            restart_command=shlex.split(s.software_restart_command),
            health_seconds=s.software_health_seconds,
            first_frame_path=config.usage_file.parent / FIRST_FRAME_FILE,
            state_dir=s.state_dir,
        ),
        running_version=app_version(),
    )
