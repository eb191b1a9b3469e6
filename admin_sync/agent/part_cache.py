"""The agent's local cache of release parts, by sha256: unchanged parts are never fetched twice."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from content.durable import write_atomic

_SHA256 = re.compile(r"^[0-9a-f]{64}$")


class PartCache:
    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, sha256: str) -> Path:
        if not _SHA256.match(sha256):
            raise ValueError(f"not a sha256 hex digest: {sha256!r}")
        return self.root / sha256

    def get(self, sha256: str) -> bytes | None:
        """The cached bytes, re-checked against their hash (a damaged file counts as missing)."""
        try:
            data = self.path(sha256).read_bytes()
        except FileNotFoundError:
            return None
        if hashlib.sha256(data).hexdigest() != sha256:
            self.path(sha256).unlink(missing_ok=True)
            return None
        return data

    def put(self, sha256: str, data: bytes) -> None:
        if hashlib.sha256(data).hexdigest() != sha256:
            raise ValueError("part bytes do not match their sha256")
        write_atomic(self.path(sha256), data)

    def keep_only(self, wanted: set[str]) -> int:
        """Delete cached parts not in `wanted`; returns how many were removed."""
        removed = 0
        if not self.root.is_dir():
            return 0
        for entry in self.root.iterdir():
            if entry.name not in wanted:
                entry.unlink(missing_ok=True)
                removed += 1
        return removed
