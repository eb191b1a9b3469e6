"""The kiosk's property surface for QML: the `Kiosk` singleton of the SafeAirports module.

Every decision lives in Qt-free code: `Session` (where a tap leads), `IdleLogic`, `PinEntry` and
the screen builders of `kiosk.screens`. This QObject holds them together, exposes what they
produce as properties with notify signals (converted to QML values in one place,
`kiosk.qml_values`), and turns QML's calls into calls on them. A Python exception in a slot is
logged and the kiosk goes back to the attract screen.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, TypeVar, cast

import shiboken6
from PySide6.QtCore import Property, QObject, QTimer, Signal, Slot
from PySide6.QtQml import QJSEngine, QmlNamedElement, QmlSingleton

from content.cache import ContentCache
from content.notices import ShownNotice
from kiosk import host
from kiosk.audio_player import AudioPlayer
from kiosk.content_loader import ContentSource, LoadedContent
from kiosk.keyboards import layout_for
from kiosk.listen import (
    NO_CLIPS,
    Clips,
    audio_paths,
    clips_for_screen,
    language_clip,
    listened_value,
    looks_like_ogg_opus,
)
from kiosk.notice_reader import NoticeReader
from kiosk.pin import PinEntry
from kiosk.qml_values import QmlValue, qml_strings, to_qml
from kiosk.qr_warmup import QrWarmUp
from kiosk.screens import KINDS
from kiosk.screens.build import EMPTY, AnyScreen, ScreenInput, build_screen, qr_shown
from kiosk.screens.maintenance import KioskFacts
from kiosk.screens.nationality import (
    NationalityView,
    build_nationality,
    help_qr_payloads_for_all,
    nationality_ids,
    with_nationality,
)
from kiosk.screens.place import Place, place_of
from kiosk.screens.search import SearchResult, search_results, search_status
from kiosk.screens.text import fmt
from kiosk.session import GENERAL, CornerTaps, IdleLogic, IdlePhase, Session
from kiosk.settings import KioskSettings
from kiosk.usage_metrics import session_length_bucket
from kiosk.usage_store import UsageRecorder

log = logging.getLogger(__name__)

APP_VERSION = "0.1.0"

# The QML module the `Kiosk` singleton is registered in (read by QmlNamedElement).
QML_IMPORT_NAME = "SafeAirports"
QML_IMPORT_MAJOR_VERSION = 1

SlotMethod = TypeVar("SlotMethod", bound=Callable[..., Any])

# The controller of each QML engine (the `Kiosk` singleton is created per engine).
_by_engine: dict[int, KioskController] = {}


def _engine_key(engine: QObject) -> int:
    return int(shiboken6.getCppPointer(engine)[0])


def guarded(method: SlotMethod) -> SlotMethod:
    """Log any exception of a slot and return the kiosk to the attract screen."""

    @functools.wraps(method)
    def wrapper(self: KioskController, *args: Any) -> Any:
        try:
            return method(self, *args)
        except Exception:
            log.exception("error in %s; returning to the attract screen", method.__name__)
            self.recover()
            return None

    return cast(SlotMethod, wrapper)


# The `Kiosk` singleton of the SafeAirports module (the stubs lack QmlNamedElement's __call__).
@QmlNamedElement("Kiosk")
@QmlSingleton
class KioskController(QObject):  # type: ignore[operator]
    screenChanged = Signal()
    pageChanged = Signal()
    languageChanged = Signal()
    largeTextChanged = Signal()
    searchChanged = Signal()
    idleChanged = Signal()
    pinChanged = Signal()
    sessionReset = Signal()
    checklistChanged = Signal()
    nationalityChanged = Signal()
    listenChanged = Signal()

    def __init__(
        self,
        settings: KioskSettings,
        source: ContentSource,
        recorder: UsageRecorder,
        *,
        monotonic: Callable[[], float] = time.monotonic,
        screen_size: Callable[[], str] = lambda: "",
        parent: QObject | None = None,
        warm_up_now: bool = True,
        wall_clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        super().__init__(parent)
        self.settings = settings
        self.source = source
        self.recorder = recorder
        self._monotonic = monotonic
        self._wall_clock = wall_clock  # urgent notices start and expire by it
        self.notice_reader = NoticeReader(settings.content_dir)
        self._screen_size = screen_size
        self.session = Session()
        self.idle = IdleLogic(
            monotonic, settings.idle_seconds, settings.countdown_seconds, settings.qr_idle_seconds
        )
        self.corner = CornerTaps(monotonic)
        self.pin = PinEntry()
        self._idle_timer = QTimer(self)
        self._idle_timer.setSingleShot(True)
        self._idle_timer.timeout.connect(self.check_idle)
        self._asking = False  # the "still there?" overlay is shown
        self._strings: dict[str, str] = {}
        self._qml_strings: dict[str, str] = {}
        self.screen_view: AnyScreen = EMPTY["attract"]  # the current screen, as built
        self._empty_pages: dict[str, QmlValue] = {k: to_qml(v) for k, v in EMPTY.items()}
        self._pages = dict(self._empty_pages)
        self._search_results: tuple[SearchResult, ...] = ()
        self._searched = False
        self._nationality = NationalityView()
        self.warm_up = QrWarmUp(
            lambda: help_qr_payloads_for_all(self.cache, self.airport_place),
            idle=lambda: self.session.current.name == "attract",
            parent=self,
        )
        # The airport's own Place; `place` is what this session's screens are built for.
        self.airport_place: Place = place_of(self.cache, settings.airport)
        self.audio = AudioPlayer(
            self._read_audio,
            volume=settings.audio_volume,
            headphones_only=settings.audio_headphones_only,
            parent=self,
        )
        self.audio.playingChanged.connect(self.listenChanged)
        self.audio.failed.connect(self._audio_failed)
        self._audio_ok: dict[str, bool] = {}  # asset path -> looks playable (checked once)
        self._audio_available = audio_paths(self.cache)
        self._clips: Clips = NO_CLIPS
        self._listen_kind = ""
        self._refresh()
        if warm_up_now:
            self.warm_up.start()

    # --- QML registration -----------------------------------------------------------------

    @staticmethod
    def create(engine: QObject) -> KioskController:
        """The `Kiosk` singleton of this engine (called by QML; the app binds it first)."""
        controller = _by_engine[_engine_key(engine)]
        QJSEngine.setObjectOwnership(controller, QJSEngine.ObjectOwnership.CppOwnership)
        return controller

    def bind_engine(self, engine: QObject) -> None:
        """Make this controller the `Kiosk` singleton of `engine` (before it loads QML)."""
        _by_engine[_engine_key(engine)] = self

    def unbind_engine(self, engine: QObject) -> None:
        _by_engine.pop(_engine_key(engine), None)

    # --- content --------------------------------------------------------------------------

    @property
    def loaded(self) -> LoadedContent:
        assert self.source.current is not None
        return self.source.current

    @property
    def cache(self) -> ContentCache:
        return self.loaded.cache

    @property
    def place(self) -> Place:
        """The airport's Place, with the nationality the person chose (if they changed it)."""
        return with_nationality(self.airport_place, self.session.nationality)

    @property
    def lang(self) -> str:
        return self.session.language or self.place.default_language

    # --- properties for QML ---------------------------------------------------------------

    def _get_screen(self) -> str:
        return self.session.current.name

    screen = Property(str, _get_screen, notify=screenChanged)

    def _get_component(self) -> str:
        return KINDS[self.session.current.name].component

    screenComponent = Property(str, _get_component, notify=screenChanged)

    def _get_page(self) -> QmlValue:
        return self._pages[self.session.current.name]

    # The current screen's page (for tests and the tour); QML reads its kind's property below.
    page = Property(dict, _get_page, notify=pageChanged)

    # Each kind's page, changed only when a screen of that kind is built: a screen shown reads
    # its own kind's page, so it is not rebuilt when another kind of screen comes.
    attractPageChanged = Signal()
    attractPage = Property(dict, lambda s: s._pages["attract"], notify=attractPageChanged)
    languagePageChanged = Signal()
    languagePage = Property(dict, lambda s: s._pages["language"], notify=languagePageChanged)
    homePageChanged = Signal()
    homePage = Property(dict, lambda s: s._pages["home"], notify=homePageChanged)
    destinationPageChanged = Signal()
    destinationPage = Property(
        dict, lambda s: s._pages["destination"], notify=destinationPageChanged
    )
    articlePageChanged = Signal()
    articlePage = Property(dict, lambda s: s._pages["article"], notify=articlePageChanged)
    helpPageChanged = Signal()
    helpPage = Property(dict, lambda s: s._pages["help"], notify=helpPageChanged)
    searchPageChanged = Signal()
    searchPage = Property(dict, lambda s: s._pages["search"], notify=searchPageChanged)
    checklistPageChanged = Signal()
    checklistPage = Property(dict, lambda s: s._pages["checklist"], notify=checklistPageChanged)
    maintenancePageChanged = Signal()
    maintenancePage = Property(
        dict, lambda s: s._pages["maintenance"], notify=maintenancePageChanged
    )

    def _get_language(self) -> str:
        return self.lang

    language = Property(str, _get_language, notify=languageChanged)

    def _get_strings(self) -> dict[str, str]:
        return self._qml_strings

    strings = Property(dict, _get_strings, notify=languageChanged)

    def _get_keyboard(self) -> list[list[str]]:
        return layout_for(self.lang)

    keyboardRows = Property(list, _get_keyboard, notify=languageChanged)

    def _get_large(self) -> bool:
        return self.session.large_text

    largeText = Property(bool, _get_large, notify=largeTextChanged)

    def _get_search_text(self) -> str:
        return self.session.search_text

    searchText = Property(str, _get_search_text, notify=searchChanged)

    def _get_search_results(self) -> QmlValue:
        return to_qml(self._search_results)

    searchResults = Property(list, _get_search_results, notify=searchChanged)

    def _get_search_status(self) -> str:
        return search_status(self._strings, self.session.search_text, len(self._search_results))

    searchStatus = Property(str, _get_search_status, notify=searchChanged)

    def _get_asking(self) -> bool:
        return self._asking

    idleAsking = Property(bool, _get_asking, notify=idleChanged)

    def _get_codes(self) -> bool:
        return bool(qr_shown(self.screen_view))

    # the screen shows QR codes: the countdown is a bar that leaves them visible
    screenHasCodes = Property(bool, _get_codes, notify=screenChanged)

    def _get_seconds_left(self) -> int:
        if not self._asking:
            return 0
        return min(self.idle.seconds_left(), int(self.idle.countdown_seconds))

    idleSecondsLeft = Property(int, _get_seconds_left, notify=idleChanged)

    def _get_countdown(self) -> str:
        seconds = str(self._get_seconds_left())
        return fmt(self._strings.get("idle.countdown", ""), seconds=seconds)

    idleCountdown = Property(str, _get_countdown, notify=idleChanged)

    def _get_pin_open(self) -> bool:
        return self.pin.is_open

    pinOpen = Property(bool, _get_pin_open, notify=pinChanged)

    def _get_pin_dots(self) -> int:
        return len(self.pin.digits)

    pinLength = Property(int, _get_pin_dots, notify=pinChanged)

    def _get_pin_failed(self) -> bool:
        return self.pin.failed

    pinFailed = Property(bool, _get_pin_failed, notify=pinChanged)

    def _get_checked(self) -> list[str]:
        return sorted(self.session.checklist)

    checkedItems = Property(list, _get_checked, notify=checklistChanged)

    def _get_nationality(self) -> QmlValue:
        return to_qml(self._nationality)

    # kiosk/screens/nationality.py NationalityView: the chip and the short list of choices
    nationality = Property(dict, _get_nationality, notify=nationalityChanged)

    def _get_nationality_open(self) -> bool:
        return self.session.choosing_nationality

    nationalityOpen = Property(bool, _get_nationality_open, notify=nationalityChanged)

    def _get_can_back(self) -> bool:
        return self.session.can_go_back

    canGoBack = Property(bool, _get_can_back, notify=screenChanged)

    def _get_bar(self) -> bool:
        return self.session.bar_visible

    barVisible = Property(bool, _get_bar, notify=screenChanged)

    def _get_scroll_key(self) -> str:
        return self.session.scroll_key

    scrollKey = Property(str, _get_scroll_key, notify=screenChanged)

    # --- listening ------------------------------------------------------------------------

    def _get_listen_available(self) -> bool:
        return bool(self._clips) and self.audio.can_play()

    # the current screen has audio: its listen button is shown
    listenAvailable = Property(bool, _get_listen_available, notify=listenChanged)

    def _get_listening(self) -> bool:
        return self.audio.playing

    listening = Property(bool, _get_listening, notify=listenChanged)

    def _get_listen_languages(self) -> list[str]:
        if not self.audio.can_play():
            return []
        return [x for x in self.place.languages if self._playable(self._language_clip(x))]

    # languages whose name can be heard (the small buttons of the language screen)
    listenLanguages = Property(list, _get_listen_languages, notify=listenChanged)

    def _language_clip(self, lang: str) -> str:
        return language_clip(lang, self._audio_available)

    def _read_audio(self, path: str) -> bytes | None:
        return self.cache.asset(path)

    def _playable(self, path: str) -> bool:
        if not path:
            return False
        if path not in self._audio_ok:
            self._audio_ok[path] = looks_like_ogg_opus(self.cache.asset(path))
        return self._audio_ok[path]

    def _audio_failed(self, path: str) -> None:
        self._audio_ok[path] = False
        if path in self._clips.paths:
            self._clips = NO_CLIPS
        self.listenChanged.emit()

    def _find_clips(self) -> Clips:
        screen = self.session.current
        clips = clips_for_screen(
            screen.name,
            screen.params,
            cache=self.cache,
            place=self.place,
            lang=self.lang,
            destination=self.session.destination or GENERAL,
            available=self._audio_available,
        )
        return clips if all(self._playable(p) for p in clips.paths) else NO_CLIPS

    @Slot()
    @guarded
    def listen(self) -> None:
        """The screen's listen button: play its audio, or stop it if it plays."""
        if self.audio.playing:
            self.audio.stop()
            return
        if not self._clips:
            return
        self._record("listened", listened_value(self._clips.kind, self.lang))
        self.audio.play(self._clips.paths)

    @Slot(str)
    @guarded
    def listenLanguage(self, lang: str) -> None:
        """The small button beside a language's name: say the name in that language."""
        if lang not in self.place.languages:
            raise ValueError(f"language {lang!r} is not offered at {self.settings.airport}")
        path = self._language_clip(lang)
        if self._playable(path):
            self._record("listened", listened_value("language", lang))
            self.audio.play([path])

    @Slot()
    @guarded
    def stopListening(self) -> None:
        self.audio.stop()

    def _screen_audio(self) -> None:
        """A new screen: what played stops; its own audio is found (attract may autoplay)."""
        self.audio.stop()
        self._clips = self._find_clips()
        self.listenChanged.emit()
        if (
            self.session.current.name == "attract"
            and self.settings.audio_attract_autoplay
            and self._clips
        ):
            self.audio.play(self._clips.paths)

    # --- navigation -----------------------------------------------------------------------

    def _record(self, metric: str, value: str) -> None:
        self.recorder.record(metric, value)

    def _shown(self) -> None:
        """After a tap that leads to a screen: count it and show it."""
        self._record("screen", self.session.current.name)
        self._refresh()

    @Slot()
    @guarded
    def start(self) -> None:
        """A touch on the attract screen: a new session begins with the language choice."""
        if not self.session.begin(self._monotonic()):
            return
        self.idle.start()
        self._schedule_idle()
        self._record("session", "start")
        self._shown()

    @Slot(str)
    @guarded
    def startIn(self, lang: str) -> None:
        """A language named on the attract screen: the session starts at home in it."""
        if lang not in self.place.languages:
            raise ValueError(f"language {lang!r} is not offered at {self.settings.airport}")
        if not self.session.begin_in(self._monotonic(), lang):
            return
        self.idle.start()
        self._schedule_idle()
        self._record("session", "start")
        self._record("language", lang)
        self._load_strings()
        self._shown()

    @Slot(str)
    @guarded
    def chooseLanguage(self, lang: str) -> None:
        if lang not in self.place.languages:
            raise ValueError(f"language {lang!r} is not offered at {self.settings.airport}")
        first_choice = self.session.current.name == "language" and not self.session.can_go_back
        self.session.choose_language(lang)
        self._record("language", lang)
        self._load_strings()
        if first_choice and self.session.current.name == "home":
            self._record("screen", "home")
        self._refresh()

    @Slot()
    @guarded
    def openLanguage(self) -> None:
        self.session.push("language")
        self._shown()

    @Slot(str)
    @guarded
    def openDestination(self, dest: str) -> None:
        if dest not in self.place.destination_ids:
            raise ValueError(f"destination {dest!r} is not offered at {self.settings.airport}")
        self._record("destination", dest)
        self.session.open_destination(dest)
        self._shown()

    @Slot(str)
    @guarded
    def openTopic(self, topic: str) -> None:
        self._record("topic", topic)
        self.session.open_topic(topic)
        self._shown()

    @Slot(str)
    @guarded
    def openLink(self, url: str) -> None:
        """A link to another article (article:SCOPE/TOPIC); other links do nothing."""
        topic = self.session.open_link(url)
        if topic is not None:
            self._record("topic", topic)
            self._shown()

    @Slot()
    @guarded
    def openHelp(self) -> None:
        self._record("help_opened", "1")
        self.session.open_help()
        self._shown()

    @Slot()
    @guarded
    def openChecklist(self) -> None:
        self.session.push("checklist")
        self._shown()

    @Slot()
    @guarded
    def openSearch(self) -> None:
        self.session.push("search")
        self._shown()

    @Slot(str, str)
    @guarded
    def openSearchHit(self, scope: str, topic: str) -> None:
        if not topic:  # a contact found by its number: the help screen of its country
            if scope in self.place.destination_ids:
                self.session.destination = scope
            self.openHelp()
            return
        self._record("topic", topic)
        self.session.open_topic(topic, scope)
        self._shown()

    @Slot()
    @guarded
    def back(self) -> None:
        if self.session.go_back():
            self._refresh()

    @Slot()
    @guarded
    def home(self) -> None:
        self.session.go_home()
        self._refresh()

    @Slot()
    @guarded
    def toggleTextSize(self) -> None:
        self.session.toggle_text_size()
        self.largeTextChanged.emit()

    @Slot(str)
    @guarded
    def toggleCheck(self, item_id: str) -> None:
        self.session.toggle_check(item_id)
        self.checklistChanged.emit()

    @Slot()
    @guarded
    def openNationality(self) -> None:
        """The chip: open the short list of nationalities."""
        self.session.open_nationality()
        self.nationalityChanged.emit()

    @Slot()
    @guarded
    def closeNationality(self) -> None:
        self.session.close_nationality()
        self.nationalityChanged.emit()

    @Slot(str)
    @guarded
    def chooseNationality(self, nationality: str) -> None:
        """One tap in the list: the screens are built again for citizens of `nationality`."""
        if nationality not in nationality_ids(self.cache, self.airport_place):
            raise ValueError(f"nationality {nationality!r} is not in the content")
        before = self.place.nationality
        self.session.choose_nationality(nationality)
        changed = self.place.nationality != before
        if changed:
            self._record("nationality", nationality)
        self._update_nationality()
        if changed:
            self._refresh()
            if self.session.search_text:
                self._search()

    @Slot(str, float)
    def saveScroll(self, key: str, y: float) -> None:
        self.session.save_scroll(key, y)

    @Slot(str, result=float)
    def scrollFor(self, key: str) -> float:
        return self.session.scroll.get(key, 0.0)

    # --- search ---------------------------------------------------------------------------

    @Slot(str)
    @guarded
    def typeKey(self, key: str) -> None:
        self.session.type_key(key)
        self._search()

    @Slot()
    @guarded
    def backspace(self) -> None:
        self.session.backspace()
        self._search()

    @Slot()
    @guarded
    def clearSearch(self) -> None:
        self.session.search_text = ""
        self._search()

    def _search(self) -> None:
        self._search_results = search_results(
            self.cache, self.lang, self._strings, self.session.search_text, self.place
        )
        if self._search_results and not self._searched:
            self._searched = True
            self._record("search_used", "1")
        self.searchChanged.emit()

    # --- idle -----------------------------------------------------------------------------

    def user_activity(self) -> None:
        """Any touch anywhere (called by the window's event filter) restarts the idle time.

        The overlay itself stays until it is tapped (`stillHere`), so the touch that answers
        it never lands on the screen underneath.
        """
        self.idle.touch()
        self._schedule_idle()

    def _schedule_idle(self) -> None:
        wait = self.idle.next_check_in()
        if wait is None:
            self._idle_timer.stop()
        else:
            self._idle_timer.start(int(wait * 1000) + 5)

    @Slot()
    @guarded
    def check_idle(self) -> None:
        phase = self.idle.phase()
        if phase is IdlePhase.EXPIRED:
            self._record("idle_reset", "1")
            self.end_session()
            return
        if phase is IdlePhase.ASKING:
            self._asking = True
            self.audio.stop()
        self.idleChanged.emit()
        self._schedule_idle()

    @Slot()
    @guarded
    def stillHere(self) -> None:
        self._asking = False
        self.user_activity()
        self.idleChanged.emit()

    @Slot()
    @guarded
    def finish(self) -> None:
        self.end_session()

    def end_session(self) -> None:
        """Clear everything of this person's visit; switch content if new one is installed."""
        if self.session.started_at is not None:
            length = self._monotonic() - self.session.started_at
            self._record("session_length", session_length_bucket(length))
        self.idle.stop()
        self._idle_timer.stop()
        self._asking = False
        self.session.reset()
        self._search_results = ()
        self._searched = False
        self.pin.close()
        try:
            if self.source.maybe_switch():
                self.airport_place = place_of(self.cache, self.settings.airport)
                self._audio_available = audio_paths(self.cache)
                self._audio_ok.clear()
                self.warm_up.restart()
        except Exception:
            log.exception("content switch failed; keeping the current content")
        self._refresh()
        self._forget_pages()
        host.release_free_memory()
        self.largeTextChanged.emit()
        self.searchChanged.emit()
        self.idleChanged.emit()
        self.pinChanged.emit()
        self.checklistChanged.emit()
        self.sessionReset.emit()

    def shutdown(self) -> None:
        self.audio.close()
        self.warm_up.stop()
        self.idle.stop()
        self._idle_timer.stop()

    def recover(self) -> None:
        """After an unexpected error: back to a clean attract screen, whatever happened."""
        try:
            self.end_session()
        except Exception:
            log.exception("recovery failed; forcing the attract screen")
            self.session.reset()  # the attract page already built stays
            self.screenChanged.emit()
            self.pageChanged.emit()

    # --- QR warm-up ------------------------------------------------------------------------

    def start_warm_up(self) -> None:
        """Begin preparing the QR codes (the app calls this once its first frame is shown)."""
        self.warm_up.start()

    def warm_pending(self) -> bool:
        """True while QR codes are still being prepared in the background."""
        return self.warm_up.pending()

    # --- maintenance ----------------------------------------------------------------------

    def corner_press(self, x: float, y: float, width: float, height: float) -> None:
        if self.corner.press(x, y, width, height) and self.settings.maintenance_pin_hash:
            self.pin.open()
            if self.idle.phase() is IdlePhase.OFF:
                self.idle.start()  # a PIN pad or maintenance screen left open also times out
                self._schedule_idle()
            self.pinChanged.emit()

    @Slot(str)
    @guarded
    def pinKey(self, digit: str) -> None:
        if self.pin.key(digit):
            self.pinChanged.emit()

    @Slot()
    @guarded
    def pinSubmit(self) -> None:
        if not self.pin.is_open:
            return
        if self.pin.submit(self.settings.maintenance_pin_hash):
            self.session.push("maintenance")
            self._shown()
        self.pinChanged.emit()

    @Slot()
    @guarded
    def pinCancel(self) -> None:
        self.pin.close()
        self.pinChanged.emit()

    @Slot()
    @guarded
    def closeMaintenance(self) -> None:
        self.end_session()

    # --- pages ----------------------------------------------------------------------------

    def _load_strings(self) -> None:
        self._strings = self.cache.ui_strings(self.lang)
        self._qml_strings = qml_strings(self._strings)
        self._update_nationality()
        self.languageChanged.emit()
        self.searchChanged.emit()

    def _update_nationality(self) -> None:
        self._nationality = build_nationality(
            self.cache, self.airport_place, self.session.nationality, self.lang, self._strings
        )
        self.nationalityChanged.emit()

    def _forget_pages(self) -> None:
        """Nothing of the last visit stays in memory: every kind but attract back to empty."""
        for kind, empty in self._empty_pages.items():
            if kind != "attract" and self._pages[kind] is not empty:
                self._pages[kind] = empty
                getattr(self, f"{kind}PageChanged").emit()

    def _refresh(self) -> None:
        if not self._strings or self.session.current.name == "attract":
            self._load_strings()
        screen = self.session.current
        given = ScreenInput(
            cache=self.cache,
            place=self.place,
            lang=self.lang,
            strings=self._strings,
            destination=self.session.destination or GENERAL,
            large_text=self.session.large_text,
            changing_language=self.session.changing_language,
            facts=self._kiosk_facts,
            notices=self._notices,
        )
        self.screen_view = build_screen(screen.name, screen.params, given)
        codes = qr_shown(self.screen_view)
        for kind in codes:
            self._record("qr_shown", kind)
        if self.idle.phase() is not IdlePhase.OFF:
            self.idle.showing_codes(bool(codes))
            self._schedule_idle()
        self._pages[screen.name] = to_qml(self.screen_view)
        getattr(self, f"{screen.name}PageChanged").emit()
        self._screen_audio()
        self.screenChanged.emit()
        self.pageChanged.emit()

    def _notices(self, dest: str) -> tuple[ShownNotice, ...]:
        return self.notice_reader.shown(
            now=self._wall_clock(),
            airport=self.settings.airport,
            destination=dest,
            chain=self.cache.fallback_chain(self.lang),
        )

    def _kiosk_facts(self) -> KioskFacts:
        return host.kiosk_facts(self.settings, self.loaded, APP_VERSION, self._screen_size())
