"""kiosk/screens/destination.py, from the real sample content."""

from __future__ import annotations

from content.cache import ContentCache
from kiosk.screens.destination import build_destination


def test_destination_shows_every_topic(cache: ContentCache) -> None:
    strings = cache.ui_strings("en")
    page = build_destination(cache, "en", strings, "RU")
    assert [t.id for t in page.topics] == [t.id for t in cache.topics("en")]
    assert page.name == cache.destination_name("RU", "en") and page.name in page.title
