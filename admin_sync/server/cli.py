"""`safe-airports server --data DIR [--host 127.0.0.1] [--port N]`: run the central server."""

from __future__ import annotations

import argparse
import gc
import os
import signal
import sys

from content.settings_base import SettingsError, help_lines


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "server",
        help="run the central server",
        description="Run the central server: TUF repository, kiosk API, administrators' API. "
        "Every setting can also be given as SAFE_AIRPORTS_<NAME> in the environment.",
    )
    parser.add_argument("--data", dest="data_dir", help="data folder (see `admin init-keys`)")
    parser.add_argument("--host", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, help="port to listen on (default 8470)")
    parser.add_argument("--help-settings", action="store_true", help="list every setting")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from admin_sync.server.alerts.settings import AlertSettings
    from admin_sync.server.console.settings import ConsoleSettings
    from admin_sync.server.settings import ServerSettings

    if args.help_settings:
        print("\n".join(help_lines(ServerSettings)))
        print("\nConsole settings (environment SAFE_AIRPORTS_CONSOLE_<NAME>):")
        print("\n".join(help_lines(ConsoleSettings)))
        print("\nAlert settings (environment SAFE_AIRPORTS_ALERTS_<NAME>):")
        print("\n".join(help_lines(AlertSettings)))
        return 0
    try:
        settings = ServerSettings.from_environ(
            os.environ, {"data_dir": args.data_dir, "host": args.host, "port": args.port}
        )
        console_settings = ConsoleSettings.from_environ(os.environ)
        alert_settings = AlertSettings.from_environ(os.environ)
    except (SettingsError, ValueError) as exc:
        print(f"safe-airports server: {exc}", file=sys.stderr)
        return 2
    import uvicorn

    from admin_sync.server.app import create_app
    from admin_sync.server.logs import configure_json_logging, flush_before_signals

    if not (settings.data_dir / "repo" / "metadata").exists():
        print(
            f"safe-airports server: {settings.data_dir} has no TUF repository yet; "
            "run `safe-airports admin init-keys --data DIR --root-key FILE` first",
            file=sys.stderr,
        )
        return 2
    stop_logging = configure_json_logging(settings.log_level)
    # uvicorn ends by raising SIGTERM/SIGINT again once shut down: the last lines are written first
    flush_before_signals(stop_logging, (signal.SIGTERM, signal.SIGINT))
    try:
        app = create_app(settings, console_settings=console_settings, alert_settings=alert_settings)
        # The modules and the app are ~90,000 objects that live as long as the process: out of
        # the garbage collector's sight, a full collection under load no longer walks them all
        # (one took as long as the slowest requests, a pause for every request in flight).
        gc.collect()
        gc.freeze()
        uvicorn.run(
            app,
            host=settings.host,
            port=settings.port,
            log_config=None,
            access_log=False,
            log_level=settings.log_level,
        )
    finally:
        stop_logging()  # the last lines (shutdown, the writers' figures) reach stdout
    return 0
