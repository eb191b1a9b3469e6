"""kiosk/screens/search.py, from the real sample content."""

from __future__ import annotations

from content.cache import ContentCache
from kiosk.screens.place import Place
from kiosk.screens.search import build_search, highlight, search_results, search_status


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


def test_a_number_finds_its_contact(cache: ContentCache, tas: Place) -> None:
    strings = cache.ui_strings("ru")
    hits = search_results(cache, "ru", strings, "1345", tas)
    assert hits and hits[0].topic == "" and hits[0].scope == "KR"
    assert "<b>1345</b>" in hits[0].snippet_rich
    # part of a phone number, with or without spaces and +
    countries = sorted(tas.destination_ids) + [tas.home_country]
    contact = next(c for c in cache.contacts(countries, "ru") if c.phones)
    phone = contact.phones[0]
    part = phone[:5]
    spaced = " ".join([part[:2], part[2:]])
    for query in (part, part.lstrip("+"), spaced):
        found = search_results(cache, "ru", strings, query, tas)
        # printed grouped as its country writes it ("+998 71 233 28 28")
        assert any(cache.phone_display(phone) in h.snippet for h in found), query
    assert cache.phone_display(phone) != phone
    assert search_results(cache, "ru", strings, "13", tas) == search_results(
        cache, "ru", strings, "13"
    )  # two digits are too few to look through numbers


def test_matches_are_bold_and_content_markup_is_escaped(cache: ContentCache) -> None:
    assert highlight("Registration <b>x</b> & reg", "reg") == (
        "<b>Reg</b>istration &lt;b&gt;x&lt;/b&gt; &amp; <b>reg</b>"
    )
    assert highlight("Roʻyxatdan oʻting", "ro'yx") == "<b>Roʻyx</b>atdan oʻting"
    strings = cache.ui_strings("en")
    word = cache.topics("en")[0].title.split()[0][:4]
    hits = search_results(cache, "en", strings, word)
    assert any("<b>" in h.title_rich + h.snippet_rich for h in hits)
    assert all("<" not in h.snippet_rich.replace("<b>", "").replace("</b>", "") for h in hits)


def test_contacts_found_by_number_are_named_with_their_country(
    cache: ContentCache, tas: Place
) -> None:
    hits = search_results(cache, "ru", cache.ui_strings("ru"), "+998", tas)
    contacts = [h for h in hits if not h.topic]
    assert contacts and all(h.where and h.where != h.scope for h in contacts)
