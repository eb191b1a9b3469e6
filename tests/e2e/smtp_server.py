"""A real SMTP server process for the alert e-mail tests: aiosmtpd on 127.0.0.1.

    python -m tests.e2e.smtp_server --port N --folder DIR [--user U --password P]

Each accepted message is written to DIR as `<n>.eml` (written, then renamed) before the server
answers 250, so once the sender's `send_message` returns the file is there. With `--user`,
clients must log in (AUTH PLAIN/LOGIN, allowed without TLS: it only listens on 127.0.0.1).
`SmtpProcess` starts and stops it from a test.
"""

from __future__ import annotations

import argparse
import itertools
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]


class SaveToFolder:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.numbers = itertools.count(1)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        name = f"{time.time_ns()}-{next(self.numbers):04d}"
        tmp = self.folder / f".{name}.tmp"
        tmp.write_bytes(envelope.original_content or envelope.content)
        os.replace(tmp, self.folder / f"{name}.eml")
        return "250 Message accepted for delivery"


def main(argv: list[str]) -> int:
    import logging
    import warnings

    # AUTH without TLS is what this test server is for (127.0.0.1 only): no warning about it
    warnings.simplefilter("ignore")
    logging.disable(logging.WARNING)
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult, LoginPassword

    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--folder", type=Path, required=True)
    parser.add_argument("--user", default="")
    parser.add_argument("--password", default="")
    args = parser.parse_args(argv)
    args.folder.mkdir(parents=True, exist_ok=True)

    def authenticator(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> Any:
        ok = (
            isinstance(data, LoginPassword)
            and data.login.decode() == args.user
            and data.password.decode() == args.password
        )
        return AuthResult(success=ok)

    extra: dict[str, Any] = {}
    if args.user:
        extra = {"auth_required": True, "auth_require_tls": False, "authenticator": authenticator}
    controller = Controller(
        SaveToFolder(args.folder), hostname="127.0.0.1", port=args.port, **extra
    )
    controller.start()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    print("ready", flush=True)
    stop.wait()
    controller.stop()
    return 0


class SmtpProcess:
    """The SMTP server as a separate process on 127.0.0.1; `messages()` parses what it took."""

    def __init__(self, folder: Path, port: int, user: str = "", password: str = "") -> None:
        self.folder = folder
        self.port = port
        self.user = user
        self.password = password
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 30.0) -> None:
        cmd = [sys.executable, "-m", "tests.e2e.smtp_server", "--port", str(self.port)]
        cmd += ["--folder", str(self.folder)]
        if self.user:
            cmd += ["--user", self.user, "--password", self.password]
        self.proc = subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.PIPE)
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()  # blocks until the controller listens (or exits)
        if line.strip() != b"ready":
            raise RuntimeError(f"SMTP server did not start (exit {self.proc.poll()})")
        with socket.create_connection(("127.0.0.1", self.port), timeout=timeout):
            pass

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=20)
        self.proc = None

    def messages(self) -> list[EmailMessage]:
        found = []
        for path in sorted(self.folder.glob("*.eml")):
            msg = message_from_bytes(path.read_bytes(), policy=policy.default)
            assert isinstance(msg, EmailMessage)
            found.append(msg)
        return found


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
