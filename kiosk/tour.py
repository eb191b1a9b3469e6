"""The screenshot tour: tap through every screen in every language, in both orientations.

Taps are real mouse clicks on the window at the centre of the item named by its objectName,
so the tour exercises the same QML, event filter and controller as a person would. For each
screen it records the milliseconds from the tap to the next rendered frame and saves a PNG.
Tests and benchmarks drive the kiosk through `TourDriver` too.
"""

from __future__ import annotations

import json
import logging
import secrets
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QElapsedTimer, QEvent, QEventLoop, QPoint, Qt
from PySide6.QtQuick import QQuickItem
from PySide6.QtTest import QTest

from kiosk.app import KioskApp
from kiosk.pin import hash_pin
from kiosk.screens.home import HomeScreen

log = logging.getLogger(__name__)

ORIENTATIONS: dict[str, tuple[int, int]] = {"portrait": (1080, 1920), "landscape": (1920, 1080)}
TOUR_PIN = "2468"


class TourError(Exception):
    """An item the tour needs is missing or never appeared."""


class ShiftableClock:
    """A monotonic clock that tests and the tour can move forward (to reach the idle overlay)."""

    def __init__(self) -> None:
        self.offset = 0.0

    def __call__(self) -> float:
        return time.monotonic() + self.offset

    def advance(self, seconds: float) -> None:
        self.offset += seconds


def walk(item: QQuickItem) -> Any:
    yield item
    for child in item.childItems():
        yield from walk(child)


def is_shown(item: QQuickItem) -> bool:
    return item.isVisible() and item.opacity() > 0 and item.width() > 0 and item.height() > 0


class TourDriver:
    """Finds items by objectName and taps them like a finger would."""

    def __init__(self, kiosk_app: KioskApp) -> None:
        self.app = kiosk_app
        self.window = kiosk_app.window
        self.controller = kiosk_app.controller
        self._frames = 0
        self._counted = 0  # frame count when the current tap began
        self._frame_ns = 0  # perf_counter_ns() when the last frame was swapped
        self.window.frameSwapped.connect(self._on_frame)

    def _on_frame(self) -> None:
        # Timed when the frame is on screen: work that screens start right after their first
        # frame (what is below the fold) runs after this, before the loop below sees it.
        if self._frames == self._counted:
            self._frame_ns = time.perf_counter_ns()
        self._frames += 1

    def process(self, ms: int = 0) -> None:
        """Run the event loop once, deleting what QML let go of (as exec() would)."""
        self.app.qt_app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, ms)
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)

    def wait_frame(self, timeout_ms: int = 5000) -> float:
        """Wait for the next rendered frame; milliseconds waited."""
        start = self._frames
        timer = QElapsedTimer()
        timer.start()
        self.window.update()
        while self._frames == start:
            if timer.elapsed() > timeout_ms:
                raise TourError("no frame was rendered")
            self.process(5)
        return timer.nsecsElapsed() / 1e6

    def items(self, name: str) -> list[QQuickItem]:
        root = self.window.contentItem()
        return [i for i in walk(root) if i.objectName() == name and is_shown(i)]

    def find(self, name: str) -> QQuickItem:
        found = self.items(name)
        if not found:
            raise TourError(f"no visible item named {name!r} on screen {self.controller.screen!r}")
        return found[0]

    def wait_for(self, name: str, timeout_ms: int = 5000) -> QQuickItem:
        timer = QElapsedTimer()
        timer.start()
        while True:
            found = self.items(name)
            if found:
                return found[0]
            if timer.elapsed() > timeout_ms:
                raise TourError(f"{name!r} did not appear on screen {self.controller.screen!r}")
            self.process(10)

    def ensure_visible(self, item: QQuickItem) -> None:
        """Scroll the Flickable holding `item` so that its centre is on screen."""
        parent = item.parentItem()
        while parent is not None and not parent.inherits("QQuickFlickable"):
            parent = parent.parentItem()
        if parent is None:
            return
        content = parent.property("contentItem")
        top = item.mapToItem(content, 0, 0).y()
        view_h = parent.height()
        y = parent.property("contentY")
        if top < y or top + min(item.height(), view_h) > y + view_h:
            max_y = max(0.0, parent.property("contentHeight") - view_h)
            target = min(max_y, max(0.0, top - view_h / 3))
            parent.setProperty("contentY", target)
            self.process()

    def center(self, item: QQuickItem) -> QPoint:
        self.ensure_visible(item)
        p = item.mapToScene(item.boundingRect().center())
        return QPoint(round(p.x()), round(p.y()))

    def click_at(self, point: QPoint) -> None:
        QTest.mouseClick(
            self.window, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, point
        )

    def tap(self, name: str) -> float:
        """Tap the item; milliseconds from the tap to the next rendered frame."""
        point = self.center(self.wait_for(name))
        self.process()
        start = self._counted = self._frames
        timer = QElapsedTimer()
        timer.start()
        began = time.perf_counter_ns()
        self.click_at(point)
        while self._frames == start:
            if timer.elapsed() > 5000:
                raise TourError(f"no frame after tapping {name!r}")
            self.process(2)
        return (self._frame_ns - began) / 1e6

    def corner_taps(self, count: int = 5) -> None:
        point = QPoint(20, self.window.height() - 20)
        for _ in range(count):
            self.click_at(point)
        self.process()

    def resize(self, width: int, height: int) -> None:
        self.window.resize(width, height)
        self.process()
        self.wait_frame()

    def grab(self, path: Path) -> None:
        self.process()
        image = self.window.grabWindow()
        if image.isNull() or not image.save(str(path)):
            raise TourError(f"could not save the screenshot {path}")


def tour_languages(kiosk_app: KioskApp) -> list[str]:
    return list(kiosk_app.controller.place.languages)


