"""kiosk/screens/search.py, from the real sample content."""

from __future__ import annotations

from content.cache import ContentCache
from kiosk.screens.search import build_search, search_results, search_status


def test_search_finds_and_says_how_many(cache: ContentCache) -> None:
    strings = cache.ui_strings("en")
    word = cache.topics("en")[0].title.split()[0][:4]
    hits = search_results(cache, "en", strings, word)
    assert hits and all(h.where for h in hits)
    assert search_results(cache, "en", strings, "   ") == ()
    assert str(len(hits)) in search_status(strings, word, len(hits))
    assert search_status(strings, word, 0) == strings.get("search.no_results", "")
    assert search_status(strings, " ", 0) == ""
    assert build_search(strings).title == strings["search.title"]
