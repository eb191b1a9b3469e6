"""The urgent notices page in real headless Chromium against a real server process: an editor
writes a notice (a bad form first: the error beside its field, what was typed kept), the page
lists it, and the server has signed it. Screenshots go to the test's folder (and are copied to
$CONSOLE_SCREENS_DIR when set)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from admin_sync.datadir import DataDir
from admin_sync.tuf_repo import HASH_ALGORITHM, hashed_target_name
from content.notices import NOTICES_TARGET, NoticeSet
from tests.e2e.console_browser import add_editors, chromium, keep_screens, needs_chromium, sign_in
from tests.e2e.server_process import ServerProcess, init_data

pytestmark = [pytest.mark.e2e, pytest.mark.slow, needs_chromium]
TEXT_RU = "С 1 декабря Россия требует новую миграционную карту."
TEXT_EN = "From 1 December, Russia asks for a new migration card."


def test_an_editor_writes_a_notice_in_the_browser(tmp_path: Path) -> None:
    from playwright.sync_api import expect

    data = init_data(tmp_path)
    add_editors(data, "nodira")
    server = ServerProcess(data)
    server.start()
    tomorrow = datetime.now(UTC) + timedelta(days=1)
    shots = tmp_path / "screens"
    shots.mkdir()
    try:
        with chromium() as browser:
            page = sign_in(browser, server.url, start="/console/notices")
            page.get_by_role("navigation").get_by_role("link", name="Notices").click()
            expect(page.get_by_role("heading", name="Write a notice")).to_be_visible()

            page.get_by_label("Destination").select_option("RU")
            page.get_by_label("Times are in").select_option("+00:00")
            page.get_by_label("Start").fill(tomorrow.strftime("%Y-%m-%dT09:00"))
            page.get_by_label("Expiry").fill(tomorrow.strftime("%Y-%m-%dT08:00"))
            page.get_by_label("Text: Русский (ru)").fill(TEXT_RU)
            page.get_by_role("button", name="Save and send to kiosks").click()
            alert = page.get_by_role("alert")
            expect(alert).to_contain_text("Expiry: must be after the start.")
            expect(alert).to_contain_text("Text (English): empty.")
            expect(page.get_by_label("Text: Русский (ru)")).to_have_value(TEXT_RU)
            page.screenshot(path=str(shots / "notice-errors.png"), full_page=True)

            page.get_by_label("Expiry").fill(tomorrow.strftime("%Y-%m-%dT18:00"))
            page.get_by_label("Text: English (en)").fill(TEXT_EN)
            page.get_by_role("button", name="Save and send to kiosks").click()
            expect(page.get_by_role("status")).to_contain_text("Notice 1 saved and signed")
            row = page.locator("#notices tbody tr").first
            expect(row).to_contain_text(TEXT_RU)
            expect(row).to_contain_text("every airport · Russia")
            expect(row).to_contain_text("scheduled")
            expect(row.get_by_role("button", name="Withdraw notice 1")).to_be_visible()
            page.screenshot(path=str(shots / "notices.png"), full_page=True)
        store = DataDir(data)
        info = store.repository().targets().signed.targets[NOTICES_TARGET]
        blob = store.store().read_target(
            hashed_target_name(NOTICES_TARGET, info.hashes[HASH_ALGORITHM])
        )
        assert blob is not None
        (signed,) = NoticeSet.from_bytes(blob).notices
        assert signed.destination == "RU" and signed.texts["ru"] == TEXT_RU
        keep_screens(shots)
    finally:
        server.stop()
