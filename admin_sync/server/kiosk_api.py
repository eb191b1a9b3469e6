"""The kiosk API under `/api/v1/`: heartbeats and the kiosk-token check (the statistics upload
lives in its own module)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC

from fastapi import APIRouter, HTTPException, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from admin_sync.protocol import HEARTBEAT_PATH, KIOSK_AUTH_PATH, MAX_REASON_CHARS
from admin_sync.server.auth import Credentials, DbDep, KioskDep, require_kiosk
from admin_sync.server.db import Database

router = APIRouter(tags=["kiosk"])


class HeartbeatIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kiosk_id: str = Field(min_length=1, max_length=64)
    app_version: str = Field(min_length=1, max_length=64)
    content_version: int | None = Field(default=None, ge=1)
    uptime_seconds: int = Field(ge=0)
    free_disk_bytes: int | None = Field(default=None, ge=0)
    last_error: str | None = Field(default=None, max_length=2000)
    # added later: absent from older agents' heartbeats (protocol.HEARTBEAT_EXTENSIONS)
    stats_rejected: int = Field(default=0, ge=0, le=10_000_000)
    stats_rejected_reason: str | None = Field(default=None, max_length=MAX_REASON_CHARS)


class HeartbeatOut(BaseModel):
    ok: bool
    server_time: str
    latest_content_version: int | None


@router.post(HEARTBEAT_PATH, response_model=HeartbeatOut, summary="A kiosk reports it is alive")
def heartbeat(
    body: HeartbeatIn,
    request: Request,
    kiosk: KioskDep,
    db: DbDep,
) -> HeartbeatOut:
    if body.kiosk_id != kiosk.id:
        raise HTTPException(
            403, detail=f"this token belongs to kiosk {kiosk.id}, not {body.kiosk_id}"
        )
    now = request.app.state.clock().astimezone(UTC).replace(microsecond=0).isoformat()
    with db.transaction() as conn:
        conn.execute(
            "INSERT OR REPLACE INTO heartbeats (kiosk_id, received_at, app_version, "
            "content_version, uptime_seconds, free_disk_bytes, last_error, remote_addr, "
            "stats_rejected, stats_rejected_reason) VALUES (?,?,?,?,?,?,?,?,?,?)",
            (
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
            ),
        )
    latest = request.app.state.data.latest_content_version()
    return HeartbeatOut(ok=True, server_time=now, latest_content_version=latest)


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
def kiosk_auth(request: Request, credentials: Credentials, db: DbDep) -> Response:
    """The same rule the app applies to its own /tuf/ routes, for a proxy serving them from disk."""
    if request.app.state.settings.tuf_requires_kiosk_token:
        require_kiosk(credentials, db)
    return Response(status_code=204, headers={"Cache-Control": "no-store"})
