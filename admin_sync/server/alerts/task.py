"""The server's alert task: `AlertChecker.run_once` every `check_seconds` in a worker thread.

Started by `create_app`'s lifespan (admin_sync/server/app.py) when `check_seconds` > 0. The
check runs off the event loop (`asyncio.to_thread`, not the request thread pool), and any
failure is logged and retried at the next run; it never reaches a request.
"""

from __future__ import annotations

import asyncio
import logging

from admin_sync.datadir import DataDir
from admin_sync.server.alerts.checker import AlertChecker, contacts_from_yaml
from admin_sync.server.alerts.rules import ContactDate
from admin_sync.server.alerts.settings import AlertSettings
from admin_sync.server.console.providers import ConsoleServices

log = logging.getLogger("safe_airports.server.alerts")


def checker_for(services: ConsoleServices, settings: AlertSettings) -> AlertChecker:
    """The checker of a running server: its database, users, content history and clock."""
    data: DataDir = services.data

    def contacts() -> list[ContactDate]:
        raw = data.content_history(clock=services.clock).read("contacts.yaml")
        return contacts_from_yaml(raw.decode("utf-8") if raw else None)

    def active_users() -> set[str]:
        return {u.name for u in services.users.users() if u.disabled_at is None}

    return AlertChecker(
        services.db,
        settings,
        late_after_minutes=services.settings.late_after_minutes,
        offline_after_minutes=services.settings.offline_after_minutes,
        clock=services.clock,
        contacts=contacts,
        active_users=active_users,
    )


async def run_alert_checks(checker: AlertChecker, every_seconds: float) -> None:
    while True:
        try:
            report = await asyncio.to_thread(checker.run_once)
            if report.sent or report.failed:
                log.info("alerts: %d e-mail(s) sent, %d failed", report.sent, report.failed)
        except Exception:  # keep the schedule alive; the next run retries
            log.exception("alerts: the check failed; will retry")
        await asyncio.sleep(every_seconds)
