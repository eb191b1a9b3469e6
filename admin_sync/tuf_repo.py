"""The TUF repository behind the releases, built with python-tuf's Metadata API.

One class signs and publishes the four top-level roles into a `RepoStore`. Consistent snapshots
are on: metadata files are versioned (`3.targets.json`) and target files are stored under their
hash (`parts/ab12….shared.json`), so a kiosk that reads the timestamp gets a matching set even
while the next release is being published. Every change ends in one `commit_metadata` call, the
atomic switch.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from securesystemslib.signer import Signer
from tuf.api.metadata import (
    Metadata,
    MetaFile,
    Root,
    Snapshot,
    TargetFile,
    Targets,
    Timestamp,
)
from tuf.api.serialization.json import JSONSerializer

from admin_sync.keys import ONLINE_ROLES
from admin_sync.repo_store import RepoStore, check_relative_path

Clock = Callable[[], datetime]
_Role = TypeVar("_Role", Root, Timestamp, Snapshot, Targets)
HASH_ALGORITHM = "sha256"


def utc_now() -> datetime:
    return datetime.now(UTC)


class RepositoryError(Exception):
    """The repository cannot do what was asked (not initialised, wrong key, ...)."""


@dataclass(frozen=True)
class Expiries:
    """How long each role's signature stays valid."""

    root: timedelta = timedelta(days=365)
    targets: timedelta = timedelta(days=90)
    snapshot: timedelta = timedelta(days=90)
    timestamp: timedelta = timedelta(days=1)


def _serialize(md: Metadata[Any]) -> bytes:
    return md.to_bytes(JSONSerializer(compact=True))


def _metafile(version: int, data: bytes) -> MetaFile:
    return MetaFile(
        version=version,
        length=len(data),
        hashes={HASH_ALGORITHM: hashlib.sha256(data).hexdigest()},
    )


def hashed_target_name(path: str, sha256: str) -> str:
    """The stored file name of a target under consistent snapshots: hash before the basename."""
    dirname, sep, basename = path.rpartition("/")
    return f"{dirname}{sep}{sha256}.{basename}"


