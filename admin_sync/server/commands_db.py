"""Remote commands to kiosks (a screenshot, restart the app, sync now): the `kiosk_commands`
table of server.db (the "commands" migration of `admin_sync.server.db`).

An administrator asks (console, `command_pages`); the kiosk's agent collects the kiosk's open
commands with its next heartbeat (`exchange`, run in the heartbeat's writer trip) and reports
their outcome in a later heartbeat; a screenshot arrives by its own upload (`commands_api`).
A command not finished by its expiry is over: it is never handed out again, and a late answer
does not change it. Which role may ask what is `COMMAND_ROLES`.

Statuses: waiting (not collected yet), delivered, busy (the kiosk is in a person's session and
tries again), then done, failed or expired.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from admin_sync.server.db import Database

KINDS = ("screenshot", "restart", "sync")
LABELS = {"screenshot": "Take a screenshot", "restart": "Restart the app", "sync": "Sync now"}
# Who may ask for what: a screenshot shows the screen, a restart interrupts it; syncing early
# only does sooner what the kiosk does anyway.
COMMAND_ROLES: dict[str, tuple[str, ...]] = {
    "screenshot": ("editor",),
    "restart": ("editor",),
    "sync": ("editor", "viewer"),
}
OPEN = ("waiting", "delivered", "busy")
FINAL = ("done", "failed", "expired")
MAX_OPEN_PER_KIOSK = 10
KEEP_SCREENSHOTS = 5  # per kiosk: older pictures are deleted


class CommandError(ValueError):
    """A command cannot be asked (unknown kind, too many open); the message says why."""


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(microsecond=0).isoformat()


def role_allows(role: str, kind: str) -> bool:
    return role in COMMAND_ROLES.get(kind, ())


@dataclass(frozen=True)
class Command:
    id: int
    kiosk_id: str
    kind: str
    requested_by: str
    requested_at: str
    expires_at: str
    delivered_at: str | None
    status: str
    detail: str
    finished_at: str | None
    screenshot: str | None

    def state(self, now: datetime) -> str:
        """The status, with an open command past its expiry shown as expired."""
        if self.status in OPEN and datetime.fromisoformat(self.expires_at) <= now:
            return "expired"
        return self.status

    @property
    def label(self) -> str:
        return LABELS.get(self.kind, self.kind)


def _query(conn: sqlite3.Connection, sql: str, args: tuple[object, ...]) -> sqlite3.Cursor:
    """A cursor with named rows, whatever the connection's own row factory (the writer's)."""
    cursor = conn.cursor()
    cursor.row_factory = sqlite3.Row
    return cursor.execute(sql, args)


def _command(row: sqlite3.Row) -> Command:
    return Command(**{k: row[k] for k in row.keys()})  # noqa: SIM118 - sqlite3.Row


def add_command(
    db: Database, *, kiosk_id: str, kind: str, by: str, now: datetime, lifetime: timedelta
) -> Command:
    if kind not in KINDS:
        raise CommandError(f"unknown command {kind!r}: one of {', '.join(KINDS)}")
    with db.transaction() as conn:
        open_count = conn.execute(
            "SELECT count(*) FROM kiosk_commands WHERE kiosk_id = ? AND status IN (?, ?, ?) "
            "AND expires_at > ?",
            (kiosk_id, *OPEN, iso(now)),
        ).fetchone()[0]
        if open_count >= MAX_OPEN_PER_KIOSK:
            raise CommandError(
                f"this kiosk already has {open_count} commands waiting: wait for them to "
                "finish or expire"
            )
        cur = conn.execute(
            "INSERT INTO kiosk_commands (kiosk_id, kind, requested_by, requested_at, expires_at) "
            "VALUES (?, ?, ?, ?, ?)",
            (kiosk_id, kind, by, iso(now), iso(now + lifetime)),
        )
        row = conn.execute("SELECT * FROM kiosk_commands WHERE id = ?", (cur.lastrowid,)).fetchone()
    return _command(row)


def get_command(db: Database, command_id: int) -> Command | None:
    with db.connect() as conn:
        row = conn.execute("SELECT * FROM kiosk_commands WHERE id = ?", (command_id,)).fetchone()
    return _command(row) if row else None


def list_commands(db: Database, kiosk_id: str, *, limit: int = 30) -> list[Command]:
    with db.connect() as conn:
        rows = conn.execute(
            "SELECT * FROM kiosk_commands WHERE kiosk_id = ? ORDER BY id DESC LIMIT ?",
            (kiosk_id, limit),
        ).fetchall()
    return [_command(r) for r in rows]


def latest_screenshot(db: Database, kiosk_id: str) -> Command | None:
    with db.connect() as conn:
        row = conn.execute(
            "SELECT * FROM kiosk_commands WHERE kiosk_id = ? AND screenshot IS NOT NULL "
            "ORDER BY id DESC LIMIT 1",
            (kiosk_id,),
        ).fetchone()
    return _command(row) if row else None


@dataclass(frozen=True)
class Outcome:
    """A command's answer from the kiosk that changed its status (for the audit log)."""

    command: Command
    status: str
    detail: str


