"""The releases page: the history, publishing an uploaded content archive, rolling back.

Publishing (editors only): the archive (zip or tar.gz, at most `max_archive_bytes`) is
unpacked safely (`archive.py`), checked and built like `safe-airports admin publish`; if the
checker finds problems they are listed and nothing is published. Rolling back republishes an
older release's content under a new, higher version.
"""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.responses import HTMLResponse, Response

from admin_sync.content_history import ContentHistory, HistoryError
from admin_sync.keys import KeyFileError
from admin_sync.protocol import ReleaseManifest
from admin_sync.publish import PublishError, publish_source, rollback_to, speech_synthesizer
from admin_sync.review import production_refusal
from admin_sync.rollout import Rollout, RolloutError
from admin_sync.server.console.access import RoleRequired, SignedIn, SignedInDep
from admin_sync.server.console.archive import ArchiveError, extract_archive
from admin_sync.server.console.forms import FormDep, UploadFormDep
from admin_sync.server.console.providers import (
    AuditDep,
    ClockDep,
    DataDep,
    HistoryDep,
    ServerDbDep,
    ServerSettingsDep,
    SettingsDep,
)
from admin_sync.server.console.rollout_forms import rollout_from_form, rollout_values
from admin_sync.server.console.settings import ConsoleSettings
from admin_sync.server.db import Database, release_history
from admin_sync.tuf_repo import RepositoryError

log = logging.getLogger("safe_airports.server.console")

router = APIRouter(prefix="/console", include_in_schema=False)


def releases_page(
    you: SignedIn,
    db: Database,
    settings: ConsoleSettings,
    history: ContentHistory,
    *,
    status: int = 200,
    message: str = "",
    problems: list[str] | None = None,
    ok: str = "",
) -> HTMLResponse:
    return you.render(
        "releases.html",
        status=status,
        title="Releases",
        history=release_history(db),
        head=history.revision(head) if (head := history.head()) else None,
        message=message,
        problems=problems or [],
        ok=ok,
        max_mb=settings.max_archive_bytes // (1024 * 1024),
        **rollout_values(you, db),
    )


def _cannot_sign(
    you: SignedIn,
    db: Database,
    settings: ConsoleSettings,
    history: ContentHistory,
    action: str,
    exc: RepositoryError | KeyFileError,
) -> HTMLResponse:
    """The keys or the repository failed: logged, and a 503 that says so (nothing published)."""
    log.error("console %s by %s impossible: %s", action, you.user.name, exc)
    return releases_page(
        you,
        db,
        settings,
        history,
        status=503,
        message=f"The server cannot sign releases now: {exc}",
    )


def _first_to(rollout: Rollout) -> str:
    return "" if rollout.everyone else f", staged first to {rollout.describe()}"


@router.get("/releases")
def releases(
    you: SignedInDep, db: ServerDbDep, settings: SettingsDep, history: HistoryDep
) -> Response:
    return releases_page(you, db, settings, history)


@router.post("/releases/publish")
def publish(
    form: UploadFormDep,
    you: Annotated[SignedIn, Depends(RoleRequired("editor", "publish releases"))],
    db: ServerDbDep,
    data: DataDep,
    clock: ClockDep,
    settings: SettingsDep,
    server_settings: ServerSettingsDep,
    audit: AuditDep,
    history: HistoryDep,
) -> Response:
    upload = form.file("archive")
    if upload is None or not upload.filename:
        return releases_page(
            you, db, settings, history, status=400, message="Choose a content archive to upload."
        )
    limit = settings.max_archive_bytes
    archive = upload.file.read(limit + 1)
    if len(archive) > limit:
        return releases_page(
            you,
            db,
            settings,
            history,
            status=413,
            message=f"The archive is larger than {limit // 2**20} MB.",
        )
    who = you.user.name
    try:
        rollout = rollout_from_form(form, db)
    except RolloutError as exc:
        return releases_page(you, db, settings, history, status=400, message=str(exc))
    try:
        with tempfile.TemporaryDirectory(prefix="console-publish-") as tmp:
            source = extract_archive(archive, Path(tmp), max_bytes=limit)
            manifest: ReleaseManifest = publish_source(
                data,
                source,
                production=form.raw("production") == "on",
                published_by=f"console:{who}",
                clock=clock,
                expiries=server_settings.expiries(),
                author=who,
                message=f"Upload {upload.filename[:100]}",
                via="console",
                four_eyes=settings.four_eyes,
                speech=speech_synthesizer(
                    data, server_settings.speech_synthesis, server_settings.speech_cache_dir
                ),
                rollout=rollout,
            )
    except ArchiveError as exc:
        return releases_page(you, db, settings, history, status=400, message=str(exc))
    except PublishError as exc:
        log.warning("console publish by %s refused: %s", who, exc)
        return releases_page(
            you, db, settings, history, status=422, message=str(exc), problems=list(exc.lines)
        )
    except (RepositoryError, KeyFileError) as exc:
        return _cannot_sign(you, db, settings, history, "publish", exc)
    audit.record(
        who,
        "upload",
        upload.filename[:100],
        f"became release {manifest.content_version}",
        via="console",
    )
    log.info("console: %s published content version %s", who, manifest.content_version)
    return releases_page(
        you,
        db,
        settings,
        history,
        ok=f"Published content version {manifest.content_version} "
        f"({manifest.title}){_first_to(rollout)}. Kiosks pick it up at their next check.",
    )


