"""Alerts without processes: the conditions at a moment, the plan against the open alerts, the
text of a message, the contacts' dates from contacts.yaml, and the console's alerts page."""

from __future__ import annotations

import asyncio
import contextlib
import threading
from datetime import UTC, date, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path

from admin_sync.server.alerts import store
from admin_sync.server.alerts.checker import AlertChecker, contacts_from_yaml
from admin_sync.server.alerts.mail import compose, subject_for
from admin_sync.server.alerts.rules import (
    ContactDate,
    OpenAlert,
    Thresholds,
    conditions,
    plan_changes,
)
from admin_sync.server.alerts.settings import AlertSettings
from admin_sync.server.alerts.task import run_alert_checks
from admin_sync.server.db import Database
from admin_sync.server.registry import Heartbeat, Kiosk, add_kiosk
from tests.admin_sync.console_env import VIEWER, ConsoleEnv

NOW = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
LIMITS = Thresholds(
    late_after_minutes=20,
    offline_after_minutes=120,
    low_disk_bytes=500 * 1024**2,
    contact_review_days=365,
)
SAMPLE_CONTACTS = Path(__file__).resolve().parents[3] / "content" / "sample" / "contacts.yaml"


def beat(
    kid: str, minutes_ago: float, *, error: str | None = None, free: int = 10**10
) -> Heartbeat:
    received = (NOW - timedelta(minutes=minutes_ago)).isoformat()
    return Heartbeat(kid, received, "1", 3, 60, free, error)


def test_conditions_and_the_plan_against_open_alerts() -> None:
    kiosks = [
        Kiosk("a", "TAS", "TAS-A", "", None),
        Kiosk("b", "TAS", "TAS-B", "", None),
        Kiosk("c", "TMJ", "TMJ-C", "", None),
        Kiosk("d", "TMJ", "TMJ-D", "", None),  # never heard from: nothing to say yet
        Kiosk("e", "TMJ", "TMJ-E", "", "2026-11-01"),  # revoked: silent on purpose
    ]
    beats = {
        "a": beat("a", 20),  # exactly at the limit: still online, as on the fleet page
        "b": beat("b", 21, error="cache\n  unreadable"),
        "c": beat("c", 121, free=100 * 1024**2),
        "e": beat("e", 500),
    }
    contacts = [ContactDate("old", date(2025, 11, 21)), ContactDate("new", date(2025, 11, 22))]
    found = conditions(kiosks, beats, contacts, now=NOW, limits=LIMITS)
    assert {k: (c.group, c.level) for k, c in found.items()} == {
        "kiosk:b:connection": ("TAS", "late"),
        "kiosk:b:error": ("TAS", "error"),
        "kiosk:c:connection": ("TMJ", "offline"),
        "kiosk:c:disk": ("TMJ", "low"),
        "contact:old:review": ("content", "due"),
    }
    assert found["kiosk:b:error"].detail == "cache unreadable"
    assert found["kiosk:c:disk"].detail == "100 MB free (alert under 500 MB)"

    open_alerts = {
        "kiosk:b:connection": OpenAlert(
            1, "kiosk:b:connection", "late", found["kiosk:b:connection"].detail
        ),
        "kiosk:c:connection": OpenAlert(2, "kiosk:c:connection", "late", "x"),
        "kiosk:b:error": OpenAlert(3, "kiosk:b:error", "error", "an older text"),
        "kiosk:a:disk": OpenAlert(4, "kiosk:a:disk", "low", "x"),
    }
    plan = plan_changes(open_alerts, found)
    assert [(c.action, c.key) for c in plan] == [
        ("open", "contact:old:review"),
        ("close", "kiosk:a:disk"),
        ("detail", "kiosk:b:error"),  # same state, new text: recorded, not mailed
        ("level", "kiosk:c:connection"),  # late -> offline: a change, mailed
        ("open", "kiosk:c:disk"),
    ]


def _event(
    n: int,
    subject: str,
    group: str,
    change: str = "opened",
    level: str = "offline",
    kind: str = "connection",
) -> store.Event:
    return store.Event(n, NOW.isoformat(), change, level, "detail", kind, subject, group)


def test_message_text_groups_per_airport_and_change() -> None:
    settings = AlertSettings(console_url="https://console.example.org/")
    ten = [_event(i, f"TMJ-{i:02d}", "TMJ") for i in range(10)]
    subject, body = compose(ten, settings)
    assert subject == "[Safe Airports] Termez (TMJ): 10 kiosks went offline"
    assert "  went offline: TMJ-00, TMJ-01" in body
    assert "https://console.example.org/console/alerts" in body
    mixed = [
        *ten[:2],
        _event(20, "TMJ-00", "TMJ", "closed"),
        _event(21, "uz-hotline", "content", level="due", kind="review"),
    ]
    assert subject_for(mixed) == "[Safe Airports] 4 alert changes: Termez (TMJ), Content"
    assert subject_for(mixed[:3]) == "[Safe Airports] Termez (TMJ): 3 alert changes"
    assert subject_for(mixed[3:]) == "[Safe Airports] Content: uz-hotline past its review date"


