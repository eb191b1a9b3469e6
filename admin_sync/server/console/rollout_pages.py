"""Promote or halt the staged release from the releases page (editors only, audited).

Promote offers the staged release to more kiosks (the same "who" fields as publishing) or to
all; halt withdraws it and sends the kiosks on it back to the previous content
(admin_sync.rollout_publish explains why that is the safe choice). Both re-sign the targets.
"""

from __future__ import annotations

import logging
from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.responses import Response

from admin_sync.keys import KeyFileError
from admin_sync.rollout import Rollout, RolloutError
from admin_sync.rollout_publish import RolloutActionError, halt, promote
from admin_sync.server.console.access import RoleRequired, SignedIn
from admin_sync.server.console.forms import FormDep
from admin_sync.server.console.providers import (
    ClockDep,
    DataDep,
    HistoryDep,
    ServerDbDep,
    ServerSettingsDep,
    SettingsDep,
)
from admin_sync.server.console.release_pages import releases_page
from admin_sync.server.console.rollout_forms import rollout_from_form
from admin_sync.tuf_repo import RepositoryError

log = logging.getLogger("safe_airports.server.console")

router = APIRouter(prefix="/console", include_in_schema=False)
Editor = Annotated[SignedIn, Depends(RoleRequired("editor", "promote or halt releases"))]


@router.post("/releases/promote")
def promote_staged(
    form: FormDep,
    you: Editor,
    db: ServerDbDep,
    data: DataDep,
    clock: ClockDep,
    settings: SettingsDep,
    server_settings: ServerSettingsDep,
    history: HistoryDep,
) -> Response:
    try:
        to = (
            Rollout.to_all()
            if form.text("to", 10) == "all"
            else rollout_from_form(form, db, allow_all=False)
        )
        version, now = promote(
            data,
            to,
            who=you.user.name,
            via="console",
            clock=clock,
            expiries=server_settings.expiries(),
            expect_version=int(seen) if (seen := form.text("version", 12)).isdigit() else None,
        )
    except (RolloutError, RolloutActionError) as exc:
        return releases_page(you, db, settings, history, status=400, message=str(exc))
    except (RepositoryError, KeyFileError) as exc:
        log.error("console promote by %s impossible: %s", you.user.name, exc)
        return releases_page(
            you, db, settings, history, status=503, message=f"The server cannot sign now: {exc}"
        )
    log.info("console: %s promoted content version %s to %s", you.user.name, version, now)
    return releases_page(
        you,
        db,
        settings,
        history,
        ok=f"Content version {version} is now offered to {now.describe()}. "
        "Kiosks pick it up at their next check.",
    )


@router.post("/releases/halt")
def halt_staged(
    form: FormDep,
    you: Editor,
    db: ServerDbDep,
    data: DataDep,
    clock: ClockDep,
    settings: SettingsDep,
    server_settings: ServerSettingsDep,
    history: HistoryDep,
) -> Response:
    seen = form.text("version", 12)
    try:
        version, republished = halt(
            data,
            who=you.user.name,
            via="console",
            clock=clock,
            expiries=server_settings.expiries(),
            expect_version=int(seen) if seen.isdigit() else None,
        )
    except RolloutActionError as exc:
        return releases_page(you, db, settings, history, status=400, message=str(exc))
    except (RepositoryError, KeyFileError) as exc:
        log.error("console halt by %s impossible: %s", you.user.name, exc)
        return releases_page(
            you, db, settings, history, status=503, message=f"The server cannot sign now: {exc}"
        )
    log.info("console: %s halted content version %s", you.user.name, version)
    back = (
        f" The previous content is republished as version {republished}: kiosks that had "
        f"version {version} go back to it at their next check."
        if republished is not None
        else " There was no earlier release to go back to."
    )
    return releases_page(you, db, settings, history, ok=f"Content version {version} halted." + back)
