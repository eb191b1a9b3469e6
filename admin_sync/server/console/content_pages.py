"""The content pages: every source file, its history, a diff of two versions, restore, export.

The content lives in the data folder's history (`admin_sync.content_history`): every console
save, archive upload and `admin publish` is a commit. Anyone signed in can read it and download
the folder as a zip (it passes `safe-airports content check` and can be uploaded again); only
editors restore an old version, which is a new commit (nothing is ever rewritten) and a row in
the audit log.
"""

from __future__ import annotations

import io
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.responses import Response

from admin_sync.content_history import ContentHistory, EditConflict, HistoryError, check_path
from admin_sync.server.console.access import RoleRequired, SignedIn, SignedInDep
from admin_sync.server.console.forms import FormDep
from admin_sync.server.console.pages import secure
from admin_sync.server.console.providers import AuditDep, HistoryDep

router = APIRouter(prefix="/console", include_in_schema=False)

MAX_SHOWN_BYTES = 512 * 1024


@dataclass(frozen=True)
class DiffLine:
    kind: str  # add, del, hunk, meta, same
    text: str


def diff_lines(diff: str) -> list[DiffLine]:
    lines = []
    for line in diff.splitlines():
        if line.startswith(("+++", "---", "diff ", "index ", "new file", "deleted file")):
            kind = "meta"
        elif line.startswith("@@"):
            kind = "hunk"
        elif line.startswith("+"):
            kind = "add"
        elif line.startswith("-"):
            kind = "del"
        else:
            kind = "same"
        lines.append(DiffLine(kind, line))
    return lines


def _text(data: bytes | None) -> str | None:
    if data is None:
        return None
    if len(data) > MAX_SHOWN_BYTES:
        return f"(a file of {len(data)} bytes: too large to show here)"
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return f"(a binary file of {len(data)} bytes)"


@router.get("/content")
def content_index(you: SignedInDep, history: HistoryDep) -> Response:
    latest = history.last_changes()
    files = sorted(latest.items())
    return you.render(
        "content.html",
        title="Files and history",
        files=files,
        recent=history.log(limit=20),
        head=history.head(),
    )


def _error(you: SignedIn, exc: HistoryError) -> Response:
    return you.error(404, str(exc))


@router.get("/content/file")
def content_file(you: SignedInDep, history: HistoryDep, path: str = "", rev: str = "") -> Response:
    try:
        check_path(path)
        data = history.read(path, rev or None)
        shown = history.revision(rev) if rev else None
    except HistoryError as exc:
        return _error(you, exc)
    if data is None:
        return you.error(404, f"{path} does not exist in this version of the content.")
    return you.render(
        "content_file.html",
        title=path,
        file_path=path,
        text=_text(data),
        shown=shown,
    )


@router.get("/content/history")
def content_file_history(you: SignedInDep, history: HistoryDep, path: str = "") -> Response:
    try:
        check_path(path)
        versions = history.log(path)
    except HistoryError as exc:
        return _error(you, exc)
    if not versions:
        return you.error(404, f"{path} has no history.")
    return you.render(
        "content_history.html",
        title=f"History of {path}",
        file_path=path,
        versions=versions,
        head=history.head(),
        exists=history.read(path) is not None,
    )


@router.get("/content/diff")
def content_diff(
    you: SignedInDep, history: HistoryDep, path: str = "", old: str = "", new: str = ""
) -> Response:
    try:
        check_path(path)
        old_rev, new_rev = history.revision(old), history.revision(new)
        lines = diff_lines(history.diff(old_rev.commit, new_rev.commit, path))
    except HistoryError as exc:
        return _error(you, exc)
    return you.render(
        "content_diff.html",
        title=f"Changes to {path}",
        file_path=path,
        old=old_rev,
        new=new_rev,
        lines=lines,
    )


@router.get("/content/version")
def content_version(you: SignedInDep, history: HistoryDep, rev: str = "") -> Response:
    try:
        revision = history.revision(rev)
        parent = history.parent(revision.commit)
        changed = history.changed_paths(parent, revision.commit)
        lines = diff_lines(history.diff(parent, revision.commit))
    except HistoryError as exc:
        return _error(you, exc)
    return you.render(
        "content_version.html",
        title=f"Version {revision.short}",
        revision=revision,
        parent=parent,
        changed=changed,
        lines=lines[:4000],
        cut=len(lines) > 4000,
    )


@router.post("/content/restore")
def content_restore(
    form: FormDep,
    you: Annotated[SignedIn, Depends(RoleRequired("editor", "restore content"))],
    history: HistoryDep,
    audit: AuditDep,
) -> Response:
    path, rev, base = form.text("path", 300), form.text("rev", 64), form.text("base", 64)
    try:
        commit = history.restore(path, rev, author=you.user.name, base=base or None)
    except EditConflict as exc:
        return you.error(409, f"{exc}. Open the history again to see their change first.")
    except HistoryError as exc:
        return you.error(400, str(exc))
    audit.record(you.user.name, "restore", path, f"as of {rev[:10]}: {commit[:10]}", via="console")
    return you.render(
        "content_history.html",
        title=f"History of {path}",
        file_path=path,
        versions=history.log(path),
        head=history.head(),
        exists=True,
        ok=f"{path} restored as it was in version {rev[:10]} (new version {commit[:10]}).",
    )


def zip_export(history: ContentHistory, rev: str | None) -> bytes:
    buffer = io.BytesIO()
    with tempfile.TemporaryDirectory(prefix="console-export-") as tmp:
        folder = history.export(Path(tmp) / "content", rev)
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
            for file in sorted(folder.rglob("*")):
                if file.is_file():
                    zf.write(file, f"content/{file.relative_to(folder)}")
    return buffer.getvalue()


@router.get("/content/export.zip")
def content_export(you: SignedInDep, history: HistoryDep, rev: str = "") -> Response:
    try:
        commit = history.resolve(rev) if rev else history.head()
        if commit is None:
            raise HistoryError("the content history is empty: upload or publish a folder first")
        data = zip_export(history, commit)
    except HistoryError as exc:
        return _error(you, exc)
    return secure(
        Response(
            data,
            media_type="application/zip",
            headers={"Content-Disposition": f'attachment; filename="content-{commit[:10]}.zip"'},
        )
    )
