"""Where things are on the screens (issue 11 item 6), in both orientations, in real windows.

Every touch target of every screen can be scrolled into view; a scroll made before a page's
first frame is kept; the help screen's banner and first numbers are on its first screen;
landscape uses its width (two columns where portrait has one); the portrait home screen has
no empty bottom third.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRectF

from kiosk.tour import walk

SIZES = {"portrait": (1080, 1920), "landscape": (1920, 1080)}


def settle(driver) -> None:
    driver.process()
    driver.wait_frame()


def wait_ready(driver) -> None:
    """Until the page below the fold is built and laid out."""
    page = driver.find("scrollPage").parentItem()
    driver.qtbot.waitUntil(lambda: page.property("ready"), timeout=5000)
    settle(driver)


def scene_rect(item) -> QRectF:
    return item.mapRectToScene(QRectF(0, 0, item.width(), item.height()))


def viewport(driver) -> QRectF:
    """The part of the window where the scrolling page is seen."""
    return scene_rect(driver.find("scrollPage"))


def shown_within(item, area: QRectF) -> bool:
    return area.adjusted(-1, -1, 1, 1).contains(scene_rect(item))


@pytest.fixture
def kiosk(make_kiosk, qtbot):
    def make(**kw):
        driver = make_kiosk(**kw)
        driver.qtbot = qtbot
        return driver

    return make


def unreachable_targets(driver) -> list[str]:
    """Touch targets of the current screen whose centre cannot be brought on screen."""
    problems = []
    window = QRectF(0, 0, driver.window.width(), driver.window.height())
    areas = [
        i
        for i in walk(driver.window.contentItem())
        if i.inherits("QQuickMouseArea") and i.isVisible() and i.isEnabled()
    ]
    for area in areas:
        owner = area.parentItem()
        if owner is None or owner.objectName() in ("idleOverlay", "pinPad"):
            continue
        driver.ensure_visible(owner)
        centre = area.mapToScene(area.boundingRect().center())
        flick = owner.parentItem()
        while flick is not None and not flick.inherits("QQuickFlickable"):
            flick = flick.parentItem()
        seen = scene_rect(flick) if flick is not None else window
        if not seen.intersected(window).contains(centre):
            problems.append(
                f"{driver.controller.screen}: {owner.objectName() or owner} at "
                f"({centre.x():.0f}, {centre.y():.0f}) is never on screen"
            )
    return problems


@pytest.mark.parametrize("large", [False, True], ids=["normal", "large"])
@pytest.mark.parametrize("orientation", list(SIZES))
@pytest.mark.parametrize(("airport", "lang"), [("TAS", "uz-Cyrl"), ("FRU", "ky"), ("ASB", "tk")])
def test_every_target_of_every_screen_can_be_scrolled_into_view(
    kiosk, airport: str, lang: str, orientation: str, large: bool
) -> None:
    d = kiosk(airport=airport, size=SIZES[orientation])
    c = d.controller
    c.startIn(lang)
    if large:
        c.toggleTextSize()
    problems: list[str] = []

    def check() -> None:
        wait_ready(d)
        problems.extend(unreachable_targets(d))

    c.openLanguage()
    check()
    c.back()
    check()  # home
    dest = c.homePage["destinations"][0]["id"]
    c.openDestination(dest)
    check()
    for topic in [t["id"] for t in c.destinationPage["topics"]]:
        c.openTopic(topic)
        check()
        c.back()
    c.openHelp()
    check()
    c.home()
    c.openChecklist()
    check()
    c.home()
    c.openSearch()
    c.typeKey(c.keyboardRows[1][0])
    check()
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("orientation", list(SIZES))
def test_a_scroll_before_the_first_frame_is_kept(kiosk, orientation: str) -> None:
    """The tour (and a quick finger) scrolls to the home screen's last buttons at once."""
    d = kiosk(size=SIZES[orientation])
    c = d.controller
    for lang in c.place.languages:
        for large in (False, True):
            c.end_session()
            d.tap("attract.start")
            d.tap(f"language.{lang}")
            if large:
                d.tap("nav.textSize")
            for name in ("home.search", "home.checklist"):
                item = d.find(name)
                flick = d.find("scrollPage")
                bottom = item.mapToItem(flick.property("contentItem"), 0, item.height()).y()
                d.ensure_visible(item)
                if bottom > flick.height():  # below the fold: a scroll was needed
                    assert flick.property("contentY") > 0
                    wait_ready(d)
                    assert flick.property("contentY") > 0, f"{lang}: the scroll was undone"
            d.tap("home.search")
            assert c.screen == "search", (lang, large)


