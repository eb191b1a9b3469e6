"""The longest help screens and articles, in screens (content height / visible height).

Every airport of tests/kiosk/page_length.py × destination × language × page (the help screen
and every topic), in portrait (1080×1920) and landscape (1920×1080) at normal text size, in a
real kiosk window on the offscreen platform with the packaged sample content. Prints the
longest pages of each orientation; the figures are the longest help screen and article of each.
The rule (issue 11): no page longer than 4 screens in portrait at normal text size, checked by
tests/kiosk/test_page_length.py.

    python -m tests.benchmarks page_length            # the report (a few minutes)
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

SIZES = {"portrait": (1080, 1920), "landscape": (1920, 1080)}
SHOWN = 12  # longest pages printed per orientation


def run() -> dict[str, Any]:
    from kiosk.app import KioskApp, prepare_platform
    from kiosk.settings import KioskSettings
    from kiosk.tour import ShiftableClock, TourDriver
    from tests.kiosk.page_length import AIRPORTS, MAX_SCREENS, measure

    prepare_platform("offscreen")
    figures: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for orientation, size in SIZES.items():
            pages = []
            for airport in AIRPORTS:
                settings = KioskSettings(
                    airport=airport,
                    content_dir=folder / "content",
                    usage_file=folder / "usage.db",
                    fallback_cache_dir=folder / "fallback",
                )
                app = KioskApp(settings, windowed=True, size=size, monotonic=ShiftableClock())
                app.window.show()
                driver = TourDriver(app)
                driver.wait_frame()
                pages += list(measure(driver, airport))
                app.close()
            pages.sort(key=lambda p: -p.screens)
            print(f"   {orientation}: {len(pages)} pages; the longest:")
            for page in pages[:SHOWN]:
                print(f"     {page}")
            helps = [p for p in pages if p.page == "help"]
            articles = [p for p in pages if p.page != "help"]
            for kind, group in (("help", helps), ("article", articles)):
                figures[f"{orientation}_longest_{kind}_screens"] = round(group[0].screens, 2)
                figures[f"{orientation}_longest_{kind}"] = str(group[0]).split("  ", 1)[1]
            if orientation == "portrait":
                over = [p for p in pages if p.screens > MAX_SCREENS]
                figures["portrait_pages_over_limit"] = len(over)
                by_page: dict[str, int] = {}
                for p in over:
                    by_page[p.page] = by_page.get(p.page, 0) + 1
                figures["portrait_over_limit_by_page"] = by_page
                figures["portrait_over_limit_help"] = sorted(
                    f"{p.airport} {p.lang} {p.dest} {p.screens:.2f}"
                    for p in over
                    if p.page == "help"
                )
    return figures


if __name__ == "__main__":
    for key, value in run().items():
        print(f"{key}: {value}")