def run_session(driver: TourDriver, lang: str, shoot: Any) -> None:
    """One person's visit through every screen, calling shoot(screen, ms) on each."""
    c = driver.controller
    shoot("attract", None)
    shoot("language", driver.tap("attract.start"))
    shoot("home", driver.tap(f"language.{lang}"))
    home = c.screen_view
    assert isinstance(home, HomeScreen)
    dest = home.destinations[0].id
    shoot("destination", driver.tap(f"home.destination.{dest}"))
    shoot("article", driver.tap("topic.get-help"))
    shoot("help", driver.tap("nav.help"))
    shoot("nationality", driver.tap("nationality.chip"))  # the short list of nationalities
    driver.tap("nationality.cancel")
    # the code that saves every number comes after the destination's cards
    driver.ensure_visible(driver.wait_for("help.vcard.0"))
    driver.wait_frame()
    shoot("help-save-all", None)
    driver.tap("nav.home")
    shoot("checklist", driver.tap("home.checklist"))
    driver.tap("nav.home")
    driver.tap("home.search")
    word = search_word(c)
    for key in word[:-1]:
        driver.tap(f"key.{key}")
    shoot("search", driver.tap(f"key.{word[-1]}"))
    driver.tap("nav.back")
    shoot("article-large", _large_article(driver, dest))
    shoot("language-again", driver.tap("nav.language"))
    driver.tap(f"language.{lang}")
    driver.tap("nav.textSize")


def search_word(controller: Any) -> list[str]:
    """Keys spelling the start of a word from the topic titles (so the search finds it)."""
    keys = {k for row in controller.keyboardRows for k in row}
    for topic in controller.cache.topics(controller.lang):
        for word in topic.title.lower().split():
            letters = list(word[:4])
            if len(letters) >= 3 and all(ch in keys for ch in letters):
                return letters
    return [controller.keyboardRows[0][0]]


def _large_article(driver: TourDriver, dest: str) -> float:
    driver.tap(f"home.destination.{dest}")
    driver.tap("nav.textSize")
    return driver.tap("topic.entry-registration")


def run_tour(
    settings: Any,
    out: Path,
    languages: list[str] | None = None,
    orientations: tuple[str, ...] = ("portrait", "landscape"),
) -> int:
    """Save the tour's PNGs and `tour.json` in `out`, and nothing else.

    The kiosk keeps its state files (usage counters, first-frame record, command mailbox)
    beside its usage file: the tour gives it a temporary folder, removed at the end.
    """
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="safe-airports-tour-") as state:
        return _tour(settings, out, Path(state), languages, orientations)


def _tour(
    settings: Any,
    out: Path,
    state: Path,
    languages: list[str] | None,
    orientations: tuple[str, ...],
) -> int:
    pin = TOUR_PIN
    tour_settings = replace(
        settings,
        usage_file=state / "usage.db",
        maintenance_pin_hash=hash_pin(pin, salt=secrets.token_bytes(16), iterations=1000),
    )
    clock = ShiftableClock()
    kiosk_app = KioskApp(
        tour_settings,
        windowed=True,
        size=ORIENTATIONS["portrait"],
        monotonic=clock,
        remote_commands=False,
    )
    driver = TourDriver(kiosk_app)
    kiosk_app.window.show()
    driver.wait_frame()
    # A kiosk waits on its attract screen long before the first person comes: let it prepare
    # its QR codes first, as it would there.
    timer = QElapsedTimer()
    timer.start()
    while kiosk_app.controller.warm_pending() and timer.elapsed() < 60_000:
        driver.process(20)
    entries: list[dict[str, Any]] = []
    c = kiosk_app.controller
    langs = languages or tour_languages(kiosk_app)
    for orientation in orientations:
        driver.resize(*ORIENTATIONS[orientation])
        for lang in langs:

            def shoot(
                screen: str, ms: float | None, lang: str = lang, orientation: str = orientation
            ) -> None:
                name = f"{orientation}-{lang}-{screen}.png"
                driver.grab(out / name)
                entries.append(
                    {
                        "screen": screen,
                        "language": lang,
                        "orientation": orientation,
                        "file": name,
                        "ms": None if ms is None else round(ms, 2),
                    }
                )

            c.finish()
            driver.wait_frame()
            run_session(driver, lang, shoot)
            # The idle question, then its countdown running out.
            # (on a screen with QR codes: the longer limit, and a bar that leaves them visible)
            clock.advance(max(tour_settings.idle_seconds, tour_settings.qr_idle_seconds) + 1)
            c.check_idle()
            go_on = "idle.barContinue" if c.screenHasCodes else "idle.continue"
            driver.wait_for(go_on)
            driver.wait_frame()
            shoot("idle", None)
            shoot("home-after-idle", driver.tap(go_on))
        c.finish()
        driver.wait_frame()
        driver.corner_taps()
        for digit in pin:
            driver.tap(f"pin.{digit}")
        driver.wait_frame()
        entries.append(
            {
                "screen": "pin",
                "language": c.language,
                "orientation": orientation,
                "file": f"{orientation}-pin.png",
                "ms": None,
            }
        )
        driver.grab(out / f"{orientation}-pin.png")
        ms = driver.tap("pin.ok")
        name = f"{orientation}-maintenance.png"
        driver.grab(out / name)
        entries.append(
            {
                "screen": "maintenance",
                "language": c.language,
                "orientation": orientation,
                "file": name,
                "ms": round(ms, 2),
            }
        )
        driver.tap("maintenance.close")
    (out / "tour.json").write_text(
        json.dumps({"airport": settings.airport, "screens": entries}, indent=1, ensure_ascii=False)
        + "\n"
    )
    kiosk_app.close()
    log.info("tour: %d screenshots in %s", len(entries), out)
    return 0
