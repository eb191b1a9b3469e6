"""Promote or halt the staged release from the releases page (editors only, audited).

Promote offers the staged release to more kiosks (the same "who" fields as publishing) or to
all; halt withdraws it and sends the kiosks on it back to the previous content
(admin_sync.rollout_publish explains why that is the safe choice). Both re-sign the targets.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
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


@dataclass
class _StagedAction:
    """What promoting and halting both take from the request, and how both answer."""

    form: FormDep
    you: Editor
    db: ServerDbDep
    data: DataDep
    clock: ClockDep
    settings: SettingsDep
    server_settings: ServerSettingsDep
    history: HistoryDep

    def expect_version(self) -> int | None:
        """The staged version the page showed (None when the form does not say)."""
        seen = self.form.text("version", 12)
        return int(seen) if seen.isdigit() else None

    def answer(self, action: str, act: Callable[[], str]) -> Response:
        """Run `act` (returns the sentence saying what was done) and show the releases page:
        a refusal as 400, a signing failure as 503, success with that sentence."""
        you, db, settings, history = self.you, self.db, self.settings, self.history
        try:
            ok = act()
        except (RolloutError, RolloutActionError) as exc:
            return releases_page(you, db, settings, history, status=400, message=str(exc))
        except (RepositoryError, KeyFileError) as exc:
            log.error("console %s by %s impossible: %s", action, you.user.name, exc)
            return releases_page(
                you, db, settings, history, status=503, message=f"The server cannot sign now: {exc}"
            )
        return releases_page(you, db, settings, history, ok=ok)


StagedActionDep = Annotated[_StagedAction, Depends()]


@router.post("/releases/promote")
def promote_staged(request: StagedActionDep) -> Response:
    def act() -> str:
        form, who = request.form, request.you.user.name
        to = (
            Rollout.to_all()
            if form.text("to", 10) == "all"
            else rollout_from_form(form, request.db, allow_all=False)
        )
        version, now = promote(
            request.data,
            to,
            who=who,
            via="console",
            clock=request.clock,
            expiries=request.server_settings.expiries(),
            expect_version=request.expect_version(),
        )
        log.info("console: %s promoted content version %s to %s", who, version, now)
        return (
            f"Content version {version} is now offered to {now.describe()}. "
            "Kiosks pick it up at their next check."
        )

    return request.answer("promote", act)


@router.post("/releases/halt")
def halt_staged(request: StagedActionDep) -> Response:
    def act() -> str:
        who = request.you.user.name
        version, republished = halt(
            request.data,
            who=who,
            via="console",
            clock=request.clock,
            expiries=request.server_settings.expiries(),
            expect_version=request.expect_version(),
        )
        log.info("console: %s halted content version %s", who, version)
        back = (
            f" The previous content is republished as version {republished}: kiosks that had "
            f"version {version} go back to it at their next check."
            if republished is not None
            else " There was no earlier release to go back to."
        )
        return f"Content version {version} halted." + back

    return request.answer("halt", act)
