"""How long the kiosk's reading pages are, in screens (content height / visible height).

A person scrolls through help screens and articles with a finger; the issue's rule is that none
needs more than `MAX_SCREENS` screens in portrait at normal text size. `measure` opens each page
in a real kiosk window (the QML of the module, the sample content), waits until what is below
the fold is built and laid out, and reads the page's Flickable. Used by
tests/kiosk/test_page_length.py and the report tests/benchmarks/bench_page_length.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QElapsedTimer

MAX_SCREENS = 4.0
# Every language of the sample's airports, and the airports that offer them between them.
AIRPORTS = ("TAS", "FRU", "ASB")


@dataclass(frozen=True)
class PageLength:
    airport: str
    lang: str
    dest: str
    page: str  # "help" or a topic id
    content: float  # design px
    view: float  # design px

    @property
    def screens(self) -> float:
        return self.content / self.view

    def __str__(self) -> str:
        return (
            f"{self.screens:4.2f} screens  {self.airport} {self.lang:8} {self.dest} {self.page}"
            f"  ({self.content:.0f} / {self.view:.0f} px)"
        )


def _page_item(driver: Any) -> Any:
    """The current screen's ScrollPage (the item holding the Flickable named scrollPage)."""
    return driver.find("scrollPage").parentItem()


def settled_length(driver: Any, timeout_ms: int = 10_000) -> tuple[float, float]:
    """(content height, visible height) of the current page once it is completely built."""
    timer = QElapsedTimer()
    timer.start()
    while not _page_item(driver).property("ready"):
        if timer.elapsed() > timeout_ms:
            raise TimeoutError(f"{driver.controller.screen}: the page never became ready")
        driver.process(5)
    # what is built after the first frame is laid out by the next one
    driver.process()
    driver.wait_frame()
    flick = driver.find("scrollPage")
    return float(flick.property("contentHeight")), float(flick.height())


def measure(
    driver: Any,
    airport: str,
    langs: list[str] | None = None,
    dests: list[str] | None = None,
    topics: list[str] | None = None,
) -> Iterator[PageLength]:
    """Each destination's help screen and topics, in each language, as they are shown now
    (the driver's window size and text size)."""
    c = driver.controller
    for lang in langs or list(c.place.languages):
        c.end_session()
        c.startIn(lang)
        driver.process()
        for dest in dests or [d["id"] for d in c.homePage["destinations"]]:
            c.home()
            c.openDestination(dest)
            driver.process()
            wanted = topics or [t["id"] for t in c.destinationPage["topics"]]
            c.openHelp()
            yield PageLength(airport, lang, dest, "help", *settled_length(driver))
            for topic in wanted:
                c.home()
                c.openDestination(dest)
                c.openTopic(topic)
                yield PageLength(airport, lang, dest, topic, *settled_length(driver))
