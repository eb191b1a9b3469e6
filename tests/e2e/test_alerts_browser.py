"""Alerts in production shape: a real server process whose background task checks and mails
(settings from the environment, SMTP login with a password file) to a real aiosmtpd process,
and the Alerts page in headless Chromium: choose your e-mail, see the open alerts and the mail.

A kiosk reports an error and low disk in one heartbeat: one message with both; a clean
heartbeat: one message saying both cleared. Screenshots go to the test's folder (and to
$CONSOLE_SCREENS_DIR when set).
"""

from __future__ import annotations

import time
from email.message import EmailMessage
from pathlib import Path

import pytest
import requests

from admin_sync.server.db import Database
from admin_sync.server.registry import add_kiosk
from tests.e2e.console_browser import add_editors, chromium, keep_screens, needs_chromium, sign_in
from tests.e2e.server_process import ServerProcess, free_port, init_data
from tests.e2e.smtp_server import SmtpProcess

pytestmark = [pytest.mark.e2e, pytest.mark.slow, needs_chromium]


def wait_for_mail(smtp: SmtpProcess, count: int, timeout: float = 60.0) -> list[EmailMessage]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = smtp.messages()
        if len(found) >= count:
            return found
        time.sleep(0.1)  # polling a condition (a file written by the SMTP server), with a deadline
    raise AssertionError(f"{count} message(s) expected, {len(smtp.messages())} arrived")


def test_background_checker_mails_and_the_alerts_page(tmp_path: Path) -> None:
    from playwright.sync_api import expect

    data = init_data(tmp_path)
    db = Database(data / "server.db")
    db.migrate()
    kiosk, token = add_kiosk(db, airport="TAS", name="TAS-T2-01")
    add_editors(data, "nodira")
    smtp = SmtpProcess(tmp_path / "mail", free_port(), user="alerts", password="smtp pass 2")
    smtp.start()
    (tmp_path / "smtp-password").write_text("smtp pass 2\n")
    env = {
        "SAFE_AIRPORTS_ALERTS_CHECK_SECONDS": "1",
        "SAFE_AIRPORTS_ALERTS_GROUP_WAIT_SECONDS": "0",
        "SAFE_AIRPORTS_ALERTS_SMTP_HOST": "127.0.0.1",
        "SAFE_AIRPORTS_ALERTS_SMTP_PORT": str(smtp.port),
        "SAFE_AIRPORTS_ALERTS_SMTP_STARTTLS": "false",
        "SAFE_AIRPORTS_ALERTS_SMTP_USER": "alerts",
        "SAFE_AIRPORTS_ALERTS_SMTP_PASSWORD_FILE": str(tmp_path / "smtp-password"),
        "SAFE_AIRPORTS_ALERTS_MAIL_FROM": "Safe Airports <alerts@example.org>",
    }
    server = ServerProcess(data, env=env)

    def beat(**fields: object) -> None:
        body = {"kiosk_id": kiosk.id, "app_version": "1", "uptime_seconds": 60, **fields}
        answer = requests.post(
            f"{server.url}/api/v1/heartbeat",
            json=body,
            headers={"Authorization": f"Bearer {token}"},
            timeout=10,
        )
        assert answer.status_code == 200, answer.text

    shots = tmp_path / "screens"
    shots.mkdir()
    try:
        server.start()
        with chromium() as browser:
            page = sign_in(browser, server.url)
            page.get_by_role("navigation").get_by_role("link", name="Alerts").click()
            expect(page.locator("#no-alerts")).to_be_visible()
            page.get_by_label("Your e-mail address").fill("nodira@example.org")
            page.get_by_label("An e-mail at each change").check()
            page.get_by_role("button", name="Save my choice").click()
            expect(page.get_by_role("status")).to_contain_text("Saved: An e-mail at each")
            page.screenshot(path=str(shots / "alerts-subscribed.png"), full_page=True)

            beat(last_error="content cache unreadable", free_disk_bytes=100 * 1024**2)
            (first,) = wait_for_mail(smtp, 1)
            assert first["To"] == "nodira@example.org"
            assert first["Subject"] == "[Safe Airports] Tashkent (TAS): 2 alert changes"
            text = first.get_content()
            assert "reports an error: TAS-T2-01" in text
            assert "TAS-T2-01: content cache unreadable" in text
            assert "low on disk: TAS-T2-01" in text

            page.goto(f"{server.url}/console/alerts")
            expect(page.locator("#open-count")).to_have_text("2")
            table = page.get_by_role("region", name="Open alerts: Tashkent (TAS)")
            expect(table).to_contain_text("content cache unreadable")
            expect(table).to_contain_text("100 MB free")
            expect(page.locator("#alert-mail")).to_contain_text("sent")
            page.screenshot(path=str(shots / "alerts-open.png"), full_page=True)

            beat(free_disk_bytes=20 * 1024**3)
            second = wait_for_mail(smtp, 2)[1]
            assert "error cleared: TAS-T2-01" in second.get_content()
            assert "disk space back above the limit: TAS-T2-01" in second.get_content()
            page.goto(f"{server.url}/console/alerts")
            expect(page.locator("#no-alerts")).to_be_visible()
            expect(page.locator("#alert-events")).to_contain_text("error cleared")
            page.screenshot(path=str(shots / "alerts-cleared.png"), full_page=True)
        assert len(smtp.messages()) == 2  # the checks that followed sent nothing more
        log = server.log_path.read_text()
        assert "Traceback" not in log and '"status": 500' not in log
    finally:
        server.stop()
        smtp.stop()
    keep_screens(shots)