def test_contact_dates_come_from_the_sample_contacts_yaml() -> None:
    found = contacts_from_yaml(SAMPLE_CONTACTS.read_text(encoding="utf-8"))
    assert len(found) >= 5
    assert all(isinstance(c.verified_on, date) and c.id not in ("", "None") for c in found)
    assert contacts_from_yaml(None) == []


def test_alerts_page_shows_open_alerts_and_saves_only_a_valid_choice(tmp_path: Path) -> None:
    env = ConsoleEnv(tmp_path)
    db = env.app.state.db
    with db.transaction() as conn:
        found = conditions(
            [env.kiosk], {env.kiosk.id: beat(env.kiosk.id, 200)}, [], now=NOW, limits=LIMITS
        )
        store.apply_changes(conn, plan_changes({}, found), NOW)
    assert env.sign_in(VIEWER).status_code == 303
    page = env.client.get("/console/alerts")
    assert page.status_code == 200
    assert (
        "Tashkent (TAS)" in page.text and "TAS-T2-01" in page.text and "went offline" in page.text
    )
    csrf = env.csrf(page.text)
    bad = env.client.post(
        "/console/alerts/subscription",
        data={"csrf": csrf, "email": "not an address", "mode": "immediate"},
    )
    assert bad.status_code == 400 and "not an e-mail address" in bad.text
    with db.connect() as conn:
        assert store.subscription(conn, VIEWER[0]) is None
    no_csrf = env.client.post(
        "/console/alerts/subscription", data={"email": "vic@example.org", "mode": "digest"}
    )
    assert no_csrf.status_code == 403
    ok = env.client.post(
        "/console/alerts/subscription",
        data={"csrf": csrf, "email": "vic@example.org", "mode": "digest"},
        follow_redirects=True,
    )
    assert ok.status_code == 200 and "Saved: One daily digest." in ok.text
    with db.connect() as conn:
        mine = store.subscription(conn, VIEWER[0])
        assert mine is not None and (mine.email, mine.mode) == ("vic@example.org", "digest")
        assert mine.last_event_id == store.last_event_id(conn) == 1  # no old changes mailed


def test_a_whole_fleet_dark_is_one_short_message() -> None:
    many = [_event(i, f"K{i:05d}", "TAS") for i in range(5000)]
    subject, body = compose(many, AlertSettings())
    assert subject == "[Safe Airports] Tashkent (TAS): 5000 kiosks went offline"
    assert "K00029 and 4970 more" in body and "K00030" not in body
    assert len(body) < 2000


def test_the_background_task_mails_off_the_event_loop(tmp_path: Path) -> None:
    """An SMTP server that does not answer holds a worker thread, never the event loop."""
    db = Database(tmp_path / "server.db")
    db.migrate()
    kiosk, _ = add_kiosk(db, airport="TAS", name="TAS-01")
    with db.connect() as conn:
        conn.execute(
            "INSERT INTO heartbeats (kiosk_id, received_at, app_version, uptime_seconds, "
            "last_error) VALUES (?,?,?,?,?)",
            (kiosk.id, NOW.isoformat(), "1", 1, "boom"),
        )
    with db.transaction() as conn:
        store.set_subscription(conn, "u", "u@example.org", "immediate", NOW)
    started, release = threading.Event(), threading.Event()
    released_while_sending: list[bool] = []

    def hanging_send(settings: AlertSettings, msg: EmailMessage) -> None:
        started.set()
        # set by the event loop below: only possible if the loop is free while this waits
        released_while_sending.append(release.wait(timeout=10))

    checker = AlertChecker(
        db,
        AlertSettings(smtp_host="smtp.invalid", mail_from="a@example.org", group_wait_seconds=0),
        late_after_minutes=20,
        offline_after_minutes=120,
        clock=lambda: NOW,
        send=hanging_send,
    )

    async def loop_side() -> None:
        task = asyncio.create_task(run_alert_checks(checker, 3600))
        while not started.is_set():  # a condition polled on the loop
            await asyncio.sleep(0.01)
        release.set()
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task

    asyncio.run(loop_side())  # waits for the worker thread to finish at exit
    assert released_while_sending == [True]
    with db.connect() as conn:
        (mail,) = store.recent_mail(conn)
    assert mail.sent_at is not None and "reports an error" in mail.subject
