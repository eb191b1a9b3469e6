"""How big the kiosk draws on the screen it is given: pure arithmetic, no Qt.

The QML is laid out in *design pixels*: the pixels of the reference panel, a 21.5-inch
1080×1920 screen (DESIGN.md: 60 px there is 15 mm). The root window scales its content by
`scale` so that

- the layout fills the window: the window's shorter side is at least `DESIGN_SHORT_SIDE`
  design pixels (1080), so a 4K, a 1366×768 or a 768×1366 panel shows the same layout as the
  1080×1920 one, only sharper or coarser;
- on a panel physically larger than the reference one (a 43-inch totem) nothing grows beyond
  its size on the reference panel: the layout gets more room instead;
- touch targets never fall under `MIN_TARGET_MM` (9 mm) on a small dense panel.

The panel's pixels per millimetre come from the `panel_diagonal_inches` setting when it is set,
else from the physical size the display server reports when that size is plausible (wlroots'
headless outputs and many virtual screens report none or a made-up one), else they are unknown
and the layout simply fills the window.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

MM_PER_INCH = 25.4
# The panel the layout is drawn for (DESIGN.md): 1080×1920 pixels, 21.5 inches.
REFERENCE_SIZE_PX = (1080, 1920)
REFERENCE_DIAGONAL_IN = 21.5
DESIGN_SHORT_SIDE = 1080
# The smallest touch target of the QML, in design pixels (keyboard keys in landscape: 84).
SMALLEST_TARGET_DESIGN_PX = 84
MIN_TARGET_MM = 9.0
# Panels a kiosk may have; a reported physical size outside these is not believed.
PLAUSIBLE_DIAGONAL_IN = (5.0, 120.0)


def px_per_mm(width_px: int, height_px: int, diagonal_in: float) -> float:
    """Pixels per millimetre of a panel of `width_px`×`height_px` with square pixels."""
    if width_px <= 0 or height_px <= 0 or diagonal_in <= 0:
        raise ValueError(f"no panel is {width_px}×{height_px} px at {diagonal_in} inches")
    return math.hypot(width_px, height_px) / (diagonal_in * MM_PER_INCH)


REFERENCE_PX_PER_MM = px_per_mm(*REFERENCE_SIZE_PX, REFERENCE_DIAGONAL_IN)


def reported_px_per_mm(
    width_px: int, height_px: int, width_mm: float, height_mm: float
) -> float | None:
    """Pixels per millimetre from a display server's physical size, or None if not plausible.

    Plausible: a diagonal of a real panel (5 to 120 inches) and pixels square within 10 %.
    """
    if min(width_px, height_px, width_mm, height_mm) <= 0:
        return None
    diagonal_in = math.hypot(width_mm, height_mm) / MM_PER_INCH
    lo, hi = PLAUSIBLE_DIAGONAL_IN
    if not lo <= diagonal_in <= hi:
        return None
    across, down = width_px / width_mm, height_px / height_mm
    if abs(across - down) > 0.1 * max(across, down):
        return None
    return math.hypot(width_px, height_px) / math.hypot(width_mm, height_mm)


@dataclass(frozen=True)
class DisplayMetrics:
    """The scale from design pixels to window pixels, and what it means on the panel."""

    scale: float  # window (logical) pixels per design pixel
    px_per_mm: float | None  # window pixels per millimetre on the panel; None: not known
    source: str  # where px_per_mm came from: "setting", "display server" or "unknown"
    design_width: float  # the window's size in design pixels
    design_height: float

    @property
    def design_px_per_mm(self) -> float:
        """Design pixels per millimetre (the reference panel's when the panel is unknown)."""
        if self.px_per_mm is None:
            return REFERENCE_PX_PER_MM
        return self.px_per_mm / self.scale

    def mm(self, design_px: float) -> float | None:
        """How many millimetres `design_px` design pixels measure on the panel (None: unknown)."""
        return None if self.px_per_mm is None else design_px * self.scale / self.px_per_mm

    def describe(self) -> str:
        density = (
            "pixel size unknown"
            if self.px_per_mm is None
            else f"{self.px_per_mm * MM_PER_INCH:.0f} px per inch ({self.source})"
        )
        return (
            f"scale {self.scale:.3f}, {density}, "
            f"layout {self.design_width:.0f}×{self.design_height:.0f} design px"
        )


def display_metrics(
    window_px: tuple[int, int],
    screen_px: tuple[int, int],
    *,
    diagonal_in: float = 0.0,
    physical_mm: tuple[float, float] | None = None,
    device_pixel_ratio: float = 1.0,
) -> DisplayMetrics:
    """The scale for a window of `window_px` on a screen of `screen_px` (both in Qt's logical
    pixels; `device_pixel_ratio` device pixels each).

    `diagonal_in` is the panel's diagonal from the settings (0: not set); `physical_mm` the
    screen's size as the display server reports it (None or zeros: not reported).
    """
    width, height = window_px
    if width <= 0 or height <= 0:
        raise ValueError(f"a window of {width}×{height} px has nothing to draw on")
    dpr = device_pixel_ratio if device_pixel_ratio > 0 else 1.0
    device_w, device_h = screen_px[0] * dpr, screen_px[1] * dpr
    density: float | None = None
    source = "unknown"
    if diagonal_in > 0:
        density, source = px_per_mm(round(device_w), round(device_h), diagonal_in), "setting"
    elif physical_mm is not None and min(device_w, device_h) > 0:
        density = reported_px_per_mm(round(device_w), round(device_h), *physical_mm)
        source = "display server" if density is not None else "unknown"
    logical_density = None if density is None else density / dpr

    fill = min(width, height) / DESIGN_SHORT_SIDE
    scale = fill
    if logical_density is not None:
        # Never larger than on the reference panel (a big panel gets more room instead)...
        scale = min(scale, logical_density / REFERENCE_PX_PER_MM)
        # ...and never so small that a target measures under 9 mm.
        floor = MIN_TARGET_MM * logical_density / SMALLEST_TARGET_DESIGN_PX
        scale = max(scale, floor)
    return DisplayMetrics(
        scale=scale,
        px_per_mm=logical_density,
        source=source,
        design_width=width / scale,
        design_height=height / scale,
    )


def default_window_size(available_px: tuple[int, int]) -> tuple[int, int]:
    """A portrait window for a desktop: the reference panel's shape, as tall as fits (at most
    its full size), with a little room left around it."""
    ref_w, ref_h = REFERENCE_SIZE_PX
    avail_w, avail_h = available_px
    fit = min(1.0, 0.92 * avail_w / ref_w, 0.92 * avail_h / ref_h)
    return max(1, round(ref_w * fit)), max(1, round(ref_h * fit))
