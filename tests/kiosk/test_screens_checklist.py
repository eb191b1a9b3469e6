"""kiosk/screens/checklist.py, from the real sample content."""

from __future__ import annotations

from content.cache import ContentCache
from kiosk.screens.checklist import CHECKLIST_TOPIC, build_checklist
from kiosk.screens.place import Place


def test_checklist_is_the_list_items_of_before_you_go(cache: ContentCache, tas: Place) -> None:
    page = build_checklist(cache, tas, "en", cache.ui_strings("en"), "RU")
    article = cache.article("RU", CHECKLIST_TOPIC, "en")
    items = [
        item
        for s in article.sections
        for b in s.blocks
        if b.kind in ("bullets", "numbers")
        for item in b.items
    ]
    assert list(page.items) == items and items
    general = build_checklist(cache, tas, "en", cache.ui_strings("en"), "general")
    assert len(general.items) <= len(page.items)
