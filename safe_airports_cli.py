"""The `safe-airports` command: one entry point, subcommands provided by each package.

Each package registers its own subcommands; they are imported lazily so that a kiosk install
without the server's dependencies (and a server install without Qt) still runs its own commands.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

# subcommand -> (module providing `register(subparsers)`, one-line help)
SUBCOMMANDS: dict[str, tuple[str, str]] = {
    "content": ("content.cli", "check, build and inspect content sources and caches"),
    "kiosk": ("kiosk.cli", "run the touch kiosk app (or its screenshot tour)"),
    "sync": ("admin_sync.agent.cli", "run the kiosk's sync agent (updates, heartbeat, stats)"),
    "server": ("admin_sync.server.cli", "run the central server"),
    "admin": ("admin_sync.admin_cli", "administer releases, keys, kiosks and users"),
}


def build_parser(argv: Sequence[str]) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="safe-airports",
        description="Safe Airports: kiosks for safe labour migration.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    wanted = next((a for a in argv if not a.startswith("-")), None)
    for name, (module_name, help_text) in SUBCOMMANDS.items():
        if wanted is not None and name != wanted:
            sub.add_parser(name, help=help_text)
            continue
        try:
            module = importlib.import_module(module_name)
        except ImportError as exc:
            if wanted == name:
                raise SystemExit(
                    f"safe-airports {name}: not available in this install ({exc}). "
                    f"Install the matching extra, e.g. pip install 'safe-airports[{_extra(name)}]'."
                ) from exc
            sub.add_parser(name, help=f"{help_text} (not installed)")
            continue
        module.register(sub)
    return parser


def _extra(command: str) -> str:
    return {"kiosk": "kiosk", "sync": "agent", "server": "server", "admin": "server"}.get(
        command, "dev"
    )


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(args_list)
    args = parser.parse_args(args_list)
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.parse_args([args.command, "--help"])
        return 2
    return int(handler(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
