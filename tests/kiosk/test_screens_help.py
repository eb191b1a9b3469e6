"""The help screen (kiosk/screens/help.py), from the real sample content."""

from __future__ import annotations

from content.cache import ContentCache
from kiosk.screens.help import FIRST_CONTACTS, build_help, help_qr_payloads
from kiosk.screens.place import Place


def test_help_for_a_destination(cache: ContentCache, tas: Place) -> None:
    strings = cache.ui_strings("en")
    page = build_help(cache, tas, "en", strings, "RU")
    there, home = cache.help_contacts("RU", "UZ", "en")
    assert [c.id for c in page.dest_contacts_first + page.dest_contacts_rest] == [
        c.id for c in there
    ]
    assert len(page.dest_contacts_first) == min(FIRST_CONTACTS, len(there))
    assert [c.id for c in page.home_contacts] == [c.id for c in home]
    assert cache.destination_name("RU", "en") in page.dest_title
    assert page.in_danger and page.in_danger_code is not None
    assert page.in_danger_code.payload.startswith("tel:")
    assert page.in_danger_code.label in page.in_danger
    assert page.vcard is not None and page.vcard.kind == "vcard"
    assert page.cards == page.dest_contacts_first + page.dest_contacts_rest + page.home_contacts


def test_help_before_a_destination_shows_home_only(cache: ContentCache, tas: Place) -> None:
    page = build_help(cache, tas, "ru", cache.ui_strings("ru"), "")
    assert page.dest_title == "" and not page.dest_contacts_first and not page.dest_contacts_rest
    assert [c.id for c in page.home_contacts] == [c.id for c in cache.contacts(["UZ"], "ru")]
    assert cache.destination_name("UZ", "ru") in page.home_title


def test_warm_up_payloads_cover_every_help_screen(cache: ContentCache, tas: Place) -> None:
    payloads = help_qr_payloads(cache, tas)
    assert len(payloads) == len(set(payloads))
    for lang in tas.languages:
        strings = cache.ui_strings(lang)
        for dest in sorted(tas.destination_ids) + [""]:
            page = build_help(cache, tas, lang, strings, dest)
            codes = [code for card in page.cards for code in card.codes] + [page.vcard]
            assert {c.payload for c in codes if c is not None} <= set(payloads), (lang, dest)
