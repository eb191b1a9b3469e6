"""The kiosks page: the registered kiosks; editors add one (and download its provisioning file)
or revoke one (its token stops working at once).

The provisioning file carries the kiosk's id, its secret token (shown only this once), the
server's URL (`public_server_url`, or the address the console was opened with) and the TUF
root the kiosk trusts from its first update on.
"""

from __future__ import annotations

import json
import logging
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from admin_sync.protocol import Provisioning
from admin_sync.server import registry
from admin_sync.server.console.access import RoleRequired, SignedIn, SignedInDep
from admin_sync.server.console.forms import FormDep
from admin_sync.server.console.pages import AIRPORTS, secure
from admin_sync.server.console.providers import DataDep, ServerDbDep, SettingsDep
from admin_sync.server.db import Database

log = logging.getLogger("safe_airports.server.console")

router = APIRouter(prefix="/console", include_in_schema=False)


def kiosks_page(
    you: SignedIn, db: Database, *, status: int = 200, message: str = "", ok: str = ""
) -> HTMLResponse:
    return you.render(
        "kiosks.html",
        status=status,
        title="Kiosks",
        kiosks=registry.list_kiosks(db),
        message=message,
        ok=ok,
    )


@router.get("/kiosks")
def kiosks(you: SignedInDep, db: ServerDbDep) -> Response:
    return kiosks_page(you, db)


@router.post("/kiosks/add")
def add_kiosk(
    request: Request,
    form: FormDep,
    you: Annotated[SignedIn, Depends(RoleRequired("editor", "add kiosks"))],
    db: ServerDbDep,
    data: DataDep,
    settings: SettingsDep,
) -> Response:
    airport = form.text("airport", 3)
    name = form.text("name", 63)
    if airport not in AIRPORTS:
        return kiosks_page(you, db, status=400, message="Choose the kiosk's airport.")
    repo = data.repository()
    if not repo.is_initialized():
        return kiosks_page(
            you,
            db,
            status=409,
            message="The server has no signing keys yet (run `safe-airports admin "
            "init-keys`), so there is no trusted root to give a kiosk.",
        )
    try:
        kiosk, token = registry.add_kiosk(db, airport=airport, name=name)
    except registry.RegistryError as exc:
        return kiosks_page(you, db, status=400, message=str(exc))
    server_url = settings.public_server_url or str(request.base_url).rstrip("/")
    provisioning = Provisioning(
        server_url=server_url.rstrip("/"),
        kiosk_id=kiosk.id,
        airport=kiosk.airport,
        name=kiosk.name,
        token=token,
        trusted_root=json.loads(repo.root_bytes()),
    )
    log.info("console: %s added kiosk %s (%s)", you.user.name, kiosk.id, airport)
    response = Response(provisioning.to_bytes(), media_type="application/json")
    response.headers["Content-Disposition"] = f'attachment; filename="provisioning-{kiosk.id}.json"'
    return secure(response)


@router.post("/kiosks/revoke")
def revoke_kiosk(
    form: FormDep,
    you: Annotated[SignedIn, Depends(RoleRequired("editor", "revoke kiosks"))],
    db: ServerDbDep,
) -> Response:
    try:
        kiosk = registry.revoke_kiosk(db, form.text("kiosk", 80))
    except registry.RegistryError as exc:
        return kiosks_page(you, db, status=404, message=str(exc))
    log.info("console: %s revoked kiosk %s", you.user.name, kiosk.id)
    return kiosks_page(you, db, ok=f"Kiosk {kiosk.name} ({kiosk.id}) revoked.")
