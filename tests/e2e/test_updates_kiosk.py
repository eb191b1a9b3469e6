"""The whole chain down to the screen: a real server, the real agent process, and the real kiosk
app (Qt Quick, offscreen). A person reading an article keeps seeing the old text while an update
is installed under them; after the session reset the next person sees the new text."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.admin_sync.sync.kiosk_under_test import SAMPLE_DIR
from tests.admin_sync.sync.processes import KioskDisk, admin
from tests.e2e.kiosk_app import start_kiosk_app
from tests.e2e.server_process import ServerProcess, init_data

pytestmark = pytest.mark.e2e

SENTENCE = "From 1 December the migration office also opens on Sundays."


def open_article(driver) -> str:
    driver.tap("attract.start")
    driver.tap("language.en")
    driver.tap("home.destination.RU")
    driver.tap("topic.entry-registration")
    assert driver.controller.screen == "article"
    return json.dumps(driver.controller.page, ensure_ascii=False)


def test_kiosk_shows_the_update_after_the_session_reset(qapp, tmp_path: Path) -> None:
    data = init_data(tmp_path)
    admin("publish", str(SAMPLE_DIR), "--data", str(data))
    server = ServerProcess(data)
    server.start()
    app = None
    try:
        disk = KioskDisk(tmp_path / "kiosk", data, server.url, "TAS-SCREEN-01")
        assert disk.sync_once().returncode == 0
        app, driver = start_kiosk_app(disk, "TAS", tmp_path)
        c = driver.controller
        assert c.loaded.origin == "installed" and c.cache.content_version == 1
        assert SENTENCE not in open_article(driver)

        edited = tmp_path / "edited"
        shutil.copytree(SAMPLE_DIR, edited)
        article = edited / "articles" / "RU" / "entry-registration" / "en.md"
        article.write_text(article.read_text(encoding="utf-8") + f"\n{SENTENCE}\n", "utf-8")
        admin("publish", str(edited), "--data", str(data))
        result = disk.sync_once()
        assert result.returncode == 0, result.stderr
        assert "installed content version 2" in result.stderr

        # mid-session: the person keeps the content they started with
        driver.tap("nav.help")
        driver.tap("nav.back")
        assert c.cache.content_version == 1
        assert SENTENCE not in json.dumps(c.page, ensure_ascii=False)

        c.finish()  # the session ends (idle timeout or "finish"): the switch happens here
        driver.wait_for("attract.start")
        assert c.cache.content_version == 2
        assert SENTENCE in open_article(driver)
    finally:
        if app is not None:
            app.close()
        server.stop()
