"""Home: the destinations in the airport's order (help, checklist and search are fixed)."""

from __future__ import annotations

from dataclasses import dataclass

from content.cache import ContentCache
from kiosk.screens.help import in_danger_text
from kiosk.screens.place import Place, asset_url
from kiosk.screens.text import Strings, t


@dataclass(frozen=True)
class DestinationButton:
    id: str
    name: str
    flag: str  # image URL, "" when the content has no flag for it


@dataclass(frozen=True)
class HomeScreen:
    airport: str = ""
    destinations: tuple[DestinationButton, ...] = ()
    in_danger: str = ""  # "In danger now? Call 112" (the chosen destination's, else home's)


def build_home(
    cache: ContentCache, place: Place, lang: str, strings: Strings, dest: str = ""
) -> HomeScreen:
    """`dest`: the session's destination, "" before one is chosen (then the home country's
    number to call in danger)."""
    airport = cache.airport(place.airport, lang)
    country = dest or place.home_country
    if cache.emergency_number(country):
        in_danger = in_danger_text(cache, strings, country, lang)
    else:  # help's wording says "the contacts below": here they are behind the help button
        in_danger = t(
            strings,
            "home.no_emergency",
            country=cache.destination_name(country, lang),
            help=t(strings, "home.get_help_now"),
        )
    return HomeScreen(
        airport=airport.name,
        in_danger=in_danger,
        destinations=tuple(
            DestinationButton(d.id, d.name, asset_url(cache, d.flag)) for d in airport.destinations
        ),
    )
