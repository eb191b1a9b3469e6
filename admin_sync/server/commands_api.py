"""The kiosk's side of remote commands: what the heartbeat carries (`CommandOut` out,
`CommandResultIn` back), the screenshot upload, and the audit rows of the kiosks' answers.

`PUT /api/v1/commands/{command_id}/screenshot` (kiosk token; a PNG of at most
`protocol.MAX_SCREENSHOT_BYTES`, checked by `body_guard` before a byte is read): the picture
an open screenshot command of this kiosk asked for. It is stored as `DIR/screenshots/<id>.png`
(the console serves it to signed-in users) and finishes the command; a kiosk's pictures beyond
its newest `commands_db.KEEP_SCREENSHOTS` are deleted.
"""

from __future__ import annotations

import logging
import struct
from datetime import datetime
from pathlib import Path
from typing import Literal

from fastapi import APIRouter, HTTPException, Request
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from admin_sync.audit_log import AuditLog
from admin_sync.datadir import DataDir
from admin_sync.protocol import COMMAND_SCREENSHOT_PATH, MAX_SCREENSHOT_BYTES
from admin_sync.server.auth import DbDep, KioskDep
from admin_sync.server.commands_db import (
    Command,
    Outcome,
    record_screenshot,
    screenshot_target,
)
from content.durable import write_atomic

log = logging.getLogger("safe_airports.server.commands")
router = APIRouter(tags=["kiosk"])
SCREENSHOTS_DIR = "screenshots"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
MAX_SIDE_PX = 10_000


class CommandOut(BaseModel):
    id: int
    kind: str
    expires_at: str

    @classmethod
    def of(cls, command: Command) -> CommandOut:
        return cls(id=command.id, kind=command.kind, expires_at=command.expires_at)


class CommandResultIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: int = Field(ge=1, le=2**63 - 1)
    status: Literal["busy", "done", "failed", "expired"]
    detail: str = Field(default="", max_length=200)


def screenshots_dir(data: DataDir) -> Path:
    return data.path / SCREENSHOTS_DIR


def audit(request: Request) -> AuditLog:
    data: DataDir = request.app.state.data
    return data.audit_log(clock=request.app.state.clock)


async def audit_outcomes(request: Request, kiosk_id: str, outcomes: list[Outcome]) -> None:
    """One audit row per answer that changed a command (off the event loop)."""
    log_ = audit(request)

    def write() -> None:
        for o in outcomes:
            item = f"command {o.command.id} ({o.command.kind}) on kiosk {kiosk_id}"
            log_.record(f"kiosk {kiosk_id}", "command-result", item,
                        f"{o.status}: {o.detail}".rstrip(": "), via="kiosk")  # fmt: skip

    await run_in_threadpool(write)


def png_problem(data: bytes) -> str | None:
    """Why `data` is not a believable PNG screenshot (None: it is)."""
    if not data.startswith(PNG_SIGNATURE) or data[12:16] != b"IHDR" or len(data) < 33:
        return "not a PNG image"
    width, height = struct.unpack(">II", data[16:24])
    if not (0 < width <= MAX_SIDE_PX and 0 < height <= MAX_SIDE_PX):
        return f"a PNG of {width}×{height} px is not a kiosk screen"
    return None


@router.put(
    COMMAND_SCREENSHOT_PATH,
    status_code=201,
    summary="A kiosk uploads the screenshot a command asked for",
    responses={
        400: {"description": "not a PNG"},
        409: {"description": "no open screenshot command of this kiosk with that id"},
        413: {"description": f"larger than {MAX_SCREENSHOT_BYTES} bytes"},
    },
)
async def upload_screenshot(
    command_id: int, request: Request, kiosk: KioskDep, db: DbDep
) -> dict[str, object]:
    clock = request.app.state.clock
    now: datetime = clock()

    def check() -> Command | str:
        with db.connect() as conn:
            return screenshot_target(conn, kiosk.id, command_id, now)

    target = await run_in_threadpool(check)
    if isinstance(target, str):
        raise HTTPException(409, detail=target)
    body = await request.body()  # capped by body_guard at MAX_SCREENSHOT_BYTES
    problem = png_problem(body)
    if problem:
        raise HTTPException(400, detail=f"screenshot: {problem}")
    data: DataDir = request.app.state.data
    name = f"{command_id}.png"
    folder = screenshots_dir(data)

    def store() -> None:
        folder.mkdir(parents=True, exist_ok=True)
        write_atomic(folder / name, body, mode=0o640)

    await run_in_threadpool(store)
    older = await db.writer.run(
        lambda conn: record_screenshot(conn, command_id, name, clock(), kiosk.id)
    )

    def prune() -> None:
        for old in older:
            (folder / old).unlink(missing_ok=True)

    await run_in_threadpool(prune)
    log_ = audit(request)
    await run_in_threadpool(
        log_.record,
        f"kiosk {kiosk.id}",
        "command-result",
        f"command {command_id} (screenshot) on kiosk {kiosk.id}",
        f"done: screenshot received ({len(body)} bytes)",
        via="kiosk",
    )
    log.info("kiosk %s: screenshot for command %d (%d bytes)", kiosk.id, command_id, len(body))
    return {"ok": True, "bytes": len(body)}
