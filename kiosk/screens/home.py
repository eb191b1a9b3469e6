"""Home: the destinations in the airport's order (help, checklist and search are fixed)."""

from __future__ import annotations

from dataclasses import dataclass

from content.cache import ContentCache
from kiosk.screens.place import Place, asset_url


@dataclass(frozen=True)
class DestinationButton:
    id: str
    name: str
    flag: str  # image URL, "" when the content has no flag for it


@dataclass(frozen=True)
class HomeScreen:
    airport: str = ""
    destinations: tuple[DestinationButton, ...] = ()


def build_home(cache: ContentCache, place: Place, lang: str) -> HomeScreen:
    airport = cache.airport(place.airport, lang)
    return HomeScreen(
        airport=airport.name,
        destinations=tuple(
            DestinationButton(d.id, d.name, asset_url(cache, d.flag)) for d in airport.destinations
        ),
    )
