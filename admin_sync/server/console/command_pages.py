"""A kiosk's page: its status, the commands asked of it and their outcome, its last screenshot;
buttons to ask for a screenshot, a restart of the app or a sync now.

Any signed-in user may post the form; whether their role may ask for that command is checked
here (`commands_db.COMMAND_ROLES`), so a refusal (403) is written to the audit log like every
request ("command-refused", "command"). The kiosk collects the command with its next heartbeat
(`commands_db.exchange`); it expires after the console's `command_expiry_minutes`.
The screenshot is served only to signed-in users, never cached (`Cache-Control: no-store`).
"""

from __future__ import annotations

import logging
from datetime import timedelta

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from admin_sync.server import registry
from admin_sync.server.commands_api import screenshots_dir
from admin_sync.server.commands_db import (
    COMMAND_ROLES,
    KINDS,
    LABELS,
    CommandError,
    add_command,
    get_command,
    latest_screenshot,
    list_commands,
    role_allows,
)
from admin_sync.server.console.access import SignedIn, SignedInDep
from admin_sync.server.console.fleet_page import fleet_rows
from admin_sync.server.console.forms import FormDep
from admin_sync.server.console.pages import secure
from admin_sync.server.console.providers import (
    AuditDep,
    ClockDep,
    DataDep,
    ServerDbDep,
    SettingsDep,
)
from admin_sync.server.console.settings import ConsoleSettings
from admin_sync.server.db import Database
from admin_sync.tuf_repo import Clock

log = logging.getLogger("safe_airports.server.console")
router = APIRouter(prefix="/console", include_in_schema=False)


def kiosk_page(
    you: SignedIn,
    db: Database,
    kiosk_id: str,
    *,
    clock: Clock,
    settings: ConsoleSettings,
    latest: int | None,
    status: int = 200,
    ok: str = "",
    message: str = "",
) -> HTMLResponse:
    kiosk = registry.find_kiosk(db, kiosk_id)
    if kiosk is None or kiosk.id != kiosk_id:
        return you.error(404, f"No kiosk {kiosk_id!r}.")
    now = clock()
    row = fleet_rows(
        [kiosk], registry.latest_heartbeats(db), now=now, latest=latest, settings=settings
    )[0]
    commands = [(c, c.state(now)) for c in list_commands(db, kiosk.id)]
    return you.render(
        "kiosk.html",
        status=status,
        title=f"Kiosk {kiosk.name}",
        row=row,
        kiosk=kiosk,
        commands=commands,
        shot=latest_screenshot(db, kiosk.id),
        kinds=[(k, LABELS[k], role_allows(you.user.role, k)) for k in KINDS],
        roles=COMMAND_ROLES,
        expiry_minutes=settings.command_expiry_minutes,
        ok=ok,
        message=message,
    )


@router.get("/kiosks/{kiosk_id}")
def kiosk(
    kiosk_id: str,
    you: SignedInDep,
    db: ServerDbDep,
    data: DataDep,
    clock: ClockDep,
    settings: SettingsDep,
) -> Response:
    latest = data.latest_content_version()
    return kiosk_page(you, db, kiosk_id, clock=clock, settings=settings, latest=latest)


@router.post("/kiosks/{kiosk_id}/command")
def ask(
    kiosk_id: str,
    form: FormDep,
    you: SignedInDep,
    db: ServerDbDep,
    data: DataDep,
    audit: AuditDep,
    clock: ClockDep,
    settings: SettingsDep,
) -> Response:
    kind = form.text("kind", 20)
    latest = data.latest_content_version()
    kiosk = registry.find_kiosk(db, kiosk_id)
    if kiosk is None or kiosk.id != kiosk_id:
        return you.error(404, f"No kiosk {kiosk_id!r}.")
    if kind not in KINDS:
        return kiosk_page(you, db, kiosk_id, clock=clock, settings=settings, latest=latest,
                          status=400, message=f"Unknown command {kind!r}.")  # fmt: skip
    item = f"{kind} on kiosk {kiosk.id}"
    if not role_allows(you.user.role, kind):
        audit.record(you.user.name, "command-refused", item,
                     f"role {you.user.role} may not ask for {kind}", via="console")  # fmt: skip
        log.warning("console: %s (%s) refused: %s", you.user.name, you.user.role, item)
        return you.error(
            403,
            f"Your role ({you.user.role}) cannot ask a kiosk for “{LABELS[kind]}”. "
            f"Allowed: {', '.join(COMMAND_ROLES[kind])}. The refusal is in the audit log.",
        )
    if kiosk.revoked:
        return kiosk_page(you, db, kiosk_id, clock=clock, settings=settings, latest=latest,
                          status=409, message="This kiosk was revoked.")  # fmt: skip
    try:
        command = add_command(
            db,
            kiosk_id=kiosk.id,
            kind=kind,
            by=you.user.name,
            now=clock(),
            lifetime=timedelta(minutes=settings.command_expiry_minutes),
        )
    except CommandError as exc:
        return kiosk_page(you, db, kiosk_id, clock=clock, settings=settings, latest=latest,
                          status=409, message=str(exc))  # fmt: skip
    audit.record(you.user.name, "command", f"command {command.id} ({kind}) on kiosk {kiosk.id}",
                 f"until {command.expires_at}", via="console")  # fmt: skip
    log.info("console: %s asked kiosk %s for %s (command %d)",
             you.user.name, kiosk.id, kind, command.id)  # fmt: skip
    return kiosk_page(
        you, db, kiosk_id, clock=clock, settings=settings, latest=latest,
        ok=f"Command {command.id} ({LABELS[kind]}) waits for the kiosk's next heartbeat; it "
        f"expires at {command.expires_at} if not carried out by then.",
    )  # fmt: skip


@router.get("/commands/{command_id}/screenshot.png")
async def screenshot(command_id: int, you: SignedInDep, db: ServerDbDep, data: DataDep) -> Response:
    command = await run_in_threadpool(get_command, db, command_id)
    if command is None or not command.screenshot:
        return you.error(404, f"No screenshot for command {command_id}.")
    path = screenshots_dir(data) / command.screenshot
    try:
        body = await run_in_threadpool(path.read_bytes)
    except OSError:
        return you.error(404, f"The screenshot of command {command_id} is missing on disk.")
    response = Response(body, media_type="image/png")
    response.headers["Cache-Control"] = "no-store"
    return secure(response)
