"""In large-text mode, no text is clipped or overflows its item, in any language, both ways up."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QElapsedTimer, QPointF, QRectF

from kiosk.tour import walk

# Every language the sample offers, with an airport that offers it.
LANGUAGES = [
    ("TAS", "uz"),
    ("TAS", "uz-Cyrl"),
    ("TAS", "ru"),
    ("TAS", "en"),
    ("FRU", "ky"),
    ("ASB", "tk"),
]
SIZES = {"portrait": (1080, 1920), "landscape": (1920, 1080)}


def text_problems(driver) -> list[str]:
    window = driver.window
    problems = []
    for item in walk(window.contentItem()):
        if not item.inherits("QQuickText") or not item.isVisible() or item.opacity() == 0:
            continue
        text = item.property("text")
        if not text:
            continue
        where = f"{driver.controller.screen}: {text[:50]!r}"
        if item.width() < 4 or item.height() < 4:
            problems.append(f"{where} has no room ({item.width()}x{item.height()})")
            continue
        longest_word = max(text.split(), key=len) if text.split() else ""
        font = item.property("font")
        from PySide6.QtGui import QFontMetricsF

        if QFontMetricsF(font).horizontalAdvance(longest_word) > item.width() + 1:
            problems.append(f"{where}: the word {longest_word!r} does not fit on a line")
        width, height = item.width(), item.height()
        if item.property("truncated"):
            problems.append(f"{where} is truncated")
        if item.property("contentWidth") > width + 1:
            problems.append(f"{where} is wider ({item.property('contentWidth'):.0f}) than {width}")
        if item.property("contentHeight") > height + 1:
            problems.append(
                f"{where} is taller ({item.property('contentHeight'):.0f}) than {height}"
            )
        rect = item.mapRectToScene(QRectF(0, 0, width, height))
        if rect.left() < -1 or rect.right() > window.width() + 1:
            problems.append(f"{where} runs off the screen ({rect.left():.0f}..{rect.right():.0f})")
        box = item.parentItem()
        while box is not None and not box.inherits("QQuickRectangle"):
            box = box.parentItem()
        if box is not None and box.width() > 0:
            outer = box.mapRectToScene(QRectF(0, 0, box.width(), box.height()))
            if not outer.adjusted(-1, -1, 1, 1).contains(rect):
                problems.append(f"{where} sticks out of its box")
    return problems


MIN_TARGET = 60  # px at 1080x1920: about 9 mm on a 21.5-inch panel


def target_problems(driver) -> list[str]:
    """Every touch target on screen is at least MIN_TARGET px each way."""
    problems = []
    for item in walk(driver.window.contentItem()):
        if item.inherits("QQuickMouseArea") and item.isVisible() and item.isEnabled():
            owner = item.parentItem()
            name = owner.objectName() if owner is not None else ""
            if item.width() < MIN_TARGET or item.height() < MIN_TARGET:
                problems.append(
                    f"{driver.controller.screen}: target {name!r} is only "
                    f"{item.width():.0f}x{item.height():.0f}"
                )
    return problems


def settle(driver) -> None:
    driver.process()
    driver.wait_frame()


@pytest.mark.parametrize("orientation", list(SIZES))
@pytest.mark.parametrize(("airport", "lang"), LANGUAGES)
def test_large_text_fits_everywhere(make_kiosk, airport: str, lang: str, orientation: str) -> None:
    d = make_kiosk(airport=airport, size=SIZES[orientation])
    c = d.controller
    problems = text_problems(d)  # the attract screen
    c.start()
    c.chooseLanguage(lang)
    c.toggleTextSize()
    assert c.largeText
    settle(d)
    problems += text_problems(d) + target_problems(d)
    c.openLanguage()
    settle(d)
    problems += text_problems(d) + target_problems(d)
    c.back()
    dest = c.page["destinations"][0]["id"]
    c.openDestination(dest)
    settle(d)
    problems += text_problems(d) + target_problems(d)
    for topic in [t["id"] for t in c.page["topics"]]:
        c.openTopic(topic)
        settle(d)
        problems += text_problems(d) + target_problems(d)
        c.back()
    c.openHelp()
    settle(d)
    problems += text_problems(d) + target_problems(d)
    c.home()
    c.openChecklist()
    settle(d)
    problems += text_problems(d) + target_problems(d)
    c.home()
    c.openSearch()
    for key in c.keyboardRows[1][:2]:
        c.typeKey(key)
    settle(d)
    problems += text_problems(d) + target_problems(d)
    d.clock.advance(c.idle.idle_seconds + 1)
    c.check_idle()
    settle(d)
    problems += text_problems(d) + target_problems(d)
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("large", [False, True])
@pytest.mark.parametrize("size", [(1080, 1920), (1920, 1080)])
def test_rows_built_before_the_first_frame_fill_the_screen(
    make_kiosk, size: tuple[int, int], large: bool
) -> None:
    """What is built after the first frame starts below the window's bottom edge."""
    d = make_kiosk(size=size)
    c = d.controller
    d.tap("attract.start")
    d.tap("language.ru")
    if large:
        d.tap("nav.textSize")
    d.tap("home.destination.RU")
    for topic in ("get-help", "entry-registration"):
        d.tap(f"topic.{topic}")
        first = len(c.page["rowsFirst"])
        total = first + len(c.page["rowsRest"])
        timer = QElapsedTimer()
        timer.start()
        while True:
            rows = [i for i in walk(d.window.contentItem()) if i.objectName() == "article.row"]
            if len(rows) == total or timer.elapsed() > 5000:
                break
            d.process(10)
        assert len(rows) == total and first < total  # these articles are longer than a screen
        d.wait_frame()  # laid out
        rows.sort(key=lambda i: i.mapToScene(QPointF(0, 0)).y())
        last_first = rows[first - 1]
        bottom = last_first.mapToScene(QPointF(0, last_first.height())).y()
        assert bottom >= d.window.height(), (topic, first, bottom)
        d.tap("nav.back")
