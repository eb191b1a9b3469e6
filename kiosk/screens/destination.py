"""A destination: its topics as icon tiles."""

from __future__ import annotations

from dataclasses import dataclass

from content.cache import ContentCache
from content.notices import ShownNotice
from kiosk.screens.place import asset_url
from kiosk.screens.text import Strings, t


@dataclass(frozen=True)
class TopicTile:
    id: str
    title: str
    icon: str  # image URL, "" when the content has no icon for it


@dataclass(frozen=True)
class DestinationScreen:
    dest: str = ""
    name: str = ""
    title: str = ""
    topics: tuple[TopicTile, ...] = ()
    notices: tuple[ShownNotice, ...] = ()  # urgent notices, filled by build_screen


def build_destination(
    cache: ContentCache, lang: str, strings: Strings, dest: str
) -> DestinationScreen:
    name = cache.destination_name(dest, lang)
    return DestinationScreen(
        dest=dest,
        name=name,
        title=t(strings, "destination.choose_topic", country=name),
        topics=tuple(
            TopicTile(x.id, x.title, asset_url(cache, x.icon)) for x in cache.topics(lang)
        ),
    )
