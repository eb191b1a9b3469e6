"""The window's layout follows its real size (offscreen here; Xvfb and cage in
test_display_servers.py): the scaled stage always covers the window, and changes with it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint

from kiosk.tour import walk


def stage(driver):
    return next(i for i in walk(driver.window.contentItem()) if i.objectName() == "stage")


def covered(driver) -> tuple[float, float]:
    """The window pixels the stage covers (its size in design pixels times its scale)."""
    item = stage(driver)
    rect = item.mapRectToScene(item.boundingRect())
    return rect.width(), rect.height()


@pytest.mark.parametrize(
    ("size", "design"),
    [
        ((1080, 1920), (1080, 1920)),
        ((1366, 768), (1921, 1080)),
        ((768, 1366), (1080, 1921)),
        ((2160, 3840), (1080, 1920)),
    ],
)
def test_the_stage_fills_the_window_in_design_pixels(make_kiosk, size, design) -> None:
    d = make_kiosk(size=size)
    assert covered(d) == pytest.approx(size, abs=0.5)
    item = stage(d)
    assert (round(item.width()), round(item.height())) == design
    assert d.window.property("uiScale") == pytest.approx(d.app.metrics.scale)


def test_the_layout_follows_a_resized_window(make_kiosk) -> None:
    d = make_kiosk(size=(1080, 1920))
    d.resize(1280, 720)  # the output changed (a rotated panel, another mode)
    assert covered(d) == pytest.approx((1280, 720), abs=0.5)
    assert d.window.property("portrait") is False
    assert min(stage(d).width(), stage(d).height()) == pytest.approx(1080)
    d.tap("attract.start")  # taps land where the scaled items are drawn
    assert d.controller.screen == "language"
    d.resize(2160, 3840)
    assert covered(d) == pytest.approx((2160, 3840), abs=0.5)
    assert d.window.property("portrait") is True
    d.tap("nav.help")
    assert d.controller.screen == "help"


def test_the_corner_gesture_is_measured_in_design_pixels(make_kiosk) -> None:
    d = make_kiosk(size=(2160, 3840))  # scale 2: the 120-px corner is 240 window pixels
    for _ in range(5):
        d.click_at(QPoint(200, 3840 - 200))
    d.process()
    assert d.controller.pinOpen
