"""The kiosk's logic exposed to QML: screens, language, text size, idle, search, maintenance.

QML only lays things out and calls the slots here; every decision lives in Python (and in the
Qt-free `Session`, `IdleLogic` and page builders it uses), so tests drive it without a window.
A Python exception in a slot is logged and the kiosk goes back to the attract screen.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import json
import logging
import shutil
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import Property, QObject, QTimer, Signal, Slot

from kiosk import pages, qr
from kiosk.content_loader import ContentSource, LoadedContent
from kiosk.keyboards import layout_for
from kiosk.pin import check_pin
from kiosk.session import CornerTaps, IdleLogic, IdlePhase, Session
from kiosk.settings import KioskSettings
from kiosk.usage_metrics import session_length_bucket
from kiosk.usage_store import UsageRecorder

log = logging.getLogger(__name__)

APP_VERSION = "0.1.0"
PIN_MAX = 8


def release_free_memory() -> None:
    """Give memory freed by the last session back to the system (glibc keeps it otherwise)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def guarded(method: Callable[..., Any]) -> Callable[..., Any]:
    """Log any exception of a slot and return the kiosk to the attract screen."""

    @functools.wraps(method)
    def wrapper(self: KioskController, *args: Any) -> Any:
        try:
            return method(self, *args)
        except Exception:
            log.exception("error in %s; returning to the attract screen", method.__name__)
            self.recover()
            return None

    return wrapper


