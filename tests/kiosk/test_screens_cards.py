"""Contacts and links as QR codes (kiosk/screens/cards.py)."""

from __future__ import annotations

from dataclasses import replace

from content.cache import ContactView, ContentCache
from kiosk.screens.cards import contact_card, link_code, qr_kinds, vcard_of

STRINGS = {
    "help.free_call": "Free call",
    "help.hours": "Hours: {hours}",
    "help.languages": "Speaks: {languages}",
    "contact.kind.hotline": "Hotline",
    "article.verified_on": "Checked {date}",
    "article.source": "Source: {source}",
}

HOTLINE = ContactView(
    id="hot",
    kind="hotline",
    country="RU",
    name="Hotline",
    phones=["+74951234567", "not a number"],
    short="112",
    url="https://example.org/help",
    messengers={"whatsapp": "https://wa.me/74951234567", "mail": "mailto:x@example.org"},
    hours="24/7",
    languages=["ru", "uz"],
    free=True,
    verified_on="2026-01-02",
    source="Ministry",
    status="sample",
)


def test_a_card_has_a_code_for_each_way_to_reach_the_contact() -> None:
    card = contact_card(HOTLINE, STRINGS, {"ru": "Русский", "uz": "Oʻzbekcha"})
    assert [(c.kind, c.label) for c in card.codes] == [
        ("tel", "112"),
        ("tel", "+74951234567"),
        ("url", "example.org/help"),
        ("messenger", "wa.me/74951234567"),
    ]  # the bad number and the mailto: link have no code
    assert card.codes[-1].caption == "Whatsapp" and card.codes[0].caption == ""
    assert card.details == ("Free call", "Hours: 24/7", "Speaks: Русский, Oʻzbekcha")
    assert card.kind_label == "Hotline" and card.sample and not card.emergency
    assert card.checked == "Checked 2026-01-02" and card.source == "Source: Ministry"


def test_missing_strings_leave_no_empty_details() -> None:
    card = contact_card(replace(HOTLINE, hours=None, languages=[]), {}, {})
    assert card.details == ()  # "help.free_call" is missing: nothing rather than ""
    assert card.kind_label == "hotline"


def test_vcard_holds_every_number_or_is_none() -> None:
    code = vcard_of("Help", [HOTLINE])
    assert code is not None and code.kind == "vcard"
    assert "TEL" in code.payload and "+74951234567" in code.payload and "112" in code.payload
    assert vcard_of("Help", [replace(HOTLINE, phones=[], short=None)]) is None


def test_vcard_saves_the_number_to_call_in_danger_first_and_each_number_once() -> None:
    hotline = replace(HOTLINE, phones=["+74951234567"])
    twice = replace(hotline, id="again", name="Again")
    code = vcard_of("Help", [hotline, twice], ("Emergency", "999"))
    assert code is not None
    lines = code.payload.split("\r\n")
    tels = [line.split(":", 1)[1] for line in lines if ".TEL;" in line]
    assert tels == ["999", "112", "+74951234567"]
    assert "item1.X-ABLabel:Emergency" in lines


def test_links_and_kinds() -> None:
    assert link_code("tel:112") is not None and link_code("tel:call me") is None
    telegram = link_code("https://t.me/help")
    assert telegram is not None and telegram.kind == "messenger"
    assert link_code("article:general/money") is None
    card = contact_card(HOTLINE, {}, {})
    assert qr_kinds([card], [None]) == ["messenger", "tel", "url"]


def test_every_sample_contact_makes_a_card(cache: ContentCache) -> None:
    contacts = cache.contacts([*cache.summary()["destinations"], "UZ"], "en")
    assert contacts
    for contact in contacts:
        card = contact_card(contact, cache.ui_strings("en"), {})
        assert card.id == contact.id and card.name


def test_a_card_without_a_number_says_how_to_reach_the_contact() -> None:
    strings = {**STRINGS, "help.no_number_site": "Open the site", "help.no_number": "No number"}
    site_only = replace(HOTLINE, phones=[], short=None, messengers={}, free=False)
    assert contact_card(site_only, strings, {}).details[0] == "Open the site"
    nothing = replace(site_only, url=None)
    assert contact_card(nothing, strings, {}).details[0] == "No number"
    assert "Open the site" not in contact_card(HOTLINE, strings, {}).details


def test_every_sample_card_without_a_number_says_so_in_its_language(cache: ContentCache) -> None:
    for lang in ("en", "ru", "uz", "ky", "tk"):
        strings = cache.ui_strings(lang)
        contacts = cache.contacts([*cache.summary()["destinations"], "UZ", "KG", "TM"], lang)
        without = [c for c in contacts if not c.phones and not c.short]
        assert without, "the sample has contacts without a confirmed number"
        for contact in without:
            card = contact_card(contact, strings, {})
            assert card.details and card.details[0] == strings["help.no_number_site"], contact.id
