"""Alert e-mail against a real SMTP server process (aiosmtpd, tests/e2e/smtp_server.py), with
heartbeats through the server's HTTP handlers into a real SQLite file and a clock the test moves
(no sleeping): a check every 2 simulated minutes, as the server's background task would run.

One fleet, one afternoon: a Tashkent kiosk goes silent (one mail when late, one when offline);
then the ten Termez kiosks lose their network within 8 minutes (one grouped mail per state, not
ten, not one per check); kiosks come back (recovery mail) faster than the hourly limit allows
(held, then one message); an administrator with mail off gets nothing; the daily digest comes
once; a restarted checker re-sends nothing; an SMTP outage is retried, never raised.
"""

from __future__ import annotations

from datetime import timedelta
from email.message import EmailMessage
from pathlib import Path

import pytest

from admin_sync.server.alerts import store
from admin_sync.server.alerts.checker import AlertChecker
from admin_sync.server.alerts.settings import AlertSettings
from admin_sync.server.registry import add_kiosk
from tests.admin_sync.console_env import ConsoleEnv
from tests.e2e.server_process import free_port
from tests.e2e.smtp_server import SmtpProcess

pytestmark = pytest.mark.e2e

STEP_MIN = 2


def _to(msg: EmailMessage) -> str:
    return str(msg["To"])


def test_alert_mail_grouped_rate_limited_digest_and_retried(tmp_path: Path) -> None:
    env = ConsoleEnv(tmp_path / "server")
    db = env.app.state.db
    smtp_port = free_port()
    smtp = SmtpProcess(tmp_path / "mail", smtp_port, user="alerts", password="smtp secret 1")
    smtp.start()
    try:
        password_file = tmp_path / "smtp-password"
        password_file.write_text("smtp secret 1\n")
        settings = AlertSettings(
            smtp_host="127.0.0.1",
            smtp_port=smtp_port,
            smtp_starttls=False,
            smtp_user="alerts",
            smtp_password_file=str(password_file),
            mail_from="Safe Airports <alerts@example.org>",
            max_mails_per_hour=2,
            digest_hour=7,
        )

        def checker() -> AlertChecker:
            return AlertChecker(
                db, settings, late_after_minutes=20, offline_after_minutes=120, clock=env.clock
            )

        kiosks = {"TAS-T2-01": (env.kiosk, env.kiosk_token)}
        for i in range(10):
            kiosks[f"TMJ-{i:02d}"] = add_kiosk(db, airport="TMJ", name=f"TMJ-{i:02d}")
        t0 = env.clock.now
        with db.transaction() as conn:
            store.set_subscription(conn, "amina", "amina@example.org", "immediate", t0)
            store.set_subscription(conn, "bek", "bek@example.org", "digest", t0)
            store.set_subscription(conn, "chen", "chen@example.org", "off", t0)

        def beat(name: str) -> None:
            kiosk, token = kiosks[name]
            body = {
                "kiosk_id": kiosk.id,
                "app_version": "1",
                "uptime_seconds": 9,
                "free_disk_bytes": 10**10,
            }
            answer = env.client.post(
                "/api/v1/heartbeat", json=body, headers={"Authorization": f"Bearer {token}"}
            )
            assert answer.status_code == 200, answer.text

        back = {"TMJ-00": 190, "TMJ-01": 200, "TMJ-02": 210}

        def beating(minute: int) -> list[str]:
            names = ["TAS-T2-01"] if minute == 0 else []
            for i in range(10):
                name, phase = f"TMJ-{i:02d}", 2 * (i // 2)  # last beats spread over 50..58
                if minute % 10 == phase and minute <= 50 + phase:
                    names.append(name)
                if name in back and minute >= back[name] and (minute - back[name]) % 10 == 0:
                    names.append(name)
            return names

        arrived: list[tuple[int, EmailMessage]] = []
        check = checker()
        for minute in range(0, 250, STEP_MIN):
            env.clock.now = t0 + timedelta(minutes=minute)
            for name in beating(minute):
                beat(name)
            report = check.run_once()
            assert report.failed == 0, report.errors
            # delivery is synchronous: the SMTP server wrote each file before answering 250
            arrived += [(minute, m) for m in smtp.messages()[len(arrived) :]]

        amina = [
            (minute, str(m["Subject"])) for minute, m in arrived if _to(m) == "amina@example.org"
        ]
        assert amina == [
            (30, "[Safe Airports] Tashkent (TAS): TAS-T2-01 late (no heartbeat)"),
            (80, "[Safe Airports] Termez (TMJ): 10 kiosks late (no heartbeat)"),
            (130, "[Safe Airports] Tashkent (TAS): TAS-T2-01 went offline"),
            (180, "[Safe Airports] Termez (TMJ): 10 kiosks went offline"),
            (198, "[Safe Airports] Termez (TMJ): TMJ-00 back online"),
            # TMJ-01 came back at 200, but two mails went within the hour: held until 180 + 60
            (240, "[Safe Airports] Termez (TMJ): 2 kiosks back online"),
        ]
        grouped = next(m for minute, m in arrived if minute == 180)
        body = grouped.get_content()
        assert "went offline: " + ", ".join(f"TMJ-{i:02d}" for i in range(10)) in body
        assert grouped["From"] == "Safe Airports <alerts@example.org>"
        assert {_to(m) for _, m in arrived} == {"amina@example.org"}  # bek: digest, chen: off

        # the next morning (the three that came back went silent overnight): one digest for bek
        # with what is still open, only one; amina hears of the three, grouped
        env.clock.now = (t0 + timedelta(days=1)).replace(hour=7, minute=1)
        check.run_once()
        env.clock.now += timedelta(minutes=10)
        check.run_once()
        digests = [m for m in smtp.messages() if _to(m) == "bek@example.org"]
        assert [str(m["Subject"]) for m in digests] == [
            "[Safe Airports] Daily digest 2026-11-23: 11 open alerts, 28 changes"
        ]
        assert "TMJ-09: went offline since" in digests[0].get_content()
        assert str(smtp.messages()[-1]["Subject"]) == (
            "[Safe Airports] Termez (TMJ): 3 kiosks went offline"
        )

        # a restarted server (a new checker on the same database) sends nothing again
        before = len(smtp.messages())
        env.clock.now += timedelta(minutes=STEP_MIN)
        assert checker().run_once().sent == 0
        assert len(smtp.messages()) == before

        # the SMTP server is down: the change is queued, the failure logged, nothing raised
        smtp.stop()
        beat("TMJ-03")
        env.clock.now += timedelta(minutes=STEP_MIN)
        check.run_once()
        env.clock.now += timedelta(seconds=settings.group_wait_seconds)
        report = checker().run_once()
        assert report.failed == 1 and "ConnectionRefusedError" in report.errors[0]
        with db.connect() as conn:
            (failed,) = [m for m in store.recent_mail(conn, 1)]
        assert failed.attempts == 1 and failed.sent_at is None
        smtp.start()
        env.clock.now += timedelta(seconds=settings.retry_seconds)
        assert checker().run_once().sent == 1
        last = smtp.messages()[-1]
        assert str(last["Subject"]) == "[Safe Airports] Termez (TMJ): TMJ-03 back online"
    finally:
        smtp.stop()