class KioskController(QObject):
    screenChanged = Signal()
    pageChanged = Signal()
    languageChanged = Signal()
    largeTextChanged = Signal()
    searchChanged = Signal()
    idleChanged = Signal()
    pinChanged = Signal()
    sessionReset = Signal()
    checklistChanged = Signal()

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
    ) -> None:
        super().__init__(parent)
        self.settings = settings
        self.source = source
        self.recorder = recorder
        self._monotonic = monotonic
        self._screen_size = screen_size
        self.session = Session()
        self.idle = IdleLogic(monotonic, settings.idle_seconds, settings.countdown_seconds)
        self.corner = CornerTaps(monotonic)
        self._idle_timer = QTimer(self)
        self._idle_timer.setSingleShot(True)
        self._idle_timer.timeout.connect(self.check_idle)
        self._asking = False  # the "still there?" overlay is shown
        self._pin_open = False
        self._pin = ""
        self._pin_failed = False
        self._page: dict[str, Any] = {}
        self._strings: dict[str, str] = {}
        self._search_results: list[dict[str, str]] = []
        self._searched = False
        self._warm_queue: list[str] | None = None
        self._warm_timer = QTimer(self)
        self._warm_timer.setInterval(15)
        self._warm_timer.timeout.connect(self._warm_step)
        self._load_language_independent()
        self._refresh()
        if warm_up_now:
            self.start_warm_up()

    # --- content --------------------------------------------------------------------------

    @property
    def loaded(self) -> LoadedContent:
        assert self.source.current is not None
        return self.source.current

    @property
    def cache(self) -> Any:
        return self.loaded.cache

    def _load_language_independent(self) -> None:
        cache = self.cache
        first = cache.languages()[0].id
        airport = cache.airport(self.settings.airport, first)
        self._airport_languages = [lv.id for lv in airport.languages]
        self._default_language = (
            "en" if "en" in self._airport_languages else self._airport_languages[0]
        )
        self._language_names = {lv.id: lv.name for lv in cache.languages()}
        self._home_country = airport.country
        self._all_languages = {lv.id for lv in cache.languages()}
        self._destination_ids = {d.id for d in airport.destinations}

    @property
    def lang(self) -> str:
        return self.session.language or self._default_language

    # --- properties for QML ---------------------------------------------------------------

    def _get_screen(self) -> str:
        return self.session.current.name

    screen = Property(str, _get_screen, notify=screenChanged)

    def _get_page(self) -> dict[str, Any]:
        return self._page

    page = Property("QVariantMap", _get_page, notify=pageChanged)

    def _get_language(self) -> str:
        return self.lang

    language = Property(str, _get_language, notify=languageChanged)

    def _get_strings(self) -> dict[str, str]:
        return self._strings

    strings = Property("QVariantMap", _get_strings, notify=languageChanged)

    def _get_keyboard(self) -> list[list[str]]:
        return layout_for(self.lang)

    keyboardRows = Property("QVariantList", _get_keyboard, notify=languageChanged)

    def _get_large(self) -> bool:
        return self.session.large_text

    largeText = Property(bool, _get_large, notify=largeTextChanged)

    def _get_search_text(self) -> str:
        return self.session.search_text

    searchText = Property(str, _get_search_text, notify=searchChanged)

    def _get_search_results(self) -> list[dict[str, str]]:
        return self._search_results

    searchResults = Property("QVariantList", _get_search_results, notify=searchChanged)

    def _get_search_status(self) -> str:
        if not self.session.search_text.strip():
            return ""
        if not self._search_results:
            return self._strings.get("search.no_results", "")
        count = str(len(self._search_results))
        return pages.fmt(self._strings.get("search.results", ""), count=count)

    searchStatus = Property(str, _get_search_status, notify=searchChanged)

    def _get_asking(self) -> bool:
        return self._asking

    idleAsking = Property(bool, _get_asking, notify=idleChanged)

    def _get_seconds_left(self) -> int:
        if not self._asking:
            return 0
        return min(self.idle.seconds_left(), int(self.idle.countdown_seconds))

    idleSecondsLeft = Property(int, _get_seconds_left, notify=idleChanged)

    def _get_pin_open(self) -> bool:
        return self._pin_open

    pinOpen = Property(bool, _get_pin_open, notify=pinChanged)

    def _get_pin_dots(self) -> int:
        return len(self._pin)

    pinLength = Property(int, _get_pin_dots, notify=pinChanged)

    def _get_pin_failed(self) -> bool:
        return self._pin_failed

    pinFailed = Property(bool, _get_pin_failed, notify=pinChanged)

    def _get_checked(self) -> list[int]:
        return sorted(self.session.checklist)

    checkedItems = Property("QVariantList", _get_checked, notify=checklistChanged)

    def _get_can_back(self) -> bool:
        return len(self.session.stack) > 2

    canGoBack = Property(bool, _get_can_back, notify=screenChanged)

    def _get_bar(self) -> bool:
        return self.session.current.name not in ("attract", "maintenance")

    barVisible = Property(bool, _get_bar, notify=screenChanged)

    # --- navigation -----------------------------------------------------------------------

    def _record(self, metric: str, value: str) -> None:
        self.recorder.record(metric, value)

    def _push(self, name: str, **params: str) -> None:
        self.session.push(name, **params)
        self._record("screen", name)
        self._refresh()

    @Slot()
    @guarded
    def start(self) -> None:
        """A touch on the attract screen: a new session begins with the language choice."""
        if self.session.current.name != "attract":
            return
        self.session.started_at = self._monotonic()
        self.idle.start()
        self._schedule_idle()
        self._record("session", "start")
        self._push("language")

    @Slot(str)
    @guarded
    def chooseLanguage(self, lang: str) -> None:
        if lang not in self._airport_languages:
            raise ValueError(f"language {lang!r} is not offered at {self.settings.airport}")
        self.session.language = lang
        self._record("language", lang)
        self._load_strings()
        if self.session.current.name == "language" and len(self.session.stack) >= 2:
            previous = self.session.stack[-2].name
            if previous == "attract":
                self.session.stack[-1] = type(self.session.current)("home")
                self._record("screen", "home")
                self._refresh()
                return
            self.session.back()
        self._refresh()

    @Slot()
    @guarded
    def openLanguage(self) -> None:
        self._push("language")

    @Slot(str)
    @guarded
    def openDestination(self, dest: str) -> None:
        if dest not in self._destination_ids:
            raise ValueError(f"destination {dest!r} is not offered at {self.settings.airport}")
        self.session.destination = dest
        self._record("destination", dest)
        self._push("destination", dest=dest)

    @Slot(str)
    @guarded
    def openTopic(self, topic: str) -> None:
        dest = self.session.destination or "general"
        self._record("topic", topic)
        self._push("article", dest=dest, topic=topic)

    @Slot(str)
    @guarded
    def openLink(self, url: str) -> None:
        """A link to another article (article:SCOPE/TOPIC)."""
        if not url.startswith("article:"):
            return
        scope, _, topic = url.removeprefix("article:").partition("/")
        dest = self.session.destination if scope == "general" else scope
        self._record("topic", topic)
        self._push("article", dest=dest or "general", topic=topic)

    @Slot()
    @guarded
    def openHelp(self) -> None:
        self._record("help_opened", "1")
        self._push("help", dest=self.session.destination)

    @Slot()
    @guarded
    def openChecklist(self) -> None:
        self._push("checklist")

    @Slot()
    @guarded
    def openSearch(self) -> None:
        self._push("search")

    @Slot(str, str)
    @guarded
    def openSearchHit(self, scope: str, topic: str) -> None:
        dest = scope if scope != "general" else (self.session.destination or "general")
        self._record("topic", topic)
        self._push("article", dest=dest, topic=topic)

    @Slot()
    @guarded
    def back(self) -> None:
        if len(self.session.stack) > 2:
            self.session.back()
            self._refresh()

    @Slot()
    @guarded
    def home(self) -> None:
        self.session.go_home()
        self._refresh()

    @Slot()
    @guarded
    def toggleTextSize(self) -> None:
        self.session.large_text = not self.session.large_text
        self.largeTextChanged.emit()

    @Slot(int)
    @guarded
    def toggleCheck(self, index: int) -> None:
        self.session.checklist ^= {index}
        self.checklistChanged.emit()

    @Slot(str, float)
    def saveScroll(self, key: str, y: float) -> None:
        if self.session.current.name != "attract":
            self.session.scroll[key] = float(y)

    @Slot(str, result=float)
    def scrollFor(self, key: str) -> float:
        return self.session.scroll.get(key, 0.0)

    def scroll_key(self) -> str:
        return f"{len(self.session.stack)}:{self.session.current.name}"

    def _get_scroll_key(self) -> str:
        return self.scroll_key()

    scrollKey = Property(str, _get_scroll_key, notify=screenChanged)

    # --- search ---------------------------------------------------------------------------

    @Slot(str)
    @guarded
    def typeKey(self, key: str) -> None:
        if len(self.session.search_text) < 40:
            self.session.search_text += key
        self._search()

    @Slot()
    @guarded
    def backspace(self) -> None:
        self.session.search_text = self.session.search_text[:-1]
        self._search()

    @Slot()
    @guarded
    def clearSearch(self) -> None:
        self.session.search_text = ""
        self._search()

    def _search(self) -> None:
        text = self.session.search_text
        hits = self.cache.search(self.lang, text, 20) if text.strip() else []
        if hits and not self._searched:
            self._searched = True
            self._record("search_used", "1")
        self._search_results = [
            {
                "scope": h.scope,
                "topic": h.topic,
                "title": h.title,
                "snippet": h.snippet,
                "where": self._scope_name(h.scope),
            }
            for h in hits
        ]
        self.searchChanged.emit()

    def _scope_name(self, scope: str) -> str:
        if scope == "general":
            return self._strings.get("article.general", "")
        return self.cache.destination_name(scope, self.lang)

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
        self._search_results = []
        self._searched = False
        self._pin_open, self._pin, self._pin_failed = False, "", False
        try:
            if self.source.maybe_switch():
                self._load_language_independent()
                self._warm_queue = None
                self._warm_timer.start()
        except Exception:
            log.exception("content switch failed; keeping the current content")
        self._refresh()
        release_free_memory()
        self.largeTextChanged.emit()
        self.searchChanged.emit()
        self.idleChanged.emit()
        self.pinChanged.emit()
        self.checklistChanged.emit()
        self.sessionReset.emit()

    def shutdown(self) -> None:
        self._warm_timer.stop()
        self.idle.stop()
        self._idle_timer.stop()

    def recover(self) -> None:
        """After an unexpected error: back to a clean attract screen, whatever happened."""
        try:
            self.end_session()
        except Exception:
            log.exception("recovery failed; forcing the attract screen")
            self.session.reset()
            self._page = {"invitations": []}
            self.screenChanged.emit()
            self.pageChanged.emit()

    # --- QR warm-up ------------------------------------------------------------------------

    def qr_payloads(self) -> list[str]:
        """Every QR payload the help screens of this airport can show, in every language."""
        payloads: list[str] = []
        for lang in self._airport_languages:
            strings = self.cache.ui_strings(lang)
            for dest in sorted(self._destination_ids):
                there, home = self.cache.help_contacts(dest, self._home_country, lang)
                for contact in there + home:
                    card = pages.contact_card(contact, strings, self._language_names)
                    payloads.extend(code["payload"] for code in card["codes"])
                dest_name = self.cache.destination_name(dest, lang)
                title = strings.get("help.title", "help.title") + f": {dest_name}"
                vcard = pages.vcard_of(title, there + home)
                if vcard:
                    payloads.append(vcard["payload"])
            home = self.cache.contacts([self._home_country], lang)
            vcard = pages.vcard_of(strings.get("help.title", "help.title"), home)
            if vcard:
                payloads.append(vcard["payload"])
        return list(dict.fromkeys(payloads))

    def start_warm_up(self) -> None:
        """Begin preparing the QR codes (the app calls this once its first frame is shown)."""
        if self._warm_queue is None and not self._warm_timer.isActive():
            self._warm_timer.start()

    def warm_pending(self) -> bool:
        """True while QR codes are still being prepared in the background."""
        return self._warm_timer.isActive()

    def _warm_step(self) -> None:
        """One QR code per tick, only while nobody is using the kiosk."""
        if self.session.current.name != "attract":
            return
        try:
            if self._warm_queue is None:
                self._warm_queue = self.qr_payloads()
            if not self._warm_queue:
                self._warm_timer.stop()
                return
            qr.matrix(self._warm_queue.pop())
        except Exception:
            log.exception("QR warm-up failed")
            self._warm_timer.stop()

    # --- maintenance ----------------------------------------------------------------------

    def corner_press(self, x: float, y: float, width: float, height: float) -> None:
        if self.corner.press(x, y, width, height) and self.settings.maintenance_pin_hash:
            self._pin_open, self._pin, self._pin_failed = True, "", False
            if self.idle.phase() is IdlePhase.OFF:
                self.idle.start()  # a PIN pad or maintenance screen left open also times out
                self._schedule_idle()
            self.pinChanged.emit()

    @Slot(str)
    @guarded
    def pinKey(self, digit: str) -> None:
        if not self._pin_open or not digit.isdigit():
            return
        self._pin_failed = False
        if len(self._pin) < PIN_MAX:
            self._pin += digit
        self.pinChanged.emit()

    @Slot()
    @guarded
    def pinSubmit(self) -> None:
        if not self._pin_open:
            return
        ok = check_pin(self._pin, self.settings.maintenance_pin_hash)
        self._pin = ""
        self._pin_failed = not ok
        if ok:
            self._pin_open = False
            self._push("maintenance")
        self.pinChanged.emit()

    @Slot()
    @guarded
    def pinCancel(self) -> None:
        self._pin_open, self._pin, self._pin_failed = False, "", False
        self.pinChanged.emit()

    @Slot()
    @guarded
    def closeMaintenance(self) -> None:
        self.end_session()

    # --- pages ----------------------------------------------------------------------------

    def _load_strings(self) -> None:
        self._strings = self.cache.ui_strings(self.lang)
        self.languageChanged.emit()
        self.searchChanged.emit()

    def _refresh(self) -> None:
        if not self._strings or self.session.current.name == "attract":
            self._load_strings()
        screen = self.session.current
        builder = getattr(self, f"_page_{screen.name}")
        self._page = builder(**screen.params)
        self.screenChanged.emit()
        self.pageChanged.emit()

    def t(self, key: str, **values: str) -> str:
        return pages.fmt(self._strings.get(key, key), **values)

    def _page_attract(self) -> dict[str, Any]:
        invitations = []
        for lang in self._airport_languages:
            s = self.cache.ui_strings(lang)
            invitations.append(
                {
                    "language": lang,
                    "title": s.get("attract.title", ""),
                    "subtitle": s.get("attract.subtitle", ""),
                    "touch": s.get("attract.touch_to_start", ""),
                }
            )
        return {
            "invitations": invitations,
            "languageNames": [self._language_names[x] for x in self._airport_languages],
        }

    def _page_language(self) -> dict[str, Any]:
        prompts = []
        for lang in [self.lang] + [x for x in self._airport_languages if x != self.lang]:
            prompt = self.cache.ui_strings(lang).get("language.choose", "")
            if prompt and prompt not in prompts:
                prompts.append(prompt)
        return {
            "title": self.t("language.choose"),
            "prompts": prompts,
            "languages": [
                {"id": x, "name": self._language_names[x]} for x in self._airport_languages
            ],
        }

    def _page_home(self) -> dict[str, Any]:
        airport = self.cache.airport(self.settings.airport, self.lang)
        return {
            "airport": airport.name,
            "destinations": [
                {"id": d.id, "name": d.name, "flag": self._asset_url(d.flag)}
                for d in airport.destinations
            ],
        }

    def _asset_url(self, path: str | None) -> str:
        if path and self.cache.asset(path) is not None:
            return f"image://asset/{path}"
        return ""

    def _page_destination(self, dest: str) -> dict[str, Any]:
        name = self.cache.destination_name(dest, self.lang)
        return {
            "dest": dest,
            "name": name,
            "title": self.t("destination.choose_topic", country=name),
            "topics": [
                {"id": t.id, "title": t.title, "icon": self._asset_url(t.icon)}
                for t in self.cache.topics(self.lang)
            ],
        }

    def _page_article(self, dest: str, topic: str) -> dict[str, Any]:
        article = self.cache.article(dest, topic, self.lang)
        dest_name = "" if dest == "general" else self.cache.destination_name(dest, self.lang)
        sections = []
        for s in article.sections:
            sections.append(
                {
                    "scope": s.scope,
                    "heading": self.t("article.general")
                    if s.scope == "general"
                    else self.t("article.country_specific", country=dest_name),
                    "title": s.title,
                    "blocks": pages.blocks_list(s.blocks),
                    "verified": self.t("article.verified_on", date=s.verified_on),
                    "source": self.t("article.source", source=s.source),
                    "sample": s.status == "sample",
                }
            )
        contacts = [
            pages.contact_card(c, self._strings, self._language_names) for c in article.contacts
        ]
        links, article_links = [], []
        for link in article.links:
            if link.url.startswith("article:"):
                article_links.append({"label": link.label, "url": link.url})
                continue
            code = pages.link_code(link.url)
            if code is not None:
                entry = pages.qr_dict(code)
                entry["title"] = link.label
                links.append(entry)
        rows = pages.article_rows(sections, self._strings.get("article.sample_notice", ""))
        first = pages.first_screen_count(rows, self.session.large_text)
        page = {
            "topic": topic,
            "title": article.title,
            "icon": self._asset_url(f"topics/{topic}.svg"),
            "sections": sections,
            "rowsFirst": rows[:first],
            "rowsRest": rows[first:],
            "contacts": contacts,
            "links": links,
            "articleLinks": article_links,
        }
        self._record_qr(page)
        return page

    def _record_qr(self, page: dict[str, Any]) -> None:
        kinds: set[str] = set()
        for group in ("contacts", "destContacts", "homeContacts"):
            for card in page.get(group, []):
                kinds.update(code["kind"] for code in card["codes"])
        kinds.update(link["kind"] for link in page.get("links", []))
        if page.get("vcard"):
            kinds.add("vcard")
        for kind in sorted(kinds):
            self._record("qr_shown", kind)

    def _page_help(self, dest: str = "") -> dict[str, Any]:
        home_name = self.cache.destination_name(self._home_country, self.lang)
        if dest:
            there, home = self.cache.help_contacts(dest, self._home_country, self.lang)
            dest_name = self.cache.destination_name(dest, self.lang)
        else:
            there, home = [], self.cache.contacts([self._home_country], self.lang)
            dest_name = ""
        cards = functools.partial(
            pages.contact_card, strings=self._strings, language_names=self._language_names
        )
        number = pages.first_number(there) or pages.first_number(home)
        page = {
            "title": self.t("help.title"),
            "inDanger": self.t("help.in_danger", number=number) if number else "",
            "inDangerCode": pages.qr_dict(qr.tel_code(number)) if number else None,
            "destTitle": self.t("help.destination_contacts", country=dest_name) if dest else "",
            "destContacts": [cards(c) for c in there],
            "homeTitle": self.t("help.home_contacts", country=home_name),
            "homeContacts": [cards(c) for c in home],
            "vcard": pages.vcard_of(
                self.t("help.title") + (f": {dest_name}" if dest else ""), there + home
            ),
        }
        self._record_qr(page)
        return page

    def _page_search(self) -> dict[str, Any]:
        return {"title": self.t("search.title")}

    def _page_checklist(self) -> dict[str, Any]:
        article = self.cache.article(
            self.session.destination or "general", "before-you-go", self.lang
        )
        items: list[str] = []
        for section in article.sections:
            for block in section.blocks:
                if block.kind in ("bullets", "numbers"):
                    items.extend(block.items)
        return {"title": self.t("checklist.title"), "items": items}

    def _page_maintenance(self) -> dict[str, Any]:
        loaded = self.loaded
        summary: dict[str, Any] = {}
        try:
            summary = self.cache.summary()
        except Exception:
            log.exception("content summary unreadable")
        try:
            usage = shutil.disk_usage(
                self.settings.usage_file.parent if self.settings.usage_file.parent.exists() else "/"
            )
            free = f"{usage.free / 2**30:.1f} GB"
        except OSError:
            free = "?"
        origin = (
            self.t("maintenance.content_installed")
            if loaded.origin == "installed"
            else (self.t("maintenance.content_fallback"))
        )
        rows = [
            (self.t("maintenance.kiosk_id"), self.settings.kiosk_id),
            (self.t("maintenance.airport"), self.settings.airport),
            (
                self.t("maintenance.content_version"),
                f"{self.cache.content_version} — {self.cache.release_title}",
            ),
            (self.t("maintenance.content_date"), self._content_date(summary)),
            (
                self.t("maintenance.content_source"),
                origin + (f" ({loaded.reason})" if loaded.reason else ""),
            ),
            (self.t("maintenance.content_file"), str(loaded.path)),
            (self.t("maintenance.last_sync"), self._last_sync()),
            (self.t("maintenance.app_version"), APP_VERSION),
            (self.t("maintenance.free_disk"), free),
            (self.t("maintenance.screen_size"), self._screen_size()),
        ]
        return {
            "title": self.t("maintenance.title"),
            "rows": [{"label": a, "value": b} for a, b in rows],
        }

    def _content_date(self, summary: dict[str, Any]) -> str:
        """The release date if the content names one, else when this cache file was written."""
        for key in ("released_on", "release_date", "date"):
            if summary.get(key):
                return str(summary[key])
        try:
            stamp = self.loaded.path.stat().st_mtime
        except OSError:
            return "—"
        return datetime.fromtimestamp(stamp).strftime("%Y-%m-%d %H:%M")

    def _last_sync(self) -> str:
        """From the sync agent's state.json: when it last succeeded, and its last error."""
        path = Path(self.settings.sync_state_dir) / "state.json"
        try:
            state = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return self.t("maintenance.never")
        text = str(state.get("last_success") or self.t("maintenance.never"))
        if state.get("last_error"):
            when = state.get("last_error_at") or ""
            text += f" — {when}: {str(state['last_error'])[:160]}"
        return text

    def now(self) -> datetime:
        return datetime.now()
