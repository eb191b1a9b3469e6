"""A local demo of the update chain: server, published sample, one provisioned kiosk, its agent.

    python -m admin_sync.demo_stack --dir .demo [--port 8470] [--seconds N]

Prepares `DIR` once (keys, an editor account demo-admin, the sample published as version 1, a
kiosk with its TOML settings), then runs the server and the sync agent until Ctrl-C (or N seconds),
printing where everything is and how to publish a change. Start the kiosk app with the printed
command in another terminal: it shows what the agent installs.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "content" / "sample"


DEMO_ADMIN = ("demo-admin", "demo password only")
# Synthesized speech is cached by text; the demo shares the tests' cache, so on a machine where
# either has run the listen buttons' audio costs nothing more.
SPEECH_CACHE = REPO / ".pytest_cache" / "d" / "speech"


def speech_environ(environ: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of the demo's server and publish: speech synthesis on (the listen
    buttons) where espeak-ng and opusenc are installed, with the shared cache."""
    env = dict(os.environ if environ is None else environ)
    if all(shutil.which(tool) for tool in ("espeak-ng", "opusenc")):
        env.setdefault("SAFE_AIRPORTS_SPEECH_SYNTHESIS", "true")
        env.setdefault("SAFE_AIRPORTS_SPEECH_CACHE_DIR", str(SPEECH_CACHE))
    return env


def _cli(*args: str, stdin: str | None = None) -> None:
    subprocess.run(
        [sys.executable, "-m", "safe_airports_cli", *args],
        cwd=REPO,
        check=True,
        input=stdin,
        text=True,
        env=speech_environ(),
    )


def prepare(root: Path, port: int) -> Path:
    """Create the demo folder (idempotent); returns the kiosk's TOML settings file."""
    root = root.resolve()
    data, kiosk = root / "server-data", root / "kiosk"
    url = f"http://127.0.0.1:{port}"
    if not (data / "repo").exists():
        _cli("admin", "init-keys", "--data", str(data), "--root-key", str(root / "root-key.pem"))
        _cli("admin", "add-user", DEMO_ADMIN[0], "--data", str(data), "--role", "editor",
             "--password-stdin", stdin=DEMO_ADMIN[1] + "\n")  # fmt: skip
        if "SAFE_AIRPORTS_SPEECH_SYNTHESIS" not in speech_environ():
            print("espeak-ng or opusenc missing: the demo has no listen buttons", flush=True)
        _cli("admin", "publish", str(SAMPLE), "--data", str(data))
    config = kiosk / "kiosk.toml"
    if not config.exists():
        kiosk.mkdir(parents=True, exist_ok=True)
        _cli("admin", "add-kiosk", "--airport", "TAS", "--name", "DEMO-TAS-01", "--data",
             str(data), "--server-url", url, "--out", str(kiosk / "provisioning.json"))  # fmt: skip
        kiosk_id = json.loads((kiosk / "provisioning.json").read_text())["kiosk_id"]
        config.write_text(
            "\n".join(
                [
                    'airport = "TAS"',
                    f'kiosk_id = "{kiosk_id}"',
                    f'content_dir = "{kiosk / "content"}"',
                    f'usage_file = "{kiosk / "usage.db"}"',
                    f'fallback_cache_dir = "{kiosk / "fallback"}"',
                    "[sync]",
                    f'provisioning_file = "{kiosk / "provisioning.json"}"',
                    f'state_dir = "{kiosk / "sync"}"',
                    "interval_seconds = 10.0",
                    "backoff_initial_seconds = 2.0",
                    "backoff_max_seconds = 30.0",
                ]
            )
            + "\n"
        )
    return config


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dir", type=Path, default=Path(".demo"))
    parser.add_argument("--port", type=int, default=8470)
    parser.add_argument("--seconds", type=float, help="stop after this long (default: Ctrl-C)")
    args = parser.parse_args(argv)
    config = prepare(args.dir, args.port)
    root = args.dir.resolve()
    logs = root / "logs"
    logs.mkdir(exist_ok=True)
    procs = []
    with (logs / "server.log").open("ab") as server_log, (logs / "agent.log").open("ab") as ag:
        procs.append(
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "safe_airports_cli",
                    "server",
                    "--data",
                    str(root / "server-data"),
                    "--port",
                    str(args.port),
                ],  # fmt: skip
                cwd=REPO,
                stdout=server_log,
                stderr=subprocess.STDOUT,
                env=speech_environ(),  # console publishes synthesize too
            )
        )
        procs.append(
            subprocess.Popen(
                [sys.executable, "-m", "safe_airports_cli", "sync", "--config", str(config)],
                cwd=REPO,
                stdout=ag,
                stderr=subprocess.STDOUT,  # fmt: skip
            )
        )
    print(
        f"""
Safe Airports update demo
  server:   http://127.0.0.1:{args.port}  (OpenAPI: /docs; log: {logs / "server.log"})
  agent:    checks every 10 s              (log: {logs / "agent.log"})
  kiosk:    safe-airports kiosk --config {config} --windowed
  content:  {config.parent / "content"} (installed by the agent)

Publish a change: edit a copy of content/sample, then
  safe-airports admin publish MY_COPY --server http://127.0.0.1:{args.port} \\
      --user {DEMO_ADMIN[0]}     (password: {DEMO_ADMIN[1]})
  or sign in to the console http://127.0.0.1:{args.port}/console/ with the same name and password.
The agent installs it within ~10 s; the kiosk shows it after its next session reset.
Stop with Ctrl-C.""",
        flush=True,
    )
    stop = {"now": False}
    signal.signal(signal.SIGTERM, lambda *_: stop.update(now=True))
    deadline = time.monotonic() + args.seconds if args.seconds else None
    try:
        while not stop["now"] and (deadline is None or time.monotonic() < deadline):
            if any(p.poll() is not None for p in procs):
                print("a demo process exited; see the logs", file=sys.stderr)
                break
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            p.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
