"""The help screen (kiosk/screens/help.py), from the real sample content."""

from __future__ import annotations

from content.cache import ContentCache, seen_from_abroad
from kiosk.screens.cards import ContactCard, contact_card
from kiosk.screens.help import FIRST_CONTACTS, build_help, help_qr_payloads, repeats_banner
from kiosk.screens.place import Place, place_of


def test_help_for_a_destination(cache: ContentCache, tas: Place) -> None:
    strings = cache.ui_strings("en")
    page = build_help(cache, tas, "en", strings, "RU")
    there, home = cache.help_contacts("RU", "UZ", "en")
    # the banner says "Call 112": the card of 112 is not repeated under it
    assert [c.id for c in page.dest_contacts_first + page.dest_contacts_rest] == [
        c.id for c in there if c.id != "ru-emergency"
    ]
    assert len(page.dest_contacts_first) == min(FIRST_CONTACTS, len(there))
    assert [c.id for c in page.home_contacts] == [c.id for c in home]
    assert cache.destination_name("RU", "en") in page.dest_title
    assert page.in_danger and page.in_danger_code is not None
    assert page.in_danger_code.payload.startswith("tel:")
    assert page.in_danger_code.label in page.in_danger
    assert page.vcards and all(code.kind == "vcard" for code in page.vcards)
    assert page.cards == page.dest_contacts_first + page.dest_contacts_rest + page.home_contacts


def test_help_before_a_destination_shows_home_only(cache: ContentCache, tas: Place) -> None:
    page = build_help(cache, tas, "ru", cache.ui_strings("ru"), "")
    assert page.dest_title == "" and not page.dest_contacts_first and not page.dest_contacts_rest
    # no card of Uzbekistan's has only 112, the number of the banner: all of them are shown
    assert [c.id for c in page.home_contacts] == [c.id for c in cache.contacts(["UZ"], "ru")]
    assert cache.destination_name("UZ", "ru") in page.home_title


def test_warm_up_payloads_cover_every_help_screen(cache: ContentCache, tas: Place) -> None:
    payloads = help_qr_payloads(cache, tas)
    assert len(payloads) == len(set(payloads))
    for lang in tas.languages:
        strings = cache.ui_strings(lang)
        for dest in sorted(tas.destination_ids) + [""]:
            page = build_help(cache, tas, lang, strings, dest)
            codes = [code for card in page.cards for code in card.codes] + list(page.vcards)
            assert page.vcards and {c.payload for c in codes} <= set(payloads), (lang, dest)


# The number to call in danger per country, from FACT_CHECK.md ("Emergency numbers per
# country"); "" where none is confirmed. Written out here so the test fails if the content or
# the code picks another number (an ambulance's, the first emergency contact's).
DECLARED = {
    "RU": "112",
    "KZ": "112",
    "TR": "112",
    "KR": "112",
    "AE": "999",
    "GB": "999",
    "DE": "110",
    "PL": "112",
    "UZ": "112",
    "KG": "102",
    "TM": "",
}
AMBULANCE_ONLY = {"103", "119", "998", "03"}


def test_every_airport_and_destination_shows_the_declared_number(cache: ContentCache) -> None:
    """Banner, its tel: code, the vCard's first number and the home screen, for every airport x
    destination (and none chosen: the airport's own country), in every language."""
    from kiosk.screens.home import build_home

    checked = 0
    for airport in cache.airports():
        place = place_of(cache, airport)
        for dest in ["", *sorted(place.destination_ids)]:
            want = DECLARED[dest or place.home_country]
            for lang in place.languages:
                strings = cache.ui_strings(lang)
                page = build_help(cache, place, lang, strings, dest)
                home = build_home(cache, place, lang, strings, dest)
                if want:
                    assert home.in_danger == page.in_danger
                    assert page.in_danger == strings["help.in_danger"].replace("{number}", want)
                    assert page.in_danger_code is not None
                    assert page.in_danger_code.payload == f"tel:{want}"
                    assert page.vcards
                    assert "\r\nitem1.TEL:" + want + "\r\n" in page.vcards[0].payload
                else:
                    country = cache.destination_name(place.home_country, lang)
                    assert page.in_danger == strings["help.no_emergency"].replace(
                        "{country}", country
                    )
                    assert page.in_danger_code is None
                    assert home.in_danger == strings["home.no_emergency"].replace(
                        "{country}", country
                    ).replace("{help}", strings["home.get_help_now"])
                assert not any(n in page.in_danger.split() for n in AMBULANCE_ONLY)
                checked += 1
    assert checked > 100


