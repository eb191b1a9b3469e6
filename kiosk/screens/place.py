"""What does not change with the language: the airport's languages, home country, destinations."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from content.cache import ContentCache


@dataclass(frozen=True)
class Place:
    airport: str
    home_country: str
    nationality: str  # the travellers' nationality the airport implies (UZ at TAS, TM at ASB)
    languages: tuple[str, ...]  # offered at this airport, in its order
    default_language: str  # before a language is chosen: the airport's first, never English only
    language_names: Mapping[str, str]  # every language of the content, named in itself
    destination_ids: frozenset[str]


def place_of(cache: ContentCache, airport_id: str) -> Place:
    first = cache.languages()[0].id
    airport = cache.airport(airport_id, first)
    languages = tuple(lv.id for lv in airport.languages)
    return Place(
        airport=airport_id,
        home_country=airport.country,
        nationality=airport.nationality or airport.country,
        languages=languages,
        default_language=languages[0],
        language_names={lv.id: lv.name for lv in cache.languages()},
        destination_ids=frozenset(d.id for d in airport.destinations),
    )


def asset_url(cache: ContentCache, path: str | None) -> str:
    """The image URL of an asset of the content ("" when the content does not have it)."""
    if path and cache.asset(path) is not None:
        return f"image://asset/{path}"
    return ""
