"""The console in real headless Chromium against a real server process.

Signs in with the keyboard, publishes a release by uploading a zip, sees the fleet and a
statistics chart fed by a kiosk's real uploads (usage store -> outbox -> HTTP), and checks the
statistics page fits a phone screen. Screenshots go to the test's folder (and are copied to
$CONSOLE_SCREENS_DIR when set).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
import requests

from admin_sync.agent.stats_outbox import StatsOutbox
from admin_sync.server.db import Database
from admin_sync.server.registry import add_kiosk
from kiosk.usage_store import UsageStore
from tests.admin_sync.console_env import valid_source, zip_folder
from tests.e2e.console_browser import add_editors, chromium, keep_screens, needs_chromium, sign_in
from tests.e2e.server_process import ServerProcess, init_data

pytestmark = [pytest.mark.e2e, pytest.mark.slow, needs_chromium]


def kiosk_uploads(tmp_path: Path, server_url: str, kiosk_id: str, token: str) -> int:
    """A week of a kiosk's counters, sealed and uploaded by the real outbox. Returns sessions."""
    now = datetime.now()
    usage = UsageStore(tmp_path / "usage.db")
    items = []
    for parts_back in range(1, 29):
        when = now - timedelta(hours=6 * parts_back)
        items += [
            ("session", "start", when, 5 + (parts_back * 7) % 11),
            ("language", ("uz", "ru", "ky", "uz-Cyrl")[parts_back % 4], when, 6),
            ("destination", ("RU", "KZ", "TR")[parts_back % 3], when, 7),
            ("topic", "warning-signs", when, 5),
            ("qr_shown", "tel", when, 5),
            ("help_opened", "1", when, 5),
        ]
    usage.increment_many(items)
    outbox = StatsOutbox(tmp_path / "outbox.db", kiosk_id=kiosk_id)
    report = outbox.seal_and_upload(
        requests.Session(), counters=usage, server_url=server_url, token=token
    )
    assert report.error is None and len(report.sent) == 28
    return sum(5 + (b * 7) % 11 for b in range(1, 29))


def test_sign_in_publish_fleet_and_chart(tmp_path) -> None:
    from playwright.sync_api import expect

    data = init_data(tmp_path)
    db = Database(data / "server.db")
    db.migrate()
    kiosk, token = add_kiosk(db, airport="TAS", name="TAS-T2-01")
    add_editors(data, "nodira")
    server = ServerProcess(data)
    server.start()
    try:
        sessions = kiosk_uploads(tmp_path, server.url, kiosk.id, token)
        beat = requests.post(
            f"{server.url}/api/v1/heartbeat",
            json={
                "kiosk_id": kiosk.id,
                "app_version": "0.1.0",
                "uptime_seconds": 3600,
                "free_disk_bytes": 20 * 1024**3,
            },
            headers={"Authorization": f"Bearer {token}"},
            timeout=10,
        )
        assert beat.status_code == 200
        archive = tmp_path / "content.zip"
        archive.write_bytes(zip_folder(valid_source(tmp_path / "src")))
        shots = tmp_path / "screens"
        shots.mkdir()
        with chromium() as browser:
            # keyboard only, from a page that needs signing in
            page = sign_in(browser, server.url, start="/console/stats")
            row = page.get_by_role("row", name="TAS-T2-01")
            expect(row).to_contain_text("online")
            expect(row).to_contain_text("20.0 GB")
            page.screenshot(path=str(shots / "fleet.png"), full_page=True)

            nav = page.get_by_role("navigation")
            nav.get_by_role("link", name="Publishing").click()  # the group, then its page
            nav.get_by_role("link", name="Releases").click()
            page.get_by_label("Content archive").set_input_files(str(archive))
            page.get_by_role("button", name="Check and publish").click()
            expect(page.get_by_role("status")).to_contain_text("Published content version 1")
            expect(page.get_by_role("row", name="1 latest")).to_be_visible()
            page.screenshot(path=str(shots / "releases.png"), full_page=True)

            nav.get_by_role("link", name="Reports").click()  # opens on Statistics
            chart = page.get_by_role("img", name="Sessions per day, by airport")
            expect(chart).to_be_visible()
            assert chart.locator("polyline").count() == 1
            assert chart.locator("circle").count() >= 7
            expect(page.get_by_role("img", name="Languages chosen")).to_contain_text("uz")
            page.screenshot(path=str(shots / "stats.png"), full_page=True)

            nav.get_by_role("link", name="Programme report").click()
            expect(page.locator("p.big")).to_contain_text(f"{sessions} kiosk sessions")
            # every page of the navigation: test_console_navigation.py

            phone = browser.new_page(viewport={"width": 390, "height": 844})
            phone.context.add_cookies(page.context.cookies())
            phone.goto(f"{server.url}/console/stats")
            expect(phone.get_by_role("img", name="Sessions per day, by airport")).to_be_visible()
            overflow = phone.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, f"the page is {overflow}px wider than a phone screen"
            phone.screenshot(path=str(shots / "stats-phone.png"), full_page=True)
        keep_screens(shots)
    finally:
        server.stop()