def test_the_examples_of_issue_11(cache: ContentCache, tas: Place) -> None:
    en = cache.ui_strings("en")
    assert build_help(cache, tas, "en", en, "AE").in_danger == "In danger now? Call 999"
    assert build_help(cache, tas, "en", en, "KR").in_danger == "In danger now? Call 112"
    assert build_help(cache, tas, "en", en, "").in_danger == "In danger now? Call 112"
    fru = place_of(cache, "FRU")
    assert build_help(cache, fru, "en", en, "").in_danger == "In danger now? Call 102"
    asb = place_of(cache, "ASB")
    page = build_help(cache, asb, "en", en, "")
    assert page.in_danger.startswith("No emergency number is confirmed for Turkmenistan")
    assert build_help(cache, asb, "en", en, "RU").in_danger == "In danger now? Call 112"


def test_cards_show_the_public_label_never_an_editorial_note(cache: ContentCache) -> None:
    """Issue 11: "Sample entry: not yet confirmed; check …" was shown in English on Russian,
    Uzbek, Kyrgyz and Turkmen screens; now a card shows the short public label."""
    editorial = ("Sample", "verified by", "to be checked", "not yet confirmed;", "checked 20")
    for airport in cache.airports():
        place = place_of(cache, airport)
        for lang in place.languages:
            strings = cache.ui_strings(lang)
            for dest in ["", *sorted(place.destination_ids)]:
                for card in build_help(cache, place, lang, strings, dest).cards:
                    assert not any(w in card.source for w in editorial), (lang, card.id)
    asb = place_of(cache, "ASB")
    ru = build_help(cache, asb, "ru", cache.ui_strings("ru"), "")
    (ambulance,) = [c for c in ru.cards if c.id == "tm-ambulance"]
    assert ambulance.source == "Источник: Ещё не подтверждено"


def test_the_airport_implies_the_nationality_and_only_own_embassies_are_shown(
    cache: ContentCache,
) -> None:
    expected = {"TAS": "UZ", "TMJ": "UZ", "NMA": "UZ", "KSQ": "UZ", "ASB": "TM", "FRU": "KG"}
    assert {a: place_of(cache, a).nationality for a in cache.airports()} == expected
    shown = 0
    for airport, nationality in expected.items():
        place = place_of(cache, airport)
        for dest in sorted(place.destination_ids):
            page = build_help(cache, place, "en", cache.ui_strings("en"), dest)
            ids = [c.id for c in page.dest_contacts_first + page.dest_contacts_rest]
            embassies = [c for c in ids if "-embassy-" in c or "-consulate-" in c]
            shown += len(embassies)
            assert all(c.startswith(nationality.lower() + "-") for c in embassies), (
                airport,
                dest,
                embassies,
            )
    assert shown >= 6 * 6  # own embassies in most destinations, at every airport


def test_a_contact_for_other_nationalities_is_hidden(cache: ContentCache) -> None:
    there, _home = cache.help_contacts("RU", "UZ", "en", "KG")
    ids = [c.id for c in there]
    assert "kg-embassy-moscow" in ids and "uz-embassy-moscow" not in ids


def test_numbers_are_printed_grouped_and_the_vcards_follow_the_traveller(
    cache: ContentCache, tas: Place
) -> None:
    """Issue 11: "+448000121700" read as "+44 800 012 1700" (tel: keeps E.164); the vCard at a
    destination leaves out the home country's short numbers, at home it keeps them; one code
    says "one scan", several say "scan each"."""
    en = cache.ui_strings("en")
    gb = build_help(cache, tas, "en", en, "GB")
    tels = {c.payload: c.label for card in gb.cards for c in card.codes if c.kind == "tel"}
    assert tels["tel:+448000121700"] == "+44 800 012 1700"
    assert cache.phone_display("+448000121700") == "+44 800 012 1700"
    assert cache.phone_display("112") == "112" and cache.phone_display("1345") == "1345"

    home = build_help(cache, tas, "en", en, "")
    at_home = "".join(code.payload for code in home.vcards)
    home_short = [c.short for c in cache.contacts(["UZ"], "en") if c.short]
    assert home_short and all(f"TEL:{n}\r\n" in at_home for n in home_short)
    ae = build_help(cache, tas, "en", en, "AE")
    abroad = "".join(code.payload for code in ae.vcards)
    local = {n for c in cache.contacts(["AE"], "en") for n in [c.short, *c.phones] if n}
    assert not any(f"TEL:{n}\r\n" in abroad for n in set(home_short) - local)
    for page in (gb, home, ae):
        hint = "help.save_all_parts_hint" if len(page.vcards) > 1 else "help.save_all_hint"
        assert page.save_all_hint == en[hint]
        if len(page.vcards) > 1:
            assert [c.caption for c in page.vcards] == [
                en["help.vcard_part"].format(part=i, count=len(page.vcards))
                for i in range(1, len(page.vcards) + 1)
            ]


