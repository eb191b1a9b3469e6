"""Urgent notices on the server: checking what an administrator wrote, and the `notices` table
of server.db (migration 5 of `admin_sync.server.db`).

Plan, then apply: `check_notice` turns the console form into a `NoticeDraft` or a list of
errors, each naming its field; `add_notice` and `withdraw_notice` store one row each. Which
notices kiosks get is `live_notices` (not withdrawn, not yet expired); `admin_sync.notice_publish`
signs them.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone

from admin_sync.server.db import Database
from content.notices import MAX_HEADING_CHARS, MAX_TEXT_CHARS, Notice, format_time, parse_time

# The time zones of the airports (none has daylight saving time): the form's times are local.
TIME_ZONES: dict[str, tuple[str, int]] = {
    "+05:00": ("Tashkent, Termez, Namangan, Qarshi, Ashgabat (UTC+5)", 5 * 60),
    "+06:00": ("Bishkek (UTC+6)", 6 * 60),
    "+00:00": ("UTC", 0),
}
REQUIRED_LANGUAGE = "en"  # the last fallback of every language: every reader sees the notice
MAX_DAYS = 366


@dataclass(frozen=True)
class NoticeDraft:
    airport: str
    destination: str
    starts_at: datetime
    expires_at: datetime
    texts: dict[str, str]
    headings: dict[str, str] = field(default_factory=dict)  # optional, per language


@dataclass(frozen=True)
class NoticeCheck:
    draft: NoticeDraft | None
    errors: dict[str, str] = field(default_factory=dict)  # form field -> what is wrong


def _local_time(value: str, offset_minutes: int) -> datetime | None:
    try:
        naive = datetime.fromisoformat(value)
    except ValueError:
        return None
    if naive.tzinfo is not None:
        return None
    return naive.replace(tzinfo=timezone(timedelta(minutes=offset_minutes))).astimezone(UTC)


def check_notice(
    fields: Mapping[str, str],
    *,
    languages: Mapping[str, str],
    airports: Sequence[str],
    destinations: Sequence[str],
    now: datetime,
) -> NoticeCheck:
    """The draft the form describes, or what is wrong with it, field by field.

    Fields: `airport` and `destination` ("" = all; at least one is needed), `starts_at` and
    `expires_at` (the form's `datetime-local`, in the time zone `tz`), `text_<language>` and
    the optional `heading_<language>` (only beside a text of the same language)."""
    errors: dict[str, str] = {}
    airport = fields.get("airport", "")
    destination = fields.get("destination", "")
    if airport and airport not in airports:
        errors["airport"] = f"Airport: {airport!r} is not one of the airports."
    if destination and destination not in destinations:
        errors["destination"] = f"Destination: {destination!r} is not one of the destinations."
    if not airport and not destination and "airport" not in errors:
        errors["airport"] = "Airport or destination: choose at least one (where it shows)."
    tz = fields.get("tz", "+05:00")
    if tz not in TIME_ZONES:
        errors["tz"] = "Time zone: choose one of the list."
        tz = "+05:00"
    offset = TIME_ZONES[tz][1]
    times: dict[str, datetime] = {}
    for name, label in (("starts_at", "Start"), ("expires_at", "Expiry")):
        raw = fields.get(name, "")
        if not raw:
            errors[name] = f"{label}: give a date and time."
            continue
        parsed = _local_time(raw, offset)
        if parsed is None:
            errors[name] = f"{label}: {raw!r} is not a date and time (YYYY-MM-DDTHH:MM)."
        else:
            times[name] = parsed
    if len(times) == 2:
        if times["expires_at"] <= times["starts_at"]:
            errors["expires_at"] = "Expiry: must be after the start."
        elif times["expires_at"] <= now:
            errors["expires_at"] = "Expiry: already in the past."
        elif times["expires_at"] - times["starts_at"] > timedelta(days=MAX_DAYS):
            errors["expires_at"] = f"Expiry: at most {MAX_DAYS} days after the start."
    texts: dict[str, str] = {}
    for lang, name in languages.items():
        text = " ".join(fields.get(f"text_{lang}", "").split())
        if len(text) > MAX_TEXT_CHARS:
            errors[f"text_{lang}"] = (
                f"Text ({name}): {len(text)} characters, at most {MAX_TEXT_CHARS}."
            )
        elif text:
            texts[lang] = text
    headings: dict[str, str] = {}
    for lang, name in languages.items():
        heading = " ".join(fields.get(f"heading_{lang}", "").split())
        if len(heading) > MAX_HEADING_CHARS:
            errors[f"heading_{lang}"] = (
                f"Heading ({name}): {len(heading)} characters, at most {MAX_HEADING_CHARS}."
            )
        elif heading and not texts.get(lang) and f"text_{lang}" not in errors:
            errors[f"heading_{lang}"] = (
                f"Heading ({name}): there is no text in this language for it to head."
            )
        elif heading:
            headings[lang] = heading
    if not texts.get(REQUIRED_LANGUAGE) and f"text_{REQUIRED_LANGUAGE}" not in errors:
        name = languages.get(REQUIRED_LANGUAGE, "English")
        errors[f"text_{REQUIRED_LANGUAGE}"] = (
            f"Text ({name}): empty. An English text is needed: it is the last fallback, shown "
            "to readers whose language (and its fallbacks) has no text."
        )
    if errors:
        return NoticeCheck(None, errors)
    draft = NoticeDraft(
        airport, destination, times["starts_at"], times["expires_at"], texts, headings
    )
    return NoticeCheck(draft)


def derive_texts(
    texts: Mapping[str, str], generated: Mapping[str, tuple[str, Callable[[str], str]]]
) -> dict[str, str]:
    """`texts` plus each generated language (e.g. uz-Cyrl from uz, by transliteration, as
    content does) that has no text of its own while its source has one."""
    out = dict(texts)
    for target, (source, convert) in generated.items():
        if not out.get(target) and out.get(source):
            out[target] = convert(out[source])
    return out


@dataclass(frozen=True)
class NoticeRow:
    notice: Notice
    written_by: str
    written_at: str
    withdrawn_by: str | None
    withdrawn_at: str | None
    edited_by: str | None = None  # the last edit (the text replaced, a new serial signed)
    edited_at: str | None = None

    def state(self, now: datetime) -> str:
        if self.withdrawn_at:
            return "withdrawn"
        if self.notice.expires_at <= now:
            return "expired"
        return "showing" if self.notice.starts_at <= now else "scheduled"


def _row(r: sqlite3.Row) -> NoticeRow:
    notice = Notice(
        id=int(r["id"]),
        airport=r["airport"],
        destination=r["destination"],
        starts_at=parse_time(r["starts_at"]),
        expires_at=parse_time(r["expires_at"]),
        texts=json.loads(r["texts"]),
        headings=json.loads(r["headings"]),
    )
    return NoticeRow(
        notice,
        r["written_by"],
        r["written_at"],
        r["withdrawn_by"],
        r["withdrawn_at"],
        r["edited_by"],
        r["edited_at"],
    )


def add_notice(db: Database, draft: NoticeDraft, *, author: str, now: datetime) -> int:
    with db.transaction() as conn:
        cur = conn.execute(
            "INSERT INTO notices (airport, destination, starts_at, expires_at, texts, "
            "written_by, written_at, headings) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                draft.airport,
                draft.destination,
                format_time(draft.starts_at),
                format_time(draft.expires_at),
                json.dumps(draft.texts, ensure_ascii=False, sort_keys=True),
                author,
                format_time(now),
                json.dumps(draft.headings, ensure_ascii=False, sort_keys=True),
            ),
        )
        return int(cur.lastrowid or 0)


def update_notice(
    db: Database, notice_id: int, draft: NoticeDraft, *, author: str, now: datetime
) -> bool:
    """Replace a live or scheduled notice's place, times, texts and headings (the id stays);
    False when there is no such notice, or it was withdrawn or has expired."""
    with db.transaction() as conn:
        cur = conn.execute(
            "UPDATE notices SET airport = ?, destination = ?, starts_at = ?, expires_at = ?, "
            "texts = ?, headings = ?, edited_by = ?, edited_at = ? "
            "WHERE id = ? AND withdrawn_at IS NULL AND expires_at > ?",
            (
                draft.airport,
                draft.destination,
                format_time(draft.starts_at),
                format_time(draft.expires_at),
                json.dumps(draft.texts, ensure_ascii=False, sort_keys=True),
                json.dumps(draft.headings, ensure_ascii=False, sort_keys=True),
                author,
                format_time(now),
                notice_id,
                format_time(now),
            ),
        )
        return cur.rowcount == 1


def get_notice(db: Database, notice_id: int) -> NoticeRow | None:
    with db.connect() as conn:
        row = conn.execute("SELECT * FROM notices WHERE id = ?", (notice_id,)).fetchone()
    return _row(row) if row else None


def withdraw_notice(db: Database, notice_id: int, *, author: str, now: datetime) -> bool:
    """Mark a notice withdrawn now; False when there is no such notice, or it already was."""
    with db.transaction() as conn:
        cur = conn.execute(
            "UPDATE notices SET withdrawn_by = ?, withdrawn_at = ? "
            "WHERE id = ? AND withdrawn_at IS NULL",
            (author, format_time(now), notice_id),
        )
        return cur.rowcount == 1


def list_notices(db: Database, *, limit: int = 200) -> list[NoticeRow]:
    with db.connect() as conn:
        rows = conn.execute("SELECT * FROM notices ORDER BY id DESC LIMIT ?", (limit,)).fetchall()
    return [_row(r) for r in rows]


def live_notices(db: Database, now: datetime) -> list[Notice]:
    """What kiosks must hold: not withdrawn, not yet expired (started or scheduled)."""
    with db.connect() as conn:
        rows = conn.execute(
            "SELECT * FROM notices WHERE withdrawn_at IS NULL ORDER BY id"
        ).fetchall()
    return [row.notice for row in map(_row, rows) if row.notice.expires_at > now]


def kiosk_notice_serials(db: Database) -> dict[str, int | None]:
    """Kiosk id -> the urgent notices serial its last heartbeat says it shows (None: unknown)."""
    with db.connect() as conn:
        rows = conn.execute("SELECT kiosk_id, notices_serial FROM heartbeats").fetchall()
    return {row[0]: row[1] for row in rows}


def notice_note(serial: int | None, latest: int) -> str:
    """How a kiosk's notices compare with the server's latest serial."""
    if latest == 0:
        return "none published"
    if serial is None:
        return "unknown"
    return "latest" if serial >= latest else f"older (serial {serial})"
