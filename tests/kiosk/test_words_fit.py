"""No word broken inside itself on tiles, buttons and headings, and one top bar height.

Over every language of the sample's airports, both orientations and both text sizes, the home
screen (destination tiles, buttons) and every destination screen (topic tiles, heading) are
shown; every word of each label inside a button or tile, and of each bold heading, must fit the
width of its text item with the font it is drawn in (QFontMetricsF), so Qt never breaks it.
"""

from __future__ import annotations

import pytest
from PySide6.QtGui import QFontMetricsF

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


@pytest.mark.parametrize("orientation", list(SIZES))
@pytest.mark.parametrize("airport", AIRPORTS)
def test_no_word_is_broken_and_the_bar_keeps_its_height(
    make_kiosk, airport: str, orientation: str
) -> None:
    d = make_kiosk(airport=airport, size=SIZES[orientation])
    c = d.controller
    problems: list[str] = []
    bar_heights: dict[bool, set[float]] = {False: set(), True: set()}
    for lang in c.place.languages:
        for large in (False, True):
            c.end_session()
            c.startIn(lang)
            if large:
                c.toggleTextSize()
            settle(d)
            where = f"{airport} {orientation} {lang} {'large' if large else 'normal'}"
            bar_heights[large].add(d.find("topBar").height())
            problems += broken_words(d, where)
            for dest in [x["id"] for x in c.homePage["destinations"]]:
                c.openDestination(dest)
                settle(d)
                problems += broken_words(d, where)
                c.back()
    assert problems == [], "\n".join(problems)
    for large, heights in bar_heights.items():
        assert len(heights) == 1, f"top bar heights ({'large' if large else 'normal'}): {heights}"