def test_abroad_no_home_number_is_shown_that_a_phone_there_cannot_dial(
    cache: ContentCache, tas: Place
) -> None:
    """Uzbekistan's ambulance (103) does not work from Russia: abroad, the help screen and the
    articles show a home contact only with the numbers a phone abroad can dial."""
    strings = cache.ui_strings("en")
    home = cache.contacts(["UZ"], "en")
    short_only = [c for c in home if c.short and not c.phones]
    assert short_only, "the sample has home contacts with only a short number"
    for dest in sorted(tas.destination_ids):
        page = build_help(cache, tas, "en", strings, dest)
        shown = {card.id: card for card in page.home_contacts}
        assert not {c.id for c in short_only} & set(shown), dest
        for card in shown.values():
            for code in card.codes:
                if code.kind == "tel":
                    number = code.payload.removeprefix("tel:")
                    assert number.startswith("+") and cache.dialable_from_abroad(number), number
    at_home = build_help(cache, tas, "en", strings, "")
    assert {c.id for c in short_only} <= {card.id for card in at_home.home_contacts}
    web_only = [c for c in home if not c.short and not c.phones]
    assert all(seen_from_abroad(c) == c for c in web_only)


def test_no_card_repeats_the_banner_and_the_banner_keeps_what_it_said(cache: ContentCache) -> None:
    """Issue 11 (page length): the card whose only number is the one the banner shows ("In
    danger now? Call 999" over "Emergency services 999") is left out; what it said (free call,
    hours, languages; checked on, source) is in the banner. Other emergency cards (ambulance
    103) and cards with more than that number stay."""
    left_out = 0
    for airport in cache.airports():
        place = place_of(cache, airport)
        strings = cache.ui_strings("en")
        for dest in ["", *sorted(place.destination_ids)]:
            page = build_help(cache, place, "en", strings, dest)
            number = cache.emergency_number(dest or place.home_country)
            banner = f"tel:{number}"
            assert not [c.id for c in page.cards if repeats_banner(c, number)], (airport, dest)
            if dest:
                there = cache.help_contacts(dest, place.nationality, "en", place.nationality)[0]
            else:  # before a destination: the contacts at home, under the home number's banner
                there = cache.contacts([place.home_country], "en")
            shown = {c.id for c in page.cards}
            for contact in there:
                card = contact_card(contact, strings, place.language_names)
                payloads = {code.payload for code in card.codes}
                if contact.id in shown:
                    assert payloads != {banner} or card.sample, (airport, dest, contact.id)
                    continue
                left_out += 1
                assert payloads == {banner}, (airport, dest, contact.id)
                assert all(d in page.in_danger_details for d in card.details)
                assert card.checked in page.in_danger_checked
    assert left_out >= 8
    page = build_help(cache, place_of(cache, "TAS"), "en", cache.ui_strings("en"), "GB")
    assert "Free call" in page.in_danger_details and "Checked on" in page.in_danger_checked
    assert repeats_banner(contact_card_of(cache, "gb-emergency"), "999")
    assert not repeats_banner(contact_card_of(cache, "gb-emergency"), "112")
    assert not repeats_banner(contact_card_of(cache, "gb-police-101"), "999")


def contact_card_of(cache: ContentCache, contact_id: str) -> ContactCard:
    tas = place_of(cache, "TAS")
    contact = next(c for c in cache.contacts(["GB"], "en") if c.id == contact_id)
    return contact_card(contact, cache.ui_strings("en"), tas.language_names)
