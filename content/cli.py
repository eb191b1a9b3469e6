"""`safe-airports content ...`: check sources, build the kiosk cache, show what a cache holds."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, TextIO


def register(subparsers: Any) -> None:
    """Add `content check|build|show` to the `safe-airports` command."""
    parser = subparsers.add_parser(
        "content", help="check, build and inspect content sources and caches"
    )
    sub = parser.add_subparsers(dest="content_command", metavar="SUBCOMMAND", required=True)

    check = sub.add_parser(
        "check",
        help="check a content source folder; every problem as file:line (exit 1 on errors)",
    )
    check.add_argument("src", type=Path, metavar="DIR", help="the content source folder")
    check.add_argument(
        "--production",
        action="store_true",
        help="also refuse every contact still marked status: sample",
    )
    check.set_defaults(handler=run_check)

    build = sub.add_parser("build", help="check a source folder and build the kiosk cache")
    build.add_argument("src", type=Path, metavar="DIR", help="the content source folder")
    build.add_argument("--out", type=Path, required=True, metavar="FILE", help="cache file")
    build.add_argument("--json", action="store_true", help="print the summary as JSON")
    build.add_argument(
        "--content-version",
        type=int,
        default=None,
        metavar="N",
        help="content version recorded in the cache (default: `version` of release.yaml, or 1)",
    )
    build.add_argument(
        "--production", action="store_true", help="refuse contacts still marked sample"
    )
    build.set_defaults(handler=run_build)

    rec = sub.add_parser(
        "recordings",
        help="list the folder's recordings and whether each says the screen's current text; "
        "--mark records that a recording was made for the current text",
    )
    rec.add_argument("src", type=Path, metavar="DIR", help="the content source folder")
    rec.add_argument(
        "--mark",
        nargs="+",
        default=[],
        metavar="NAME",
        help="recording file names (article.RU.entry-registration.ky.ogg) just recorded from "
        "the text the screen shows now (printed, to check)",
    )
    rec.set_defaults(handler=run_recordings)

    show = sub.add_parser("show", help="print what an existing kiosk cache holds")
    show.add_argument("cache", type=Path, metavar="FILE", help="the cache file")
    show.add_argument("--json", action="store_true", help="print the summary as JSON")
    show.set_defaults(handler=run_show)


def run_check(args: argparse.Namespace, out: TextIO | None = None) -> int:
    from content.validate import validate_source

    out = out or sys.stdout
    report = validate_source(args.src, production=args.production)
    for line in report.format():
        print(line, file=out)
    verdict = "OK" if report.ok else "FAILED"
    print(f"{args.src}: {verdict}: {report.summary()}", file=out)
    return 0 if report.ok else 1


def run_recordings(args: argparse.Namespace, out: TextIO | None = None) -> int:
    from content.source import load_source
    from content.speech import SpeechError, mark_recordings, recording_states

    out = out or sys.stdout
    content, report = load_source(args.src)
    if not report.ok:
        for line in report.format():
            print(line, file=out)
        return 1
    try:
        for path, text in mark_recordings(content, args.src, args.mark).items():
            print(f"{path}: marked as recorded for this text:\n  {text}", file=out)
    except SpeechError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    states = recording_states(content, args.src)
    for path, state in sorted(states.items()):
        print(f"{path}: {state}", file=out)
    if not states:
        print(f"{args.src}: no recordings", file=out)
    return 0


def run_build(args: argparse.Namespace) -> int:
    from content.problems import Report
    from content.source import read_source
    from content.validate import check_tree

    report = Report()
    tree = read_source(args.src, report)
    from datetime import date

    check_tree(tree, report, production=args.production, today=date.today())
    if not report.ok:
        for line in report.format():
            print(line, file=sys.stderr)
        print(
            f"{args.src}: not built: {report.summary()}; fix the errors above first",
            file=sys.stderr,
        )
        return 1
    for problem in report.warnings:
        print(problem.format(), file=sys.stderr)
    version = args.content_version
    if version is None:
        release_version = tree.content.release.get("version", 1)
        version = release_version if isinstance(release_version, int) else 1
    from content.build import build_cache

    build_cache(tree.content, args.out, content_version=version)
    return _print_summary(args.out, args.json)


def run_show(args: argparse.Namespace) -> int:
    if not args.cache.is_file():
        print(f"{args.cache}: no such cache file", file=sys.stderr)
        return 1
    return _print_summary(args.cache, args.json)


def _print_summary(path: Path, as_json: bool) -> int:
    from content.cache import CacheError, ContentCache

    try:
        cache = ContentCache.open(path)
    except CacheError as exc:
        print(f"{path}: {exc}", file=sys.stderr)
        return 1
    try:
        summary = cache.summary()
    finally:
        cache.close()
    if as_json:
        print(json.dumps(summary, ensure_ascii=False, indent=2, sort_keys=True))
    else:
        print(_summary_text(path, summary))
    return 0


def _summary_text(path: Path, summary: dict[str, Any]) -> str:
    lines = [f"{path}:"]
    for key, value in summary.items():
        if isinstance(value, dict):
            lines.append(f"  {key}:")
            lines.extend(f"    {k}: {_flat(v)}" for k, v in value.items())
        else:
            lines.append(f"  {key}: {_flat(value)}")
    return "\n".join(lines)


def _flat(value: Any) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(
            f"{k}: {' '.join(map(str, v)) if isinstance(v, list | tuple) else v}"
            for k, v in value.items()
        )
    return str(value)
