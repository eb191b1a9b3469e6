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


def test_without_a_number_home_points_to_the_help_button_not_to_contacts_below(
    cache: ContentCache,
) -> None:
    """Help's wording ("use the contacts below") would mislead on home, which has none below."""
    asb = place_of(cache, "ASB")
    for lang in ("en", "ru", "tk"):
        strings = cache.ui_strings(lang)
        line = build_home(cache, asb, lang, strings).in_danger
        assert strings["home.get_help_now"] in line, lang
        assert cache.destination_name("TM", lang) in line, lang
        help_line = strings["help.no_emergency"]
        assert line != help_line.format(country=cache.destination_name("TM", lang))
