"""The central server: `create_app(settings)` assembles the routers and the background tasks.

Add a feature by writing a router module and including it in `ROUTERS` (or in `create_app`);
shared pieces are on `app.state`: `settings`, `data` (DataDir), `db` (Database), `clock`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from admin_sync.datadir import DataDir
from admin_sync.protocol import HEALTH_PATH
from admin_sync.server import (
    admin_api,
    admin_rollout_api,
    commands_api,
    console,
    kiosk_api,
    stats_api,
    tuf_routes,
)
from admin_sync.server.alerts.settings import AlertSettings
from admin_sync.server.alerts.task import checker_for, run_alert_checks
from admin_sync.server.auth import PasswordChecks, require_kiosk
from admin_sync.server.body_guard import ASGIApp, BodyGuard, Message, Receive, Scope, Send
from admin_sync.server.console.settings import ConsoleSettings
from admin_sync.server.request_limits import body_rules
from admin_sync.server.settings import ServerSettings
from admin_sync.tuf_repo import Clock, utc_now

log = logging.getLogger("safe_airports.server")
access_log = logging.getLogger("safe_airports.server.access")

ROUTERS = (
    tuf_routes.router,
    kiosk_api.router,
    admin_api.router,
    admin_rollout_api.router,
    commands_api.router,
)


def refresh_metadata(data: DataDir, settings: ServerSettings, clock: Clock) -> list[str]:
    """Re-sign the timestamp (and snapshot/targets near expiry) when due; returns roles signed."""
    with data.lock():
        repo = data.repository(clock=clock, expiries=settings.expiries())
        if not repo.is_initialized():
            return []
        return repo.refresh(data.online_signers())


async def _timestamp_task(app: FastAPI) -> None:
    settings: ServerSettings = app.state.settings
    while True:
        try:
            roles = await run_in_threadpool(
                refresh_metadata, app.state.data, settings, app.state.clock
            )
            if roles:
                log.info("re-signed %s metadata", ", ".join(roles))
        except Exception:  # keep the schedule alive; the next run retries
            log.exception("could not re-sign the timestamp; will retry")
        await asyncio.sleep(settings.timestamp_check_seconds)


def create_app(
    settings: ServerSettings,
    *,
    clock: Clock = utc_now,
    console_settings: ConsoleSettings | None = None,
    alert_settings: AlertSettings | None = None,
) -> FastAPI:
    data = DataDir(settings.data_dir)
    alert_settings = alert_settings or AlertSettings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        tasks = [asyncio.create_task(_timestamp_task(app))]
        if alert_settings.check_seconds > 0:  # alerts: checked and mailed off the loop
            checker = checker_for(console_services, alert_settings)
            tasks.append(
                asyncio.create_task(run_alert_checks(checker, alert_settings.check_seconds))
            )
        log.info("server ready; data folder %s", settings.data_dir)
        try:
            yield
        finally:
            for task in tasks:
                task.cancel()
            for task in tasks:
                with contextlib.suppress(asyncio.CancelledError):
                    await task
            app.state.password_checks.close()
            await run_in_threadpool(app.state.db.close)
            await run_in_threadpool(app.state.stats_db.close)

    app = FastAPI(
        title="Safe Airports central server",
        version="1",
        description="Signed content releases (TUF) for the kiosks, their heartbeats, and "
        "the administrators' API.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.data = data
    app.state.clock = clock
    app.state.db = data.database()
    app.state.password_checks = PasswordChecks()
    for router in ROUTERS:
        if router is tuf_routes.router and settings.tuf_requires_kiosk_token:
            app.include_router(router, dependencies=[Depends(require_kiosk)])
        else:
            app.include_router(router)
    stats = stats_api.install(app)  # PUT /api/v1/stats/{batch_id}, DIR/stats.db
    console_services = console.install(  # /console/ (DIR/users.db); handlers use Depends
        app,
        console_settings,
        server_settings=settings,
        data=data,
        db=app.state.db,
        clock=clock,
        stats=stats,
        password_checks=app.state.password_checks,
        alert_settings=alert_settings,
    )

    @app.get(HEALTH_PATH, tags=["health"], summary="Liveness and repository state")
    def healthz() -> dict[str, Any]:
        repo = data.repository(clock=clock)
        ok = repo.is_initialized()
        return {
            "ok": True,
            "repository": "initialised" if ok else "not initialised",
            "latest_content_version": data.latest_content_version(),
        }

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = [
            f"{'.'.join(str(p) for p in err.get('loc', ()))}: {err.get('msg')}"
            for err in exc.errors()
        ]
        return JSONResponse(
            status_code=422,
            content={"detail": {"message": "invalid request", "problems": problems}},
        )

    rules = body_rules(
        max_upload_bytes=settings.max_upload_bytes,
        max_archive_bytes=console_services.settings.max_archive_bytes,
    )
    # outermost first: the access log sees every answer, the guard every request before FastAPI
    app.add_middleware(BodyGuard, rules=rules)
    app.add_middleware(AccessLog)
    return app


class AccessLog:
    """One structured log line per request (pure ASGI: no per-request task or stream)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 0

        async def watched(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, watched)
        finally:
            client = scope.get("client")
            access_log.info(
                "%s %s %s",
                scope["method"],
                scope["path"],
                status or 500,
                extra={
                    "method": scope["method"],
                    "path": scope["path"],
                    "status": status or 500,
                    "ms": round((time.perf_counter() - started) * 1000, 1),
                    "client": client[0] if client else "",
                },
            )
