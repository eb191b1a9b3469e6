"""`safe-airports admin software-init`, `admin software-publish` and `admin software-rollout`:
the release engineer's commands for signed software updates (see admin_sync/README.md,
"Software updates" and "Staged rollout").

Both run on the server's data folder (`--data`) with the offline keys plugged in: the software
key (and, for `software-init`, the root key) never live in the data folder.
"""

from __future__ import annotations

import argparse
import getpass
import hashlib
import sys
from pathlib import Path

from admin_sync.datadir import DataDir
from admin_sync.keys import KeyFileError, generate_key, load_key, save_key
from admin_sync.rollout import Rollout, RolloutError
from admin_sync.rollout_cli import add_first_to_arguments, rollout_from_args
from admin_sync.software_manifest import (
    PROJECT_DISTRIBUTION,
    SoftwareManifest,
    SoftwareManifestError,
    WheelInfo,
    version_key,
    wheel_distribution,
)
from admin_sync.software_repo import (
    live_software_manifest,
    live_software_rollout,
    publish_software,
    resign_software_rollout,
    setup_software_role,
)
from admin_sync.tuf_repo import Clock, RepositoryError, utc_now


def _err(message: str) -> int:
    print(f"safe-airports admin: {message}", file=sys.stderr)
    return 1


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "software-init",
        help="create (or rotate) the offline software key and delegate software/* to it",
    )
    p.add_argument("--data", required=True, help="server data folder")
    p.add_argument("--root-key", required=True, help="the OFFLINE root key file")
    p.add_argument(
        "--software-key",
        required=True,
        help="the OFFLINE software key file; created if missing (keep it off the server)",
    )
    p.set_defaults(handler=cmd_software_init)

    p = sub.add_parser(
        "software-publish",
        help="sign and publish the kiosk software (wheels) as a new version",
        description="Publish the project's wheel and the wheels it needs that changed since the "
        "last software release (the others are carried over). The version is the project "
        "wheel's; it must be higher than the live one. Build the wheels with e.g. "
        "`pip wheel --wheel-dir wheelhouse '.[kiosk,agent]'`.",
    )
    p.add_argument("wheels", nargs="+", type=Path, help="wheel files or folders of wheels")
    p.add_argument("--data", required=True, help="server data folder")
    p.add_argument("--software-key", required=True, help="the OFFLINE software key file")
    p.add_argument("--notes", default="", help="what changed (shown in logs)")
    add_first_to_arguments(p)  # staged: offered first to these kiosks only (signed)
    p.set_defaults(handler=cmd_software_publish)

    p = sub.add_parser(
        "software-rollout",
        help="see, promote or halt the staged software release (signed with the software key)",
        description="status: who the live software release is offered to. promote: offer it "
        "to more kiosks (--kiosks/--airports/--ring) or to all (--all). halt: withdraw the "
        "offer from every kiosk not yet on it (kiosks already on it keep it: software is never "
        "downgraded; a broken version is rolled back by the kiosk's health check).",
    )
    p.add_argument("action", choices=("status", "promote", "halt"))
    p.add_argument("--data", required=True, help="server data folder")
    p.add_argument("--software-key", help="the OFFLINE software key file (promote, halt)")
    p.add_argument("--all", action="store_true", help="promote: offer it to every kiosk")
    add_first_to_arguments(p, prefix="")
    p.set_defaults(handler=cmd_software_rollout)


def cmd_software_init(args: argparse.Namespace) -> int:
    data = DataDir(Path(args.data))
    key_path = Path(args.software_key)
    if data.path.resolve() in key_path.resolve().parents:
        return _err(f"{key_path}: the software key must not live in the server's data folder")
    try:
        root_signer, online = data.root_and_online_signers(Path(args.root_key))
        created = not key_path.exists()
        software = generate_key() if created else load_key(key_path)
    except KeyFileError as exc:
        return _err(str(exc))
    try:
        with data.lock():
            repo = data.repository()
            version = setup_software_role(
                repo, root_signer=root_signer, software_signer=software, online=online
            )
    except RepositoryError as exc:
        return _err(str(exc))
    if created:
        save_key(software, key_path)
    print(f"software role delegated to key {software.public_key.keyid[:12]}…; root v{version}")
    if created:
        print(f"OFFLINE software key written to {key_path}: keep it off the server")
    return 0


