"""One person's session at the kiosk, and the idle logic that ends it (Qt-free).

Everything a person changes lives in `Session` (screens stack, language, destination, text
size, scroll positions, search text, checklist ticks, nationality) so that one `reset()` clears
it all; so do the rules of where each tap leads. The clocks are passed in, so tests drive time
by hand.
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


GENERAL = "general"  # the scope of articles for every destination
SEARCH_MAX = 40  # characters typed in the search field
NO_BAR = ("attract", "maintenance")  # screens without the navigation bar


@dataclass
class Session:
    """The state of one person's visit and the rules of moving between screens.

    `reset()` returns it to a fresh attract screen. The `open_*` methods push the screen a tap
    leads to (pushing the screen already shown with the same parameters does nothing).
    """

    stack: list[Screen] = field(default_factory=lambda: [Screen(START_SCREEN)])
    language: str = ""
    destination: str = ""
    large_text: bool = False
    search_text: str = ""
    scroll: dict[str, float] = field(default_factory=dict)
    checklist: set[str] = field(default_factory=set)  # ids of the ticked items
    nationality: str = ""  # chosen by the person; "" = the one the airport implies
    choosing_nationality: bool = False  # the short list of nationalities is open
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

    # --- the rules of the navigation bar ---------------------------------------------------

    @property
    def can_go_back(self) -> bool:
        """Back never leads to the attract or first language screen (home is the floor)."""
        return len(self.stack) > 2

    def go_back(self) -> bool:
        """One screen back if allowed; True if the screen changed."""
        if not self.can_go_back:
            return False
        self.back()
        return True

    @property
    def bar_visible(self) -> bool:
        return self.current.name not in NO_BAR

    @property
    def changing_language(self) -> bool:
        """On the language screen reached from the bar (not the first choice after attract)."""
        return self.current.name == "language" and self.can_go_back

    @property
    def scroll_key(self) -> str:
        """Where the current screen's scroll position is kept (the same screen deeper in the
        stack has its own)."""
        return f"{len(self.stack)}:{self.current.name}"

    # --- where a tap leads ----------------------------------------------------------------

    def begin(self, now: float) -> bool:
        """A touch on the attract screen starts the visit at the language choice."""
        if self.current.name != START_SCREEN:
            return False
        self.started_at = now
        self.push("language")
        return True

    def begin_in(self, now: float, lang: str) -> bool:
        """A language named on the attract screen: the visit starts at home in that language."""
        if not self.begin(now):
            return False
        self.choose_language(lang)
        return True

    def choose_language(self, lang: str) -> None:
        """After the first choice the visit goes on at home; a later change goes back to where
        the person was."""
        self.language = lang
        if self.current.name == "language" and len(self.stack) >= 2:
            if self.stack[-2].name == START_SCREEN:
                self.stack[-1] = Screen("home")
            else:
                self.back()

    def open_destination(self, dest: str) -> None:
        self.destination = dest
        self.push("destination", dest=dest)

    def open_topic(self, topic: str, scope: str = "") -> None:
        """An article of the session's destination (or the general one), or of `scope`."""
        dest = scope if scope and scope != GENERAL else self.destination or GENERAL
        self.push("article", dest=dest, topic=topic)

    def open_link(self, url: str) -> str | None:
        """A link between articles, `article:SCOPE/TOPIC`; the topic, or None for other links."""
        if not url.startswith("article:"):
            return None
        scope, _, topic = url.removeprefix("article:").partition("/")
        dest = (self.destination if scope == GENERAL else scope) or GENERAL
        self.push("article", dest=dest, topic=topic)
        return topic

    def open_help(self) -> None:
        """Help for the session's destination; opened before a language is chosen, it offers
        every language of the airport (`choose`), until the person leaves it."""
        if self.language:
            self.push("help", dest=self.destination)
        else:
            self.push("help", dest=self.destination, choose="1")

    # --- what a person changes on a screen ------------------------------------------------

    def open_nationality(self) -> None:
        self.choosing_nationality = True

    def close_nationality(self) -> None:
        self.choosing_nationality = False

    def choose_nationality(self, nationality: str) -> None:
        """One tap in the open list: the person's nationality, until the session ends."""
        self.choosing_nationality = False
        self.nationality = nationality

    def toggle_text_size(self) -> None:
        self.large_text = not self.large_text

    def toggle_check(self, item_id: str) -> None:
        """Tick or untick a checklist item, by its id (kiosk/screens/checklist.py): the tick
        stays on the item when the list is rebuilt for another nationality or language."""
        self.checklist ^= {item_id}

    def type_key(self, key: str) -> None:
        if len(self.search_text) < SEARCH_MAX:
            self.search_text += key

    def backspace(self) -> None:
        self.search_text = self.search_text[:-1]

    def save_scroll(self, key: str, y: float) -> None:
        if self.current.name != START_SCREEN:
            self.scroll[key] = float(y)


class IdlePhase(Enum):
    OFF = "off"  # no session running (attract screen)
    ACTIVE = "active"
    ASKING = "asking"  # the "still there?" overlay counts down
    EXPIRED = "expired"


class IdleLogic:
    """When to ask "still there?" and when to end the session, given the last touch."""

    def __init__(
        self,
        clock: Clock,
        idle_seconds: float,
        countdown_seconds: float,
        qr_idle_seconds: float | None = None,
    ) -> None:
        self._clock = clock
        self.normal_idle_seconds = float(idle_seconds)
        self.qr_idle_seconds = float(idle_seconds if qr_idle_seconds is None else qr_idle_seconds)
        self.idle_seconds = self.normal_idle_seconds
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

    def showing_codes(self, codes: bool) -> None:
        """The screen shown has QR codes (a person may be scanning one): the longer limit."""
        self.idle_seconds = self.qr_idle_seconds if codes else self.normal_idle_seconds

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
