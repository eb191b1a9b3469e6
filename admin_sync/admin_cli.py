"""`safe-airports admin ...`: keys, releases and kiosks of the central server.

Commands that change the repository work on the data folder directly (`--data DIR`, on the
server machine) and take the same lock as the running server. `publish` and `rollback` can also
go over HTTP to a running server as an administrator (`--server URL --user NAME`: the name and
password made with `admin add-user`, the same as for the web console; role editor), and so can
`rollout status|promote|halt` and a publish staged with `--first-to-*`.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
import tarfile
from pathlib import Path
from typing import TYPE_CHECKING

from admin_sync import rollout_cli, users
from admin_sync.admin_http import AdminClient, AdminHTTPError, add_credential_arguments
from admin_sync.datadir import DataDir
from admin_sync.keys import ONLINE_ROLES, ROLES, KeyFileError, generate_key, load_key, save_key
from admin_sync.protocol import ADMIN_PUBLISH_PATH, ADMIN_ROLLBACK_PATH, Provisioning
from admin_sync.publish import PublishError, publish_source, rollback_to, speech_synthesizer
from admin_sync.server import registry
from admin_sync.tuf_repo import RepositoryError
from content.durable import write_atomic

if TYPE_CHECKING:
    from admin_sync.server.settings import ServerSettings


def _err(message: str) -> int:
    print(f"safe-airports admin: {message}", file=sys.stderr)
    return 1


def _settings(data_dir: str) -> ServerSettings:
    from admin_sync.server.settings import ServerSettings

    return ServerSettings.from_environ(os.environ, {"data_dir": data_dir})


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "admin", help="administer releases, keys, kiosks and users", description=__doc__
    )
    sub = parser.add_subparsers(dest="admin_command", metavar="ACTION", required=True)

    p = sub.add_parser("init-keys", help="create the keys and an empty signed repository")
    p.add_argument("--data", required=True, help="server data folder")
    p.add_argument(
        "--root-key",
        required=True,
        help="where to write the OFFLINE root key (keep it off the server, e.g. on a USB stick)",
    )
    p.set_defaults(handler=cmd_init_keys)

    p = sub.add_parser("publish", help="validate and publish content sources as a new version")
    p.add_argument("source", nargs="?", help="content source folder (e.g. content/sample)")
    p.add_argument("--data", help="server data folder (publish locally)")
    p.add_argument("--server", help="server URL (publish over HTTP)")
    add_credential_arguments(p)
    p.add_argument(
        "--production",
        action="store_true",
        help="a production release: refuses sample/unverified content, and (four eyes) a "
        "version no other editor approved in the console",
    )
    p.add_argument("--rollback-to", type=int, help="republish this older version's content")
    rollout_cli.add_first_to_arguments(p)  # staged rollout: who gets it first
    p.set_defaults(handler=cmd_publish)

    p = sub.add_parser("rollback", help="republish an older version's content as a new version")
    p.add_argument("version", type=int)
    p.add_argument("--data")
    p.add_argument("--server")
    add_credential_arguments(p)
    p.set_defaults(handler=lambda a: cmd_publish(_as_rollback(a)))

    p = sub.add_parser("refresh-timestamp", help="re-sign the timestamp now (the server does it)")
    p.add_argument("--data", required=True)
    p.add_argument("--force", action="store_true", help="re-sign even if not due yet")
    p.set_defaults(handler=cmd_refresh_timestamp)

    p = sub.add_parser("rotate-key", help="replace a role's signing key (needs the root key)")
    p.add_argument("role", choices=ROLES)
    p.add_argument("--data", required=True)
    p.add_argument("--root-key", required=True, help="the current offline root key file")
    p.add_argument("--new-root-key", help="for ROLE=root: where to write the new root key")
    p.set_defaults(handler=cmd_rotate_key)

    p = sub.add_parser("renew-root", help="re-sign root metadata with a fresh expiry date")
    p.add_argument("--data", required=True)
    p.add_argument("--root-key", required=True, help="the offline root key file")
    p.set_defaults(handler=cmd_renew_root)

    p = sub.add_parser("add-kiosk", help="register a kiosk and write its provisioning file")
    p.add_argument("--airport", required=True, help="IATA code, e.g. TAS")
    p.add_argument("--name", required=True, help='kiosk name, e.g. "TAS-T2-01"')
    p.add_argument("--data", required=True)
    p.add_argument("--server-url", required=True, help="URL the kiosk uses to reach the server")
    p.add_argument("--out", required=True, help="provisioning file to write (secret: has a token)")
    p.set_defaults(handler=cmd_add_kiosk)

    p = sub.add_parser("revoke-kiosk", help="revoke a kiosk's token (its requests get 403)")
    p.add_argument("kiosk", help="kiosk id or name")
    p.add_argument("--data", required=True)
    p.set_defaults(handler=cmd_revoke_kiosk)

    p = sub.add_parser("list-kiosks", help="list registered kiosks")
    p.add_argument("--data", required=True)
    p.set_defaults(handler=cmd_list_kiosks)

    from admin_sync import software_cli  # swupdate: software-init, software-publish

    software_cli.register(sub)

    p = sub.add_parser("status", help="repository versions, expiry dates, latest release")
    p.add_argument("--data", required=True)
    p.set_defaults(handler=cmd_status)

    rollout_cli.register(sub)  # rollout status|promote|halt (staged rollout)
    users.register(sub)  # add-user: administrators of the console and the API (users.py)


def _as_rollback(args: argparse.Namespace) -> argparse.Namespace:
    return argparse.Namespace(
        source=None,
        data=args.data,
        server=args.server,
        user=args.user,
        password_stdin=args.password_stdin,
        production=False,
        rollback_to=args.version,
    )


def cmd_init_keys(args: argparse.Namespace) -> int:
    data = DataDir(Path(args.data))
    root_key_path = Path(args.root_key)
    if root_key_path.exists():
        return _err(f"{root_key_path} already exists; refusing to overwrite a root key")
    repo = data.repository(expiries=_settings(args.data).expiries())
    if repo.is_initialized():
        return _err(f"{data.path} already holds a repository")
    if data.path.resolve() in root_key_path.resolve().parents:
        print(
            f"warning: the root key {root_key_path} is inside the server's data folder; "
            "move it offline after this command",
            file=sys.stderr,
        )
    root_key = generate_key()
    online = {role: generate_key() for role in ONLINE_ROLES}
    save_key(root_key, root_key_path)
    for role, signer in online.items():
        save_key(signer, data.key_path(role))
    with data.lock():
        repo.initialize(root_key, online)
    data.database()
    print(f"repository initialised in {data.path}")
    print(f"OFFLINE root key written to {root_key_path}: keep it safe and off the server")
    return 0


def _four_eyes() -> bool:
    """The server's own four-eyes setting (SAFE_AIRPORTS_CONSOLE_FOUR_EYES, on by default)."""
    from admin_sync.server.console.settings import ConsoleSettings

    return ConsoleSettings.from_environ(os.environ).four_eyes


