"""The kiosk API under `/api/v1/`: heartbeats and the kiosk-token check (the statistics upload
lives in its own module)."""

from __future__ import annotations

import logging
import sqlite3
import time
from dataclasses import dataclass
from datetime import UTC
from pathlib import Path
from typing import Any

from fastapi import APIRouter, HTTPException, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from admin_sync.datadir import DataDir
from admin_sync.protocol import (
    HEARTBEAT_PATH,
    KIOSK_AUTH_PATH,
    MAX_COMMAND_RESULTS,
    MAX_REASON_CHARS,
)
from admin_sync.server.auth import Credentials, DbDep, KioskDep, require_kiosk
from admin_sync.server.commands_api import CommandOut, CommandResultIn, audit_outcomes
from admin_sync.server.commands_db import exchange
from admin_sync.server.db import Database
from admin_sync.server.guarded_json import GuardedJSONRoute

MAX_INT64 = 2**63 - 1

log = logging.getLogger("safe_airports.server.kiosk")
router = APIRouter(tags=["kiosk"], route_class=GuardedJSONRoute)  # the body parsed once


class HeartbeatIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kiosk_id: str = Field(min_length=1, max_length=64)
    app_version: str = Field(min_length=1, max_length=64)
    content_version: int | None = Field(default=None, ge=1, le=MAX_INT64)
    uptime_seconds: int = Field(ge=0, le=MAX_INT64)
    free_disk_bytes: int | None = Field(default=None, ge=0, le=MAX_INT64)
    last_error: str | None = Field(default=None, max_length=2000)
    # added later: absent from older agents' heartbeats (protocol.HEARTBEAT_EXTENSIONS)
    stats_rejected: int = Field(default=0, ge=0, le=10_000_000)
    stats_rejected_reason: str | None = Field(default=None, max_length=MAX_REASON_CHARS)
    # commands: the urgent notices serial the kiosk app shows, remote commands' outcomes
    notices_serial: int | None = Field(default=None, ge=0, le=MAX_INT64)
    command_results: list[CommandResultIn] = Field(
        default_factory=list, max_length=MAX_COMMAND_RESULTS
    )


class HeartbeatOut(BaseModel):
    ok: bool
    server_time: str
    latest_content_version: int | None
    # commands for this kiosk, open and unexpired (older agents ignore the field)
    commands: list[CommandOut] = Field(default_factory=list)


_latest_cache: dict[Path, tuple[int, int | None]] = {}


def _latest_version(data: DataDir) -> int | None:
    """The latest content version, read again only when the releases folder changed."""
    try:
        stamp = data.releases_dir.stat().st_mtime_ns
    except OSError:
        return data.latest_content_version()
    cached = _latest_cache.get(data.releases_dir)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    latest = data.latest_content_version()
    if time.time_ns() - stamp > 2_000_000_000:  # a folder changed just now may change again
        _latest_cache[data.releases_dir] = (stamp, latest)  # within the same mtime tick
    return latest


@router.post(
    HEARTBEAT_PATH,
    response_model=HeartbeatOut,
    summary="A kiosk reports it is alive",
    responses={503: {"description": "the database is busy; retry later"}},
)
async def heartbeat(
    body: HeartbeatIn,
    request: Request,
    kiosk: KioskDep,
    db: DbDep,
) -> HeartbeatOut:
    if body.kiosk_id != kiosk.id:
        raise HTTPException(
            403, detail=f"this token belongs to kiosk {kiosk.id}, not {body.kiosk_id}"
        )
    moment = request.app.state.clock()
    now = moment.astimezone(UTC).replace(microsecond=0).isoformat()
    results = [(r.id, r.status, r.detail) for r in body.command_results]
    row = (
        kiosk.id,
        now,
        body.app_version,
        body.content_version,
        body.uptime_seconds,
        body.free_disk_bytes,
        body.last_error,
        request.client.host if request.client else None,
        body.stats_rejected,
        body.stats_rejected_reason if body.stats_rejected else None,
    )

    data: DataDir = request.app.state.data

    def record(conn: sqlite3.Connection) -> tuple[int | None, Any]:
        conn.execute(
            "INSERT OR REPLACE INTO heartbeats (kiosk_id, received_at, app_version, "
            "content_version, uptime_seconds, free_disk_bytes, last_error, remote_addr, "
            "stats_rejected, stats_rejected_reason) VALUES (?,?,?,?,?,?,?,?,?,?)",
            row,
        )
        conn.execute(  # commands: the notices serial the kiosk shows
            "UPDATE heartbeats SET notices_serial = ? WHERE kiosk_id = ?",
            (body.notices_serial, kiosk.id),
        )
        commands = exchange(conn, kiosk.id, results, moment)
        return _latest_version(data), commands  # in the same trip off the loop

    try:
        # one writer thread: group commits, off the event loop
        latest, (to_deliver, outcomes) = await db.writer.run(record)
    except sqlite3.Error as exc:
        raise HTTPException(503, detail=f"database busy; retry later ({exc})") from None
    if outcomes:
        try:
            await audit_outcomes(request, kiosk.id, outcomes)
        except (OSError, sqlite3.Error):  # recorded in server.db already; the beat is good
            log.exception("could not write the audit rows of kiosk %s's answers", kiosk.id)
    return HeartbeatOut(
        ok=True,
        server_time=now,
        latest_content_version=latest,
        commands=[CommandOut.of(c) for c in to_deliver],
    )


@dataclass(frozen=True)
class StatsRejection:
    """Statistics batches a kiosk's last heartbeat says the server refused (kept on the kiosk)."""

    count: int
    reason: str


def stats_rejections(db: Database) -> dict[str, StatsRejection]:
    """Kiosk id -> refused statistics batches, for kiosks whose last heartbeat reports any."""
    with db.connect() as conn:
        rows = conn.execute(
            "SELECT kiosk_id, stats_rejected, stats_rejected_reason FROM heartbeats "
            "WHERE stats_rejected > 0"
        ).fetchall()
    return {row[0]: StatsRejection(int(row[1]), row[2] or "") for row in rows}


@router.get(
    KIOSK_AUTH_PATH,
    status_code=204,
    response_class=Response,
    summary="Is this kiosk token allowed to read the TUF repository? (nginx auth_request)",
    responses={
        204: {"description": "yes (or the repository is public: tuf_requires_kiosk_token off)"},
        401: {"description": "missing or unknown kiosk token"},
        403: {"description": "the kiosk was revoked"},
    },
)
async def kiosk_auth(request: Request, credentials: Credentials) -> Response:
    """The same rule the app applies to its own /tuf/ routes, for a proxy serving them from disk."""
    if request.app.state.settings.tuf_requires_kiosk_token:
        await require_kiosk(request, credentials)
    return Response(status_code=204, headers={"Cache-Control": "no-store"})
