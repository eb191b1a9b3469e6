"""A plain static file server standing in for a CDN or object store mirroring the repository.

`python -m tests.e2e.mirror_server FOLDER PORT LOG` serves FOLDER on 127.0.0.1:PORT (Python's
http.server, no knowledge of TUF or tokens) and appends one JSON line per request to LOG: the
path, the status and every request header, so a test can check what the mirror was sent.
`copy_repository` copies the server's repository into a mirror folder as rclone would.
"""

from __future__ import annotations

import functools
import json
import shutil
import subprocess
import sys
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import requests

REPO = Path(__file__).resolve().parents[2]


def copy_repository(data: Path, mirror: Path) -> None:
    """The server's `repo/targets` and live `repo/metadata` (a symlink, followed) under
    `mirror/tuf/`, files already there overwritten."""
    repo = data / "repo"
    for name in ("targets", "metadata"):
        shutil.copytree((repo / name).resolve(), mirror / "tuf" / name, dirs_exist_ok=True)


class MirrorProcess:
    def __init__(self, folder: Path, port: int, log_path: Path) -> None:
        self.folder = folder
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.log_path = log_path
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 30.0) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.e2e.mirror_server"]
            + [str(self.folder), str(self.port), str(self.log_path)],
            cwd=REPO,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                requests.get(self.url + "/", timeout=1)
                return
            except requests.RequestException:
                time.sleep(0.05)  # polling a condition (the port answering), with a deadline
        raise RuntimeError(f"mirror did not answer within {timeout} s")

    def requests_seen(self) -> list[dict[str, Any]]:
        if not self.log_path.exists():
            return []
        return [json.loads(line) for line in self.log_path.read_text().splitlines() if line]

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(timeout=20)
            self.proc = None


class LoggingHandler(SimpleHTTPRequestHandler):
    log_path: Path
    lock = threading.Lock()

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        entry = {"path": self.path, "status": int(code), "headers": dict(self.headers.items())}
        with self.lock, self.log_path.open("a") as log:
            log.write(json.dumps(entry) + "\n")

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - http.server's
        pass


def main(argv: list[str]) -> int:
    folder, port, log_path = Path(argv[0]), int(argv[1]), Path(argv[2])
    handler = type("Handler", (LoggingHandler,), {"log_path": log_path})
    server = ThreadingHTTPServer(
        ("127.0.0.1", port), functools.partial(handler, directory=str(folder))
    )
    try:
        server.serve_forever()
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
