"""The article editor's Markdown toolbar in Debian's chromium against the real server: the
buttons write the safe subset into the textarea and keep its focus, the keyboard works, the CSP
allows only same-origin script (no inline, no eval), and without script the toolbar stays
hidden while the textarea still saves. Screenshots go to the test's folder (and to
$CONSOLE_SCREENS_DIR when set)."""

from __future__ import annotations

from pathlib import Path

import pytest

from admin_sync.datadir import DataDir
from tests.admin_sync.console_env import valid_source
from tests.e2e.console_browser import add_editors, chromium, keep_screens, needs_chromium, sign_in
from tests.e2e.server_process import ServerProcess, init_data

pytestmark = [pytest.mark.e2e, pytest.mark.slow, needs_chromium]
EDITOR = "/console/articles/edit?scope=RU&topic=get-help&lang=en"
ADDED = "\n\nKeep your passport with you.\n\nCall the consulate.\n"


def test_the_toolbar_writes_the_safe_subset_and_needs_no_inline_script(tmp_path: Path) -> None:
    from playwright.sync_api import expect

    screens = tmp_path / "screens"
    screens.mkdir()
    data = init_data(tmp_path)
    DataDir(data).content_history().commit_folder(
        valid_source(tmp_path / "source"), author="setup", message="Sample"
    )
    add_editors(data, "nodira")
    server = ServerProcess(data)
    server.start()
    try:
        with chromium() as browser:
            page = sign_in(browser, server.url)
            blocked: list[str] = []
            page.on("console", lambda m: blocked.append(m.text) if m.type == "error" else None)
            response = page.goto(server.url + EDITOR)
            assert response is not None and response.status == 200
            csp = response.headers["content-security-policy"]
            assert "script-src 'self'" in csp
            assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
            toolbar = page.get_by_role("group", name="Formatting")
            expect(toolbar).to_be_visible()  # editor.js ran and showed it
            body = page.locator("#f-body")
            original = body.input_value()
            body.fill(original.rstrip("\n") + ADDED)

            # select "passport" with the keyboard, then Bold
            body.press("Control+End")
            for key in ("ArrowUp", "ArrowUp", "ArrowUp", "Home"):
                body.press(key)
            for _ in range(len("Keep your ")):
                body.press("ArrowRight")
            for _ in range(len("passport")):
                body.press("Shift+ArrowRight")
            page.get_by_role("button", name="Bold").click()
            expect(body).to_be_focused()
            assert "Keep your **passport** with you." in body.input_value()
            assert page.evaluate("document.activeElement.id") == "f-body"

            # the bullet button on the last line
            body.press("Control+End")
            body.press("ArrowUp")
            page.get_by_role("button", name="Bulleted item").click()
            expect(body).to_be_focused()
            lines = body.input_value().splitlines()
            assert lines[-1] == "- Call the consulate."

            # keyboard only: Ctrl+I on a selection, then Shift+Tab to a button and Space
            body.press("Home")
            body.press("ArrowRight")
            body.press("ArrowRight")
            body.press("Shift+End")
            body.press("Control+i")
            assert body.input_value().splitlines()[-1] == "- *Call the consulate.*"
            body.press("Shift+Tab")
            expect(page.get_by_role("button", name="Numbered item")).to_be_focused()
            page.keyboard.press("Space")
            assert body.input_value().splitlines()[-1] == "1. *Call the consulate.*"
            expect(body).to_be_focused()
            page.get_by_role("button", name="Heading").click()
            assert body.input_value().splitlines()[-1] == "## *Call the consulate.*"
            page.screenshot(path=str(screens / "toolbar.png"), full_page=True)

            # what the buttons wrote passes the checker and is saved
            page.get_by_role("button", name="Check and save").click()
            expect(page.get_by_role("status")).to_contain_text("Saved as version")
            saved = body.input_value()
            assert "**passport**" in saved and "## *Call the consulate.*" in saved
            assert not [m for m in blocked if "Content Security Policy" in m], blocked

            # a page without the editor loads no script and still works
            response = page.goto(server.url + "/console/articles?scope=RU")
            assert response is not None and response.status == 200
            assert "script-src 'self'" in response.headers["content-security-policy"]
            expect(page.get_by_role("heading", level=1)).to_be_visible()
            expect(page.locator("script")).to_have_count(0)
            page.get_by_role("link", name="Kiosks", exact=True).click()  # opens on the fleet
            expect(page.get_by_role("heading", level=1)).to_contain_text("Fleet")

            # without script: the toolbar stays hidden and the textarea saves as before
            plain = sign_in(browser, server.url, script=False)
            plain.goto(server.url + EDITOR)
            hidden_bar = plain.locator(".md-toolbar")
            expect(hidden_bar).to_have_count(1)  # rendered, but left hidden: no script ran
            expect(hidden_bar).to_be_hidden()
            expect(plain.get_by_role("button", name="Bold")).to_have_count(0)
            plain_body = plain.locator("#f-body")
            plain_body.fill(plain_body.input_value().rstrip("\n") + "\n\nOne more *line*.\n")
            plain.get_by_role("button", name="Check and save").click()
            expect(plain.get_by_role("status")).to_contain_text("Saved as version")
            assert "One more *line*." in plain.locator("#f-body").input_value()
            plain.screenshot(path=str(screens / "no-script.png"), full_page=True)
    finally:
        server.stop()
        keep_screens(screens)
