"""Issue 12's whole way, in Debian's chromium against the real server on 127.0.0.1: an editor
fixes a hotline number and writes a paragraph in Kyrgyz; after a change to the English source
the other translations of that article are outdated; a second editor approves; the production
release is published; the real sync agent installs it; the real kiosk app (offscreen) shows the
new text after a session reset. Screenshots of each console page go to the test's folder (and
to $CONSOLE_SCREENS_DIR when set)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import safe_airports_cli
from content.installed import InstalledStore
from kiosk.content_loader import ContentSource
from tests.admin_sync.console_env import valid_source
from tests.admin_sync.sync.processes import KioskDisk, admin
from tests.e2e.console_browser import add_editors, chromium, keep_screens, needs_chromium, sign_in
from tests.e2e.kiosk_app import start_kiosk_app
from tests.e2e.server_process import ServerProcess, init_data

pytestmark = [pytest.mark.e2e, pytest.mark.slow, needs_chromium]
HOTLINE = "uz-mfa-consular"
RIGHT, WRONG = "+998712332828", "+998712332829"  # the sample's number, and a typo of it
KY_SENTENCE = "Каттоо кеңсеси ишемби күнү да иштейт."
EN_SENTENCE = "The registration office also opens on Saturdays."


def kiosk_article(driver) -> str:
    driver.tap("attract.start")
    driver.tap("language.ky")
    driver.tap("home.destination.RU")
    driver.tap("topic.entry-registration")
    assert driver.controller.screen == "article"
    return json.dumps(driver.controller.page, ensure_ascii=False)


def test_edit_translate_approve_publish_install_and_show(
    qapp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from playwright.sync_api import expect

    screens = tmp_path / "screens"
    screens.mkdir()
    # the content as it was: every contact checked, one hotline number with a typo
    source = valid_source(tmp_path / "source")
    contacts = source / "contacts.yaml"
    text = contacts.read_text(encoding="utf-8").replace(
        "  status: sample\n", "  status: verified\n"
    )
    assert RIGHT in text
    contacts.write_text(text.replace(RIGHT, WRONG), encoding="utf-8")
    # A production release needs a confirmed number for every country; the sample has none for
    # Turkmenistan. This copy is a test fixture only: "000" is not a number anyone should call.
    countries = source / "destinations.yaml"
    countries.write_text(
        countries.read_text(encoding="utf-8").replace("emergency: none\n", 'emergency: "000"\n'),
        encoding="utf-8",
    )
    for article in (source / "articles").rglob("*.md"):  # every article checked too
        body = article.read_text(encoding="utf-8")
        article.write_text(body.replace("status: sample\n", "status: verified\n"), "utf-8")
    data = init_data(tmp_path)
    # without another editor's approval, production is refused on the command line too
    publish = ["admin", "publish", str(source), "--data", str(data), "--production"]
    assert safe_airports_cli.main(publish) == 1
    # the team's first release, made by its one administrator before the editors had accounts
    monkeypatch.setenv("SAFE_AIRPORTS_CONSOLE_FOUR_EYES", "false")
    admin(*publish[1:])
    monkeypatch.delenv("SAFE_AIRPORTS_CONSOLE_FOUR_EYES")
    add_editors(data, "nodira", "aibek")
    server = ServerProcess(data)
    server.start()
    app = None
    try:
        disk = KioskDisk(tmp_path / "kiosk", data, server.url, "FRU-T1-01")
        assert disk.sync_once().returncode == 0
        app, driver = start_kiosk_app(disk, "FRU", tmp_path)
        assert driver.controller.cache.content_version == 1
        assert KY_SENTENCE not in kiosk_article(driver)

        with chromium() as browser:

            def save(page, shot: str) -> None:
                page.get_by_role("button", name="Check and save").click()
                expect(page.get_by_role("status")).to_contain_text("Saved as version")
                page.screenshot(path=str(screens / f"{shot}.png"), full_page=True)

            nodira = sign_in(browser, server.url, "nodira")
            # 1. the hotline number, as read off the ministry's page (with spaces)
            nodira.goto(server.url + f"/console/items/contacts/edit?id={HOTLINE}")
            expect(nodira.locator("#f-phone-0")).to_have_value(WRONG)
            nodira.fill("#f-phone-0", "+998 71 233 28 28")
            # checked before saving: the console posts the form, no script runs
            nodira.get_by_role("button", name="Check the numbers").click()
            expect(nodira.locator("#phone-checks")).to_contain_text("+998 71 233 28 28")
            expect(nodira.locator("#phone-checks")).to_contain_text("tel:+998712332828")
            expect(nodira.locator("#f-phone-0")).to_have_value(RIGHT)
            nodira.screenshot(path=str(screens / "1a-phones-checked.png"), full_page=True)
            save(nodira, "1-contact-saved")
            expect(nodira.locator("#f-phone-0")).to_have_value(RIGHT)
            # 2. a paragraph in Kyrgyz, with the English text beside it
            nodira.goto(
                server.url
                + "/console/articles/edit?scope=RU&topic=entry-registration&lang=ky&source=en"
            )
            expect(nodira.locator(".source-side")).to_contain_text("Source: en")
            body = nodira.input_value("#f-body")
            nodira.fill("#f-body", body + "\n\n" + KY_SENTENCE)
            save(nodira, "2-article-ky-saved")
            status_url = server.url + "/console/translations?scope=RU&topic=entry-registration"
            nodira.goto(status_url + "&lang=ru")
            expect(nodira.locator("tbody")).to_contain_text("up to date")
            # 3. the English source changes: the other languages are outdated
            nodira.goto(
                server.url + "/console/articles/edit?scope=RU&topic=entry-registration&lang=en"
            )
            nodira.fill("#f-body", nodira.input_value("#f-body") + "\n\n" + EN_SENTENCE)
            save(nodira, "3-article-en-saved")
            for lang in ("ru", "ky", "tk", "uz"):
                nodira.goto(status_url + f"&lang={lang}")
                expect(nodira.locator("tbody")).to_contain_text("outdated")
            nodira.screenshot(path=str(screens / "4-translations-outdated.png"), full_page=True)
            # 4. nodira cannot approve her own changes, and production waits
            nodira.goto(server.url + "/console/review")
            expect(nodira.locator("main")).to_contain_text("You cannot approve")
            nodira.goto(server.url + "/console/releases")
            nodira.check("#production-current")
            nodira.get_by_role("button", name="Check and publish version").click()
            expect(nodira.get_by_role("alert")).to_contain_text("four eyes")
            # 5. a second editor sees the diff and approves
            aibek = sign_in(browser, server.url, "aibek")
            aibek.goto(server.url + "/console/review")
            expect(aibek.locator("pre.diff")).to_contain_text(KY_SENTENCE)
            aibek.screenshot(path=str(screens / "5-review.png"), full_page=True)
            # the approver sees the changed Kyrgyz article as the kiosk will show it
            aibek.locator('a[href*="topic=entry-registration&lang=ky"]').click()
            expect(aibek.locator("#preview-kind")).to_contain_text("As the kiosk shows it")
            picture = aibek.locator("#picture-1")
            expect(picture).to_be_visible()
            src = picture.get_attribute("src")
            answer = aibek.request.get(server.url + src)
            assert answer.status == 200 and answer.headers["content-type"] == "image/png", (
                answer.status,
                answer.text()[-800:],
            )
            aibek.wait_for_function("() => document.getElementById('picture-1').complete")
            width = aibek.evaluate("() => document.getElementById('picture-1').naturalWidth")
            assert width == 1080  # the kiosk's own portrait screen, not a browser box
            aibek.screenshot(path=str(screens / "5b-preview.png"), full_page=True)
            aibek.goto(server.url + "/console/review")
            aibek.get_by_role("button", name="Approve version").click()
            expect(aibek.get_by_role("status")).to_contain_text("You approved version")
            # 6. production release
            nodira.goto(server.url + "/console/releases")
            nodira.check("#production-current")
            nodira.get_by_role("button", name="Check and publish version").click()
            expect(nodira.get_by_role("status")).to_contain_text("Published content version 2")
            nodira.screenshot(path=str(screens / "6-published.png"), full_page=True)
            nodira.goto(server.url + "/console/audit")
            expect(nodira.locator("tbody")).to_contain_text("approve")
            nodira.screenshot(path=str(screens / "7-audit.png"), full_page=True)

        # 7. the real agent installs it; the kiosk switches only at the session reset
        result = disk.sync_once()
        assert result.returncode == 0, result.stderr
        assert InstalledStore(disk.content_dir).installed_version() == 2
        cache = ContentSource(disk.content_dir, tmp_path / "fallback", "FRU").open().cache
        (hotline,) = [c for c in cache.contacts(["UZ"], "en") if c.id == HOTLINE]
        assert RIGHT in hotline.phones and WRONG not in hotline.phones
        c = driver.controller
        assert c.cache.content_version == 1
        c.finish()
        driver.wait_for("attract.start")
        assert c.cache.content_version == 2
        assert KY_SENTENCE in kiosk_article(driver)
    finally:
        if app is not None:
            app.close()
        server.stop()
        keep_screens(screens)