def cmd_publish(args: argparse.Namespace) -> int:
    if bool(args.data) == bool(args.server):
        return _err("give exactly one of --data DIR (local) or --server URL (over HTTP)")
    if args.rollback_to is None and not args.source:
        return _err("give the content source folder to publish (or --rollback-to N)")
    try:
        rollout = rollout_cli.rollout_from_args(args) if hasattr(args, "first_to_ring") else None
    except ValueError as exc:  # RolloutError
        return _err(str(exc))
    if rollout is not None and args.rollback_to is not None:
        return _err("--first-to-* stages a publish of a source folder, not a rollback")
    if args.server:
        return _publish_http(args)
    data = DataDir(Path(args.data))
    server = _settings(args.data)
    expiries = server.expiries()
    user = os.environ.get("USER", "admin-cli")
    try:
        four_eyes = _four_eyes()
    except ValueError as exc:
        return _err(str(exc))
    try:
        if args.rollback_to is not None:
            manifest = rollback_to(data, args.rollback_to, published_by=user, expiries=expiries)
        else:
            manifest = publish_source(
                data,
                Path(args.source),
                production=args.production,
                published_by=user,
                expiries=expiries,
                four_eyes=four_eyes,
                speech=speech_synthesizer(data, server.speech_synthesis, server.speech_cache_dir),
                rollout=rollout,
            )
    except PublishError as exc:
        for line in exc.lines:
            print(line, file=sys.stderr)
        return _err(str(exc))
    except (RepositoryError, KeyFileError) as exc:
        return _err(str(exc))
    print(
        f"published content version {manifest.content_version} "
        f"({len(manifest.parts)} parts, {manifest.total_bytes()} bytes)"
        + (f", the content of version {manifest.rollback_of}" if manifest.rollback_of else "")
        + (f", staged first to {rollout.describe()}" if rollout is not None else "")
    )
    return 0


def tar_sources(source: Path) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for path in sorted(source.rglob("*")):
            if path.is_file() and not path.is_symlink():
                tar.add(path, arcname=str(path.relative_to(source)), recursive=False)
    return buffer.getvalue()


