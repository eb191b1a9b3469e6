"""`safe-airports admin rollout status|promote|halt` and the `--first-to-*` options of publish.

safe-airports admin publish content/ --data DIR --first-to-airport TMJ
safe-airports admin rollout status --data DIR
safe-airports admin rollout promote --data DIR --ring 1      # widen
safe-airports admin rollout promote --data DIR --all         # to every kiosk
safe-airports admin rollout halt --data DIR
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from admin_sync.datadir import DataDir
from admin_sync.keys import KeyFileError
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


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("rollout", help="see, promote or halt the staged release")
    p.add_argument("action", choices=("status", "promote", "halt"))
    p.add_argument("--data", required=True, help="server data folder")
    p.add_argument("--all", action="store_true", help="promote: offer it to every kiosk")
    add_first_to_arguments(p, prefix="")
    p.set_defaults(handler=cmd_rollout)


def _expiries(data_dir: str) -> Expiries:
    from admin_sync.server.settings import ServerSettings

    return ServerSettings.from_environ(os.environ, {"data_dir": data_dir}).expiries()


def cmd_rollout(args: argparse.Namespace) -> int:
    data = DataDir(Path(args.data))
    who = os.environ.get("USER", "admin-cli")
    try:
        if args.action == "status":
            status = rollout_status(data)
            general = status.general_version
            print(f"content version for all kiosks: {general if general is not None else 'none'}")
            if status.staged is None:
                print("nothing staged")
            else:
                staged = status.staged
                print(f"staged: content version {staged.version} to {staged.rollout.describe()}")
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
    print(
        f"content version {version} halted"
        + (
            f"; the previous content republished as version {republished}"
            if republished is not None
            else "; there was no earlier release to go back to"
        )
    )
    return 0
