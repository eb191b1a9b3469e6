"""The console's grouped navigation in Debian's headless chromium against the real server.

With script off (the console needs none): every page opens from the navigation, its group and
itself marked as current; the groups stay on one line at 1280 and 1920 px and on a line of
their own at 800 px, with nothing wider than the window; the keyboard reaches and opens them; a
viewer is not shown the page their role cannot open. Screenshots go to the test's folder (and
to $CONSOLE_SCREENS_DIR when set).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from admin_sync.datadir import DataDir
from admin_sync.server.console.navigation import GROUPS
from tests.admin_sync.console_env import valid_source
from tests.e2e.console_browser import (
    PASSWORD,
    add_editors,
    chromium,
    keep_screens,
    needs_chromium,
    sign_in,
)
from tests.e2e.server_process import ServerProcess, init_data

pytestmark = [pytest.mark.e2e, pytest.mark.slow, needs_chromium]
LOAD = 30_000  # ms: the review and verification pages check the whole content (slow under load)


def lines(nav: Any) -> int:
    """How many lines the links of a navigation row take, from their boxes in the browser."""
    links = nav.get_by_role("link")
    return len({round(links.nth(i).bounding_box()["y"]) for i in range(links.count())})


def height(locator: Any) -> float:
    box = locator.bounding_box()
    assert box is not None
    return float(box["height"])


def test_every_page_from_the_grouped_navigation(tmp_path: Path) -> None:
    from playwright.sync_api import expect

    shots = tmp_path / "screens"
    shots.mkdir()
    data = init_data(tmp_path)
    DataDir(data).content_history().commit_folder(
        valid_source(tmp_path / "source"), author="setup", message="Sample"
    )
    add_editors(data, "nodira").add_user("vic", PASSWORD, "viewer")
    server = ServerProcess(data)
    server.start()
    try:
        with chromium() as browser:
            page = sign_in(browser, server.url, script=False)
            groups = page.get_by_role("navigation", name="Console sections")
            header = page.locator("header.top .bar")

            def group_pages(group: str) -> Any:
                return page.get_by_role("navigation", name=f"{group} pages")

            # the keyboard: past the skip link, the groups in order; Enter opens one
            page.keyboard.press("Tab")
            expect(page.get_by_role("link", name="Skip to content")).to_be_focused()
            for name in ("Content", "Publishing"):
                page.keyboard.press("Tab")
                expect(groups.get_by_role("link", name=name)).to_be_focused()
            page.screenshot(path=str(shots / "nav-1280-keyboard-focus.png"))
            page.keyboard.press("Enter")
            expect(page.get_by_role("heading", level=1)).to_have_text("Review", timeout=LOAD)
            expect(groups.get_by_role("link", name="Publishing")).to_have_attribute(
                "aria-current", "true"
            )

            # every page from its group, marked; one line at 1280 px on each
            seen = []
            for group in GROUPS:
                groups.get_by_role("link", name=group.label, exact=True).click()
                expect(page).to_have_url(server.url + group.pages[0].href, timeout=LOAD)
                row = group_pages(group.label)
                labels = [p.label for p in group.pages]
                expect(row.get_by_role("link")).to_have_text(labels)
                for target in group.pages:
                    row.get_by_role("link", name=target.label, exact=True).click()
                    expect(page).to_have_url(server.url + target.href, timeout=LOAD)
                    expect(page.get_by_role("heading", level=1)).to_be_visible(timeout=LOAD)
                    assert "Internal Server Error" not in page.content(), target.href
                    current = page.locator("header [aria-current]")
                    expect(current).to_have_text([group.label, target.label])
                    link = height(groups.get_by_role("link").first)
                    assert height(groups) <= link + 1, (target.href, height(groups), link)
                    assert height(header) < 2 * link, (target.href, height(header), link)
                    assert lines(row) == 1, target.href
                    seen.append(target.href)
                page.screenshot(path=str(shots / f"nav-1280-{group.label.lower()}.png"))
            assert seen == [p.href for g in GROUPS for p in g.pages]

            # a narrow laptop and a wide screen
            for width in (800, 1920):
                page.set_viewport_size({"width": width, "height": 800})
                for href, name, group in [
                    ("/console/articles", "articles", "Content"),  # the longest row
                    ("/console/fleet", "fleet", "Kiosks"),
                ]:
                    page.goto(server.url + href)
                    assert lines(group_pages(group)) == 1, (width, href)
                    overflow = page.evaluate(
                        "document.documentElement.scrollWidth - window.innerWidth"
                    )
                    assert overflow <= 0, (width, href, overflow)
                    link = height(groups.get_by_role("link").first)
                    assert height(groups) <= link + 1, (width, href)
                    if width == 1920:
                        assert height(header) < 2 * link, href
                    page.screenshot(path=str(shots / f"nav-{width}-{name}.png"))

            # a viewer: no Users page; Administration opens on the audit log
            viewer = sign_in(browser, server.url, "vic", script=False)
            vgroups = viewer.get_by_role("navigation", name="Console sections")
            vgroups.get_by_role("link", name="Administration").click()
            expect(viewer).to_have_url(server.url + "/console/audit")
            expect(viewer.locator("header [aria-current]")).to_have_text(
                ["Administration", "Audit log"]
            )
            expect(viewer.locator("header").get_by_role("link", name="Users")).to_have_count(0)
            viewer.screenshot(path=str(shots / "nav-1280-viewer-audit.png"))
        keep_screens(shots)
    finally:
        server.stop()