def first_cards(driver) -> list:
    cards = [
        i for i in walk(driver.window.contentItem()) if i.objectName().startswith("help.contact.")
    ]
    return sorted(cards, key=lambda i: (round(scene_rect(i).top()), scene_rect(i).left()))


@pytest.mark.parametrize("orientation", list(SIZES))
@pytest.mark.parametrize("airport", ["TAS", "FRU", "ASB"])
def test_help_banner_and_first_numbers_are_on_the_first_screen(
    kiosk, airport: str, orientation: str
) -> None:
    d = kiosk(airport=airport, size=SIZES[orientation])
    c = d.controller
    problems = []
    for lang in c.place.languages:
        c.end_session()
        c.startIn(lang)
        for dest in [x["id"] for x in c.homePage["destinations"]]:
            c.home()
            c.openDestination(dest)
            c.openHelp()
            wait_ready(d)
            seen = viewport(d)
            where = f"{lang} {dest}"
            if not shown_within(d.find("help.banner"), seen):
                problems.append(f"{where}: the banner is not on the first screen")
            # the first card with its number and its code: with the banner's, the first two
            # numbers (the card that only repeated the banner's number is left out since issue
            # 11's page length: the first two cards used to be that one and this one)
            for card in first_cards(d)[:1]:
                parts = [i for i in walk(card) if i.objectName() in ("code.label",)]
                parts += [i for i in walk(card) if i.objectName().startswith("qr.")][:1]
                for part in [p for p in parts if p.isVisible()][:2]:
                    if not shown_within(part, seen):
                        problems.append(
                            f"{where}: {card.objectName()} {part.objectName()} is below the fold"
                        )
    assert problems == [], "\n".join(problems)


def test_landscape_uses_its_width(kiosk) -> None:
    d = kiosk(size=SIZES["landscape"])
    c = d.controller
    c.startIn("ru")
    settle(d)
    # home: help and the actions beside the destinations
    help_button, russia = scene_rect(d.find("home.help")), scene_rect(d.find("home.destination.RU"))
    assert help_button.right() < russia.left() and russia.top() < help_button.bottom()
    assert scene_rect(d.find("home.search")).right() < russia.left()
    # help: the first card beside the banner, the others in two columns
    c.openDestination("RU")
    c.openHelp()
    wait_ready(d)
    banner = scene_rect(d.find("help.banner"))
    cards = [scene_rect(i) for i in first_cards(d)]
    assert cards[0].left() > banner.right() and cards[0].top() < banner.bottom()
    lefts = {round(r.left()) for r in cards}
    assert len(lefts) == 2, lefts
    # article: contacts in a column beside the text
    c.home()
    c.openDestination("RU")
    c.openTopic("get-help")
    wait_ready(d)
    rows = [scene_rect(i) for i in walk(d.window.contentItem()) if i.objectName() == "article.row"]
    contacts = [
        scene_rect(i)
        for i in walk(d.window.contentItem())
        if i.objectName().startswith("article.contact.")
    ]
    assert contacts and rows
    assert min(r.left() for r in contacts) > max(r.right() for r in rows)
    assert min(r.top() for r in contacts) < viewport(d).bottom()  # beside, not under, the text


@pytest.mark.parametrize("airport", ["TAS", "FRU", "ASB"])
def test_portrait_home_has_no_empty_bottom_third(kiosk, airport: str) -> None:
    d = kiosk(airport=airport, size=SIZES["portrait"])
    c = d.controller
    for lang in c.place.languages:
        c.end_session()
        c.startIn(lang)
        settle(d)
        seen = viewport(d)
        last = max(scene_rect(d.find(n)).bottom() for n in ("home.search", "home.checklist"))
        # the buttons reach the last tenth of the screen, and stay on it
        assert seen.bottom() - seen.height() / 10 <= last <= seen.bottom(), (lang, last, seen)
        assert d.find("home.in_danger").property("text") != ""


@pytest.mark.parametrize("orientation", list(SIZES))
def test_the_home_screens_in_danger_line_shows_the_declared_number(kiosk, orientation) -> None:
    d = kiosk(size=SIZES[orientation])
    c = d.controller
    c.startIn("en")
    settle(d)
    line = d.find("home.in_danger")
    assert c.homePage["inDanger"] and line.property("text") == c.homePage["inDanger"]
    assert shown_within(line, viewport(d))
    c.openDestination("KR")
    c.home()
    settle(d)
    assert d.find("home.in_danger").property("text") == c.homePage["inDanger"] != ""
    assert "112" in c.homePage["inDanger"]  # South Korea's police, not 119
