"""The administrators' web console under `/console/`: server-rendered HTML, no JavaScript.

`install(...)`, called by the app factory (`create_app`), adds it to the server. One module per
page group, each with its own router:

| module | pages |
| --- | --- |
| `sign_in_pages` | sign-in, sign-out, `/console/` |
| `fleet_page` | fleet: kiosks' status from their heartbeats |
| `release_pages` | releases: history, publish an uploaded archive (`archive`), roll back |
| `rollout_pages` | releases: promote or halt the staged release (`rollout_forms`: who first) |
| `statistics_pages` | statistics charts (`charts`), CSV export, programme report |
| `kiosk_pages` | kiosks: add (provisioning file), revoke |
| `user_pages` | users: add, role, disable/enable (editors only) |
| `content_pages` | content: files, history, diff, restore (editors), export as zip |
| `item_pages` | contacts, airports, countries: forms built from `content.fields` (editors save) |
| `article_pages` | articles: write and translate (source text beside), checked on save |
| `ui_pages` | screen texts per language, with their length limits |
| `review_pages` | review: the draft against the last release, diff, approvals (four eyes) |
| `translation_pages` | translation status per language: counts, filterable list |
| `verification_pages` | due for checking, "checked today", what blocks a production release |
| `preview_pages` | an article or help screen as the kiosk shows it (`preview_worker`) |
| `audit_pages` | audit log: who did what, filterable, CSV download |
| `notice_pages` | urgent notices: write (signed at once as `notices.json`), withdraw |
| `alert_pages` | alerts: open alerts, recent changes, e-mail sent, your own e-mail choice |
| `notice_pages` | urgent notices: write (signed as `notices.json`), edit, withdraw; who has them |
| `command_pages` | a kiosk: ask for a screenshot, restart, sync now (by role, audited); its shot |

Shared pieces: `providers` (settings, databases, data folder, clock as `Depends`), `access`
(session, "signed in", "signed in with role X", refusals), `forms` (the one CSRF check),
`pages` (templates, security headers), `settings` (ConsoleSettings).

Every page is behind a cookie session (see `admin_sync.users`); a signed-out visitor, or a
request that only carries a kiosk or API token, is sent to the sign-in page and sees nothing
else. Security: session cookie HttpOnly + SameSite=Strict (+ Secure behind TLS), a CSRF token
in every form (the session's token; before sign-in a double-submit cookie), sign-in lockout,
restrictive security headers, roles checked on every action (a viewer cannot change anything).
"""

from __future__ import annotations

from pathlib import Path

from argon2 import PasswordHasher
from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from admin_sync.datadir import DataDir
from admin_sync.server.alerts.settings import AlertSettings
from admin_sync.server.auth import PasswordChecks
from admin_sync.server.console import (
    alert_pages,
    article_pages,
    audit_pages,
    command_pages,
    content_pages,
    fleet_page,
    item_pages,
    kiosk_pages,
    notice_pages,
    preview_pages,
    release_pages,
    review_pages,
    rollout_pages,
    sign_in_pages,
    statistics_pages,
    translation_pages,
    ui_pages,
    user_pages,
    verification_pages,
)
from admin_sync.server.console.access import NeedSignIn, Refused
from admin_sync.server.console.pages import error_page, secure
from admin_sync.server.console.providers import STATE_NAME, ConsoleServices
from admin_sync.server.console.settings import ConsoleSettings
from admin_sync.server.db import Database
from admin_sync.server.preview_worker import PreviewWorker
from admin_sync.server.settings import ServerSettings
from admin_sync.server.stats_db import StatsDB
from admin_sync.tuf_repo import Clock
from admin_sync.users import UsersDB, users_db_path

__all__ = ["ROUTERS", "ConsoleServices", "ConsoleSettings", "install"]

STATIC_DIR = Path(__file__).parent / "static"
PREVIEW_CACHE = "preview-cache"  # pictures from the kiosk's renderer (left out of backups)
ROUTERS = (
    sign_in_pages.router,
    fleet_page.router,
    release_pages.router,
    rollout_pages.router,
    statistics_pages.router,
    kiosk_pages.router,
    user_pages.router,
    content_pages.router,
    item_pages.router,
    article_pages.router,
    ui_pages.router,
    review_pages.router,
    translation_pages.router,
    verification_pages.router,
    preview_pages.router,
    audit_pages.router,
    notice_pages.router,
    alert_pages.router,
    command_pages.router,
)


async def _to_sign_in(request: Request, exc: Exception) -> Response:
    return secure(RedirectResponse("/console/sign-in", status_code=303))


async def _refused(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, Refused)
    if exc.session is None:  # the sign-in form: show it again, with the reason
        return sign_in_pages.sign_in_page(request, exc.settings, exc.message, exc.status)
    return error_page(request, exc.session, exc.status, exc.message)


def install(
    app: FastAPI,
    settings: ConsoleSettings | None = None,
    *,
    server_settings: ServerSettings,
    data: DataDir,
    db: Database,
    clock: Clock,
    stats: StatsDB | None = None,
    hasher: PasswordHasher | None = None,
    password_checks: PasswordChecks | None = None,
    alert_settings: AlertSettings | None = None,
) -> ConsoleServices:
    """Add the console to `app`: its services (users: `DIR/users.db`), routers, static files."""
    settings = settings or ConsoleSettings()
    users = UsersDB(
        users_db_path(data.path),
        clock=clock,
        max_failures=settings.max_failures,
        lock_seconds=settings.lock_seconds,
        session_seconds=settings.session_hours * 3600,
        hasher=hasher,
    )
    users.migrate()
    if stats is None:
        stats = StatsDB(data.path / "stats.db")
        stats.migrate()
    services = ConsoleServices(
        settings=settings,
        server_settings=server_settings,
        data=data,
        db=db,
        users=users,
        stats=stats,
        clock=clock,
        password_checks=password_checks or PasswordChecks(),
        preview=PreviewWorker(data.path / PREVIEW_CACHE, enabled=settings.preview_worker != "off"),
        alerts=alert_settings or AlertSettings(),
    )
    setattr(app.state, STATE_NAME, services)
    app.state.users_db = users  # the administrators' API signs in against the same users
    app.mount("/console/static", StaticFiles(directory=STATIC_DIR), name="console-static")
    for router in ROUTERS:
        app.include_router(router)
    app.add_exception_handler(NeedSignIn, _to_sign_in)
    app.add_exception_handler(Refused, _refused)
    return services
