""" "Before you go": the list items of the before-you-go article, to tick, with their pictures.

Only the items for the traveller's nationality (`place.nationality`, read each time the screen
is built), as the article shows them.
"""

from __future__ import annotations

from dataclasses import dataclass

from content.cache import ContentCache, blocks_for
from kiosk.screens.place import Place, asset_url
from kiosk.screens.text import Strings, t

CHECKLIST_TOPIC = "before-you-go"


@dataclass(frozen=True)
class ChecklistScreen:
    title: str = ""
    items: tuple[str, ...] = ()
    pictures: tuple[str, ...] = ()  # parallel to items: the item's picture (image URL), "" none


def build_checklist(
    cache: ContentCache, place: Place, lang: str, strings: Strings, dest: str
) -> ChecklistScreen:
    """`dest`: the session's destination, or "general" before one is chosen."""
    article = cache.article(dest, CHECKLIST_TOPIC, lang)
    items: list[str] = []
    pictures: list[str] = []
    for section in article.sections:
        for block in blocks_for(section.blocks, place.nationality):
            if block.kind in ("bullets", "numbers"):
                items.extend(block.items)
                pictures.extend(
                    asset_url(cache, block.item_picture(i)) for i in range(len(block.items))
                )
    return ChecklistScreen(t(strings, "checklist.title"), tuple(items), tuple(pictures))