def collect_wheels(paths: list[Path]) -> dict[str, bytes]:
    """Wheel file name -> bytes from files and folders; one wheel per distribution."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(path.glob("*.whl")))
        elif path.is_file():
            files.append(path)
        else:
            raise SoftwareManifestError(f"{path}: no such wheel file or folder")
    wheels: dict[str, bytes] = {}
    seen: dict[str, str] = {}
    for f in files:
        dist, _ = wheel_distribution(f.name)
        if dist in seen:
            raise SoftwareManifestError(f"two wheels of {dist}: {seen[dist]} and {f.name}")
        seen[dist] = f.name
        wheels[f.name] = f.read_bytes()
    return wheels


def plan_software_release(
    given: dict[str, bytes],
    previous: SoftwareManifest | None,
    *,
    published_at: str,
    notes: str = "",
) -> SoftwareManifest:
    """The manifest: the given wheels plus the previous release's wheels of every other
    distribution (unchanged ones are carried over)."""
    dists = {wheel_distribution(name)[0]: name for name in given}
    project = dists.get(PROJECT_DISTRIBUTION)
    if project is None:
        raise SoftwareManifestError(f"no wheel of the project ({PROJECT_DISTRIBUTION}) given")
    version = wheel_distribution(project)[1]
    if previous is not None and version_key(version) <= version_key(previous.version):
        raise SoftwareManifestError(
            f"software {version} is not newer than the live {previous.version}: versions only grow"
        )
    wheels = {
        name: WheelInfo(len(blob), hashlib.sha256(blob).hexdigest()) for name, blob in given.items()
    }
    if previous is not None:
        for name, info in previous.wheels.items():
            if wheel_distribution(name)[0] not in dists:
                wheels[name] = info
    return SoftwareManifest(version=version, published_at=published_at, wheels=wheels, notes=notes)


def publish_wheels(
    data: DataDir,
    given: dict[str, bytes],
    software_key: Path,
    *,
    notes: str = "",
    who: str = "",
    clock: Clock = utc_now,
    rollout: Rollout | None = None,
) -> SoftwareManifest:
    signer = load_key(software_key)
    with data.lock():
        repo = data.repository(clock=clock)
        manifest = plan_software_release(
            given,
            live_software_manifest(repo),
            published_at=clock().replace(microsecond=0).isoformat(),
            notes=notes,
        )
        publish_software(
            repo,
            manifest,
            given,
            software_signer=signer,
            online=data.online_signers(),
            rollout=rollout,
        )
    data.audit_log(clock=clock).record(
        who or getpass.getuser(),
        "software",
        f"software {manifest.version}",
        f"{len(manifest.wheels)} wheels, {len(given)} new; "
        f"to {(rollout or Rollout.to_all()).describe()}; {notes}".strip("; "),
        via="cli",
    )
    return manifest


def change_software_rollout(
    data: DataDir,
    action: str,
    software_key: Path,
    *,
    to: Rollout | None = None,
    who: str = "",
    clock: Clock = utc_now,
) -> tuple[str, Rollout]:
    """Promote (widen by `to`, or to all) or halt (offer to nobody more) the live software
    release: re-signs the software role with the offline key. Returns (version, audience)."""
    signer = load_key(software_key)
    with data.lock():
        repo = data.repository(clock=clock)
        manifest = live_software_manifest(repo)
        now = live_software_rollout(repo)
        if manifest is None or now is None:
            raise RepositoryError("no software is published: nothing to promote or halt")
        if action == "promote":
            if to is None:
                raise RolloutError("promote to whom? give --all, or --kiosks, --airports or --ring")
            if now.everyone:
                raise RolloutError(f"software {manifest.version} is already offered to all kiosks")
            wider = now.widened(to)
        else:
            wider = Rollout()  # offered to nobody more; kiosks on it keep it
        resign_software_rollout(repo, wider, software_signer=signer, online=data.online_signers())
    data.audit_log(clock=clock).record(
        who or getpass.getuser(),
        "promote" if action == "promote" else "halt",
        f"software {manifest.version}",
        f"was offered to {now.describe()}; now to {wider.describe()}",
        via="cli",
    )
    return manifest.version, wider


def cmd_software_rollout(args: argparse.Namespace) -> int:
    data = DataDir(Path(args.data))
    try:
        if args.action == "status":
            repo = data.repository()
            manifest = live_software_manifest(repo) if repo.is_initialized() else None
            rollout = live_software_rollout(repo) if manifest is not None else None
            if manifest is None or rollout is None:
                print("no software published")
            else:
                print(f"software {manifest.version} is offered to {rollout.describe()}")
            return 0
        if not args.software_key:
            return _err("--software-key is needed to promote or halt (it re-signs software)")
        to = Rollout.to_all() if args.all else rollout_from_args(args, prefix="")
        version, now = change_software_rollout(data, args.action, Path(args.software_key), to=to)
    except (RolloutError, KeyFileError, RepositoryError, SoftwareManifestError, OSError) as exc:
        return _err(str(exc))
    if args.action == "halt":
        print(f"software {version} halted: no further kiosk is offered it (those on it keep it)")
    else:
        print(f"software {version} is now offered to {now.describe()}")
    return 0


def cmd_software_publish(args: argparse.Namespace) -> int:
    data = DataDir(Path(args.data))
    try:
        rollout = rollout_from_args(args)
        given = collect_wheels(args.wheels)
        manifest = publish_wheels(
            data, given, Path(args.software_key), notes=args.notes, rollout=rollout
        )
    except (SoftwareManifestError, KeyFileError, RepositoryError, RolloutError, OSError) as exc:
        return _err(str(exc))
    print(
        f"published software {manifest.version}: {len(manifest.wheels)} wheels "
        f"({len(given)} new, {manifest.total_bytes()} bytes in all), offered to "
        f"{(rollout or Rollout.to_all()).describe()}"
    )
    return 0
