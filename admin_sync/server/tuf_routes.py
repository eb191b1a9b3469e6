"""Serving the TUF repository: `/tuf/metadata/<file>` and `/tuf/targets/<path>`.

Only well-formed names are served (no path tricks); unknown files are 404, which python-tuf
reads as "no newer root" when it probes for `N.root.json`.

Every file carries an `ETag` and a request whose `If-None-Match` names it gets a `304` with no
body (a CDN or mirror revalidating `timestamp.json`). The tag is the file's inode, mtime in
nanoseconds and size: a publication writes changed files anew (a new generation folder, hard
links for unchanged ones, repo_store.py), so a changed file never keeps its tag.
`If-Modified-Since` is ignored (a full answer): its one-second resolution could call a
timestamp re-signed within the same second unchanged.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import FileResponse, Response

from admin_sync.repo_store import DirectoryStore, check_relative_path

router = APIRouter(prefix="/tuf", tags=["tuf"])

# swupdate: software.json is the delegated software role (admin_sync/software_repo.py)
_METADATA_NAME = re.compile(
    r"^([1-9][0-9]{0,9}\.)?(root|targets|snapshot|timestamp|software)\.json$"
)


def etag_of(stat: os.stat_result) -> str:
    return f'"{stat.st_ino:x}-{stat.st_mtime_ns:x}-{stat.st_size:x}"'


def matches(if_none_match: str | None, etag: str) -> bool:
    """Whether an `If-None-Match` header names `etag` (weak or strong) or is `*`."""
    if not if_none_match:
        return False
    tags = [tag.strip() for tag in if_none_match.split(",")]
    return "*" in tags or any(tag.removeprefix("W/") == etag for tag in tags)


def _file(request: Request, path: Path, media_type: str, cache: str, what: str) -> Response:
    try:
        stat = path.stat()
    except FileNotFoundError as exc:  # replaced by a publication since it was looked up
        raise HTTPException(404, detail=f"{what} not found") from exc
    headers = {"Cache-Control": cache, "ETag": etag_of(stat)}
    if matches(request.headers.get("if-none-match"), headers["ETag"]):
        return Response(status_code=304, headers=headers)
    return FileResponse(path, media_type=media_type, headers=headers, stat_result=stat)


def _store(request: Request) -> DirectoryStore:
    store: DirectoryStore = request.app.state.data.store()
    return store


@router.get(
    "/metadata/{name}",
    summary="TUF metadata (root, targets, snapshot, timestamp; versioned names for consistency)",
    responses={
        304: {"description": "unchanged (If-None-Match)"},
        404: {"description": "no such metadata file"},
    },
)
def metadata(name: str, request: Request) -> Response:
    if not _METADATA_NAME.match(name):
        raise HTTPException(404, detail=f"{name!r} is not a TUF metadata file name")
    path = _store(request).metadata_file(name)
    if path is None:
        raise HTTPException(404, detail=f"metadata {name} not found")
    # a versioned file (N.role.json) never changes; an unversioned name changes in place
    cache = "max-age=31536000, immutable" if name[0].isdigit() else "no-cache"
    return _file(request, path, "application/json", cache, f"metadata {name}")


@router.get(
    "/targets/{path:path}",
    summary="A signed target file, stored under its sha256 (consistent snapshots)",
    responses={
        304: {"description": "unchanged (If-None-Match)"},
        404: {"description": "no such target file"},
    },
)
def target(path: str, request: Request) -> Response:
    try:
        check_relative_path(path)
    except ValueError as exc:
        raise HTTPException(404, detail=str(exc)) from exc
    full = _store(request).target_file(path)
    if full is None:
        raise HTTPException(404, detail=f"target {path} not found")
    return _file(request, full, "application/octet-stream", "max-age=31536000", f"target {path}")