def _publish_http(args: argparse.Namespace) -> int:
    try:
        client = AdminClient.from_args(args)
        if args.rollback_to is not None:
            out = client.call("POST", ADMIN_ROLLBACK_PATH, json={"to_version": args.rollback_to})
        else:
            source = Path(args.source)
            if not source.is_dir():
                return _err(f"{source}: not a folder")
            out = client.call(
                "POST",
                ADMIN_PUBLISH_PATH,
                params={
                    "production": "true" if args.production else "false",
                    **rollout_cli.first_to_params(args),
                },
                data=tar_sources(source),
                headers={"Content-Type": "application/gzip"},
            )
    except AdminHTTPError as exc:
        for line in exc.lines:
            print(line, file=sys.stderr)
        return _err(str(exc))
    staged = out.get("staged_to")
    print(
        f"published content version {out['content_version']} "
        f"({out['parts']} parts, {out['total_bytes']} bytes)"
        + (f", staged first to {staged}" if staged else "")
    )
    return 0


def cmd_refresh_timestamp(args: argparse.Namespace) -> int:
    data = DataDir(Path(args.data))
    try:
        with data.lock():
            repo = data.repository(expiries=_settings(args.data).expiries())
            roles = repo.refresh(data.online_signers(), force=args.force)
            state = repo.describe()
    except (RepositoryError, KeyFileError) as exc:
        return _err(str(exc))
    if roles:
        print(f"re-signed {', '.join(roles)}; timestamp expires {state['timestamp']['expires']}")
    else:
        print(f"nothing due; timestamp expires {state['timestamp']['expires']}")
    return 0


def cmd_rotate_key(args: argparse.Namespace) -> int:
    data = DataDir(Path(args.data))
    try:
        root_signer, online = data.root_and_online_signers(Path(args.root_key))
    except KeyFileError as exc:
        return _err(str(exc))
    new_signer = generate_key()
    if args.role == "root":
        if not args.new_root_key:
            return _err("rotating root needs --new-root-key FILE for the new offline root key")
        new_path = Path(args.new_root_key)
        if new_path.exists():
            return _err(f"{new_path} already exists; refusing to overwrite a key")
    else:
        new_path = data.key_path(args.role)
        online[args.role] = new_signer
    pending = new_path.with_name(new_path.name + ".pending")
    save_key(new_signer, pending)  # never lose the key of a committed rotation
    try:
        with data.lock():
            repo = data.repository(expiries=_settings(args.data).expiries())
            version = repo.rotate_key(
                args.role, root_signer=root_signer, new_signer=new_signer, online=online
            )
    except RepositoryError as exc:
        pending.unlink(missing_ok=True)
        return _err(str(exc))
    os.replace(pending, new_path)
    print(f"rotated the {args.role} key; root metadata is now version {version}")
    if args.role == "root":
        print(f"new OFFLINE root key: {new_path}; the old one can be destroyed")
    return 0


def cmd_renew_root(args: argparse.Namespace) -> int:
    data = DataDir(Path(args.data))
    try:
        root_signer = load_key(Path(args.root_key))
        with data.lock():
            repo = data.repository(expiries=_settings(args.data).expiries())
            version = repo.renew_root(root_signer)
            expires = repo.describe()["root"]["expires"]
    except (RepositoryError, KeyFileError) as exc:
        return _err(str(exc))
    print(f"root metadata version {version} signed; valid until {expires}")
    return 0


def cmd_add_kiosk(args: argparse.Namespace) -> int:
    data = DataDir(Path(args.data))
    out = Path(args.out)
    if out.exists():
        return _err(f"{out} already exists; refusing to overwrite a provisioning file")
    try:
        root = json.loads(data.repository().root_bytes())
        kiosk, token = registry.add_kiosk(data.database(), airport=args.airport, name=args.name)
    except (RepositoryError, registry.RegistryError) as exc:
        return _err(str(exc))
    provisioning = Provisioning(
        server_url=args.server_url.rstrip("/"),
        kiosk_id=kiosk.id,
        airport=kiosk.airport,
        name=kiosk.name,
        token=token,
        trusted_root=root,
    )
    write_atomic(out, provisioning.to_bytes(), mode=0o600)
    print(f"kiosk {kiosk.name} registered as {kiosk.id}; provisioning file {out} (keep secret)")
    return 0


def cmd_revoke_kiosk(args: argparse.Namespace) -> int:
    try:
        kiosk = registry.revoke_kiosk(DataDir(Path(args.data)).database(), args.kiosk)
    except registry.RegistryError as exc:
        return _err(str(exc))
    print(f"kiosk {kiosk.name} ({kiosk.id}) revoked at {kiosk.revoked_at}")
    return 0


def cmd_list_kiosks(args: argparse.Namespace) -> int:
    for k in registry.list_kiosks(DataDir(Path(args.data)).database()):
        state = f"revoked {k.revoked_at}" if k.revoked else "active"
        print(f"{k.id}\t{k.airport}\t{k.name}\t{state}")
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    data = DataDir(Path(args.data))
    try:
        roles = data.repository().describe()
    except RepositoryError as exc:
        return _err(str(exc))
    print(f"latest content version: {data.latest_content_version() or 'none'}")
    for role, info in roles.items():
        print(f"{role}: version {info['version']}, expires {info['expires']}")
    return 0
