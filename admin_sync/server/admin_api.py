"""Administrator API: publish a release over HTTP, roll back, see the repository's state.

Publishing takes the content source folder as a gzip'd tar archive in the request body
(`safe-airports admin publish SOURCE --server URL --user NAME` builds and sends it). Requests
authenticate with HTTP Basic as a console user (the same name and password, `admin add-user`);
publishing and rolling back need the editor role. A publish can be staged first to some
kiosks (`first_to_kiosks`, `first_to_airport` or `first_to_ring`, checked as the console checks
them: admin_sync.server.rollout_audience); admin_rollout_api.py sees, promotes and halts it.
"""

from __future__ import annotations

import io
import logging
import tarfile
import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from admin_sync.keys import KeyFileError
from admin_sync.protocol import ADMIN_PUBLISH_PATH, ADMIN_ROLLBACK_PATH, ReleaseManifest
from admin_sync.publish import PublishError, publish_source, rollback_to, speech_synthesizer
from admin_sync.rollout import Rollout
from admin_sync.server.auth import AdminDep, DbDep, EditorDep
from admin_sync.server.rollout_audience import AudienceError, AudienceNames, audience_from_values
from admin_sync.tuf_repo import RepositoryError

router = APIRouter(
    tags=["admin"],
    responses={
        401: {"description": "missing or wrong administrator name/password (HTTP Basic)"},
        403: {"description": "a viewer: this needs the editor role"},
        429: {"description": "too many failed sign-ins: the user is locked for a while"},
    },
)
log = logging.getLogger("safe_airports.server.admin")

MAX_ARCHIVE_MEMBERS = 20_000


class PublishOut(BaseModel):
    content_version: int
    title: str
    parts: int
    total_bytes: int
    rollback_of: int | None = None
    staged_to: str | None = Field(
        None, description='staged: who is offered it, in words ("airport TMJ"); null: all kiosks'
    )
    rollout: str | dict[str, Any] = Field(
        "all",
        description='the signed audience: "all" or {"kiosks": [...], "airports": [...], "ring": N}',
    )

    @classmethod
    def of(cls, manifest: ReleaseManifest, rollout: Rollout | None = None) -> PublishOut:
        staged = rollout is not None and not rollout.everyone
        return cls(
            content_version=manifest.content_version,
            title=manifest.title,
            parts=len(manifest.parts),
            total_bytes=manifest.total_bytes(),
            rollback_of=manifest.rollback_of,
            staged_to=rollout.describe() if staged and rollout is not None else None,
            rollout=rollout.to_custom() if staged and rollout is not None else "all",
        )


class RollbackIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    to_version: int = Field(ge=1, description="content version whose content to republish")


def problem(message: str, lines: list[str] | None = None, status: int = 422) -> HTTPException:
    return HTTPException(status, detail={"message": message, "problems": lines or []})


def cannot_sign(action: str, who: str, exc: Exception) -> HTTPException:
    """503: the keys or the repository failed (logged); nothing was signed."""
    log.error("API %s by %s impossible: %s", action, who, exc)
    return problem(f"the server cannot sign releases now: {exc}", status=503)


def audience_problem(exc: AudienceError) -> HTTPException:
    """422 naming the parameter (or body field) of a bad audience."""
    return HTTPException(
        422, detail={"message": str(exc), "parameter": exc.parameter, "problems": []}
    )


PUBLISH_AUDIENCE = AudienceNames("first_to_kiosks", "first_to_airport", "first_to_ring")


def extract_sources(archive: bytes, dest: Path, *, max_bytes: int) -> Path:
    """Unpack a tar.gz of content sources safely (no links, no paths outside `dest`)."""
    try:
        with tarfile.open(fileobj=io.BytesIO(archive), mode="r:*") as tar:
            members = tar.getmembers()
            if len(members) > MAX_ARCHIVE_MEMBERS:
                raise problem(f"archive has {len(members)} entries (limit {MAX_ARCHIVE_MEMBERS})")
            total = sum(m.size for m in members)
            if total > max_bytes:
                raise problem(f"archive unpacks to {total} bytes (limit {max_bytes})", status=413)
            for m in members:
                if not (m.isfile() or m.isdir()):
                    raise problem(f"archive entry {m.name!r}: only files and folders are allowed")
            tar.extractall(dest, filter="data")
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise problem(f"body is not a readable tar.gz archive of a content folder: {exc}") from exc
    entries = list(dest.iterdir())
    # accept both "release.yaml at the top" and "one folder containing release.yaml"
    if not (dest / "release.yaml").exists() and len(entries) == 1 and entries[0].is_dir():
        return entries[0]
    return dest


