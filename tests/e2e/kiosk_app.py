"""The real kiosk app (Qt Quick, offscreen) on the content a real agent installed, as the
end-to-end tests that follow an update down to the screen start it."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from tests.admin_sync.sync.processes import KioskDisk

if TYPE_CHECKING:
    from kiosk.app import KioskApp
    from kiosk.tour import TourDriver


def start_kiosk_app(disk: KioskDisk, airport: str, root: Path) -> tuple[KioskApp, TourDriver]:
    """The app in a 1080x1920 window on `disk`'s installed content (usage counters and the
    fallback cache in `root`), its first frame drawn; closed again if it does not get there."""
    from kiosk.app import KioskApp
    from kiosk.settings import KioskSettings
    from kiosk.tour import ShiftableClock, TourDriver

    settings = KioskSettings(
        airport=airport,
        kiosk_id=disk.kiosk_id,
        content_dir=disk.content_dir,
        usage_file=root / "usage.db",
        idle_seconds=60,
        countdown_seconds=20,
        maintenance_pin_hash="",
        fallback_cache_dir=root / "fallback",
    )
    app = KioskApp(settings, windowed=True, size=(1080, 1920), monotonic=ShiftableClock())
    try:
        app.window.show()
        driver = TourDriver(app)
        driver.wait_frame()
    except BaseException:
        app.close()
        raise
    return app, driver