class TufRepository:
    def __init__(
        self,
        store: RepoStore,
        *,
        clock: Clock = utc_now,
        expiries: Expiries | None = None,
    ) -> None:
        self.store = store
        self.clock = clock
        self.expiries = expiries or Expiries()

    # ---- reading the live state -------------------------------------------------------------
    def is_initialized(self) -> bool:
        return self.store.read_metadata("root.json") is not None

    def _load(self, name: str) -> Metadata[Any]:
        data = self.store.read_metadata(name)
        if data is None:
            raise RepositoryError(
                f"repository metadata {name} is missing: run `safe-airports admin init-keys` first"
            )
        return Metadata.from_bytes(data)

    def root(self) -> Metadata[Root]:
        return self._load("root.json")

    def root_bytes(self) -> bytes:
        data = self.store.read_metadata("root.json")
        if data is None:
            raise RepositoryError("repository is not initialised (no root.json)")
        return data

    def timestamp(self) -> Metadata[Timestamp]:
        return self._load("timestamp.json")

    def snapshot(self) -> Metadata[Snapshot]:
        version = self.timestamp().signed.snapshot_meta.version
        return self._load(f"{version}.snapshot.json")

    def targets(self) -> Metadata[Targets]:
        version = self.snapshot().signed.meta["targets.json"].version
        return self._load(f"{version}.targets.json")

    # ---- signing helpers ----------------------------------------------------------------------
    def _expiry(self, role: str) -> datetime:
        lifetime: timedelta = getattr(self.expiries, role)
        return (self.clock() + lifetime).replace(microsecond=0)

    def _check_signer(self, root: Root, role: str, signer: Signer) -> None:
        keyid = signer.public_key.keyid
        if keyid not in root.roles[role].keyids:
            raise RepositoryError(
                f"the {role} key given (keyid {keyid[:12]}…) is not the one the root metadata "
                f"trusts for {role}; wrong key file?"
            )

    def _signed(self, signed: _Role, signers: list[Signer]) -> tuple[Metadata[_Role], bytes]:
        md = Metadata(signed)
        for signer in signers:
            md.sign(signer, append=True)
        return md, _serialize(md)

    def _chain(
        self,
        root: Root,
        online: Mapping[str, Signer],
        *,
        new_targets: Targets | None,
        new_snapshot: bool,
        extra_meta: Mapping[str, MetaFile] | None = None,
    ) -> dict[str, bytes]:
        """Sign (optionally) targets, then snapshot, then timestamp: the files to commit."""
        files: dict[str, bytes] = {}
        if new_targets is not None:
            self._check_signer(root, "targets", online["targets"])
            _, tbytes = self._signed(new_targets, [online["targets"]])
            files[f"{new_targets.version}.targets.json"] = tbytes
            targets_meta = _metafile(new_targets.version, tbytes)
        else:
            targets_meta = None
        if new_snapshot or targets_meta is not None or extra_meta:
            self._check_signer(root, "snapshot", online["snapshot"])
            if self.store.read_metadata("timestamp.json") is None:
                snap_version = 1
                meta = {}
            else:
                old = self.snapshot().signed
                snap_version = old.version + 1
                meta = dict(old.meta)
            if targets_meta is not None:
                meta["targets.json"] = targets_meta
            meta.update(extra_meta or {})  # swupdate: delegated roles (software.json)
            snapshot = Snapshot(version=snap_version, expires=self._expiry("snapshot"), meta=meta)
            _, sbytes = self._signed(snapshot, [online["snapshot"]])
            files[f"{snap_version}.snapshot.json"] = sbytes
            snapshot_meta = _metafile(snap_version, sbytes)
        else:
            current = self.timestamp().signed.snapshot_meta
            snapshot_meta = current
        self._check_signer(root, "timestamp", online["timestamp"])
        ts_version = 1
        if self.store.read_metadata("timestamp.json") is not None:
            ts_version = self.timestamp().signed.version + 1
        timestamp = Timestamp(
            version=ts_version, expires=self._expiry("timestamp"), snapshot_meta=snapshot_meta
        )
        _, tsbytes = self._signed(timestamp, [online["timestamp"]])
        files["timestamp.json"] = tsbytes
        return files

    # ---- operations ---------------------------------------------------------------------------
    def initialize(self, root_signer: Signer, online: Mapping[str, Signer]) -> None:
        """Create root v1 trusting the given keys, an empty targets role, snapshot and timestamp."""
        if self.is_initialized():
            raise RepositoryError("repository already initialised (root.json exists)")
        root = Root(expires=self._expiry("root"), consistent_snapshot=True)
        root.add_key(root_signer.public_key, "root")
        for role in ONLINE_ROLES:
            root.add_key(online[role].public_key, role)
        _, rbytes = self._signed(root, [root_signer])
        targets = Targets(version=1, expires=self._expiry("targets"))
        files = {"1.root.json": rbytes, "root.json": rbytes}
        files.update(self._chain(root, online, new_targets=targets, new_snapshot=True))
        self.store.commit_metadata(files)

    def publish(
        self,
        target_files: Mapping[str, bytes],
        online: Mapping[str, Signer],
        *,
        keep: Collection[str] = (),
    ) -> int:
        """Make `target_files` (path -> bytes) the complete set of targets, plus the live targets
        named in `keep` (e.g. the notices, which a release does not carry); returns its version."""
        old = self.targets().signed
        kept = {p: old.targets[p] for p in keep if p in old.targets and p not in target_files}
        return self._commit_targets(online, self._next_targets(old, kept, target_files))

    def put_targets(self, target_files: Mapping[str, bytes], online: Mapping[str, Signer]) -> int:
        """Add or replace `target_files`, keeping every other live target (the release): a
        new targets version signed like a release, without one. Returns its version."""
        old = self.targets().signed
        return self._commit_targets(
            online, self._next_targets(old, dict(old.targets), target_files)
        )

    def refresh(self, online: Mapping[str, Signer], *, force: bool = False) -> list[str]:
        """Re-sign what is close to expiry; the timestamp when half its lifetime has passed.

        Returns the roles re-signed (empty when nothing needed it)."""
        now = self.clock()
        root = self.root().signed
        resigned: list[str] = []
        targets_md = self.targets().signed
        snapshot_md = self.snapshot().signed
        new_targets = None
        if targets_md.expires - now < self.expiries.targets / 3:
            new_targets = Targets(
                version=targets_md.version + 1,
                expires=self._expiry("targets"),
                targets=dict(targets_md.targets),
                delegations=targets_md.delegations,  # swupdate
            )
            resigned.append("targets")
        new_snapshot = new_targets is not None or (
            snapshot_md.expires - now < self.expiries.snapshot / 3
        )
        if new_snapshot:
            resigned.append("snapshot")
        ts = self.timestamp().signed
        if force or new_snapshot or ts.expires - now < self.expiries.timestamp / 2:
            files = self._chain(root, online, new_targets=new_targets, new_snapshot=new_snapshot)
            self.store.commit_metadata(files)
            resigned.append("timestamp")
        return resigned

    def rotate_key(
        self,
        role: str,
        *,
        root_signer: Signer,
        new_signer: Signer,
        online: Mapping[str, Signer],
    ) -> int:
        """Replace `role`'s key with `new_signer`'s; writes a new root version (signed by the
        current root key, and also the new one when rotating root) and re-signs the roles below.

        `online` holds the online signers to use afterwards (with the new one for `role`).
        Returns the new root version."""
        current = self.root()
        root = current.signed
        self._check_signer(root, "root", root_signer)
        new_root = Root.from_dict(current.signed.to_dict())
        for keyid in list(new_root.roles[role].keyids):
            new_root.revoke_key(keyid, role)
        new_root.add_key(new_signer.public_key, role)
        new_root.version = root.version + 1
        new_root.expires = self._expiry("root")
        signers = [root_signer] + ([new_signer] if role == "root" else [])
        _, rbytes = self._signed(new_root, signers)
        files = {f"{new_root.version}.root.json": rbytes, "root.json": rbytes}
        if role != "root":
            rebuild_targets = None
            if role == "targets":
                old = self.targets().signed
                rebuild_targets = Targets(
                    version=old.version + 1,
                    expires=self._expiry("targets"),
                    targets=dict(old.targets),
                    delegations=old.delegations,  # swupdate
                )
            files.update(
                self._chain(
                    new_root,
                    online,
                    new_targets=rebuild_targets,
                    new_snapshot=role in {"targets", "snapshot"},
                )
            )
        self.store.commit_metadata(files)
        return new_root.version

    def renew_root(self, root_signer: Signer) -> int:
        """Sign a new root version with the same keys and a fresh expiry; returns its version."""
        current = self.root()
        self._check_signer(current.signed, "root", root_signer)
        new_root = Root.from_dict(current.signed.to_dict())
        new_root.version = current.signed.version + 1
        new_root.expires = self._expiry("root")
        _, rbytes = self._signed(new_root, [root_signer])
        self.store.commit_metadata({f"{new_root.version}.root.json": rbytes, "root.json": rbytes})
        return new_root.version

    def describe(self) -> dict[str, Any]:
        """Versions and expiry dates of the live roles (for `admin status` and logs)."""
        out = {}
        for role, md in (
            ("root", self.root()),
            ("targets", self.targets()),
            ("snapshot", self.snapshot()),
            ("timestamp", self.timestamp()),
        ):
            out[role] = {"version": md.signed.version, "expires": md.signed.expires.isoformat()}
        return out

    def edit_targets(
        self,
        online: Mapping[str, Signer],
        *,
        add: Mapping[str, bytes] | None = None,
        custom: Mapping[str, Mapping[str, Any]] | None = None,
        remove: Collection[str] = (),
    ) -> int:
        """Sign a new targets version from the live one: `remove` dropped, `add` (path -> bytes)
        put, then `custom` set on the named targets (the staged rollout, rollout_publish.py).
        Every other target is kept as it is. Returns the new targets version."""
        old = self.targets().signed
        kept = {p: t for p, t in old.targets.items() if p not in set(remove)}
        targets = self._next_targets(old, kept, add or {})
        for path, fields in (custom or {}).items():
            if path not in targets.targets:
                raise RepositoryError(f"cannot set the custom field of {path}: no such target")
            was = targets.targets[path]
            targets.targets[path] = TargetFile(
                was.length, dict(was.hashes), path, {"custom": dict(fields)}
            )
        return self._commit_targets(online, targets)

    def _next_targets(
        self, old: Targets, kept: dict[str, TargetFile], add: Mapping[str, bytes]
    ) -> Targets:
        """The next targets version after `old`: the live targets `kept`, and `add` (path ->
        bytes) stored under their hashed names; the delegations (the software role) stay."""
        targets = Targets(
            version=old.version + 1,
            expires=self._expiry("targets"),
            targets=kept,
            delegations=old.delegations,
        )
        for path, data in sorted(add.items()):
            check_relative_path(path)
            info = TargetFile.from_data(path, data, [HASH_ALGORITHM])
            self.store.put_target(hashed_target_name(path, info.hashes[HASH_ALGORITHM]), data)
            targets.targets[path] = info
        return targets

    def _commit_targets(self, online: Mapping[str, Signer], targets: Targets) -> int:
        """Sign `targets` with a new snapshot and timestamp, commit them; returns its version."""
        files = self._chain(self.root().signed, online, new_targets=targets, new_snapshot=True)
        self.store.commit_metadata(files)
        return targets.version


def dumps_canonical(obj: object) -> bytes:
    """Deterministic JSON bytes (sorted keys, no spaces): same data, same bytes, same hash."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
