"""The console in Debian's headless Chromium, as the browser end-to-end tests share it: the
editors' accounts, the browser, signing in with the keyboard, and keeping the screenshots.

Playwright is imported when a browser starts, so that collecting the tests needs none.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from admin_sync.users import UsersDB, users_db_path

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
PASSWORD = "a long console passphrase"
needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="needs Debian's chromium at /usr/bin/chromium (apt install chromium)",
)


def add_editors(data: Path, *names: str) -> UsersDB:
    """Console accounts with the editor role and `PASSWORD` in the server's data folder."""
    users = UsersDB(users_db_path(data))
    users.migrate()
    for name in names:
        users.add_user(name, PASSWORD, "editor")
    return users


@contextmanager
def chromium() -> Iterator[Browser]:
    """Debian's chromium, headless, closed whatever the test does with it."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


def sign_in(
    browser: Browser,
    url: str,
    name: str = "nodira",
    password: str = PASSWORD,
    *,
    start: str = "/console/sign-in",
    script: bool = True,
) -> Page:
    """A page of its own (own cookies, 1280x900) signed in at the server `url` with the
    keyboard only, on the fleet page. Opening `start` must lead to the sign-in page (a console
    page when signed out does); typing waits for the page to be there with the user name field
    focused (under load, typing into a page still loading lost the name)."""
    from playwright.sync_api import expect

    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, java_script_enabled=script
    )
    page = context.new_page()
    page.goto(url + start)
    expect(page).to_have_url(f"{url}/console/sign-in")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    expect(page.get_by_label("User name")).to_be_focused()
    page.keyboard.type(name)
    page.keyboard.press("Tab")
    page.keyboard.type(password)
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{url}/console/fleet")
    return page


def keep_screens(shots: Path) -> None:
    """Copy the test's screenshots to $CONSOLE_SCREENS_DIR when set (to look at afterwards)."""
    keep = os.environ.get("CONSOLE_SCREENS_DIR")
    if keep:
        shutil.copytree(shots, keep, dirs_exist_ok=True)