@router.post(
    ADMIN_PUBLISH_PATH,
    response_model=PublishOut,
    summary="Validate and publish a content source folder (tar.gz body); "
    "first_to_kiosks, first_to_airport or first_to_ring: stage it first to them",
    responses={
        413: {"description": "archive too large"},
        422: {
            "description": "invalid archive or content (the problems, file:line); a bad "
            "audience (`parameter` names it); a release is already staged"
        },
        503: {"description": "signing keys or repository unavailable"},
    },
)
async def publish(
    request: Request,
    editor: EditorDep,
    db: DbDep,
    production: bool = False,
    first_to_kiosks: Annotated[
        list[str] | None,
        Query(description="stage it first to these registered active kiosks (repeat or commas)"),
    ] = None,
    first_to_airport: Annotated[
        str | None,
        Query(description="stage it first to the kiosks of one airport (IATA code)", max_length=40),
    ] = None,
    first_to_ring: Annotated[
        str | None,
        Query(
            max_length=40,
            description="stage it first to kiosks whose rollout ring is 0 to N (N: 0 to 3)",
        ),
    ] = None,
) -> PublishOut:
    admin = editor.name
    try:  # the kiosk registry is SQLite: off the event loop
        rollout = await run_in_threadpool(
            lambda: audience_from_values(
                db,
                kiosks=first_to_kiosks or [],
                airport=first_to_airport,
                ring=first_to_ring,
                names=PUBLISH_AUDIENCE,
            )
        )
    except AudienceError as exc:
        raise audience_problem(exc) from exc
    settings = request.app.state.settings
    body = await request.body()  # its size is capped by body_guard (request_limits)
    if not body:
        raise problem("empty body: send the content folder as a tar.gz archive")
    data = request.app.state.data
    clock = request.app.state.clock
    console = getattr(request.app.state, "console", None)  # the console's settings: four eyes
    four_eyes = bool(getattr(getattr(console, "settings", None), "four_eyes", True))

    def work() -> ReleaseManifest:
        with tempfile.TemporaryDirectory(prefix="publish-") as tmp:
            source = extract_sources(body, Path(tmp), max_bytes=settings.max_upload_bytes)
            return publish_source(
                data,
                source,
                production=production,
                published_by=admin,
                clock=clock,
                expiries=settings.expiries(),
                message="Publish over HTTP (admin publish --server)",
                via="api",
                four_eyes=four_eyes,
                speech=speech_synthesizer(
                    data, settings.speech_synthesis, settings.speech_cache_dir
                ),
                rollout=rollout,
            )

    try:
        manifest = await run_in_threadpool(work)
    except PublishError as exc:
        log.warning("publish by %s refused: %s", admin, exc)
        raise problem(str(exc), exc.lines) from exc
    except (RepositoryError, KeyFileError) as exc:
        raise cannot_sign("publish", admin, exc) from exc
    out = PublishOut.of(manifest, rollout)
    log.info(
        "content version %s published by %s to %s",
        manifest.content_version,
        admin,
        out.staged_to or "all kiosks",
    )
    return out


@router.post(
    ADMIN_ROLLBACK_PATH,
    response_model=PublishOut,
    summary="Republish an older content version's content as a new version",
    responses={422: {"description": "unknown version"}},
)
def rollback(body: RollbackIn, request: Request, editor: EditorDep) -> PublishOut:
    admin = editor.name
    try:
        manifest = rollback_to(
            request.app.state.data,
            body.to_version,
            published_by=admin,
            via="api",
            clock=request.app.state.clock,
            expiries=request.app.state.settings.expiries(),
        )
    except PublishError as exc:
        raise problem(str(exc), exc.lines) from exc
    except (RepositoryError, KeyFileError) as exc:
        raise cannot_sign("rollback", admin, exc) from exc
    log.info(
        "content version %s published by %s (content of %s)",
        manifest.content_version,
        admin,
        body.to_version,
    )
    return PublishOut.of(manifest)


@router.get("/api/v1/admin/status", summary="Repository versions, expiry dates, latest release")
def repo_status(request: Request, admin: AdminDep) -> dict[str, Any]:
    data = request.app.state.data
    return {
        "latest_content_version": data.latest_content_version(),
        "roles": data.repository().describe(),
    }
