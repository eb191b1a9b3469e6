"""Fetching a software release through TUF, trusting only the pinned `software` role.

python-tuf checks the signatures of the delegated `software` role against the keys the
top-level targets role delegates to. The top-level targets key is online (the server), so on
its own that would let the server re-delegate software to a key it holds. The kiosk therefore
also checks, after every refresh, against the root metadata it trusts (signed offline):

- the delegation of `software/*` names exactly the key ids pinned in root (`ROOT_PIN_FIELD`),
  is terminating, and no other delegated role may list `software/…` paths;
- the top-level targets role lists no `software/…` target itself (it would be found first).

Anything else is refused (`SoftwareRefused`) and nothing is downloaded.

A staged release (`admin software-publish --first-to-…`) carries its audience in the manifest
target's custom field, signed by the software role like the rest (`offered_rollout`).
"""

from __future__ import annotations

import fnmatch
import hashlib
import logging
from pathlib import Path

from tuf.api.metadata import Metadata, Root, Targets
from tuf.ngclient import Updater

from admin_sync.rollout import Rollout, RolloutError, rollout_of
from admin_sync.software_manifest import (
    ROOT_PIN_FIELD,
    SOFTWARE_MANIFEST_TARGET,
    SOFTWARE_PATHS,
    SOFTWARE_PREFIX,
    SOFTWARE_ROLE,
    SoftwareManifest,
    SoftwareManifestError,
)

log = logging.getLogger("safe_airports.software")


class SoftwareRefused(Exception):
    """The repository's software metadata is not trustworthy; nothing was downloaded."""


def check_software_trust(metadata_dir: Path) -> bool:
    """Check the trusted root and top-level targets (as python-tuf stored them after its
    refresh). Returns False when no software role is set up; raises SoftwareRefused."""
    root: Metadata[Root] = Metadata.from_bytes((metadata_dir / "root.json").read_bytes())
    targets: Metadata[Targets] = Metadata.from_bytes((metadata_dir / "targets.json").read_bytes())
    listed = [p for p in targets.signed.targets if p.startswith(SOFTWARE_PREFIX)]
    if listed:
        raise SoftwareRefused(
            f"the top-level targets role lists software ({listed[0]}): only the offline "
            "software role may sign software; refused"
        )
    pinned = root.signed.unrecognized_fields.get(ROOT_PIN_FIELD)
    delegations = targets.signed.delegations
    roles = (delegations.roles or {}) if delegations is not None else {}
    for name, role in roles.items():
        if name == SOFTWARE_ROLE:
            continue
        patterns = role.paths or []
        if (
            any(
                fnmatch.fnmatch(SOFTWARE_MANIFEST_TARGET, p) or p.startswith("software")
                for p in patterns
            )
            or role.path_hash_prefixes
        ):
            raise SoftwareRefused(f"delegated role {name!r} may list software paths; refused")
    software = roles.get(SOFTWARE_ROLE)
    if software is None and not pinned:
        return False
    if software is None or not isinstance(pinned, list) or not pinned:
        raise SoftwareRefused(
            "the root metadata and the targets delegation disagree on the software role "
            "(one of them is missing); refused"
        )
    if set(software.keyids) != set(pinned) or software.threshold < 1:
        raise SoftwareRefused(
            "the software role is delegated to keys the root metadata does not pin "
            "(signed with the wrong key?); refused"
        )
    if not software.terminating or list(software.paths or []) != list(SOFTWARE_PATHS):
        raise SoftwareRefused("the software delegation is not terminating on software/*")
    return True


def fetch_manifest(
    updater: Updater, metadata_dir: Path, download_dir: Path
) -> SoftwareManifest | None:
    """The signed software manifest (None when no software is published)."""
    if not check_software_trust(metadata_dir):
        return None
    info = updater.get_targetinfo(SOFTWARE_MANIFEST_TARGET)
    if info is None:
        return None
    local = str(download_dir / "software-release.json")
    # unchanged (same signed hash and length as the copy kept): no request
    path = updater.find_cached_target(info, local) or updater.download_target(info, local)
    try:
        return SoftwareManifest.from_bytes(Path(path).read_bytes())
    except SoftwareManifestError as exc:
        raise SoftwareRefused(f"the signed software manifest is malformed: {exc}") from exc


def offered_rollout(updater: Updater) -> Rollout:
    """Who the signed software release is offered to (after `fetch_manifest`; python-tuf
    checked the software role's signature). A malformed rollout is refused: nobody."""
    info = updater.get_targetinfo(SOFTWARE_MANIFEST_TARGET)
    if info is None:
        return Rollout()
    try:
        return rollout_of(info.custom)
    except RolloutError as exc:
        raise SoftwareRefused(f"the signed software rollout is malformed: {exc}") from exc


def download_wheels(
    updater: Updater, manifest: SoftwareManifest, names: list[str], folder: Path
) -> int:
    """Download the named wheels of `manifest` into `folder` (TUF checks length and hash;
    the manifest's hash is checked too). Returns the bytes downloaded."""
    folder.mkdir(parents=True, exist_ok=True)
    total = 0
    for name in names:
        expected = manifest.wheels[name]
        dest = folder / name
        if dest.is_file() and hashlib.sha256(dest.read_bytes()).hexdigest() == expected.sha256:
            continue  # downloaded before an interruption
        info = updater.get_targetinfo(SOFTWARE_PREFIX + name)
        if info is None:
            raise SoftwareRefused(f"wheel {name} is in the manifest but not signed by the role")
        if info.hashes.get("sha256") != expected.sha256 or info.length != expected.length:
            raise SoftwareRefused(f"wheel {name}: manifest and signed targets disagree")
        tmp = folder / f".{name}.download"
        updater.download_target(info, str(tmp))
        tmp.replace(dest)
        total += expected.length
        log.info("downloaded wheel %s (%d bytes)", name, expected.length)
    return total
