"""kiosk/screens/home.py, from the real sample content."""

from __future__ import annotations

from content.cache import ContentCache
from kiosk.screens.home import build_home
from kiosk.screens.place import Place, place_of


def test_home_lists_destinations_in_the_airports_order(cache: ContentCache, tas: Place) -> None:
    page = build_home(cache, tas, "en", cache.ui_strings("en"))
    airport = cache.airport("TAS", "en")
    assert [d.id for d in page.destinations] == [d.id for d in airport.destinations]
    assert page.airport == airport.name
    assert all(d.flag == "" or d.flag.startswith("image://asset/") for d in page.destinations)


def test_home_shows_the_number_to_call_in_danger(cache: ContentCache, tas: Place) -> None:
    strings = cache.ui_strings("en")
    assert build_home(cache, tas, "en", strings).in_danger == "In danger now? Call 112"
    assert build_home(cache, tas, "en", strings, "AE").in_danger == "In danger now? Call 999"
    asb = place_of(cache, "ASB")
    assert "No emergency number is confirmed for Turkmenistan" in (
        build_home(cache, asb, "en", strings).in_danger
    )
