"""Build the screen a session shows: the one place that knows which builder each kind uses."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

from content.cache import ContentCache
from content.model import GENERAL_SCOPE
from content.notices import ShownNotice
from kiosk.screens.article import ArticleScreen, build_article
from kiosk.screens.attract import AttractScreen, build_attract
from kiosk.screens.cards import qr_kinds
from kiosk.screens.checklist import ChecklistScreen, build_checklist
from kiosk.screens.destination import DestinationScreen, build_destination
from kiosk.screens.help import HelpScreen, build_help
from kiosk.screens.home import HomeScreen, build_home
from kiosk.screens.language import LanguageScreen, build_language, language_row
from kiosk.screens.maintenance import KioskFacts, MaintenanceScreen, build_maintenance
from kiosk.screens.place import Place
from kiosk.screens.search import SearchScreen, build_search

AnyScreen = (
    AttractScreen
    | LanguageScreen
    | HomeScreen
    | DestinationScreen
    | ArticleScreen
    | HelpScreen
    | SearchScreen
    | ChecklistScreen
    | MaintenanceScreen
)

# What each kind shows before a screen of that kind is first built.
EMPTY: dict[str, AnyScreen] = {
    "attract": AttractScreen(),
    "language": LanguageScreen(),
    "home": HomeScreen(),
    "destination": DestinationScreen(),
    "article": ArticleScreen(),
    "help": HelpScreen(),
    "search": SearchScreen(),
    "checklist": ChecklistScreen(),
    "maintenance": MaintenanceScreen(),
}


@dataclass(frozen=True)
class ScreenInput:
    """Everything a screen is built from, besides the parameters of the screen itself."""

    cache: ContentCache
    place: Place
    lang: str
    strings: Mapping[str, str]
    destination: str  # the session's destination, "general" before one is chosen
    large_text: bool
    changing_language: bool  # on the language screen from the bar, not after attract
    facts: Callable[[], KioskFacts]  # read only when the maintenance screen is built
    # the urgent notices live now for a destination ("": none chosen), in this language
    notices: Callable[[str], tuple[ShownNotice, ...]] = lambda dest: ()


def build_screen(kind: str, params: Mapping[str, str], given: ScreenInput) -> AnyScreen:
    cache, place, lang, strings = given.cache, given.place, given.lang, given.strings
    if kind == "attract":
        return build_attract(cache, place)
    if kind == "language":
        return build_language(cache, place, lang, strings, changing=given.changing_language)
    if kind == "home":
        dest = "" if given.destination == GENERAL_SCOPE else given.destination
        return build_home(cache, place, lang, strings, dest)
    if kind == "destination":
        screen = build_destination(cache, lang, strings, params["dest"])
        return replace(screen, notices=given.notices(params["dest"]))
    if kind == "article":
        return build_article(
            cache,
            place,
            lang,
            strings,
            dest=params["dest"],
            topic=params["topic"],
            large_text=given.large_text,
        )
    if kind == "help":
        page = build_help(cache, place, lang, strings, params.get("dest", ""))
        if params.get("choose"):  # opened before a language was chosen
            page = replace(page, languages=language_row(place, lang))
        return replace(page, notices=given.notices(params.get("dest", "")))
    if kind == "search":
        return build_search(strings)
    if kind == "checklist":
        return build_checklist(cache, place, lang, strings, given.destination)
    if kind == "maintenance":
        return build_maintenance(cache, strings, given.facts())
    raise ValueError(f"no screen of kind {kind!r}")


def qr_shown(screen: AnyScreen) -> list[str]:
    """The kinds of QR code a screen shows, for the usage counters (the danger banner's number
    is not counted: it is on every help screen)."""
    if isinstance(screen, ArticleScreen):
        return qr_kinds(screen.contacts, screen.links)
    if isinstance(screen, HelpScreen):
        return qr_kinds(screen.cards, screen.vcards)
    return []
