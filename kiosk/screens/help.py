"""Help: the number to call in danger, one vCard with every number, the destination's contacts
(for people from the airport's country) and the contacts at home, each with its QR codes."""

from __future__ import annotations

from dataclasses import dataclass

from content.cache import ContentCache
from content.notices import ShownNotice
from kiosk.qr import tel_code
from kiosk.screens.cards import (
    ContactCard,
    QrView,
    contact_card,
    qr_view,
    vcard_of,
)
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
    vcard: QrView | None = None  # saves every number below to the phone
    dest_title: str = ""  # "" when no destination is chosen yet
    dest_contacts_first: tuple[ContactCard, ...] = ()
    dest_contacts_rest: tuple[ContactCard, ...] = ()
    home_title: str = ""
    home_contacts: tuple[ContactCard, ...] = ()
    notices: tuple[ShownNotice, ...] = ()  # urgent notices, filled by build_screen

    @property
    def cards(self) -> tuple[ContactCard, ...]:
        return self.dest_contacts_first + self.dest_contacts_rest + self.home_contacts


def build_help(
    cache: ContentCache, place: Place, lang: str, strings: Strings, dest: str
) -> HelpScreen:
    """`dest`: the session's destination, "" before one is chosen (then only home contacts)."""
    home_name = cache.destination_name(place.home_country, lang)
    if dest:
        there, home = cache.help_contacts(dest, place.home_country, lang, place.nationality)
        dest_name = cache.destination_name(dest, lang)
    else:
        there, home = [], cache.contacts([place.home_country], lang)
        dest_name = ""
    cards = [contact_card(c, strings, place.language_names) for c in there]
    country = dest or place.home_country
    number = cache.emergency_number(country)
    title = t(strings, "help.title")
    return HelpScreen(
        title=title,
        in_danger=in_danger_text(cache, strings, country, lang),
        in_danger_code=qr_view(tel_code(number)) if number else None,
        vcard=vcard_of(
            title + (f": {dest_name}" if dest else ""),
            there + home,
            danger_entry(strings, number),
        ),
        dest_title=t(strings, "help.destination_contacts", country=dest_name) if dest else "",
        dest_contacts_first=tuple(cards[:FIRST_CONTACTS]),
        dest_contacts_rest=tuple(cards[FIRST_CONTACTS:]),
        home_title=t(strings, "help.home_contacts", country=home_name),
        home_contacts=tuple(contact_card(c, strings, place.language_names) for c in home),
    )


def in_danger_text(cache: ContentCache, strings: Strings, country: str, lang: str) -> str:
    """The red banner: the number `country` declares to call in danger, or, where none is
    confirmed, that there is none and the contacts below are the way to get help."""
    number = cache.emergency_number(country)
    if number:
        return t(strings, "help.in_danger", number=number)
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
        title = strings.get("help.title", "help.title")
        for dest in sorted(place.destination_ids):
            there, home = cache.help_contacts(dest, place.home_country, lang, place.nationality)
            for contact in there + home:
                card = contact_card(contact, strings, place.language_names)
                payloads.extend(code.payload for code in card.codes)
            dest_name = cache.destination_name(dest, lang)
            number = cache.emergency_number(dest)
            vcard = vcard_of(f"{title}: {dest_name}", there + home, danger_entry(strings, number))
            if vcard:
                payloads.append(vcard.payload)
            if number:
                payloads.append(tel_code(number).payload)
        home = cache.contacts([place.home_country], lang)
        vcard = vcard_of(title, home, danger_entry(strings, home_number))
        if vcard:
            payloads.append(vcard.payload)
    return list(dict.fromkeys(payloads))
