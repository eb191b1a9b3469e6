"""No word broken inside itself on tiles, buttons and headings, and one top bar height.

Over every language of the sample's airports, both orientations and both text sizes, every
screen that shows tiles, buttons or headings is shown: the attract and language screens, home
(destination tiles, buttons), every destination (topic tiles, heading), every destination's help
screen (headings, contact names, numbers and links), the articles of one destination per
language and text size (a different one each time: headings, section chips, links to other
articles, contact names), the checklist, search and the idle question. Every word of each label
inside a button or tile, and of each bold text, must fit the width of its text item with the
font it is drawn in (QFontMetricsF), so Qt never breaks it.
"""

from __future__ import annotations

import re

import pytest
from PySide6.QtGui import QFont, QFontMetricsF

from kiosk.tour import walk

AIRPORTS = ["TAS", "FRU", "ASB"]
SIZES = {"portrait": (1080, 1920), "landscape": (1920, 1080)}


def _in_button(item) -> bool:
    parent = item.parentItem()
    while parent is not None:
        if parent.property("fittedFontSize") is not None:  # a BigButton
            return True
        parent = parent.parentItem()
    return False


def broken_words(driver, where: str) -> list[str]:
    problems = []
    for item in walk(driver.window.contentItem()):
        if not item.inherits("QQuickText") or not item.isVisible() or item.opacity() == 0:
            continue
        text = item.property("text")
        font = item.property("font")
        if not text or not (_in_button(item) or font.bold()):
            continue
        metrics = QFontMetricsF(font)
        if "<" in text:  # styled text: the words without their tags
            text = re.sub(r"<[^>]+>", "", text).replace("&amp;", "&").replace("&nbsp;", " ")
        if font.capitalization() == QFont.Capitalization.AllUppercase:
            text = text.upper()
        for word in text.split():
            if metrics.horizontalAdvance(word) > item.width() + 0.5:
                problems.append(
                    f"{where} {driver.controller.screen}: {word!r} is wider "
                    f"({metrics.horizontalAdvance(word):.0f}) than its item ({item.width():.0f})"
                )
    return problems


def settle(driver) -> None:
    driver.process()
    driver.wait_frame()


def screens_of(driver, index: int):
    """Show each screen with tiles, buttons or headings in turn (a generator: one per step).

    `index` chooses the destination whose articles are shown, so that successive languages and
    text sizes see different ones."""
    c = driver.controller
    dests = [x["id"] for x in c.homePage["destinations"]]
    yield "home"
    c.openLanguage()
    yield "language"
    c.back()
    for dest in dests:
        c.openDestination(dest)
        yield f"destination {dest}"
        c.openHelp()
        wait_ready(driver)
        yield f"help {dest}"
        c.home()
    reading = dests[index % len(dests)]
    c.openDestination(reading)
    for topic in [t["id"] for t in c.destinationPage["topics"]]:
        c.openTopic(topic)
        wait_ready(driver)
        yield f"article {reading} {topic}"
        c.back()
    c.home()
    c.openChecklist()
    yield "checklist"
    c.home()
    c.openSearch()
    for key in c.keyboardRows[1][:2]:
        c.typeKey(key)
    yield "search"
    driver.clock.advance(c.idle.idle_seconds + 1)
    c.check_idle()
    yield "idle"
    c.stillHere()


def wait_ready(driver) -> None:
    """Until what is below the fold is built."""
    page = driver.find("scrollPage").parentItem()
    while not page.property("ready"):
        driver.process(5)


@pytest.mark.parametrize("orientation", list(SIZES))
@pytest.mark.parametrize("airport", AIRPORTS)
def test_no_word_is_broken_and_the_bar_keeps_its_height(
    make_kiosk, airport: str, orientation: str
) -> None:
    d = make_kiosk(airport=airport, size=SIZES[orientation])
    c = d.controller
    problems: list[str] = []
    bar_heights: dict[bool, set[float]] = {False: set(), True: set()}
    problems += broken_words(d, f"{airport} {orientation} attract")
    for i, lang in enumerate(c.place.languages):
        for large in (False, True):
            c.end_session()
            c.startIn(lang)
            if large:
                c.toggleTextSize()
            where = f"{airport} {orientation} {lang} {'large' if large else 'normal'}"
            for screen in screens_of(d, 2 * i + large):
                settle(d)
                bar_heights[large].add(d.find("topBar").height())
                problems += broken_words(d, f"{where} {screen}")
    assert problems == [], "\n".join(problems)
    for large, heights in bar_heights.items():
        assert len(heights) == 1, f"top bar heights ({'large' if large else 'normal'}): {heights}"
