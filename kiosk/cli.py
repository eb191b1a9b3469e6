"""`safe-airports kiosk`: run the touch kiosk, its screenshot tour, or print its settings."""

from __future__ import annotations

import argparse
import logging
import sys
from dataclasses import replace
from pathlib import Path

from kiosk.settings import SettingsError, help_text, load_settings


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "kiosk",
        help="run the touch kiosk app (or its screenshot tour)",
        description="Run the fullscreen touch kiosk. Without --config every setting has its "
        "default (see --help-settings).",
    )
    parser.add_argument("--config", type=Path, help="the kiosk's TOML settings file")
    parser.add_argument(
        "--windowed", action="store_true", help="a normal window with a cursor (development, demo)"
    )
    parser.add_argument(
        "--platform", help="Qt platform plugin, e.g. offscreen (sets QT_QPA_PLATFORM)"
    )
    parser.add_argument(
        "--tour",
        type=Path,
        metavar="OUT",
        help="tap through every screen in every language, save PNGs and OUT/tour.json, exit",
    )
    parser.add_argument("--airport", help="override the airport setting (e.g. for the tour)")
    parser.add_argument(
        "--help-settings", action="store_true", help="print every setting with its default and help"
    )
    parser.set_defaults(handler=main)


def main(args: argparse.Namespace) -> int:
    if args.help_settings:
        print(help_text())
        return 0
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    try:
        settings = load_settings(args.config)
        if args.airport:
            from kiosk.settings import settings_from_mapping

            settings = replace(
                settings,
                airport=settings_from_mapping({"airport": args.airport}, "--airport").airport,
            )
    except SettingsError as exc:
        print(f"safe-airports kiosk: bad settings: {exc}", file=sys.stderr)
        return 2
    from kiosk.app import prepare_platform

    prepare_platform(args.platform)
    from kiosk.app import run

    return run(settings, windowed=args.windowed or args.tour is not None, tour=args.tour)
