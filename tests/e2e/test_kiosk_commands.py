"""Remote commands and the urgent notices' remainder, end to end: a real server process on
127.0.0.1, the real agent process, the real kiosk app (Qt Quick, offscreen) and, at the end,
the console in headless Chromium.

One test, to start the processes once:
- a screenshot asked while a person uses the kiosk is answered "busy" and not taken; taken
  (by the kiosk app, on its attract screen) once the session ends, uploaded, and shown in the
  console to signed-in users only, never cached;
- a viewer may not ask for a screenshot: 403, and the refusal is in the audit log;
- an expired restart is never handed out nor carried out;
- "sync now" makes the agent run a cycle at once (its regular interval is 5 minutes);
- "restart" ends the kiosk app's event loop cleanly between sessions;
- a notice with a heading reaches the kiosk, the heartbeat says which notices serial the kiosk
  shows and the console says the kiosk has the latest; an edit replaces the text (new serial).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import requests

from admin_sync.audit_log import AuditFilter, AuditLog, audit_db_path
from admin_sync.server.commands_db import add_command, get_command
from admin_sync.server.db import Database
from admin_sync.users import UsersDB, users_db_path
from content.kiosk_commands import mailbox_dir
from tests.admin_sync.console_env import FAST_HASHER
from tests.admin_sync.sync.kiosk_under_test import SAMPLE_DIR
from tests.admin_sync.sync.processes import KioskDisk, admin
from tests.e2e.console_browser import CHROMIUM, chromium, keep_screens, sign_in
from tests.e2e.server_process import ServerProcess, init_data

pytestmark = pytest.mark.e2e

EDITOR = ("cmd-editor", "command editor password")
VIEWER = ("cmd-viewer", "command viewer password")
_CSRF = re.compile(r'name="csrf" value="([^"]+)"')


class Console:
    """The console of the real server, as a browser without JavaScript uses it."""

    def __init__(self, url: str, who: tuple[str, str]) -> None:
        self.url = url
        self.http = requests.Session()
        page = self.http.get(f"{url}/console/sign-in", timeout=30)
        fields = {"csrf": _CSRF.search(page.text).group(1), "username": who[0],
                  "password": who[1]}  # fmt: skip
        signed = self.http.post(f"{url}/console/sign-in", data=fields, timeout=60)
        assert signed.status_code == 200 and "Sign out" in signed.text, signed.text

    def post(self, path: str, page: str, **fields: str) -> requests.Response:
        csrf = _CSRF.search(self.http.get(self.url + page, timeout=30).text).group(1)
        return self.http.post(self.url + path, data={"csrf": csrf, **fields}, timeout=60)

    def ask(self, kiosk_id: str, kind: str) -> tuple[requests.Response, int | None]:
        page = f"/console/kiosks/{kiosk_id}"
        answer = self.post(f"{page}/command", page, kind=kind)
        found = re.search(r"Command (\d+) \(", answer.text)
        return answer, int(found.group(1)) if found else None


def test_commands_and_notices_across_server_agent_and_kiosk(qapp, qtbot, tmp_path) -> None:
    from kiosk.app import KioskApp
    from kiosk.settings import KioskSettings
    from kiosk.tour import ShiftableClock, TourDriver

    data = init_data(tmp_path)
    users = UsersDB(users_db_path(data), hasher=FAST_HASHER)
    users.migrate()
    users.add_user(*EDITOR, "editor")
    users.add_user(*VIEWER, "viewer")
    admin("publish", str(SAMPLE_DIR), "--data", str(data))
    server = ServerProcess(data)
    server.start()
    agent = None
    app = None
    try:
        disk = KioskDisk(
            tmp_path / "kiosk", data, server.url, "TAS-CMD-01", interval_seconds=300.0,
            command_poll_seconds=0.3, backoff_initial_seconds=0.3, backoff_max_seconds=1.0,
        )  # fmt: skip
        disk.config.write_text('usage_file = "usage/usage.db"\n' + disk.config.read_text())
        assert disk.sync_once().returncode == 0
        cycles = disk.state()["totals"]["cycles"]
        usage = disk.root / "usage" / "usage.db"
        settings = KioskSettings(
            airport="TAS", kiosk_id=disk.kiosk_id, content_dir=disk.content_dir,
            usage_file=usage, fallback_cache_dir=tmp_path / "fallback",
            sync_state_dir=disk.state_dir,
        )  # fmt: skip
        app = KioskApp(settings, windowed=True, size=(540, 960), monotonic=ShiftableClock())
        app.remote.timer.setInterval(200)
        driver = TourDriver(app)
        driver.wait_frame()
        agent = disk.start_agent()
        editor, viewer = Console(server.url, EDITOR), Console(server.url, VIEWER)
        kiosk_page = f"{server.url}/console/kiosks/{disk.kiosk_id}"
        db = Database(data / "server.db")

        def state_of(command: int) -> str:
            found = get_command(db, command)
            assert found is not None
            return found.state(datetime.now(UTC))

        def wait(condition, what: str, seconds: float = 60) -> None:
            qtbot.waitUntil(condition, timeout=int(seconds * 1000))  # the Qt loop keeps running

        # a person is using the kiosk: the screenshot waits ("busy"), nothing is taken
        driver.tap("attract.start")
        assert app.controller.screen == "language"
        answer, shot = editor.ask(disk.kiosk_id, "screenshot")
        assert answer.status_code == 200 and shot is not None, answer.text
        wait(lambda: state_of(shot) == "busy", "busy")
        page = editor.http.get(kiosk_page, timeout=30).text
        assert "busy, in a session" in page and "No screenshot yet." in page
        assert not list(mailbox_dir(usage).glob("*.png"))
        assert not (data / "screenshots").exists()

        # between sessions (the attract screen) it is taken, uploaded and shown
        app.controller.finish()
        wait(lambda: state_of(shot) == "done", "the screenshot")
        assert app.controller.screen == "attract"
        picture = editor.http.get(f"{server.url}/console/commands/{shot}/screenshot.png")
        assert picture.status_code == 200 and picture.headers["content-type"] == "image/png"
        assert picture.headers["cache-control"] == "no-store"
        from PySide6.QtGui import QImage

        image = QImage.fromData(picture.content, "PNG")
        assert (image.width(), image.height()) == (540, 960)
        assert f"/console/commands/{shot}/screenshot.png" in editor.http.get(kiosk_page).text
        anonymous = requests.get(f"{server.url}/console/commands/{shot}/screenshot.png",
                                 allow_redirects=False, timeout=30)  # fmt: skip
        assert anonymous.status_code == 303 and not anonymous.content.startswith(b"\x89PNG")

        # a viewer may not ask for a screenshot: refused and audited, nothing queued
        refused, none = viewer.ask(disk.kiosk_id, "screenshot")
        assert refused.status_code == 403 and none is None
        assert "cannot ask a kiosk" in refused.text
        audit = AuditLog(audit_db_path(data))
        assert [e.who for e in audit.entries(AuditFilter(action="command-refused"))] == [VIEWER[0]]
        outcomes = audit.entries(AuditFilter(action="command-result"))
        assert {e.detail.split(":")[0] for e in outcomes} >= {"busy", "done"}

        # an expired restart is never handed out (the app would stop if it were)
        stale = add_command(db, kiosk_id=disk.kiosk_id, kind="restart", by=EDITOR[0],
                            now=datetime.now(UTC) - timedelta(minutes=20),
                            lifetime=timedelta(minutes=15))  # fmt: skip

        # sync now: a cycle at once, where the regular interval would wait 5 minutes
        answer, sync = editor.ask(disk.kiosk_id, "sync")
        assert sync is not None
        wait(lambda: disk.state()["totals"]["cycles"] >= cycles + 2, "the sync-now cycle")
        wait(lambda: state_of(sync) == "done", "sync done")
        stale_now = get_command(db, stale.id)
        assert stale_now is not None and stale_now.delivered_at is None
        assert state_of(stale.id) == "expired" and not app.restarting
        assert not list(mailbox_dir(usage).glob(f"{stale.id}.*"))

        # an urgent notice with a heading; the kiosk says which serial it shows
        now = datetime.now(UTC)
        times = {"airport": "TAS", "destination": "RU", "tz": "+00:00",
                 "starts_at": (now - timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M"),
                 "expires_at": (now + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")}  # fmt: skip
        saved = editor.post("/console/notices/save", "/console/notices", **times,
                            heading_en="New border card", text_en="From 1 December a new "
                            "card is needed at the border.")  # fmt: skip
        assert saved.status_code == 200 and "notices serial 1" in saved.text, saved.text
        editor.ask(disk.kiosk_id, "sync")  # so that the agent fetches it now
        fleet = f"{server.url}/console/fleet"
        wait(lambda: "notices-latest" in editor.http.get(fleet).text, "serial 1 reported")
        assert "1 of 1" in editor.http.get(f"{server.url}/console/notices").text
        notice_id = int(re.search(r"Notice (\d+) saved", saved.text).group(1))
        edit = editor.http.get(f"{server.url}/console/notices?edit={notice_id}").text
        assert f'name="edit" value="{notice_id}"' in edit and "New border card" in edit
        edited = editor.post("/console/notices/save", "/console/notices", **times,
                             edit=str(notice_id), heading_en="Border card: new date",
                             text_en="From 15 December a new card is needed.")  # fmt: skip
        assert edited.status_code == 200 and "notices serial 2" in edited.text, edited.text
        assert "older (serial 1)" in editor.http.get(fleet).text
        editor.ask(disk.kiosk_id, "sync")
        wait(lambda: "notices-latest" in editor.http.get(fleet).text, "serial 2 reported")
        c = app.controller
        c.startIn("en")
        c.openDestination("RU")
        assert [(n["heading"], n["text"]) for n in c.destinationPage["notices"]] == [
            ("Border card: new date", "From 15 December a new card is needed.")
        ]  # the old text is gone
        edits = AuditLog(audit_db_path(data)).entries(AuditFilter(action="edit-notice"))
        assert [e.item for e in edits] == [f"notice {notice_id}"]

        # restart, asked during a session, happens after it: a clean exit of the event loop
        _, restart = editor.ask(disk.kiosk_id, "restart")
        wait(lambda: state_of(restart) == "busy", "restart busy")
        assert not app.restarting
        c.finish()
        wait(lambda: app.restarting and state_of(restart) == "done", "the restart")
        forget_the_exit(qapp)

        if CHROMIUM.exists():
            look_in_chromium(server.url, disk.kiosk_id, shot, tmp_path / "screens")
    finally:
        if agent is not None:
            agent.terminate()
            agent.wait(timeout=30)
        if app is not None:
            app.close()
        server.stop()


def forget_the_exit(qapp) -> None:
    """The restart called QCoreApplication.exit() on this test process's one application: Qt
    then keeps every later event loop from running (its thread's quit flag stays set, so each
    `QEventLoop.exec()` returns at once and the next tests' signal waits time out). Only
    `QCoreApplication.exec()` clears the flag: run it once, for one turn."""
    from PySide6.QtCore import QTimer

    qapp.processEvents()  # the app's own exit(0), queued with a zero timer, has run
    QTimer.singleShot(0, qapp.quit)
    qapp.exec()


def look_in_chromium(url: str, kiosk_id: str, shot: int, shots: Path) -> None:
    """The kiosk page (with its screenshot), the fleet and the notices in a real browser."""
    from playwright.sync_api import expect

    shots.mkdir()
    with chromium() as browser:
        page = sign_in(browser, url, *EDITOR)
        expect(page.get_by_role("row", name="TAS-CMD-01")).to_contain_text("latest")
        page.screenshot(path=str(shots / "fleet-notices.png"), full_page=True)
        page.get_by_role("link", name="TAS-CMD-01").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Kiosk TAS-CMD-01")
        image = page.locator("#screenshot")
        expect(image).to_be_visible()
        assert image.evaluate("img => img.naturalWidth") == 540
        expect(page.locator("#commands")).to_contain_text("expired")
        page.screenshot(path=str(shots / "kiosk-commands.png"), full_page=True)
        page.goto(f"{url}/console/notices")
        expect(page.locator("#notice-kiosks")).to_contain_text("1 of 1")
        expect(page.locator("#notices")).to_contain_text("Border card: new date")
        page.screenshot(path=str(shots / "notices-kiosks.png"), full_page=True)
    keep_screens(shots)
