"""One person's session at the kiosk, and the idle logic that ends it (Qt-free).

Everything a person changes lives in `Session` (screens stack, language, destination, text
size, scroll positions, search text, checklist ticks) so that one `reset()` clears it all. The
clocks are passed in, so tests drive time by hand.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum

Clock = Callable[[], float]

START_SCREEN = "attract"


@dataclass
class Screen:
    name: str
    params: dict[str, str] = field(default_factory=dict)


@dataclass
class Session:
    """The state of one person's visit; `reset()` returns it to a fresh attract screen."""

    stack: list[Screen] = field(default_factory=lambda: [Screen(START_SCREEN)])
    language: str = ""
    destination: str = ""
    large_text: bool = False
    search_text: str = ""
    scroll: dict[str, float] = field(default_factory=dict)
    checklist: set[int] = field(default_factory=set)
    started_at: float | None = None

    def reset(self) -> None:
        fresh = Session()
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(fresh, name))

    @property
    def current(self) -> Screen:
        return self.stack[-1]

    def push(self, name: str, **params: str) -> None:
        if self.current.name == name and self.current.params == params:
            return
        self.stack.append(Screen(name, dict(params)))

    def back(self) -> None:
        if len(self.stack) > 1:
            self.stack.pop()

    def go_home(self) -> None:
        """Back to the home screen (keeping the way to it: attract, language)."""
        for i, screen in enumerate(self.stack):
            if screen.name == "home":
                del self.stack[i + 1 :]
                return
        self.push("home")

    def is_default(self) -> bool:
        return self == Session()


class IdlePhase(Enum):
    OFF = "off"  # no session running (attract screen)
    ACTIVE = "active"
    ASKING = "asking"  # the "still there?" overlay counts down
    EXPIRED = "expired"


class IdleLogic:
    """When to ask "still there?" and when to end the session, given the last touch."""

    def __init__(self, clock: Clock, idle_seconds: float, countdown_seconds: float) -> None:
        self._clock = clock
        self.idle_seconds = float(idle_seconds)
        self.countdown_seconds = float(countdown_seconds)
        self._running = False
        self._last_touch = 0.0

    def start(self) -> None:
        self._running = True
        self._last_touch = self._clock()

    def stop(self) -> None:
        self._running = False

    def touch(self) -> None:
        if self._running:
            self._last_touch = self._clock()

    def phase(self) -> IdlePhase:
        if not self._running:
            return IdlePhase.OFF
        quiet = self._clock() - self._last_touch
        if quiet < self.idle_seconds:
            return IdlePhase.ACTIVE
        if quiet < self.idle_seconds + self.countdown_seconds:
            return IdlePhase.ASKING
        return IdlePhase.EXPIRED

    def seconds_left(self) -> int:
        """Whole seconds shown on the countdown (rounded up, never negative)."""
        quiet = self._clock() - self._last_touch
        left = self.idle_seconds + self.countdown_seconds - quiet
        whole = int(left)
        return max(0, whole + (1 if left > whole else 0))

    def next_check_in(self) -> float | None:
        """Seconds until the phase or the countdown figure changes (None: nothing to wait for)."""
        phase = self.phase()
        if phase in (IdlePhase.OFF, IdlePhase.EXPIRED):
            return None
        quiet = self._clock() - self._last_touch
        if phase is IdlePhase.ACTIVE:
            return max(0.0, self.idle_seconds - quiet)
        left = self.idle_seconds + self.countdown_seconds - quiet
        frac = left - math.floor(left)
        return frac if frac > 0 else 1.0


class CornerTaps:
    """The hidden maintenance gesture: `taps` presses in a corner within `window` seconds."""

    def __init__(self, clock: Clock, taps: int = 5, window: float = 3.0, size: float = 120.0):
        self._clock = clock
        self.taps = taps
        self.window = window
        self.size = size
        self._times: list[float] = []

    def in_corner(self, x: float, y: float, width: float, height: float) -> bool:
        """The bottom-left corner: nothing a traveller needs is placed there."""
        return x <= self.size and y >= height - self.size

    def press(self, x: float, y: float, width: float, height: float) -> bool:
        """Record a press; True when it completes the gesture."""
        if not self.in_corner(x, y, width, height):
            self._times.clear()
            return False
        now = self._clock()
        self._times = [t for t in self._times if now - t <= self.window] + [now]
        if len(self._times) >= self.taps:
            self._times.clear()
            return True
        return False
