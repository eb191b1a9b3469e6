"""What is wrong now, and how that differs from the alerts already open: pure functions.

`conditions(...)` turns the kiosks, their last heartbeats and the contacts' dates into the set
of conditions that hold at `now`, each under a stable key (`kiosk:<id>:connection`, ...).
`plan_changes(open, now_conditions)` compares them with the open alerts: an alert opens, changes
level (late -> offline), closes, or only its text changes (no e-mail for that). Only these
changes are e-mailed, so a kiosk offline for a week gives one message, not one per check.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from admin_sync.server.registry import Heartbeat, Kiosk

CONTENT_GROUP = "content"  # the group of alerts about content rather than an airport
MAX_DETAIL_CHARS = 200


@dataclass(frozen=True)
class Thresholds:
    late_after_minutes: int
    offline_after_minutes: int
    low_disk_bytes: int
    contact_review_days: int


@dataclass(frozen=True)
class Condition:
    """Something wrong at one moment: a kiosk late, an error, a contact due..."""

    key: str
    kind: str  # connection, error, disk, review
    subject: str  # what it is about, as people know it (kiosk name, contact id)
    group: str  # airport code, or CONTENT_GROUP
    level: str  # connection: late/offline; error: error; disk: low; review: due
    detail: str


@dataclass(frozen=True)
class OpenAlert:
    id: int
    key: str
    level: str
    detail: str


@dataclass(frozen=True)
class ContactDate:
    id: str
    verified_on: date


@dataclass(frozen=True)
class Change:
    """One step of the plan: `open` (condition), `level` or `detail` (alert, condition), `close`."""

    action: str
    key: str
    condition: Condition | None = None
    alert: OpenAlert | None = None


def _minutes(text: str) -> str:
    minutes = int(text)
    return f"{minutes} min" if minutes < 120 else f"{minutes / 60:g} h"


def kiosk_conditions(
    kiosk: Kiosk, beat: Heartbeat | None, now: datetime, limits: Thresholds
) -> list[Condition]:
    """What is wrong with one kiosk (never heard from or revoked: nothing to say)."""
    if kiosk.revoked or beat is None:
        return []
    found = []
    base = f"kiosk:{kiosk.id}"
    age_min = (now - datetime.fromisoformat(beat.received_at)).total_seconds() / 60
    if age_min > limits.late_after_minutes:
        offline = age_min > limits.offline_after_minutes
        limit = limits.offline_after_minutes if offline else limits.late_after_minutes
        found.append(
            Condition(
                f"{base}:connection",
                "connection",
                kiosk.name,
                kiosk.airport,
                "offline" if offline else "late",
                f"no heartbeat for over {_minutes(str(limit))} (last {beat.received_at})",
            )
        )
    if beat.last_error:
        found.append(
            Condition(
                f"{base}:error",
                "error",
                kiosk.name,
                kiosk.airport,
                "error",
                " ".join(beat.last_error.split())[:MAX_DETAIL_CHARS],
            )
        )
    if beat.free_disk_bytes is not None and beat.free_disk_bytes < limits.low_disk_bytes:
        found.append(
            Condition(
                f"{base}:disk",
                "disk",
                kiosk.name,
                kiosk.airport,
                "low",
                f"{beat.free_disk_bytes / 1024**2:.0f} MB free "
                f"(alert under {limits.low_disk_bytes / 1024**2:.0f} MB)",
            )
        )
    return found


def contact_conditions(
    contacts: Iterable[ContactDate], today: date, limits: Thresholds
) -> list[Condition]:
    found = []
    for contact in contacts:
        due = contact.verified_on + timedelta(days=limits.contact_review_days)
        if due < today:
            found.append(
                Condition(
                    f"contact:{contact.id}:review",
                    "review",
                    contact.id,
                    CONTENT_GROUP,
                    "due",
                    f"verified on {contact.verified_on}, due for checking since {due}",
                )
            )
    return found


def conditions(
    kiosks: Iterable[Kiosk],
    beats: Mapping[str, Heartbeat],
    contacts: Iterable[ContactDate],
    *,
    now: datetime,
    limits: Thresholds,
) -> dict[str, Condition]:
    found = [c for k in kiosks for c in kiosk_conditions(k, beats.get(k.id), now, limits)]
    found += contact_conditions(contacts, now.date(), limits)
    return {c.key: c for c in found}


def plan_changes(
    open_alerts: Mapping[str, OpenAlert], now: Mapping[str, Condition]
) -> list[Change]:
    """The changes that turn the open alerts into the current conditions, in key order."""
    plan = []
    for key in sorted(set(open_alerts) | set(now)):
        alert, condition = open_alerts.get(key), now.get(key)
        if alert is None:
            plan.append(Change("open", key, condition=condition))
        elif condition is None:
            plan.append(Change("close", key, alert=alert))
        elif condition.level != alert.level:
            plan.append(Change("level", key, condition=condition, alert=alert))
        elif condition.detail != alert.detail:
            plan.append(Change("detail", key, condition=condition, alert=alert))
    return plan
