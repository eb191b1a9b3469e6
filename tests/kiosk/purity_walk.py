"""Every screen the kiosk can show at an airport in a language, built by the kiosk's own Python
builders (`kiosk.screens.build.build_screen`) from a `RecordingCache`, with the lookups each made.

Used by tests/kiosk/test_language_purity.py; the QML pass there checks what is drawn.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from content.cache import NotFound
from content.model import GENERAL_SCOPE
from kiosk.keyboards import layout_for
from kiosk.qml_values import qml_strings
from kiosk.screens.build import ScreenInput, build_screen
from kiosk.screens.maintenance import KioskFacts, MaintenanceRow, MaintenanceScreen
from kiosk.screens.place import Place, place_of
from kiosk.screens.search import search_results, search_status
from tests.kiosk.purity import Lookup, RecordingCache

TOPICS_TRIED = 9  # every topic of the content (topics.yaml has nine)


@dataclass
class Built:
    """One screen as built: what it is, the screen's dataclass, the cache lookups it made."""

    name: str  # e.g. "help RU", "article KZ/get-help"
    screen: Any
    log: list[Lookup] = field(default_factory=list)
    multilingual: bool = False  # attract and the first language choice show every language


def _facts() -> KioskFacts:
    return KioskFacts(
        kiosk_id="kiosk-1",
        airport="TAS",
        app_version="1.0",
        content_origin="installed",
        content_reason="",
        content_file="/var/lib/safe-airports/content/cache.db",
        content_file_date="2026-11-30",
        sync=None,
        free_disk="10 GB",
        screen_size="1080×1920",
    )


@dataclass(frozen=True)
class UiTexts:
    """Texts QML shows itself from the UI strings (bar, overlays, keyboard, PIN pad): a pseudo
    screen so that they are checked like the others."""

    strings: tuple[str, ...]
    keyboard: tuple[str, ...]
    search_status: tuple[str, ...]


def search_queries(cache: RecordingCache, lang: str) -> list[str]:
    """Queries a person would type: the start of each topic title's words, and a number."""
    queries = []
    for topic in cache.topics(lang):
        for word in topic.title.split():
            if len(word) >= 4:
                queries.append(word[:4].lower())
                break
    return [*dict.fromkeys(queries), "112"]


def screens_of(cache: RecordingCache, airport: str, lang: str) -> Iterator[Built]:
    """Every screen of `airport` in `lang`: attract, language (first and later), home (before
    and after each destination), each destination, every article (general and each
    destination's), help (before a destination and for each), checklist, search with queries
    and results, maintenance, and the texts QML reads itself."""
    place: Place = place_of(cache, airport)
    strings_log_start = len(cache.log)
    strings = cache.ui_strings(lang)
    del cache.log[strings_log_start:]

    def given(dest: str = GENERAL_SCOPE, changing: bool = False) -> ScreenInput:
        return ScreenInput(
            cache=cache,
            place=place,
            lang=lang,
            strings=strings,
            destination=dest,
            large_text=False,
            changing_language=changing,
            facts=_facts,
        )

    def build(
        name: str, kind: str, params: dict[str, str], inputs: ScreenInput, multi: bool = False
    ) -> Built:
        cache.log.clear()
        screen = build_screen(kind, params, inputs)
        return Built(name, screen, list(cache.log), multi)

    yield build("attract", "attract", {}, given(), multi=True)
    yield build("language", "language", {}, given(), multi=True)
    yield build("language again", "language", {}, given(changing=True), multi=True)
    yield build("home", "home", {}, given())
    yield build("help", "help", {"dest": ""}, given())
    yield build("help before a language", "help", {"dest": "", "choose": "1"}, given())
    yield build("checklist", "checklist", {}, given())
    dests = sorted(place.destination_ids)
    for dest in dests:
        yield build(f"home after {dest}", "home", {}, given(dest))
        yield build(f"destination {dest}", "destination", {"dest": dest}, given(dest))
        yield build(f"help {dest}", "help", {"dest": dest}, given(dest))
        yield build(f"checklist {dest}", "checklist", {}, given(dest))
    for scope in [GENERAL_SCOPE, *dests]:
        for topic in cache.topics(lang)[:TOPICS_TRIED]:
            cache.log.clear()
            try:
                yield build(
                    f"article {scope}/{topic.id}",
                    "article",
                    {"dest": scope, "topic": topic.id},
                    given(scope),
                )
            except NotFound:
                continue
    yield build("search", "search", {}, given())
    cache.log.clear()
    queries = search_queries(cache, lang)
    for query in queries:
        cache.log.clear()
        results = search_results(cache, lang, strings, query, place)
        status = search_status(strings, query, len(results))
        yield Built(f"search {query!r}", (results, status), list(cache.log))
    cache.log.clear()
    maintenance = build_screen("maintenance", {}, given())
    assert isinstance(maintenance, MaintenanceScreen)
    # The values are the kiosk's technical facts (paths, versions, ids), not text: the labels
    # and the title are what the screen says.
    labels = MaintenanceScreen(
        maintenance.title, tuple(MaintenanceRow(r.label, "") for r in maintenance.rows)
    )
    yield Built("maintenance", labels, list(cache.log))
    cache.log.clear()
    shown = qml_strings(strings)
    for key in shown:
        strings.get(key)  # recorded: the language each text QML reads is in
    ui = UiTexts(
        strings=tuple(shown[key] for key in sorted(shown)),
        keyboard=tuple(key for row in layout_for(lang) for key in row),
        search_status=(search_status(strings, "x", 0), search_status(strings, "x", 3)),
    )
    yield Built("ui texts", ui, list(cache.log))
