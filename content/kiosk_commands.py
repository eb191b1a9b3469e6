"""The mailbox between the sync agent and the kiosk app for remote commands (Qt-free, stdlib).

The server hands commands to the agent with the heartbeat answer (kiosks sit behind NAT). Those
only the kiosk app can carry out (a screenshot, a restart) the agent writes here as requests;
the app looks at the folder on a timer and writes its answers beside them. Both programs write
only whole files (`content.durable.write_atomic`). The folder is `kiosk-commands/` beside the
usage counters (`usage_file`'s folder: the one folder both services may write, see
deploy/kiosk/*.service):

    <id>.request.json   {"id", "kind", "expires_at"}            written by the agent
    <id>.result.json    {"id", "status", "detail", "at"}        written by the kiosk app
    <id>.png            the screenshot (written before its result)
    kiosk-status.json   {"notices_serial", "at"}                written by the kiosk app

Statuses: `busy` (a person is using the kiosk: tried again until the expiry), `done`,
`failed`, `expired`. The kiosk decides with `decide` (plan), then acts: it takes a screenshot
or restarts only between two people's sessions, never of or during a person's session.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from content.durable import write_atomic

COMMANDS_DIR = "kiosk-commands"
STATUS_FILE = "kiosk-status.json"
KINDS = ("screenshot", "restart", "sync")
KIOSK_KINDS = ("screenshot", "restart")  # the ones the kiosk app carries out
STATUSES = ("busy", "done", "failed", "expired")
FINAL = ("done", "failed", "expired")
BUSY_DETAIL = "busy, in a session: tried again between sessions until the expiry"
MAX_DETAIL_CHARS = 200
_ID = re.compile(r"^[1-9][0-9]{0,17}$")

Action = Literal["screenshot", "restart", "busy", "expired", "unknown", "wait"]


def mailbox_dir(usage_file: Path) -> Path:
    return usage_file.parent / COMMANDS_DIR


def _now_text(now: datetime) -> str:
    return now.astimezone(UTC).replace(microsecond=0).isoformat()


@dataclass(frozen=True)
class CommandRequest:
    id: int
    kind: str
    expires_at: datetime

    def to_bytes(self) -> bytes:
        body = {"id": self.id, "kind": self.kind, "expires_at": _now_text(self.expires_at)}
        return json.dumps(body, sort_keys=True).encode() + b"\n"

    @classmethod
    def from_bytes(cls, data: bytes) -> CommandRequest:
        raw = json.loads(data.decode("utf-8"))
        if not isinstance(raw, dict):
            raise ValueError("a command request is not an object")
        ident, kind, expires = raw.get("id"), raw.get("kind"), raw.get("expires_at")
        if not isinstance(ident, int) or isinstance(ident, bool) or ident < 1:
            raise ValueError(f"command id {ident!r} is not a positive integer")
        if not isinstance(kind, str) or not isinstance(expires, str):
            raise ValueError("a command request needs a kind and an expiry")
        when = datetime.fromisoformat(expires)
        if when.tzinfo is None:
            raise ValueError(f"expiry {expires!r} has no time zone")
        return cls(ident, kind, when)


@dataclass(frozen=True)
class CommandResult:
    id: int
    status: str  # one of STATUSES
    detail: str = ""
    at: str = ""

    @property
    def final(self) -> bool:
        return self.status in FINAL

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "status": self.status, "detail": self.detail[:MAX_DETAIL_CHARS]}

    def to_bytes(self) -> bytes:
        body = {**self.to_dict(), "at": self.at}
        return json.dumps(body, sort_keys=True, ensure_ascii=False).encode() + b"\n"

    @classmethod
    def from_bytes(cls, data: bytes) -> CommandResult:
        raw = json.loads(data.decode("utf-8"))
        if not isinstance(raw, dict):
            raise ValueError("a command result is not an object")
        ident, status = raw.get("id"), raw.get("status")
        if not isinstance(ident, int) or isinstance(ident, bool) or status not in STATUSES:
            raise ValueError(f"command result {raw!r} is malformed")
        return cls(ident, str(status), str(raw.get("detail", ""))[:MAX_DETAIL_CHARS],
                   str(raw.get("at", "")))  # fmt: skip


def decide(request: CommandRequest, *, now: datetime, between_sessions: bool) -> Action:
    """What the kiosk app does with a request now (plan; the app applies it)."""
    if request.expires_at <= now:
        return "expired"
    if request.kind not in KIOSK_KINDS:
        return "unknown"
    if not between_sessions:
        return "busy"
    return "screenshot" if request.kind == "screenshot" else "restart"


class Mailbox:
    """The folder, as both programs see it."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def _file(self, ident: int, suffix: str) -> Path:
        return self.path / f"{ident}{suffix}"

    # ---- the agent's side ---------------------------------------------------------------
    def post(self, request: CommandRequest) -> None:
        self.path.mkdir(parents=True, exist_ok=True)
        write_atomic(self._file(request.id, ".request.json"), request.to_bytes(), mode=0o660)

    def result(self, ident: int) -> CommandResult | None:
        try:
            return CommandResult.from_bytes(self._file(ident, ".result.json").read_bytes())
        except FileNotFoundError:
            return None

    def screenshot(self, ident: int) -> Path | None:
        path = self._file(ident, ".png")
        return path if path.is_file() else None

    def forget(self, ident: int) -> None:
        for suffix in (".request.json", ".result.json", ".png"):
            self._file(ident, suffix).unlink(missing_ok=True)

    def notices_serial(self) -> int | None:
        """The serial of the urgent notices the kiosk app last read (None: unknown)."""
        try:
            raw = json.loads((self.path / STATUS_FILE).read_bytes())
        except (OSError, ValueError):
            return None
        serial = raw.get("notices_serial") if isinstance(raw, dict) else None
        return serial if isinstance(serial, int) and not isinstance(serial, bool) else None

    # ---- the kiosk app's side -----------------------------------------------------------
    def requests(self) -> list[CommandRequest]:
        """Requests without a final answer yet (malformed ones are answered `failed`)."""
        found: list[CommandRequest] = []
        try:
            names = sorted(p.name for p in self.path.glob("*.request.json"))
        except OSError:
            return []
        for name in names:
            ident = name.split(".", 1)[0]
            if not _ID.match(ident):
                continue
            answered = self.result(int(ident))
            if answered is not None and answered.final:
                continue
            try:
                found.append(CommandRequest.from_bytes((self.path / name).read_bytes()))
            except (OSError, ValueError) as exc:
                self.answer(CommandResult(int(ident), "failed", f"unreadable request: {exc}"))
        return found

    def answer(self, result: CommandResult, *, now: datetime | None = None) -> None:
        stamped = CommandResult(result.id, result.status, result.detail,
                                _now_text(now or datetime.now(UTC)))  # fmt: skip
        write_atomic(self._file(result.id, ".result.json"), stamped.to_bytes(), mode=0o660)

    def screenshot_path(self, ident: int) -> Path:
        return self._file(ident, ".png")

    def write_status(self, *, notices_serial: int | None, now: datetime) -> None:
        self.path.mkdir(parents=True, exist_ok=True)
        body = {"notices_serial": notices_serial, "at": _now_text(now)}
        write_atomic(self.path / STATUS_FILE, json.dumps(body).encode() + b"\n", mode=0o660)
