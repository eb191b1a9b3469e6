"""Help: the number to call in danger, a vCard with every number a traveller can dial where
they are (split into several codes where one would be too dense), the destination's contacts
(for the traveller's nationality) and the contacts at home, each with its QR codes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from content.cache import ContactView, ContentCache
from content.notices import ShownNotice
from kiosk.qr import tel_code
from kiosk.screens.cards import (
    ContactCard,
    QrView,
    contact_card,
    qr_view,
    vcard_codes,
    vcard_entries,
)
from kiosk.screens.language import LanguageChoice
from kiosk.screens.place import Place
from kiosk.screens.text import Strings, t

# How many of the destination's contacts are built before the screen's first frame (with the
# banner and the vCard they fill it); the rest are built right after that frame.
FIRST_CONTACTS = 1


@dataclass(frozen=True)
class HelpScreen:
    title: str = ""
    in_danger: str = ""  # "In danger now? Call 112", "" when no emergency number is known
    in_danger_code: QrView | None = None
    # what the card of that number said (free call, hours, languages; checked on, source): the
    # card itself is left out, the banner already shows its number and code
    in_danger_details: str = ""
    in_danger_checked: str = ""
    # save the numbers below a phone can dial where the traveller is: one code, or "1 of 3"...
    vcards: tuple[QrView, ...] = ()
    save_all_hint: str = ""  # "One scan saves..." or, for several codes, "Scan each code..."
    dest_title: str = ""  # "" when no destination is chosen yet
    dest_contacts_first: tuple[ContactCard, ...] = ()
    dest_contacts_rest: tuple[ContactCard, ...] = ()
    home_title: str = ""
    home_contacts: tuple[ContactCard, ...] = ()
    # help opened before a language is chosen: every language of the airport, one tap each
    languages: tuple[LanguageChoice, ...] = ()
    notices: tuple[ShownNotice, ...] = ()  # urgent notices, filled by build_screen

    @property
    def cards(self) -> tuple[ContactCard, ...]:
        return self.dest_contacts_first + self.dest_contacts_rest + self.home_contacts


def build_help(
    cache: ContentCache, place: Place, lang: str, strings: Strings, dest: str
) -> HelpScreen:
    """`dest`: the session's destination, "" before one is chosen (then only home contacts).

    Before a destination the contacts "at home" are those of the airport's country (the person
    is there); once abroad they are those of the person's own country (`place.nationality`):
    a Kyrgyz citizen leaving from Tashkent gets Kyrgyzstan's lines, not Uzbekistan's."""
    home_name = cache.destination_name(place.nationality if dest else place.home_country, lang)
    if dest:
        there, home = cache.help_contacts(dest, place.nationality, lang, place.nationality)
        dest_name = cache.destination_name(dest, lang)
        vcards = help_vcards(cache, strings, dest, dest_name, there, home)
    else:
        there, home = [], cache.contacts([place.home_country], lang)
        dest_name = ""
        vcards = help_vcards(cache, strings, place.home_country, home_name, home)
    country = dest or place.home_country
    number = cache.emergency_number(country)
    cards = [contact_card(c, strings, place.language_names) for c in there]
    home_cards = [contact_card(c, strings, place.language_names) for c in home]
    # the first section's cards are those of the country the banner is for (at home before a
    # destination is chosen): one that only repeats the banner's number is left out
    first_section = cards if dest else home_cards
    banner_cards = [card for card in first_section if repeats_banner(card, number)]
    cards = [card for card in cards if card not in banner_cards]
    home_cards = [card for card in home_cards if card not in banner_cards]
    details = [d for card in banner_cards for d in card.details]
    checked = [x for card in banner_cards for x in (card.checked, card.source) if x]
    return HelpScreen(
        title=t(strings, "help.title"),
        in_danger=in_danger_text(cache, strings, country, lang),
        in_danger_code=qr_view(tel_code(number, cache.phone_display(number)), base=320)
        if number
        else None,
        in_danger_details="  ·  ".join(dict.fromkeys(details)),
        in_danger_checked="   ·   ".join(dict.fromkeys(checked)),
        vcards=vcards,
        save_all_hint=t(
            strings, "help.save_all_parts_hint" if len(vcards) > 1 else "help.save_all_hint"
        ),
        dest_title=t(strings, "help.destination_contacts", country=dest_name) if dest else "",
        dest_contacts_first=tuple(cards[:FIRST_CONTACTS]),
        dest_contacts_rest=tuple(cards[FIRST_CONTACTS:]),
        home_title=t(strings, "help.home_contacts", country=home_name),
        home_contacts=tuple(home_cards),
    )


def repeats_banner(card: ContactCard, number: str) -> bool:
    """Whether `card` only repeats the banner: every code it has calls `number`, the number to
    call in danger (the "Emergency services 112" card under "In danger now? Call 112"). A card
    still marked sample stays, with its notice."""
    return bool(number and card.codes and not card.sample) and all(
        code.kind == "tel" and code.payload == f"tel:{number}" for code in card.codes
    )


def help_vcards(
    cache: ContentCache,
    strings: Strings,
    country: str,
    country_name: str,
    local: Sequence[ContactView],
    from_abroad: Sequence[ContactView] = (),
) -> tuple[QrView, ...]:
    """The "save all numbers" codes for a traveller in `country`: its number to call in danger
    first, the `local` contacts' numbers, then the numbers of `from_abroad` (home contacts seen
    from a destination) a phone abroad can dial. Before a destination is chosen, `country` is
    the home country and `local` its contacts: their numbers work there."""
    first = danger_entry(strings, cache.emergency_number(country))
    name = t(strings, "help.vcard_name", country=country_name)
    return vcard_codes(name, vcard_entries(first, local, from_abroad), strings)


def in_danger_text(cache: ContentCache, strings: Strings, country: str, lang: str) -> str:
    """The red banner: the number `country` declares to call in danger, or, where none is
    confirmed, that there is none and the contacts below are the way to get help."""
    number = cache.emergency_number(country)
    if number:
        return t(strings, "help.in_danger", number=cache.phone_display(number))
    return t(strings, "help.no_emergency", country=cache.destination_name(country, lang))


def danger_entry(strings: Strings, number: str) -> tuple[str, str] | None:
    """The vCard's first entry: the number to call in danger, labelled "Emergency"."""
    return (t(strings, "contact.kind.emergency"), number) if number else None


def help_qr_payloads(cache: ContentCache, place: Place) -> list[str]:
    """Every QR payload the help screens of this airport can show, in every language, once."""
    payloads: list[str] = []
    home_number = cache.emergency_number(place.home_country)
    if home_number:
        payloads.append(tel_code(home_number).payload)

    for lang in place.languages:
        strings = cache.ui_strings(lang)
        for dest in sorted(place.destination_ids):
            there, home = cache.help_contacts(dest, place.nationality, lang, place.nationality)
            for contact in there + home:
                card = contact_card(contact, strings, place.language_names)
                payloads.extend(code.payload for code in card.codes)
            dest_name = cache.destination_name(dest, lang)
            vcards = help_vcards(cache, strings, dest, dest_name, there, home)
            payloads.extend(code.payload for code in vcards)
            number = cache.emergency_number(dest)
            if number:
                payloads.append(tel_code(number).payload)
        home = cache.contacts([place.home_country], lang)
        home_name = cache.destination_name(place.home_country, lang)
        vcards = help_vcards(cache, strings, place.home_country, home_name, home)
        payloads.extend(code.payload for code in vcards)
    return list(dict.fromkeys(payloads))