@router.post("/releases/rollback")
def rollback(
    form: FormDep,
    you: Annotated[SignedIn, Depends(RoleRequired("editor", "roll back releases"))],
    db: ServerDbDep,
    data: DataDep,
    clock: ClockDep,
    settings: SettingsDep,
    server_settings: ServerSettingsDep,
    history: HistoryDep,
) -> Response:
    try:
        version = int(form.text("version", 12))
    except ValueError:
        return releases_page(
            you, db, settings, history, status=400, message="Choose a version to roll back to."
        )
    try:
        manifest = rollback_to(
            data,
            version,
            published_by=f"console:{you.user.name}",
            author=you.user.name,
            via="console",
            clock=clock,
            expiries=server_settings.expiries(),
        )
    except PublishError as exc:
        return releases_page(
            you, db, settings, history, status=422, message=str(exc), problems=list(exc.lines)
        )
    except (RepositoryError, KeyFileError) as exc:
        return _cannot_sign(you, db, settings, history, "rollback", exc)
    return releases_page(
        you,
        db,
        settings,
        history,
        ok=f"Content of version {version} republished as version {manifest.content_version}.",
    )


@router.post("/releases/publish-current")
def publish_current(
    form: FormDep,
    you: Annotated[SignedIn, Depends(RoleRequired("editor", "publish releases"))],
    db: ServerDbDep,
    data: DataDep,
    clock: ClockDep,
    settings: SettingsDep,
    server_settings: ServerSettingsDep,
    history: HistoryDep,
    audit: AuditDep,
) -> Response:
    """Publish the content as the console holds it: the commit shown on the page, no newer."""
    seen = form.text("commit", 64)
    head = history.head()
    if head is None:
        return releases_page(
            you, db, settings, history, status=400, message="There is no content to publish yet."
        )
    if seen != head:
        return releases_page(
            you,
            db,
            settings,
            history,
            status=409,
            message="The content changed since this page was opened; look at the latest "
            "change below and publish again.",
        )
    production = form.raw("production") == "on"
    try:
        rollout = rollout_from_form(form, db)
    except RolloutError as exc:
        return releases_page(you, db, settings, history, status=400, message=str(exc))
    if production and settings.four_eyes:
        why = production_refusal(history, audit, db, head)
        if why:
            return releases_page(
                you, db, settings, history, status=409, message=f"Not published: {why}."
            )
    try:
        with tempfile.TemporaryDirectory(prefix="console-publish-") as tmp:
            source = history.export(Path(tmp) / "content", head)
            manifest = publish_source(
                data,
                source,
                production=production,
                published_by=f"console:{you.user.name}",
                clock=clock,
                expiries=server_settings.expiries(),
                author=you.user.name,
                source_commit=head,
                via="console",
                four_eyes=settings.four_eyes,
                speech=speech_synthesizer(
                    data, server_settings.speech_synthesis, server_settings.speech_cache_dir
                ),
                rollout=rollout,
            )
    except (PublishError, HistoryError) as exc:
        lines = list(exc.lines) if isinstance(exc, PublishError) else []
        return releases_page(
            you, db, settings, history, status=422, message=str(exc), problems=lines
        )
    except (RepositoryError, KeyFileError) as exc:
        return _cannot_sign(you, db, settings, history, "publish", exc)
    return releases_page(
        you,
        db,
        settings,
        history,
        ok=f"Published content version {manifest.content_version} from version {head[:10]} "
        f"of the content{_first_to(rollout)}. Kiosks pick it up at their next check.",
    )
