"""Serving the TUF repository: `/tuf/metadata/<file>` and `/tuf/targets/<path>`.

Only well-formed names are served (no path tricks); unknown files are 404, which python-tuf
reads as "no newer root" when it probes for `N.root.json`.
"""

from __future__ import annotations

import re

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import FileResponse

from admin_sync.repo_store import DirectoryStore, check_relative_path

router = APIRouter(prefix="/tuf", tags=["tuf"])

# swupdate: software.json is the delegated software role (admin_sync/software_repo.py)
_METADATA_NAME = re.compile(
    r"^([1-9][0-9]{0,9}\.)?(root|targets|snapshot|timestamp|software)\.json$"
)


def _store(request: Request) -> DirectoryStore:
    store: DirectoryStore = request.app.state.data.store()
    return store


@router.get(
    "/metadata/{name}",
    summary="TUF metadata (root, targets, snapshot, timestamp; versioned names for consistency)",
    responses={404: {"description": "no such metadata file"}},
)
def metadata(name: str, request: Request) -> FileResponse:
    if not _METADATA_NAME.match(name):
        raise HTTPException(404, detail=f"{name!r} is not a TUF metadata file name")
    path = _store(request).metadata_file(name)
    if path is None:
        raise HTTPException(404, detail=f"metadata {name} not found")
    # timestamp.json changes in place; versioned files never change
    cache = "no-store" if name == "timestamp.json" or name == "root.json" else "max-age=31536000"
    return FileResponse(path, media_type="application/json", headers={"Cache-Control": cache})


@router.get(
    "/targets/{path:path}",
    summary="A signed target file, stored under its sha256 (consistent snapshots)",
    responses={404: {"description": "no such target file"}},
)
def target(path: str, request: Request) -> FileResponse:
    try:
        check_relative_path(path)
    except ValueError as exc:
        raise HTTPException(404, detail=str(exc)) from exc
    full = _store(request).target_file(path)
    if full is None:
        raise HTTPException(404, detail=f"target {path} not found")
    return FileResponse(
        full, media_type="application/octet-stream", headers={"Cache-Control": "max-age=31536000"}
    )
