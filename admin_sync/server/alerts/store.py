"""The alert tables of `server.db` (migration 7): alerts, their changes (events), each
administrator's subscription and the outgoing mail queue. Plain functions on a connection; the
checker calls them inside short `BEGIN IMMEDIATE` transactions, the console reads them."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from admin_sync.server.alerts.rules import Change, OpenAlert

MODES = ("off", "immediate", "digest")


def iso(moment: datetime) -> str:
    return moment.replace(microsecond=0).isoformat()


@dataclass(frozen=True)
class Event:
    """One state change of an alert, as mailed and listed."""

    id: int
    at: str
    change: str  # opened, changed, closed
    level: str
    detail: str
    kind: str
    subject: str
    group: str


@dataclass(frozen=True)
class Alert:
    id: int
    kind: str
    subject: str
    group: str
    level: str
    detail: str
    opened_at: str


@dataclass(frozen=True)
class Subscription:
    user: str
    email: str
    mode: str
    last_event_id: int
    last_digest_on: str | None


@dataclass(frozen=True)
class QueuedMail:
    id: int
    user: str
    email: str
    subject: str
    body: str
    created_at: str
    attempts: int
    sent_at: str | None = None
    failed_at: str | None = None
    last_error: str | None = None


def open_alerts(conn: sqlite3.Connection) -> dict[str, OpenAlert]:
    rows = conn.execute("SELECT id, key, level, detail FROM alerts WHERE closed_at IS NULL")
    return {r[1]: OpenAlert(r[0], r[1], r[2], r[3]) for r in rows}


def apply_changes(conn: sqlite3.Connection, plan: list[Change], now: datetime) -> int:
    """Perform `plan` (rules.plan_changes); returns how many events (mailable changes) it made."""
    at = iso(now)
    events = 0
    for change in plan:
        c, a = change.condition, change.alert
        if change.action == "open" and c is not None:
            cur = conn.execute(
                "INSERT INTO alerts (key, kind, subject, grp, level, detail, opened_at) "
                "VALUES (?,?,?,?,?,?,?)",
                (c.key, c.kind, c.subject, c.group, c.level, c.detail, at),
            )
            _event(conn, int(cur.lastrowid or 0), at, "opened", c.level, c.detail)
            events += 1
        elif change.action == "close" and a is not None:
            conn.execute("UPDATE alerts SET closed_at = ? WHERE id = ?", (at, a.id))
            _event(conn, a.id, at, "closed", a.level, a.detail)
            events += 1
        elif change.action in ("level", "detail") and c is not None and a is not None:
            conn.execute(
                "UPDATE alerts SET level = ?, detail = ? WHERE id = ?", (c.level, c.detail, a.id)
            )
            if change.action == "level":
                _event(conn, a.id, at, "changed", c.level, c.detail)
                events += 1
    return events


def _event(
    conn: sqlite3.Connection, alert_id: int, at: str, change: str, level: str, detail: str
) -> None:
    conn.execute(
        "INSERT INTO alert_events (alert_id, at, change, level, detail) VALUES (?,?,?,?,?)",
        (alert_id, at, change, level, detail),
    )


_EVENT_SQL = (
    "SELECT e.id, e.at, e.change, e.level, e.detail, a.kind, a.subject, a.grp "
    "FROM alert_events e JOIN alerts a ON a.id = e.alert_id "
)


def events_after(conn: sqlite3.Connection, event_id: int) -> list[Event]:
    rows = conn.execute(_EVENT_SQL + "WHERE e.id > ? ORDER BY e.id", (event_id,))
    return [Event(*r) for r in rows]


def recent_events(conn: sqlite3.Connection, limit: int = 40) -> list[Event]:
    rows = conn.execute(_EVENT_SQL + "ORDER BY e.id DESC LIMIT ?", (limit,))
    return [Event(*r) for r in rows]


def last_event_id(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT coalesce(max(id), 0) FROM alert_events").fetchone()[0])


def current_alerts(conn: sqlite3.Connection) -> list[Alert]:
    rows = conn.execute(
        "SELECT id, kind, subject, grp, level, detail, opened_at FROM alerts "
        "WHERE closed_at IS NULL ORDER BY grp, kind, subject"
    )
    return [Alert(*r) for r in rows]


def subscriptions(conn: sqlite3.Connection) -> list[Subscription]:
    rows = conn.execute(
        "SELECT user, email, mode, last_event_id, last_digest_on FROM alert_subscriptions "
        "ORDER BY user"
    )
    return [Subscription(*r) for r in rows]


def subscription(conn: sqlite3.Connection, user: str) -> Subscription | None:
    row = conn.execute(
        "SELECT user, email, mode, last_event_id, last_digest_on FROM alert_subscriptions "
        "WHERE user = ?",
        (user,),
    ).fetchone()
    return Subscription(*row) if row else None


def set_subscription(
    conn: sqlite3.Connection, user: str, email: str, mode: str, now: datetime
) -> None:
    """Save a user's choice. Turning mail on starts from now: no old changes are sent."""
    if mode not in MODES:
        raise ValueError(f"mode {mode!r}: must be one of {', '.join(MODES)}")
    before = subscription(conn, user)
    cursor = before.last_event_id if before else 0
    if before is None or before.mode == "off":
        cursor = last_event_id(conn)
    conn.execute(
        "INSERT INTO alert_subscriptions (user, email, mode, last_event_id, changed_at) "
        "VALUES (?,?,?,?,?) ON CONFLICT (user) DO UPDATE SET email = excluded.email, "
        "mode = excluded.mode, last_event_id = excluded.last_event_id, "
        "changed_at = excluded.changed_at",
        (user, email, mode, cursor, iso(now)),
    )


