"""Contacts and links as QR codes (kiosk/screens/cards.py)."""

from __future__ import annotations

from dataclasses import replace

from content.cache import ContactView, ContentCache
from kiosk.qr import MIN_MODULE_PX, modules_of, vcard
from kiosk.screens.cards import (
    VCARD_SIZE,
    contact_card,
    link_code,
    qr_kinds,
    saved_numbers,
    vcard_codes,
    vcard_entries,
)

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


def tels(payload: str) -> list[str]:
    return [line.split(":", 1)[1] for line in payload.split("\r\n") if ".TEL:" in line]


def labels(payload: str) -> list[str]:
    return [line.split(":", 1)[1] for line in payload.split("\r\n") if ".X-ABLabel:" in line]


def test_vcard_holds_every_number_or_is_none() -> None:
    (code,) = vcard_codes("Help", vcard_entries(None, [HOTLINE]), {})
    assert code.kind == "vcard" and code.caption == "" and code.size == VCARD_SIZE
    assert tels(code.payload) == ["112", "+74951234567"]  # not "not a number"
    assert (
        vcard_codes("Help", vcard_entries(None, [replace(HOTLINE, phones=[], short=None)]), {})
        == ()
    )


def test_vcard_saves_the_number_to_call_in_danger_first_and_each_number_and_label_once() -> None:
    hotline = replace(HOTLINE, phones=["+74951234567", "+74957654321"])
    same_number = replace(hotline, id="again", name="Again")
    same_name = replace(hotline, id="other", phones=["+74950000000"], short=None)
    entries = vcard_entries(("Emergency", "999"), [hotline, same_number, same_name])
    assert entries == [
        ("Emergency", "999"),
        ("Hotline", "112"),
        ("Hotline 2", "+74951234567"),
        ("Hotline 3", "+74957654321"),
        ("Hotline 4", "+74950000000"),
    ]
    (code,) = vcard_codes("Help", entries, {})
    assert tels(code.payload) == [n for _, n in entries]
    assert labels(code.payload) == [label for label, _ in entries]


def test_home_numbers_seen_from_abroad_only_if_dialable_from_abroad() -> None:
    home = replace(
        HOTLINE,
        country="UZ",
        short="1003",
        phones=["+998712000000", "+998800000000"],
        abroad=frozenset({"+998712000000"}),
    )
    assert saved_numbers(home, abroad=False) == ["1003", "+998712000000", "+998800000000"]
    assert saved_numbers(home, abroad=True) == ["+998712000000"]
    local = replace(HOTLINE, phones=[], short="112", name="Emergency services")
    entries = vcard_entries(("Emergency", "112"), [local], [home])
    assert entries == [("Emergency", "112"), ("Hotline", "+998712000000")]


def test_a_long_vcard_is_split_into_whole_vcards_of_at_most_7_px_per_module() -> None:
    contacts = [
        replace(
            HOTLINE,
            id=f"c{i}",
            name=f"Горячая линия помощи мигрантам номер {i}",
            short=None,
            phones=[f"+7495123456{i}"],
        )
        for i in range(10)
    ]
    entries = vcard_entries(("Экстренная помощь", "112"), contacts)
    codes = vcard_codes("Помощь: Россия", entries, {"help.vcard_part": "Код {part} из {count}"})
    count = len(codes)
    assert count > 1
    assert [c.caption for c in codes] == [f"Код {i} из {count}" for i in range(1, count + 1)]
    saved = []
    for i, code in enumerate(codes, start=1):
        assert code.payload.startswith("BEGIN:VCARD\r\nVERSION:3.0\r\n")
        assert code.payload.endswith("END:VCARD\r\n") and code.payload.count("BEGIN:") == 1
        assert f"\r\nFN:Помощь: Россия {i}/{count}\r\n" in code.payload
        assert modules_of(code.payload) * MIN_MODULE_PX <= code.size == VCARD_SIZE
        assert tels(code.payload) and "item1.TEL:" in code.payload
        saved += tels(code.payload)
    assert saved == [n for _, n in entries]
    # the fewest codes: the first and the next code's first entry would not fit in one
    fewer = vcard_codes("Помощь: Россия", entries[: len(tels(codes[0].payload)) + 1], {})
    assert len(fewer) == 2


def test_links_and_kinds() -> None:
    assert link_code("tel:112") is not None and link_code("tel:call me") is None
    grouped = link_code("tel:+448000121700", {"+448000121700": "+44 800 012 1700"}.__getitem__)
    assert grouped is not None and grouped.label == "+44 800 012 1700"
    assert grouped.payload == "tel:+448000121700"
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


def test_a_split_vcard_spreads_its_numbers_so_the_densest_code_is_as_sparse_as_it_can_be() -> None:
    """Four numbers that fill one code with three: 2 + 2 (69 modules each), not 3 + 1 (73)."""
    entries = [(f"Горячая линия помощи {i:02d}", f"+7495123450{i:02d}") for i in range(4)]
    codes = vcard_codes("Помощь: Россия", entries, {})
    assert [len(tels(c.payload)) for c in codes] == [2, 2]
    assert [modules_of(c.payload) for c in codes] == [69, 69]
    assert modules_of(vcard("Помощь: Россия 1/2", entries[:3])) == 73
