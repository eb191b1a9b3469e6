"""The staged release inside the TUF targets: stage, widen, promote to all, withdraw.

While a release is staged the signed targets hold two releases:

    release.json, parts/<name>                  the release everyone gets (unchanged)
    staged/release.json, staged/parts/<name>    the staged release; its manifest target's
                                                custom field says who gets it (admin_sync.rollout)

Each operation here is one new targets version signed by the online targets key
(`TufRepository.edit_targets`), so a kiosk sees either the old or the new assignment, never a mix.
Callers hold the data folder's lock (rollout_publish.py, publish.py).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from securesystemslib.signer import Signer

from admin_sync.protocol import MANIFEST_TARGET, PART_TARGET_PREFIX, ProtocolError, ReleaseManifest
from admin_sync.rollout import (
    STAGED_MANIFEST,
    STAGED_PREFIX,
    Rollout,
    RolloutError,
    release_custom,
    rollout_of,
)
from admin_sync.tuf_repo import HASH_ALGORITHM, TufRepository, hashed_target_name


class StagingError(Exception):
    """The staged release cannot be changed as asked (none staged, damaged file, ...)."""


@dataclass(frozen=True)
class StagedRelease:
    manifest: ReleaseManifest
    rollout: Rollout

    @property
    def version(self) -> int:
        return self.manifest.content_version


def staged_paths(paths: Iterable[str]) -> list[str]:
    return sorted(p for p in paths if p.startswith(STAGED_PREFIX))


def _read(repo: TufRepository, path: str, sha256: str) -> bytes:
    blob = repo.store.read_target(hashed_target_name(path, sha256))
    if blob is None or hashlib.sha256(blob).hexdigest() != sha256:
        raise StagingError(f"the staged file {path} is missing or damaged in the repository")
    return blob


def read_staged(repo: TufRepository) -> StagedRelease | None:
    """The staged release and its signed audience, or None when nothing is staged."""
    info = repo.targets().signed.targets.get(STAGED_MANIFEST)
    if info is None:
        return None
    blob = _read(repo, STAGED_MANIFEST, info.hashes[HASH_ALGORITHM])
    try:
        return StagedRelease(ReleaseManifest.from_bytes(blob), rollout_of(info.custom))
    except (ProtocolError, RolloutError) as exc:
        raise StagingError(f"the staged release is unreadable: {exc}") from exc


def stage(
    repo: TufRepository,
    online: Mapping[str, Signer],
    release_targets: Mapping[str, bytes],
    *,
    version: int,
    rollout: Rollout,
) -> int:
    """Sign `release_targets` (release.json + parts/...) as the staged release for `rollout`,
    keeping the live release for everyone else. Returns the targets version."""
    if rollout.everyone or rollout.is_empty():
        raise StagingError("a staged release goes to chosen kiosks, airports or a ring")
    live = repo.targets().signed.targets
    return repo.edit_targets(
        online,
        add={STAGED_PREFIX + path: data for path, data in release_targets.items()},
        custom={STAGED_MANIFEST: release_custom(version, rollout)},
        remove=staged_paths(live),
    )


def widen(
    repo: TufRepository, online: Mapping[str, Signer], staged: StagedRelease, more: Rollout
) -> Rollout:
    """Offer the staged release to `more` kiosks too (re-signs its custom field only)."""
    wider = staged.rollout.widened(more)
    repo.edit_targets(online, custom={STAGED_MANIFEST: release_custom(staged.version, wider)})
    return wider


def promote_to_all(repo: TufRepository, online: Mapping[str, Signer]) -> int:
    """Make the staged release the release for everyone: its manifest and parts move from
    `staged/` to their usual paths (same bytes, so kiosks that have it fetch nothing)."""
    live = repo.targets().signed.targets
    staged = staged_paths(live)
    if STAGED_MANIFEST not in staged:
        raise StagingError("no release is staged")
    moved = {
        path[len(STAGED_PREFIX) :]: _read(repo, path, live[path].hashes[HASH_ALGORITHM])
        for path in staged
    }
    general = [p for p in live if p == MANIFEST_TARGET or p.startswith(PART_TARGET_PREFIX)]
    return repo.edit_targets(online, add=moved, remove=staged + general)


def withdraw(repo: TufRepository, online: Mapping[str, Signer]) -> int:
    """Drop the staged release from the targets (the live release stays as it is)."""
    live = repo.targets().signed.targets
    return repo.edit_targets(online, remove=staged_paths(live))