def exchange(
    conn: sqlite3.Connection,
    kiosk_id: str,
    results: Sequence[tuple[int, str, str]],
    now: datetime,
) -> tuple[list[Command], list[Outcome]]:
    """In the heartbeat's transaction: record the kiosk's answers (id, status, detail), and
    hand out its open, unexpired commands. Returns (to deliver, answers that changed a status).
    Answers about another kiosk's commands, unknown ids or finished or expired commands change
    nothing."""
    stamp = iso(now)
    outcomes: list[Outcome] = []
    for ident, status, detail in results:
        row = _query(
            conn, "SELECT * FROM kiosk_commands WHERE id = ? AND kiosk_id = ?", (ident, kiosk_id)
        ).fetchone()
        if row is None:
            continue
        command = _command(row)
        if command.state(now) not in OPEN or status == command.status:
            continue
        finished = stamp if status in FINAL else None
        conn.execute(
            "UPDATE kiosk_commands SET status = ?, detail = ?, finished_at = ? WHERE id = ?",
            (status, detail, finished, ident),
        )
        outcomes.append(Outcome(command, status, detail))
    rows = _query(
        conn,
        "SELECT * FROM kiosk_commands WHERE kiosk_id = ? AND status IN (?, ?, ?) "
        "AND expires_at > ? ORDER BY id",
        (kiosk_id, *OPEN, stamp),
    ).fetchall()
    conn.execute(
        "UPDATE kiosk_commands SET status = 'delivered', delivered_at = ? "
        "WHERE kiosk_id = ? AND status = 'waiting' AND expires_at > ?",
        (stamp, kiosk_id, stamp),
    )
    return [_command(r) for r in rows], outcomes


def screenshot_target(
    conn: sqlite3.Connection, kiosk_id: str, command_id: int, now: datetime
) -> Command | str:
    """The open screenshot command `command_id` of this kiosk, or why an upload is refused."""
    row = _query(
        conn, "SELECT * FROM kiosk_commands WHERE id = ? AND kiosk_id = ?", (command_id, kiosk_id)
    ).fetchone()
    if row is None:
        return f"kiosk {kiosk_id} has no command {command_id}"
    command = _command(row)
    if command.kind != "screenshot":
        return f"command {command_id} is a {command.kind}, not a screenshot"
    if command.state(now) not in OPEN:
        return f"command {command_id} is {command.state(now)}: no screenshot taken for it"
    return command


def record_screenshot(
    conn: sqlite3.Connection, command_id: int, file_name: str, now: datetime, kiosk_id: str
) -> list[str]:
    """Finish the command with its picture; returns the files of this kiosk's older pictures
    beyond the newest `KEEP_SCREENSHOTS`, no longer referenced (the caller deletes them)."""
    conn.execute(
        "UPDATE kiosk_commands SET status = 'done', detail = 'screenshot received', "
        "finished_at = ?, screenshot = ? WHERE id = ?",
        (iso(now), file_name, command_id),
    )
    old = [
        (row[0], row[1])
        for row in conn.execute(
            "SELECT id, screenshot FROM kiosk_commands WHERE kiosk_id = ? AND screenshot IS NOT "
            "NULL ORDER BY id DESC LIMIT -1 OFFSET ?",
            (kiosk_id, KEEP_SCREENSHOTS),
        )
    ]
    for ident, _ in old:
        conn.execute("UPDATE kiosk_commands SET screenshot = NULL WHERE id = ?", (ident,))
    return [name for _, name in old]
