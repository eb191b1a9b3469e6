"""One alert check: look, record the changes, queue the e-mail, deliver what is due.

`AlertChecker.run_once()` is blocking (SQLite, git, SMTP): the server's background task
(`task.py`) runs it in a worker thread every `check_seconds`, never on the event loop. Every
step is recorded in `server.db` before the next, so a restart neither re-sends nor loses:

1. conditions now (rules.conditions) against the open alerts -> changes, written as events;
2. per subscribed administrator, the events after their cursor become one message
   (immediate: once the oldest has waited `group_wait_seconds` and the hourly limit allows;
   digest: once a day at `digest_hour`), queued together with the cursor's advance;
3. queued messages are delivered; a failure is logged and retried later with a growing wait.
   (A crash between the SMTP server's "accepted" and the "sent" mark may send one twice.)
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from email.message import EmailMessage

from admin_sync.content_edit import parse_list
from admin_sync.server import registry
from admin_sync.server.alerts import store
from admin_sync.server.alerts.mail import compose, compose_digest, message, send_smtp
from admin_sync.server.alerts.rules import (
    ContactDate,
    Thresholds,
    conditions,
    plan_changes,
)
from admin_sync.server.alerts.settings import AlertSettings
from admin_sync.server.db import Database
from admin_sync.tuf_repo import Clock

log = logging.getLogger("safe_airports.server.alerts")

GIVE_UP_AFTER = timedelta(days=1)
MAX_RETRY_WAIT = timedelta(hours=1)

Sender = Callable[[AlertSettings, EmailMessage], None]


@dataclass
class CheckReport:
    changes: int = 0
    queued: int = 0
    sent: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


class AlertChecker:
    def __init__(
        self,
        db: Database,
        settings: AlertSettings,
        *,
        late_after_minutes: int,
        offline_after_minutes: int,
        clock: Clock,
        contacts: Callable[[], Iterable[ContactDate]] = lambda: (),
        active_users: Callable[[], set[str]] | None = None,
        send: Sender = send_smtp,
    ) -> None:
        self.db = db
        self.settings = settings
        self.limits = Thresholds(
            late_after_minutes=late_after_minutes,
            offline_after_minutes=offline_after_minutes,
            low_disk_bytes=settings.low_disk_bytes,
            contact_review_days=settings.contact_review_days,
        )
        self.clock = clock
        self.contacts = contacts
        self.active_users = active_users
        self.send = send

    def run_once(self) -> CheckReport:
        report = CheckReport()
        now = self.clock()
        report.changes = self.record_changes(now)
        if self.settings.mail_enabled:
            report.queued = self.queue_mail(now)
            self.deliver(now, report)
        return report

    def record_changes(self, now: datetime) -> int:
        try:
            contacts = list(self.contacts())
        except Exception as exc:  # unreadable contacts must not stop the kiosk alerts
            log.warning("alerts: could not read the contacts' dates: %s", exc)
            contacts = []
        found = conditions(
            registry.list_kiosks(self.db),
            registry.latest_heartbeats(self.db),
            contacts,
            now=now,
            limits=self.limits,
        )
        with self.db.transaction() as conn:
            plan = plan_changes(store.open_alerts(conn), found)
            events = store.apply_changes(conn, plan, now)
        if events:
            log.info("alerts: %d change(s)", events)
        return events

    def queue_mail(self, now: datetime) -> int:
        queued = 0
        active = self.active_users() if self.active_users else None
        wait = timedelta(seconds=self.settings.group_wait_seconds)
        today = now.date().isoformat()
        with self.db.transaction() as conn:
            for sub in store.subscriptions(conn):
                if (
                    sub.mode == "off"
                    or not sub.email
                    or (active is not None and sub.user not in active)
                ):
                    continue
                events = store.events_after(conn, sub.last_event_id)
                if sub.mode == "digest":
                    if now.hour < self.settings.digest_hour or sub.last_digest_on == today:
                        continue
                    still_open = store.current_alerts(conn)
                    up_to = events[-1].id if events else sub.last_event_id
                    if not events and not still_open:
                        store.advance(conn, sub.user, up_to, digest_on=today)
                        continue
                    subject, body = compose_digest(events, still_open, today, self.settings)
                    store.queue_mail(
                        conn, sub, subject, body, now, up_to_event=up_to, digest_on=today
                    )
                    queued += 1
                    continue
                if not events or datetime.fromisoformat(events[0].at) > now - wait:
                    continue  # nothing new, or others of the same airport may still follow
                sent_last_hour = store.mails_created_since(conn, sub.user, now - timedelta(hours=1))
                if sent_last_hour >= self.settings.max_mails_per_hour:
                    continue  # held: they go together in the next message allowed
                subject, body = compose(events, self.settings)
                store.queue_mail(conn, sub, subject, body, now, up_to_event=events[-1].id)
                queued += 1
        return queued

    def deliver(self, now: datetime, report: CheckReport) -> None:
        with self.db.connect() as conn:
            due = store.due_mail(conn, now)
        for mail in due:
            try:
                self.send(
                    self.settings, message(self.settings, mail.email, mail.subject, mail.body)
                )
            except (OSError, smtplib.SMTPException, ValueError) as exc:
                wait = min(
                    timedelta(seconds=self.settings.retry_seconds * 2**mail.attempts),
                    MAX_RETRY_WAIT,
                )
                give_up = now - datetime.fromisoformat(mail.created_at) >= GIVE_UP_AFTER
                text = f"{type(exc).__name__}: {exc}"
                log.warning(
                    "alerts: e-mail to %s not delivered (%s); %s",
                    mail.email,
                    text,
                    "giving up" if give_up else f"retrying in {wait}",
                )
                with self.db.transaction() as conn:
                    store.mark_attempt_failed(conn, mail.id, text, now + wait, give_up)
                report.failed += 1
                report.errors.append(text)
                continue
            with self.db.transaction() as conn:
                store.mark_sent(conn, mail.id, now)
            report.sent += 1


def contacts_from_yaml(text: str | None) -> list[ContactDate]:
    """The contacts' ids and `verified_on` dates from contacts.yaml (skipping those without)."""
    found = []
    for entry in parse_list(text, "contacts.yaml") if text else []:
        if not isinstance(entry, dict):
            continue
        value = entry.get("verified_on")
        try:
            verified = value if isinstance(value, date) else date.fromisoformat(str(value))
        except ValueError:
            continue
        found.append(ContactDate(str(entry.get("id")), verified))
    return found
