"""Administrator API for the staged content release: see it, promote it, halt it.

The same actions as the console's releases page (console/rollout_pages.py) and `safe-airports
admin rollout status|promote|halt` (rollout_cli.py), over HTTP with HTTP Basic as a console
user: reading the status needs any administrator, promoting and halting the editor role. Each
action re-signs the targets and writes one audit row (via "api"); admin_sync.rollout_publish does
both. Staging itself is a publish with `first_to_*` (admin_api.py).

Answers: 409 when the action is refused as things stand (nothing staged, another version staged
than the `version` given), 422 for a bad audience (`parameter` names the field), 503 when the
server cannot sign (keys or repository unavailable).
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field

from admin_sync.keys import KeyFileError
from admin_sync.protocol import ADMIN_HALT_PATH, ADMIN_PROMOTE_PATH, ADMIN_ROLLOUT_PATH
from admin_sync.rollout import MAX_KIOSKS, Rollout, RolloutError
from admin_sync.rollout_publish import RolloutActionError, halt, promote, rollout_status
from admin_sync.rollout_targets import StagedRelease
from admin_sync.server.admin_api import audience_problem, cannot_sign, problem
from admin_sync.server.auth import AdminDep, DbDep, EditorDep
from admin_sync.server.rollout_audience import AudienceError, AudienceNames, audience_from_values
from admin_sync.tuf_repo import RepositoryError

router = APIRouter(
    tags=["admin"],
    responses={
        401: {"description": "missing or wrong administrator name/password (HTTP Basic)"},
        429: {"description": "too many failed sign-ins: the user is locked for a while"},
    },
)
log = logging.getLogger("safe_airports.server.admin")

ACTION_RESPONSES: dict[int | str, dict[str, Any]] = {
    403: {"description": "a viewer: this needs the editor role"},
    409: {"description": "refused as things stand: nothing staged, or not the version given"},
    503: {"description": "the server cannot sign now (keys or repository unavailable)"},
}
PROMOTE_AUDIENCE = AudienceNames("kiosks", "airport", "ring")


class StagedOut(BaseModel):
    version: int
    staged_to: str = Field(description='who is offered it, in words ("airport TMJ")')
    rollout: str | dict[str, Any] = Field(description="the signed audience")

    @classmethod
    def of(cls, staged: StagedRelease) -> StagedOut:
        return cls(
            version=staged.version,
            staged_to=staged.rollout.describe(),
            rollout=staged.rollout.to_custom(),
        )


class RolloutStatusOut(BaseModel):
    general_version: int | None = Field(description="the content version every kiosk is offered")
    staged: StagedOut | None = Field(description="the staged release, if any")


class PromoteIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    to_all: bool = Field(False, description="offer it to every kiosk")
    kiosks: list[str] = Field(
        [], max_length=MAX_KIOSKS, description="or: offer it to these registered active kiosks too"
    )
    airport: str | None = Field(None, max_length=40, description="or: the kiosks of one airport")
    ring: int | None = Field(None, description="or: kiosks whose rollout ring is 0 to N (0-3)")
    version: int | None = Field(
        None, ge=1, description="refuse (409) unless this content version is the one staged"
    )


class HaltIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    version: int | None = Field(
        None, ge=1, description="refuse (409) unless this content version is the one staged"
    )


class PromoteOut(BaseModel):
    version: int
    offered_to: str = Field(description='its audience now, in words ("all kiosks")')
    rollout: str | dict[str, Any]


class HaltOut(BaseModel):
    version: int = Field(description="the halted content version")
    republished_as: int | None = Field(
        description="the new version republishing the previous content (null: there was none)"
    )


@router.get(
    ADMIN_ROLLOUT_PATH,
    response_model=RolloutStatusOut,
    summary="The staged content release (if any) and the version every kiosk is offered",
    responses={409: {"description": "the staged release cannot be read"}},
)
def staged_status(request: Request, admin: AdminDep) -> RolloutStatusOut:
    try:
        status = rollout_status(request.app.state.data)
    except RolloutActionError as exc:
        raise problem(str(exc), status=409) from exc
    except (RepositoryError, KeyFileError) as exc:
        raise cannot_sign("rollout status", admin.name, exc) from exc
    staged = StagedOut.of(status.staged) if status.staged is not None else None
    return RolloutStatusOut(general_version=status.general_version, staged=staged)


def _promote_audience(body: PromoteIn, db: Any) -> Rollout:
    chosen = audience_from_values(
        db, kiosks=body.kiosks, airport=body.airport, ring=body.ring, names=PROMOTE_AUDIENCE
    )
    if body.to_all and chosen is not None:
        given = [n for n, v in (("kiosks", body.kiosks), ("airport", body.airport)) if v] or [
            "ring"
        ]
        raise AudienceError(f"to_all and {given[0]}", "give to_all or an audience, not both")
    if body.to_all:
        return Rollout.to_all()
    if chosen is None:
        raise AudienceError("to_all", "promote to whom? give to_all, kiosks, airport or ring")
    return chosen


@router.post(
    ADMIN_PROMOTE_PATH,
    response_model=PromoteOut,
    summary="Offer the staged content release to more kiosks (kiosks, airport, ring) or to all",
    responses={
        **ACTION_RESPONSES,
        422: {"description": "a bad audience (`parameter` names the field)"},
    },
)
def promote_staged(body: PromoteIn, request: Request, editor: EditorDep, db: DbDep) -> PromoteOut:
    try:
        to = _promote_audience(body, db)
    except AudienceError as exc:
        raise audience_problem(exc) from exc
    try:
        version, now = promote(
            request.app.state.data,
            to,
            who=editor.name,
            via="api",
            clock=request.app.state.clock,
            expiries=request.app.state.settings.expiries(),
            expect_version=body.version,
        )
    except (RolloutActionError, RolloutError) as exc:
        raise problem(str(exc), status=409) from exc
    except (RepositoryError, KeyFileError) as exc:
        raise cannot_sign("promote", editor.name, exc) from exc
    log.info("API: %s promoted content version %s to %s", editor.name, version, now.describe())
    return PromoteOut(version=version, offered_to=now.describe(), rollout=now.to_custom())


@router.post(
    ADMIN_HALT_PATH,
    response_model=HaltOut,
    summary="Halt the staged content release: withdrawn, its kiosks go back to the previous "
    "content (republished as a new version)",
    responses=ACTION_RESPONSES,
)
def halt_staged(body: HaltIn, request: Request, editor: EditorDep) -> HaltOut:
    try:
        version, republished = halt(
            request.app.state.data,
            who=editor.name,
            via="api",
            clock=request.app.state.clock,
            expiries=request.app.state.settings.expiries(),
            expect_version=body.version,
        )
    except RolloutActionError as exc:
        raise problem(str(exc), status=409) from exc
    except (RepositoryError, KeyFileError) as exc:
        raise cannot_sign("halt", editor.name, exc) from exc
    log.info("API: %s halted content version %s", editor.name, version)
    return HaltOut(version=version, republished_as=republished)
