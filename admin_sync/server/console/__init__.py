"""The administrators' web console under `/console/`: server-rendered HTML, no JavaScript.

`install(app, settings)` adds it to the server built by `create_app` (it uses `app.state.data`,
`app.state.db` and `app.state.clock`). Pages: Fleet, Releases, Statistics, Report, Kiosks, Users,
all behind a cookie session (see `admin_sync.users`); a signed-out visitor, or a request that
only carries a kiosk or API token, is sent to the sign-in page and sees nothing else.

Security: session cookie HttpOnly + SameSite=Strict (+ Secure behind TLS), a CSRF token in
every form (the session's token; before sign-in a double-submit cookie), sign-in lockout,
restrictive security headers, roles checked on every action (a viewer cannot change anything).
"""

from __future__ import annotations

from pathlib import Path

from argon2 import PasswordHasher
from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from admin_sync.server.console.routes import NeedSignIn, make_console_router, sign_in_redirect
from admin_sync.server.console.settings import ConsoleSettings
from admin_sync.server.stats_db import StatsDB
from admin_sync.users import UsersDB, users_db_path

STATIC_DIR = Path(__file__).parent / "static"


def install(
    app: FastAPI, settings: ConsoleSettings | None = None, *, hasher: PasswordHasher | None = None
) -> None:
    settings = settings or ConsoleSettings()
    data = app.state.data
    clock = app.state.clock
    users = UsersDB(
        users_db_path(data.path),
        clock=clock,
        max_failures=settings.max_failures,
        lock_seconds=settings.lock_seconds,
        session_seconds=settings.session_hours * 3600,
        hasher=hasher,
    )
    users.migrate()
    stats = getattr(app.state, "stats_db", None)
    if stats is None:
        stats = StatsDB(data.path / "stats.db")
        stats.migrate()
        app.state.stats_db = stats
    app.state.users_db = users
    app.state.console_settings = settings
    app.mount("/console/static", StaticFiles(directory=STATIC_DIR), name="console-static")
    app.include_router(make_console_router())
    app.add_exception_handler(NeedSignIn, sign_in_redirect)
