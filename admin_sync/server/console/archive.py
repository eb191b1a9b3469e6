"""Unpack an uploaded content source archive (zip or tar.gz) safely.

Refused, with a message saying which entry: absolute paths, `..`, links and devices, more than
`max_members` entries, more than `max_bytes` once unpacked (counted while writing, so a zip
that lies about its sizes is caught too).
"""

from __future__ import annotations

import io
import shutil
import tarfile
import zipfile
from pathlib import Path, PurePosixPath
from typing import IO

CHUNK = 64 * 1024


class ArchiveError(ValueError):
    """The upload is not an acceptable archive; the message says why."""


def _safe_relative(name: str) -> PurePosixPath:
    path = PurePosixPath(name.replace("\\", "/"))
    if path.is_absolute() or (path.parts and path.parts[0].endswith(":")):
        raise ArchiveError(f"archive entry {name!r}: absolute paths are not allowed")
    if any(part == ".." for part in path.parts):
        raise ArchiveError(f"archive entry {name!r}: '..' is not allowed")
    return path


class _Budget:
    def __init__(self, max_bytes: int) -> None:
        self.left = max_bytes
        self.max_bytes = max_bytes

    def copy(self, src: IO[bytes], dest: Path, name: str) -> None:
        dest.parent.mkdir(parents=True, exist_ok=True)
        with open(dest, "wb") as out:
            while chunk := src.read(CHUNK):
                self.left -= len(chunk)
                if self.left < 0:
                    raise ArchiveError(
                        f"archive unpacks to more than {self.max_bytes} bytes (at {name!r})"
                    )
                out.write(chunk)


def extract_archive(data: bytes, dest: Path, *, max_bytes: int, max_members: int = 5000) -> Path:
    """Unpack `data` into `dest`; returns the content folder (the one holding release.yaml)."""
    dest.mkdir(parents=True, exist_ok=True)
    budget = _Budget(max_bytes)
    if zipfile.is_zipfile(io.BytesIO(data)):
        _extract_zip(data, dest, budget, max_members)
    else:
        _extract_tar(data, dest, budget, max_members)
    return _content_root(dest)


def _extract_zip(data: bytes, dest: Path, budget: _Budget, max_members: int) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
            if len(infos) > max_members:
                raise ArchiveError(f"archive has {len(infos)} entries (limit {max_members})")
            for info in infos:
                rel = _safe_relative(info.filename)
                mode = (info.external_attr >> 16) & 0o170000
                if mode not in (0, 0o100000, 0o040000):
                    raise ArchiveError(f"archive entry {info.filename!r}: only files and folders")
                target = dest.joinpath(*rel.parts)
                if info.is_dir() or not rel.parts:
                    target.mkdir(parents=True, exist_ok=True)
                    continue
                with zf.open(info) as src:
                    budget.copy(src, target, info.filename)
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        NotImplementedError,
        EOFError,
        OSError,
    ) as exc:
        raise ArchiveError(f"not a readable zip archive: {exc}") from exc


def _extract_tar(data: bytes, dest: Path, budget: _Budget, max_members: int) -> None:
    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:*") as tar:
            count = 0
            for member in tar:
                count += 1
                if count > max_members:
                    raise ArchiveError(f"archive has more than {max_members} entries")
                rel = _safe_relative(member.name)
                target = dest.joinpath(*rel.parts)
                if member.isdir() or not rel.parts:
                    target.mkdir(parents=True, exist_ok=True)
                    continue
                if not member.isfile():
                    raise ArchiveError(f"archive entry {member.name!r}: only files and folders")
                src = tar.extractfile(member)
                if src is None:
                    raise ArchiveError(f"archive entry {member.name!r}: unreadable")
                with src:
                    budget.copy(src, target, member.name)
    except (tarfile.TarError, EOFError, OSError) as exc:
        raise ArchiveError(
            f"not a readable zip or tar.gz archive of a content folder: {exc}"
        ) from exc


def _content_root(dest: Path) -> Path:
    if (dest / "release.yaml").is_file():
        return dest
    entries = [p for p in dest.iterdir() if p.name not in ("__MACOSX",)]
    if len(entries) == 1 and entries[0].is_dir() and (entries[0] / "release.yaml").is_file():
        return entries[0]
    raise ArchiveError(
        "the archive has no release.yaml at its top (or in its single top folder): "
        "is it a content source folder?"
    )


def clear(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)
