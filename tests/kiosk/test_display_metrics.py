"""The scale from design pixels to the screen (kiosk/display_metrics.py): pure arithmetic."""

from __future__ import annotations

import math

import pytest

from kiosk.display_metrics import (
    MIN_TARGET_MM,
    REFERENCE_PX_PER_MM,
    SMALLEST_TARGET_DESIGN_PX,
    default_window_size,
    display_metrics,
    px_per_mm,
    reported_px_per_mm,
)
from kiosk.settings import SettingsError, settings_from_mapping


def test_px_per_mm_of_the_reference_panel() -> None:
    # 1080×1920 at 21.5 inches: 2202.9 px over 546.1 mm.
    assert px_per_mm(1080, 1920, 21.5) == pytest.approx(4.0339, abs=1e-4)
    assert px_per_mm(1920, 1080, 21.5) == px_per_mm(1080, 1920, 21.5)
    assert px_per_mm(2160, 3840, 21.5) == pytest.approx(2 * REFERENCE_PX_PER_MM)
    with pytest.raises(ValueError):
        px_per_mm(1080, 0, 21.5)
    with pytest.raises(ValueError):
        px_per_mm(1080, 1920, 0)


def test_design_pixels_are_the_reference_panels() -> None:
    # DESIGN.md: 60 px is 15 mm on the 21.5-inch 1080×1920 panel.
    assert round(60 / REFERENCE_PX_PER_MM, 1) == 14.9
    m = display_metrics((1080, 1920), (1080, 1920), diagonal_in=21.5)
    assert m.scale == pytest.approx(1.0)
    assert (m.design_width, m.design_height) == pytest.approx((1080, 1920))
    assert m.mm(60) == pytest.approx(14.9, abs=0.1)
    assert m.source == "setting"


@pytest.mark.parametrize(
    ("size", "diagonal", "scale", "design"),
    [
        ((1080, 1920), 21.5, 1.0, (1080, 1920)),
        ((1920, 1080), 21.5, 1.0, (1920, 1080)),
        ((2160, 3840), 21.5, 2.0, (1080, 1920)),  # 4K: same layout, twice the pixels
        ((1366, 768), 18.5, 768 / 1080, (1921, 1080)),
        ((768, 1366), 18.5, 768 / 1080, (1080, 1921)),
        ((1080, 1920), 43.0, 0.5, (2160, 3840)),  # a totem: same millimetres, more room
        ((1920, 1080), 0.0, 1.0, (1920, 1080)),  # size unknown: fill the window
        ((2160, 3840), 0.0, 2.0, (1080, 1920)),
        ((1366, 768), 0.0, 768 / 1080, (1921, 1080)),
    ],
)
def test_every_listed_panel_gets_the_reference_layout_or_more_room(
    size, diagonal, scale, design
) -> None:
    m = display_metrics(size, size, diagonal_in=diagonal)
    assert m.scale == pytest.approx(scale)
    assert (round(m.design_width), round(m.design_height)) == design
    assert min(m.design_width, m.design_height) >= 1080 - 1e-6
    if diagonal:
        assert m.mm(SMALLEST_TARGET_DESIGN_PX) >= MIN_TARGET_MM


def test_a_small_dense_panel_keeps_targets_at_nine_millimetres() -> None:
    # A 7-inch 1024×600 panel: filling it would make targets 7.4 mm; the floor wins.
    m = display_metrics((1024, 600), (1024, 600), diagonal_in=7.0)
    assert m.mm(SMALLEST_TARGET_DESIGN_PX) == pytest.approx(MIN_TARGET_MM)
    assert m.scale > 600 / 1080
    # ...and a target of the reference panel's 60 px (15 mm there) is no smaller here.
    assert m.mm(60) > 6


def test_the_reported_physical_size_is_used_only_when_believable() -> None:
    assert reported_px_per_mm(1920, 1080, 477, 268) == pytest.approx(
        math.hypot(1920, 1080) / math.hypot(477, 268)
    )
    assert reported_px_per_mm(1920, 1080, 0, 0) is None  # wlroots headless: none
    assert reported_px_per_mm(1920, 1080, 80, 45) is None  # 3.6 inches: made up
    assert reported_px_per_mm(1920, 1080, 3000, 1700) is None  # 135 inches
    assert reported_px_per_mm(1920, 1080, 477, 477) is None  # pixels far from square
    big = display_metrics((1080, 1920), (1080, 1920), physical_mm=(535, 951))  # 43 inches
    assert big.source == "display server"
    assert big.scale == pytest.approx(0.5, abs=0.01)
    unknown = display_metrics((1080, 1920), (1080, 1920), physical_mm=(0, 0))
    assert unknown.source == "unknown" and unknown.px_per_mm is None and unknown.scale == 1.0
    # The setting wins over what the display says.
    assert display_metrics(
        (1080, 1920), (1080, 1920), diagonal_in=21.5, physical_mm=(535, 951)
    ).scale == pytest.approx(1.0)


def test_a_window_on_a_desktop_fits_the_layout_into_the_window() -> None:
    # A 24-inch 1920×1080 desktop (EDID says 531×299 mm), a portrait window on it.
    w, h = default_window_size((1920, 1050))
    assert h <= 1050 and abs(w / h - 1080 / 1920) < 0.01
    m = display_metrics((w, h), (1920, 1080), physical_mm=(531, 299))
    assert (m.design_width, m.design_height) == pytest.approx((1080, 1920), abs=2)
    # Device pixels: a 2× desktop reports half the pixels, each twice as large.
    hidpi = display_metrics((w, h), (1920, 1080), physical_mm=(293, 165), device_pixel_ratio=2)
    assert hidpi.px_per_mm == pytest.approx(m.px_per_mm * 531 / 293, rel=0.01)
    assert default_window_size((4000, 3000)) == (1080, 1920)  # never larger than the panel


def test_metrics_follow_a_changed_output() -> None:
    before = display_metrics((1080, 1920), (1080, 1920), diagonal_in=21.5)
    after = display_metrics((1920, 1080), (1920, 1080), diagonal_in=21.5)  # rotated
    assert (after.design_width, after.design_height) == pytest.approx((1920, 1080))
    assert after.px_per_mm == pytest.approx(before.px_per_mm)
    with pytest.raises(ValueError):
        display_metrics((0, 1080), (1920, 1080))


@pytest.mark.parametrize("value", [21.5, 32, 0])
def test_panel_diagonal_setting(value) -> None:
    s = settings_from_mapping({"panel_diagonal_inches": value})
    assert s.panel_diagonal_inches == float(value)
    assert isinstance(s.panel_diagonal_inches, float)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("21.5", "must be float (a number)"),
        (True, "must be float (a number)"),
        (3, "0 (not set) or inches from 5 to 120"),
        (float("nan"), "0 (not set) or inches from 5 to 120"),
        (-21.5, "0 (not set) or inches from 5 to 120"),
    ],
)
def test_bad_panel_diagonal_is_a_clear_error(value, expected) -> None:
    with pytest.raises(SettingsError, match="panel_diagonal_inches") as info:
        settings_from_mapping({"panel_diagonal_inches": value}, "kiosk.toml")
    assert expected in str(info.value)