def mails_created_since(conn: sqlite3.Connection, user: str, since: datetime) -> int:
    row = conn.execute(
        "SELECT count(*) FROM alert_mail WHERE user = ? AND created_at > ?", (user, iso(since))
    ).fetchone()
    return int(row[0])


def queue_mail(
    conn: sqlite3.Connection,
    sub: Subscription,
    subject: str,
    body: str,
    now: datetime,
    *,
    up_to_event: int,
    digest_on: str | None = None,
) -> None:
    """Queue one message and, in the same transaction, mark its changes as mailed."""
    conn.execute(
        "INSERT INTO alert_mail (user, email, subject, body, created_at, next_try_at) "
        "VALUES (?,?,?,?,?,?)",
        (sub.user, sub.email, subject, body, iso(now), iso(now)),
    )
    advance(conn, sub.user, up_to_event, digest_on)


def advance(
    conn: sqlite3.Connection, user: str, up_to_event: int, digest_on: str | None = None
) -> None:
    conn.execute(
        "UPDATE alert_subscriptions SET last_event_id = max(last_event_id, ?), "
        "last_digest_on = coalesce(?, last_digest_on) WHERE user = ?",
        (up_to_event, digest_on, user),
    )


_MAIL_SQL = (
    "SELECT id, user, email, subject, body, created_at, attempts, sent_at, failed_at, "
    "last_error FROM alert_mail "
)


def due_mail(conn: sqlite3.Connection, now: datetime) -> list[QueuedMail]:
    rows = conn.execute(
        _MAIL_SQL + "WHERE sent_at IS NULL AND failed_at IS NULL AND next_try_at <= ? ORDER BY id",
        (iso(now),),
    )
    return [QueuedMail(*r) for r in rows]


def recent_mail(conn: sqlite3.Connection, limit: int = 20) -> list[QueuedMail]:
    return [QueuedMail(*r) for r in conn.execute(_MAIL_SQL + "ORDER BY id DESC LIMIT ?", (limit,))]


def mark_sent(conn: sqlite3.Connection, mail_id: int, now: datetime) -> None:
    conn.execute("UPDATE alert_mail SET sent_at = ? WHERE id = ?", (iso(now), mail_id))


def mark_attempt_failed(
    conn: sqlite3.Connection, mail_id: int, error: str, next_try: datetime, give_up: bool
) -> None:
    conn.execute(
        "UPDATE alert_mail SET attempts = attempts + 1, last_error = ?, next_try_at = ?, "
        "failed_at = CASE WHEN ? THEN ? ELSE NULL END WHERE id = ?",
        (error[:500], iso(next_try), give_up, iso(next_try), mail_id),
    )
