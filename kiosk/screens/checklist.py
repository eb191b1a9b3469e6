""" "Before you go": the list items of the before-you-go article, to tick, with their pictures.

Only the items for the traveller's nationality (`place.nationality`, read each time the screen
is built), as the article shows them. Each item has an id that does not depend on what is left
out for the nationality nor on the language (its place in the article as written, which every
language writes the same way: content/README.md), so that a tick stays on its item when the
list is rebuilt for another nationality, language or destination.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from content.cache import ContentCache, SectionView, applies
from kiosk.screens.place import Place, asset_url
from kiosk.screens.text import Strings, t

CHECKLIST_TOPIC = "before-you-go"


@dataclass(frozen=True)
class ChecklistScreen:
    title: str = ""
    items: tuple[str, ...] = ()
    pictures: tuple[str, ...] = ()  # parallel to items: the item's picture (image URL), "" none
    ids: tuple[str, ...] = ()  # parallel to items: what a tick is stored under (session)


@dataclass(frozen=True)
class ChecklistItem:
    id: str  # "general/0/2/1": scope, section of that scope, block, item, before any filtering
    text: str
    picture: str  # a path inside assets/, "" none


def checklist_items(sections: Sequence[SectionView], nationality: str) -> Iterator[ChecklistItem]:
    """The list items of `sections` a traveller of `nationality` reads, in order, with their
    ids (content.cache.blocks_for leaves out the same items; headings do not matter here)."""
    seen: dict[str, int] = {}
    for section in sections:
        number = seen.get(section.scope, 0)
        seen[section.scope] = number + 1
        for b, block in enumerate(section.blocks):
            if block.kind not in ("bullets", "numbers") or not applies(block.only, nationality):
                continue
            for i, text in enumerate(block.items):
                only = block.item_only[i] if i < len(block.item_only) else []
                if applies(only, nationality):
                    item_id = f"{section.scope}/{number}/{b}/{i}"
                    yield ChecklistItem(item_id, text, block.item_picture(i))


def build_checklist(
    cache: ContentCache, place: Place, lang: str, strings: Strings, dest: str
) -> ChecklistScreen:
    """`dest`: the session's destination, or "general" before one is chosen."""
    article = cache.article(dest, CHECKLIST_TOPIC, lang)
    items = list(checklist_items(article.sections, place.nationality))
    return ChecklistScreen(
        t(strings, "checklist.title"),
        tuple(item.text for item in items),
        tuple(asset_url(cache, item.picture) for item in items),
        tuple(item.id for item in items),
    )
