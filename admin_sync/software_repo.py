"""The `software` delegated role in the TUF repository: set it up, publish a software release.

Setting up (`setup_software_role`, needs the offline root key and the software key):

1. a new root version pins the software key's id (`ROOT_PIN_FIELD`), signed by the root key;
2. the top-level targets (online key) delegates `software/*` to that key, terminating;
3. the `software` role is signed by the software key (`N.software.json`), snapshot and
   timestamp follow (online keys), all committed at once.

Publishing (`publish_software`, needs the software key only) signs a new `software` version
listing the release's manifest and wheels. The online keys only re-sign snapshot and timestamp,
which cannot change what the software role lists. Content releases keep the delegation
(`TufRepository.publish` carries it over) and never touch `software.json`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from securesystemslib.signer import Signer
from tuf.api.metadata import DelegatedRole, Delegations, Metadata, Root, TargetFile, Targets

from admin_sync.repo_store import check_relative_path
from admin_sync.rollout import Rollout, release_custom, rollout_of
from admin_sync.software_manifest import (
    ROOT_PIN_FIELD,
    SOFTWARE_MANIFEST_TARGET,
    SOFTWARE_PATHS,
    SOFTWARE_PREFIX,
    SOFTWARE_ROLE,
    SoftwareManifest,
)
from admin_sync.tuf_repo import (
    HASH_ALGORITHM,
    RepositoryError,
    TufRepository,
    _metafile,
    hashed_target_name,
)

# The software key is offline: its signature must outlive the time between two releases.
SOFTWARE_EXPIRY = timedelta(days=365)
SOFTWARE_METADATA = f"{SOFTWARE_ROLE}.json"


def pinned_software_keyids(root: Root) -> list[str]:
    value = root.unrecognized_fields.get(ROOT_PIN_FIELD)
    return list(value) if isinstance(value, list) else []


def software_role_version(repo: TufRepository) -> int | None:
    meta = repo.snapshot().signed.meta.get(SOFTWARE_METADATA)
    return None if meta is None else meta.version


def load_software(repo: TufRepository) -> Metadata[Targets] | None:
    version = software_role_version(repo)
    if version is None:
        return None
    data = repo.store.read_metadata(f"{version}.{SOFTWARE_METADATA}")
    if data is None:
        raise RepositoryError(f"{version}.{SOFTWARE_METADATA} is listed but missing")
    return Metadata.from_bytes(data)


def _sign_software(
    repo: TufRepository, version: int, targets: dict[str, TargetFile], signer: Signer
) -> tuple[dict[str, bytes], Any]:
    software = Targets(
        version=version,
        expires=(repo.clock() + SOFTWARE_EXPIRY).replace(microsecond=0),
        targets=targets,
    )
    _, data = repo._signed(software, [signer])
    return {f"{version}.{SOFTWARE_METADATA}": data}, _metafile(version, data)


def setup_software_role(
    repo: TufRepository,
    *,
    root_signer: Signer,
    software_signer: Signer,
    online: Mapping[str, Signer],
) -> int:
    """Pin and delegate to `software_signer`'s key (also a key rotation: the live software
    targets are re-signed with the new key). Returns the new root version."""
    current = repo.root()
    repo._check_signer(current.signed, "root", root_signer)
    key = software_signer.public_key
    new_root = Root.from_dict(current.signed.to_dict())
    new_root.unrecognized_fields[ROOT_PIN_FIELD] = [key.keyid]
    new_root.version = current.signed.version + 1
    new_root.expires = repo._expiry("root")
    _, rbytes = repo._signed(new_root, [root_signer])
    files = {f"{new_root.version}.root.json": rbytes, "root.json": rbytes}

    old_targets = repo.targets().signed
    role = DelegatedRole(
        name=SOFTWARE_ROLE,
        keyids=[key.keyid],
        threshold=1,
        terminating=True,
        paths=list(SOFTWARE_PATHS),
    )
    targets = Targets(
        version=old_targets.version + 1,
        expires=repo._expiry("targets"),
        targets=dict(old_targets.targets),
        delegations=Delegations(keys={key.keyid: key}, roles={SOFTWARE_ROLE: role}),
    )
    old_software = load_software(repo)
    live = dict(old_software.signed.targets) if old_software else {}
    version = (old_software.signed.version + 1) if old_software else 1
    software_files, software_meta = _sign_software(repo, version, live, software_signer)
    files.update(software_files)
    files.update(
        repo._chain(
            new_root,
            online,
            new_targets=targets,
            new_snapshot=True,
            extra_meta={SOFTWARE_METADATA: software_meta},
        )
    )
    repo.store.commit_metadata(files)
    return new_root.version


def _check_software_signer(repo: TufRepository, signer: Signer) -> None:
    delegations = repo.targets().signed.delegations
    roles = delegations.roles if delegations is not None else None
    if not roles or SOFTWARE_ROLE not in roles:
        raise RepositoryError(
            "no software role yet: run `safe-airports admin software-init` (with the root key)"
        )
    if signer.public_key.keyid not in roles[SOFTWARE_ROLE].keyids:
        raise RepositoryError(
            f"the software key given (keyid {signer.public_key.keyid[:12]}…) is not the one the "
            "repository delegates software to; wrong key file?"
        )


def publish_software(
    repo: TufRepository,
    manifest: SoftwareManifest,
    wheel_files: Mapping[str, bytes],
    *,
    software_signer: Signer,
    online: Mapping[str, Signer],
    rollout: Rollout | None = None,
) -> int:
    """Sign `manifest` and its wheels as the new software role version (returned).

    `wheel_files` holds the wheels that are not in the repository yet; the others named by the
    manifest must already be stored (content-addressed) from an earlier release. `rollout`:
    the kiosks it is offered to first (None: everyone), signed in the manifest target's
    custom field with the version (admin_sync.rollout)."""
    _check_software_signer(repo, software_signer)
    targets: dict[str, TargetFile] = {}
    blobs = {SOFTWARE_MANIFEST_TARGET: manifest.to_bytes()}
    for name, info in manifest.wheels.items():
        path = SOFTWARE_PREFIX + name
        check_relative_path(path)
        data = wheel_files.get(name)
        if data is None:
            data = repo.store.read_target(hashed_target_name(path, info.sha256))
            if data is None:
                raise RepositoryError(f"wheel {name} is neither given nor stored from before")
        if len(data) != info.length or hashlib.sha256(data).hexdigest() != info.sha256:
            raise RepositoryError(f"wheel {name} does not match the manifest's length/sha256")
        blobs[path] = data
    for path, data in sorted(blobs.items()):
        target = TargetFile.from_data(path, data, [HASH_ALGORITHM])
        repo.store.put_target(hashed_target_name(path, target.hashes[HASH_ALGORITHM]), data)
        targets[path] = target
    audience = rollout if rollout is not None else Rollout.to_all()
    targets[SOFTWARE_MANIFEST_TARGET].unrecognized_fields["custom"] = release_custom(
        manifest.version, audience
    )
    return _commit_software(repo, targets, software_signer, online)


def _commit_software(
    repo: TufRepository,
    targets: dict[str, TargetFile],
    software_signer: Signer,
    online: Mapping[str, Signer],
) -> int:
    old = load_software(repo)
    version = (old.signed.version + 1) if old else 1
    software_files, software_meta = _sign_software(repo, version, targets, software_signer)
    files = dict(software_files)
    files.update(
        repo._chain(
            repo.root().signed,
            online,
            new_targets=None,
            new_snapshot=True,
            extra_meta={SOFTWARE_METADATA: software_meta},
        )
    )
    repo.store.commit_metadata(files)
    return version


def live_software_manifest(repo: TufRepository) -> SoftwareManifest | None:
    software = load_software(repo)
    if software is None:
        return None
    info = software.signed.targets.get(SOFTWARE_MANIFEST_TARGET)
    if info is None:
        return None
    blob = repo.store.read_target(
        hashed_target_name(SOFTWARE_MANIFEST_TARGET, info.hashes[HASH_ALGORITHM])
    )
    return SoftwareManifest.from_bytes(blob) if blob else None


def live_software_rollout(repo: TufRepository) -> Rollout | None:
    """Who the live software release is offered to (None: no software published). A release
    published before staged rollout existed has no rollout field: everyone."""
    software = load_software(repo)
    info = software.signed.targets.get(SOFTWARE_MANIFEST_TARGET) if software else None
    return None if info is None else rollout_of(info.custom)


def resign_software_rollout(
    repo: TufRepository,
    rollout: Rollout,
    *,
    software_signer: Signer,
    online: Mapping[str, Signer],
) -> int:
    """Re-sign the software role with the live release offered to `rollout` (its wheels and
    manifest unchanged). Needs the offline software key. Returns the new role version."""
    _check_software_signer(repo, software_signer)
    software = load_software(repo)
    info = software.signed.targets.get(SOFTWARE_MANIFEST_TARGET) if software else None
    if software is None or info is None:
        raise RepositoryError("no software is published: there is no rollout to change")
    custom = dict(info.custom or {})
    custom.update(release_custom(custom.get("version", ""), rollout))
    targets = dict(software.signed.targets)
    changed = TargetFile(info.length, info.hashes, info.path, {"custom": custom})
    targets[SOFTWARE_MANIFEST_TARGET] = changed
    return _commit_software(repo, targets, software_signer, online)
