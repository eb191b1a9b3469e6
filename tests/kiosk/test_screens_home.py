"""kiosk/screens/home.py, from the real sample content."""

from __future__ import annotations

from content.cache import ContentCache
from kiosk.screens.home import build_home
from kiosk.screens.place import Place


def test_home_lists_destinations_in_the_airports_order(cache: ContentCache, tas: Place) -> None:
    page = build_home(cache, tas, "en")
    airport = cache.airport("TAS", "en")
    assert [d.id for d in page.destinations] == [d.id for d in airport.destinations]
    assert page.airport == airport.name
    assert all(d.flag == "" or d.flag.startswith("image://asset/") for d in page.destinations)
