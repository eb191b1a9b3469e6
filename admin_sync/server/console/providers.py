"""What the console's handlers are given: settings, databases, the data folder, the clock.

`install` (called by the app factory) builds one `ConsoleServices`; handlers never read
`app.state` but ask for each piece with `Depends`, through the aliases below:

    @router.get("/fleet")
    def fleet(you: SignedInDep, db: ServerDbDep, clock: ClockDep) -> Response: ...

Tests swap one piece with `app.dependency_overrides[provider] = ...` (for example `clock`,
`console_settings` or `users_db`), the rest stays as the factory built it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated

from fastapi import Depends, Request

from admin_sync.audit_log import AuditLog
from admin_sync.content_history import ContentHistory
from admin_sync.datadir import DataDir
from admin_sync.server.alerts.settings import AlertSettings
from admin_sync.server.auth import PasswordChecks
from admin_sync.server.console.settings import ConsoleSettings
from admin_sync.server.db import Database
from admin_sync.server.preview_worker import PreviewWorker
from admin_sync.server.settings import ServerSettings
from admin_sync.server.stats_db import StatsDB
from admin_sync.tuf_repo import Clock
from admin_sync.users import UsersDB


@dataclass(frozen=True)
class ConsoleServices:
    """Everything the console reads or writes, built once by `install`."""

    settings: ConsoleSettings
    server_settings: ServerSettings
    data: DataDir
    db: Database
    users: UsersDB
    stats: StatsDB
    clock: Clock
    password_checks: PasswordChecks  # argon2 off the event loop, attempts reserved first
    preview: PreviewWorker  # pictures from the kiosk's own renderer, where it is installed
    alerts: AlertSettings = field(default_factory=AlertSettings)  # thresholds, SMTP (alerts)


STATE_NAME = "console"  # the one `app.state` attribute the console reads


def console_services(request: Request) -> ConsoleServices:
    services = getattr(request.app.state, STATE_NAME, None)
    if not isinstance(services, ConsoleServices):
        raise RuntimeError("the console is not installed on this app (console.install)")
    return services


ServicesDep = Annotated[ConsoleServices, Depends(console_services)]


def console_settings(services: ServicesDep) -> ConsoleSettings:
    return services.settings


def server_settings(services: ServicesDep) -> ServerSettings:
    return services.server_settings


def data_dir(services: ServicesDep) -> DataDir:
    """The data folder: the TUF repository, the online keys and the release manifests."""
    return services.data


def server_db(services: ServicesDep) -> Database:
    """`server.db`: kiosks, heartbeats, the release history."""
    return services.db


def users_db(services: ServicesDep) -> UsersDB:
    return services.users


def stats_db(services: ServicesDep) -> StatsDB:
    return services.stats


def clock(services: ServicesDep) -> Clock:
    return services.clock


def content_history(services: ServicesDep) -> ContentHistory:
    """The content sources' history (`DIR/content.git`), commits dated by the clock."""
    return services.data.content_history(clock=services.clock)


def audit_log(services: ServicesDep) -> AuditLog:
    """Who did what (`DIR/audit.db`)."""
    return services.data.audit_log(clock=services.clock)


def alert_settings(services: ServicesDep) -> AlertSettings:
    return services.alerts


def password_checks(services: ServicesDep) -> PasswordChecks:
    return services.password_checks


def preview_worker(services: ServicesDep) -> PreviewWorker:
    return services.preview


SettingsDep = Annotated[ConsoleSettings, Depends(console_settings)]
ServerSettingsDep = Annotated[ServerSettings, Depends(server_settings)]
DataDep = Annotated[DataDir, Depends(data_dir)]
ServerDbDep = Annotated[Database, Depends(server_db)]
UsersDep = Annotated[UsersDB, Depends(users_db)]
StatsDep = Annotated[StatsDB, Depends(stats_db)]
ClockDep = Annotated[Clock, Depends(clock)]
HistoryDep = Annotated[ContentHistory, Depends(content_history)]
AuditDep = Annotated[AuditLog, Depends(audit_log)]
PasswordChecksDep = Annotated[PasswordChecks, Depends(password_checks)]
PreviewDep = Annotated[PreviewWorker, Depends(preview_worker)]
AlertSettingsDep = Annotated[AlertSettings, Depends(alert_settings)]
