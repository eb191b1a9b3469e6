"""`safe-airports admin rollout status|promote|halt` and the `--first-to-*` options of publish.

safe-airports admin publish content/ --data DIR --first-to-airport TMJ
safe-airports admin rollout status --data DIR
safe-airports admin rollout promote --data DIR --ring 1      # widen
safe-airports admin rollout promote --data DIR --all         # to every kiosk
safe-airports admin rollout halt --data DIR

Over HTTP, as an editor of a running server (admin_rollout_api.py; the console's choices: kiosks,
one airport or a ring 0-3, one of them at a time):

safe-airports admin publish content/ --server URL --user NAME --first-to-airports TMJ
safe-airports admin rollout status|halt --server URL --user NAME
safe-airports admin rollout promote --server URL --user NAME --ring 1 | --all
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from admin_sync.admin_http import AdminClient, AdminHTTPError, add_credential_arguments
from admin_sync.datadir import DataDir
from admin_sync.keys import KeyFileError
from admin_sync.protocol import ADMIN_HALT_PATH, ADMIN_PROMOTE_PATH, ADMIN_ROLLOUT_PATH
from admin_sync.rollout import Rollout, RolloutError
from admin_sync.rollout_publish import RolloutActionError, halt, promote, rollout_status
from admin_sync.tuf_repo import Expiries, RepositoryError


def _err(message: str) -> int:
    print(f"safe-airports admin rollout: {message}", file=sys.stderr)
    return 1


def _list(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").replace(",", " ").split() if v.strip()]


def add_first_to_arguments(p: argparse.ArgumentParser, *, prefix: str = "first-to-") -> None:
    p.add_argument(f"--{prefix}kiosks", metavar="IDS", help="kiosk ids, comma-separated")
    p.add_argument(f"--{prefix}airports", metavar="CODES", help="IATA codes, e.g. TMJ,TAS")
    p.add_argument(
        f"--{prefix}ring", type=int, metavar="N", help="kiosks whose rollout_ring is N or lower"
    )


def rollout_from_args(args: argparse.Namespace, *, prefix: str = "first_to_") -> Rollout | None:
    """The staged audience the options name (None when none is given: everyone)."""
    kiosks = _list(getattr(args, f"{prefix}kiosks"))
    airports = _list(getattr(args, f"{prefix}airports"))
    ring = getattr(args, f"{prefix}ring")
    if not kiosks and not airports and ring is None:
        return None
    return Rollout.first_to(kiosks=kiosks, airports=airports, ring=ring)


def first_to_params(args: argparse.Namespace, *, prefix: str = "first_to_") -> dict[str, str]:
    """The options as the administrator API's publish parameters (the server checks them)."""
    params: dict[str, str] = {}
    if kiosks := _list(getattr(args, f"{prefix}kiosks")):
        params["first_to_kiosks"] = ",".join(kiosks)
    if airports := _list(getattr(args, f"{prefix}airports")):
        params["first_to_airport"] = ",".join(airports)  # one, or the server says so
    if (ring := getattr(args, f"{prefix}ring")) is not None:
        params["first_to_ring"] = str(ring)
    return params


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("rollout", help="see, promote or halt the staged release")
    p.add_argument("action", choices=("status", "promote", "halt"))
    p.add_argument("--data", help="server data folder (on the server)")
    p.add_argument("--server", help="server URL (over HTTP, as an editor)")
    add_credential_arguments(p)
    p.add_argument("--all", action="store_true", help="promote: offer it to every kiosk")
    add_first_to_arguments(p, prefix="")
    p.set_defaults(handler=cmd_rollout)


def _expiries(data_dir: str) -> Expiries:
    from admin_sync.server.settings import ServerSettings

    return ServerSettings.from_environ(os.environ, {"data_dir": data_dir}).expiries()


def _print_status(general: int | None, staged: tuple[int, str] | None) -> None:
    print(f"content version for all kiosks: {general if general is not None else 'none'}")
    if staged is None:
        print("nothing staged")
    else:
        print(f"staged: content version {staged[0]} to {staged[1]}")


def _print_halted(version: int, republished: int | None) -> None:
    print(
        f"content version {version} halted"
        + (
            f"; the previous content republished as version {republished}"
            if republished is not None
            else "; there was no earlier release to go back to"
        )
    )


def cmd_rollout_http(args: argparse.Namespace) -> int:
    """status, promote or halt through the administrator API."""
    try:
        client = AdminClient.from_args(args)
        if args.action == "status":
            out = client.call("GET", ADMIN_ROLLOUT_PATH)
            staged = out.get("staged")
            _print_status(
                out.get("general_version"),
                (staged["version"], staged["staged_to"]) if staged else None,
            )
            return 0
        if args.action == "promote":
            body: dict[str, object] = {"to_all": True} if args.all else {}
            if kiosks := _list(args.kiosks):
                body["kiosks"] = kiosks
            if airports := _list(args.airports):
                body["airport"] = ",".join(airports)
            if args.ring is not None:
                body["ring"] = args.ring
            out = client.call("POST", ADMIN_PROMOTE_PATH, json=body)
            print(f"content version {out['version']} is now offered to {out['offered_to']}")
            return 0
        out = client.call("POST", ADMIN_HALT_PATH, json={})
    except AdminHTTPError as exc:
        for line in exc.lines:
            print(line, file=sys.stderr)
        return _err(str(exc))
    _print_halted(out["version"], out.get("republished_as"))
    return 0


def cmd_rollout(args: argparse.Namespace) -> int:
    if bool(args.data) == bool(args.server):
        return _err("give exactly one of --data DIR (local) or --server URL (over HTTP)")
    if args.server:
        return cmd_rollout_http(args)
    data = DataDir(Path(args.data))
    who = os.environ.get("USER", "admin-cli")
    try:
        if args.action == "status":
            status = rollout_status(data)
            staged = status.staged
            _print_status(
                status.general_version,
                (staged.version, staged.rollout.describe()) if staged is not None else None,
            )
            return 0
        if args.action == "promote":
            to = Rollout.to_all() if args.all else rollout_from_args(args, prefix="")
            if to is None:
                return _err("promote to whom? give --all, or --kiosks, --airports or --ring")
            version, now = promote(data, to, who=who, via="cli", expiries=_expiries(args.data))
            print(f"content version {version} is now offered to {now.describe()}")
            return 0
        version, republished = halt(data, who=who, via="cli", expiries=_expiries(args.data))
    except (RolloutError, RolloutActionError, RepositoryError, KeyFileError) as exc:
        return _err(str(exc))
    _print_halted(version, republished)
    return 0
