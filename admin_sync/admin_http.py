"""The administrator API as the CLI calls it: `--server URL --user NAME` (HTTP Basic with the
console user's name and password, asked or read from standard input with --password-stdin).

`AdminClient.from_args` asks for the password; `call` sends one request and returns the JSON
answer, or raises `AdminHTTPError` with the server's refusal in words (its problems, one a line).
"""

from __future__ import annotations

import argparse
import getpass
import sys
from dataclasses import dataclass
from typing import Any


class AdminHTTPError(Exception):
    """The server could not be reached or refused; `lines`: its problems (file:line etc.)."""

    def __init__(self, message: str, lines: list[str] | None = None) -> None:
        super().__init__(message)
        self.lines = lines or []


def add_credential_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--user", help="your administrator name (with --server; role editor)")
    p.add_argument(
        "--password-stdin",
        action="store_true",
        help="read your password from the first line of standard input instead of prompting",
    )


@dataclass(frozen=True)
class AdminClient:
    base: str
    auth: tuple[str, str]

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> AdminClient:
        if not args.user:
            raise AdminHTTPError(
                "--server needs --user NAME (your administrator name, made with add-user)"
            )
        if args.password_stdin:
            password = sys.stdin.readline().rstrip("\r\n")
        else:
            password = getpass.getpass(f"password for {args.user} at {args.server}: ")
        if not password:
            raise AdminHTTPError("no password given")
        base = args.server.rstrip("/")
        local = ("http://127.0.0.1", "http://localhost")
        if base.startswith("http://") and not base.startswith(local):
            print(
                f"warning: {base} is not https: your password crosses the network in clear",
                file=sys.stderr,
            )
        return cls(base, (args.user, password))  # HTTP Basic, checked against users.db

    def call(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        import requests

        try:
            response = requests.request(
                method, self.base + path, auth=self.auth, timeout=(10, 300), **kwargs
            )
        except requests.RequestException as exc:
            raise AdminHTTPError(f"cannot reach {self.base}: {exc}") from exc
        if response.status_code != 200:
            try:
                detail = response.json().get("detail")
            except ValueError:
                detail = response.text
            lines: list[str] = []
            if isinstance(detail, dict):
                lines = [str(line) for line in detail.get("problems", [])]
                detail = detail.get("message")
            raise AdminHTTPError(f"server refused (HTTP {response.status_code}): {detail}", lines)
        answer: dict[str, Any] = response.json()
        return answer
