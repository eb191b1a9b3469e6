"""The controller without a window (kiosk/controller.py): real content, real usage file, the
same slots QML calls, and the values QML would read."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime

import pytest

from kiosk.content_loader import ContentSource
from kiosk.controller import KioskController
from kiosk.qml_values import to_qml
from kiosk.screens import KINDS
from kiosk.screens.build import EMPTY
from kiosk.screens.help import HelpScreen
from kiosk.settings import KioskSettings
from kiosk.usage_store import UsageRecorder, UsageStore
from tests.kiosk.conftest import TEST_PIN


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def controller(qapp, settings: KioskSettings) -> Iterator[KioskController]:
    source = ContentSource(settings.content_dir, settings.fallback_cache_dir, settings.airport)
    source.open()
    recorder = UsageRecorder(UsageStore(settings.usage_file), lambda: datetime(2026, 5, 1, 9))
    c = KioskController(settings, source, recorder, monotonic=Clock(), warm_up_now=False)
    yield c
    c.shutdown()
    recorder.close()
    source.close()


def counted(settings: KioskSettings, c: KioskController) -> set[tuple[str, str]]:
    c.recorder.flush()
    return {(cell.metric, cell.value) for cell in UsageStore(settings.usage_file).cells()}


def test_a_visit_without_a_window(controller: KioskController, settings: KioskSettings) -> None:
    c = controller
    assert c.screen == "attract" and c.screenComponent == "AttractScreen"
    assert [i["language"] for i in c.attractPage["invitations"]] == ["uz", "uz-Cyrl", "ru", "en"]
    c.start()
    assert c.screen == "language" and not c.canGoBack and c.barVisible
    c.chooseLanguage("ru")
    assert c.screen == "home" and c.language == "ru" and c.strings["nav.home"]
    dest = c.homePage["destinations"][0]["id"]
    c.openDestination(dest)
    assert c.destinationPage["dest"] == dest and c.canGoBack
    c.openTopic("get-help")
    assert c.screen == "article" and c.articlePage["topic"] == "get-help"
    assert c.articlePage["rowsFirst"] and c.page == c.articlePage
    c.openHelp()
    assert c.screen == "help" and c.screenComponent == "HelpScreen"
    assert isinstance(c.screen_view, HelpScreen) and c.helpPage["vcards"][0]["kind"] == "vcard"
    c.back()
    assert c.screen == "article"
    c.home()
    c.openSearch()
    for key in "рабо":
        c.typeKey(key)
    assert c.searchText == "рабо" and c.searchResults and c.searchStatus
    c.finish()
    assert c.screen == "attract" and c.searchText == "" and c.searchResults == []
    # Nothing of the visit stays: every page but the attract loop is empty again.
    assert c.helpPage == to_qml(HelpScreen()) and c.articlePage["rowsFirst"] == []
    pairs = counted(settings, c)
    assert {
        ("session", "start"),
        ("language", "ru"),
        ("destination", dest),
        ("topic", "get-help"),
        ("screen", "home"),
        ("screen", "help"),
        ("help_opened", "1"),
        ("search_used", "1"),
        ("qr_shown", "vcard"),
    } <= pairs


def test_each_kind_has_a_complete_page_before_it_is_shown(
    controller: KioskController,
) -> None:
    assert set(EMPTY) == set(KINDS)
    assert controller.helpPage == {
        "title": "",
        "inDanger": "",
        "inDangerCode": None,
        "inDangerDetails": "",
        "inDangerChecked": "",
        "vcards": [],
        "saveAllHint": "",
        "destTitle": "",
        "destContactsFirst": [],
        "destContactsRest": [],
        "homeTitle": "",
        "homeContacts": [],
        "languages": [],
        "notices": [],
    }


def test_a_page_changes_only_when_its_kind_is_built(controller: KioskController) -> None:
    c = controller
    seen: list[str] = []
    c.helpPageChanged.connect(lambda: seen.append("help"))
    c.homePageChanged.connect(lambda: seen.append("home"))
    c.start()
    c.chooseLanguage("en")
    c.openHelp()
    c.home()
    assert seen == ["home", "help", "home"]


def test_the_language_screen_marks_the_current_language_only_when_changing(
    controller: KioskController,
) -> None:
    c = controller
    c.start()
    assert not any(x["current"] for x in c.languagePage["languages"])
    c.chooseLanguage("uz")
    c.openLanguage()
    assert [x["id"] for x in c.languagePage["languages"] if x["current"]] == ["uz"]
    c.chooseLanguage("en")
    assert c.screen == "home" and c.language == "en"


def test_pin_and_maintenance(controller: KioskController, settings: KioskSettings) -> None:
    c = controller
    for _ in range(5):
        c.corner_press(10, 1900, 1080, 1920)
    assert c.pinOpen
    for digit in TEST_PIN:
        c.pinKey(digit)
    assert c.pinLength == len(TEST_PIN)
    c.pinSubmit()
    assert not c.pinOpen and c.screen == "maintenance" and not c.barVisible
    rows = {r["label"]: r["value"] for r in c.maintenancePage["rows"]}
    strings = c.cache.ui_strings(c.language)
    assert rows[strings["maintenance.kiosk_id"]] == settings.kiosk_id
    assert rows[strings["maintenance.last_sync"]] == strings["maintenance.never"]
    c.closeMaintenance()
    assert c.screen == "attract"


def test_an_error_in_a_slot_returns_to_attract(controller: KioskController, caplog) -> None:
    c = controller
    c.start()
    c.chooseLanguage("en")
    c.openDestination("NOWHERE")
    assert c.screen == "attract" and "NOWHERE" in caplog.text


def test_idle_question_and_countdown(qapp, settings: KioskSettings) -> None:
    clock = Clock()
    source = ContentSource(settings.content_dir, settings.fallback_cache_dir, settings.airport)
    source.open()
    recorder = UsageRecorder(None, datetime.now)
    c = KioskController(settings, source, recorder, monotonic=clock, warm_up_now=False)
    try:
        c.start()
        c.chooseLanguage("en")
        clock.now += settings.idle_seconds + 0.5
        c.check_idle()
        assert c.idleAsking and c.idleSecondsLeft == settings.countdown_seconds
        assert str(settings.countdown_seconds) in c.idleCountdown
        clock.now += settings.countdown_seconds
        c.check_idle()
        assert c.screen == "attract" and not c.idleAsking
    finally:
        c.shutdown()
        recorder.close()
        source.close()


def test_a_language_on_the_attract_screen_starts_there_in_one_tap(
    controller: KioskController, settings: KioskSettings
) -> None:
    c = controller
    assert c.language == "uz" and c.strings["nav.help"] == c.cache.ui_strings("uz")["nav.help"]
    assert [x["id"] for x in c.attractPage["languages"]] == ["uz", "uz-Cyrl", "ru", "en"]
    c.startIn("ru")
    assert c.screen == "home" and c.language == "ru" and not c.canGoBack
    assert c.strings["nav.home"] == c.cache.ui_strings("ru")["nav.home"]
    assert {("session", "start"), ("language", "ru")} <= counted(settings, c)
    c.startIn("en")  # not on the attract screen any more: nothing happens
    assert (c.screen, c.language) == ("home", "ru")
    c.end_session()
    c.startIn("ky")  # not a language of Tashkent: back to attract, logged
    assert c.screen == "attract"


def test_help_before_a_language_is_chosen_is_in_the_airports_first_language(
    controller: KioskController,
) -> None:
    c = controller
    c.start()
    c.openHelp()
    assert c.screen == "help" and c.language == "uz"
    assert c.strings["nav.help"] == c.cache.ui_strings("uz")["nav.help"] != "Help"


def test_screens_with_qr_codes_wait_longer_before_asking(qapp, settings: KioskSettings) -> None:
    clock = Clock()
    settings = replace(settings, idle_seconds=60, qr_idle_seconds=180)
    source = ContentSource(settings.content_dir, settings.fallback_cache_dir, settings.airport)
    source.open()
    recorder = UsageRecorder(None, datetime.now)
    c = KioskController(settings, source, recorder, monotonic=clock, warm_up_now=False)
    try:
        c.startIn("ru")
        assert not c.screenHasCodes
        c.openHelp()
        assert c.screenHasCodes
        clock.now += 61
        c.check_idle()
        assert not c.idleAsking  # a person may be scanning a code
        clock.now += 120
        c.check_idle()
        assert c.idleAsking
        c.stillHere()
        c.back()
        assert c.screen == "home" and not c.screenHasCodes
        clock.now += 61
        c.check_idle()
        assert c.idleAsking
    finally:
        c.shutdown()
        recorder.close()
        source.close()
