"""Contacts and links as QR codes, shared by the article and help screens (Qt-free)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from content.cache import ContactView
from kiosk.qr import (
    MIN_MODULE_PX,
    QUIET_ZONE,
    QrCode,
    display_size,
    fits,
    is_phone_number,
    tel_code,
    url_code,
    vcard,
    vcard_code,
)
from kiosk.screens.text import Strings, fmt, language_name

# Design pixels of one "save all numbers" code: at 7 px per module a version-13 code (77
# modules with its quiet zone, 427 bytes at error correction L); a longer vCard is split into
# several. Two side by side fit a landscape help screen (1252 px inside its card).
VCARD_SIZE = 560
# Design pixels of a contact's or link's code (QrRow.qml), more for a long link.
CODE_SIZE = 340

MESSENGER_HOSTS = (
    "t.me",
    "wa.me",
    "api.whatsapp.com",
    "signal.me",
    "viber.com",
    "invite.viber.com",
)


@dataclass(frozen=True)
class QrView:
    """One QR code on screen: its image id, what it holds and what is printed beside it."""

    kind: str  # tel | url | messenger | vcard (also the usage counter value)
    image: str  # the id under image://qr/
    label: str
    payload: str
    caption: str = ""  # above the label: the messenger's name or the link's title, "1 of 3"
    size: int = CODE_SIZE  # design pixels it is shown in (at least 7 px per module)


def qr_view(code: QrCode, caption: str = "", base: int = CODE_SIZE) -> QrView:
    """The code as shown: in `base` design pixels, or more if a module would be under 7 px."""
    size = display_size(code.payload, base)
    return QrView(code.kind, code.image_id, code.label, code.payload, caption, size)


@dataclass(frozen=True)
class ContactCard:
    id: str
    name: str
    kind: str
    kind_label: str
    details: tuple[str, ...]  # free call, hours, languages spoken
    codes: tuple[QrView, ...]
    sample: bool
    checked: str  # "Checked on ..."
    source: str
    emergency: bool


def link_code(url: str, display: Callable[[str], str] = str) -> QrCode | None:
    """The QR code for an https, tel or messenger link (None for other links); `display`
    prints a tel: link's number (ContentCache.phone_display: grouped as its country does)."""
    if url.startswith("tel:"):
        number = url.removeprefix("tel:")
        try:
            return tel_code(number, display(number))
        except ValueError:
            return None
    if url.startswith("https://"):
        host = url.removeprefix("https://").split("/", 1)[0].lower()
        kind = "messenger" if host in MESSENGER_HOSTS else "url"
        return url_code(url, kind)
    return None


def contact_card(
    contact: ContactView, strings: Strings, language_names: Mapping[str, str]
) -> ContactCard:
    """A contact with its QR codes: each phone, the short number, its link and messengers."""
    codes: list[QrView] = []
    if contact.short:
        with contextlib.suppress(ValueError):
            codes.append(qr_view(tel_code(contact.short, contact.display(contact.short))))
    for phone in contact.phones:
        try:
            codes.append(qr_view(tel_code(phone, contact.display(phone))))
        except ValueError:
            continue
    if contact.url:
        code = link_code(contact.url)
        if code is not None:
            codes.append(qr_view(code))
    for name, url in sorted(contact.messengers.items()):
        code = link_code(url)
        if code is not None:
            codes.append(qr_view(QrCode("messenger", code.payload, code.label), name.capitalize()))
    details = []
    if not contact.short and not contact.phones:
        # Say plainly how to reach a contact whose number could not be confirmed.
        key = "help.no_number_site" if codes else "help.no_number"
        details.append(strings.get(key, ""))
    if contact.free:
        details.append(strings.get("help.free_call", ""))
    if contact.hours:
        details.append(fmt(strings.get("help.hours", "{hours}"), hours=contact.hours))
    if contact.languages:
        names = ", ".join(language_name(strings, x, language_names) for x in contact.languages)
        details.append(fmt(strings.get("help.languages", "{languages}"), languages=names))
    return ContactCard(
        id=contact.id,
        name=contact.name,
        kind=contact.kind,
        kind_label=strings.get(f"contact.kind.{contact.kind}", contact.kind),
        details=tuple(d for d in details if d),
        codes=tuple(codes),
        sample=contact.status == "sample",
        checked=fmt(strings.get("article.verified_on", "{date}"), date=contact.verified_on),
        source=fmt(strings.get("article.source", "{source}"), source=contact.source)
        if contact.source
        else "",
        emergency=contact.kind == "emergency",
    )


def saved_numbers(contact: ContactView, abroad: bool) -> list[str]:
    """The numbers of `contact` a vCard saves: all of them where the traveller is (short ones
    first), or, for a home-country contact seen from abroad, only its E.164 numbers a phone
    abroad can dial (never a short home number like 1003)."""
    numbers = [n for n in [contact.short or "", *contact.phones] if is_phone_number(n)]
    return [n for n in numbers if n in contact.abroad] if abroad else numbers


def vcard_entries(
    first: tuple[str, str] | None,
    local: Iterable[ContactView],
    from_abroad: Iterable[ContactView] = (),
) -> list[tuple[str, str]]:
    """(label, number) for the "save all numbers" vCard, in order: `first` (the number to call
    in danger), the numbers of the `local` contacts (those of the country the traveller is in),
    then those of `from_abroad` (home contacts, seen from the destination) a phone abroad can
    dial. Each number once; each label once (a contact's second number, or a second contact of
    the same name, gets " 2")."""
    entries: list[tuple[str, str]] = [first] if first else []
    numbers = {number for _, number in entries}
    labels = {label for label, _ in entries}
    chosen = [(c, False) for c in local] + [(c, True) for c in from_abroad]
    for contact, abroad in chosen:
        for number in saved_numbers(contact, abroad):
            if number in numbers:
                continue
            label, n = contact.name, 1
            while label in labels:
                n += 1
                label = f"{contact.name} {n}"
            numbers.add(number)
            labels.add(label)
            entries.append((label, number))
    return entries


def vcard_codes(
    title: str, entries: list[tuple[str, str]], strings: Strings, size: int = VCARD_SIZE
) -> tuple[QrView, ...]:
    """The entries as one vCard code, or, where one would have modules under 7 px in `size`
    design pixels, as the fewest codes in order that each do ("Code 1 of 3", ...: the caption
    under each; "Help: Russia 1/3" the saved contact's name, so that the phone keeps them
    apart). Each is a whole vCard. The entries are spread so that the densest of these codes
    is as sparse as it can be (bigger modules in the same place). () when there is no entry."""
    if not entries:
        return ()
    parts = None
    for count in range(1, len(entries) + 1):
        parts = _pack(title, entries, strings, count, size)
        if parts is not None:
            break
    assert parts is not None, "one entry per code always packs"
    count = len(parts)
    # The same number of codes with the fewest modules each: the smallest code size (one QR
    # version step is 4 modules) that still takes them all.
    for modules in range(17 + 4 + 2 * QUIET_ZONE, size // MIN_MODULE_PX + 1, 4):
        sparser = _pack(title, entries, strings, count, modules * MIN_MODULE_PX)
        if sparser is not None:
            parts = sparser
            break
    return tuple(qr_view(vcard_code(name, part), caption, size) for name, caption, part in parts)


def _pack(
    title: str, entries: list[tuple[str, str]], strings: Strings, count: int, size: int
) -> list[tuple[str, str, list[tuple[str, str]]]] | None:
    """`entries` in `count` codes, filled in order, or None if they need more."""

    def named(part: int) -> tuple[str, str]:
        if count == 1:
            return title, ""
        caption = fmt(
            strings.get("help.vcard_part", "{part}/{count}"), part=str(part), count=str(count)
        )
        return f"{title} {part}/{count}", caption

    parts: list[tuple[str, str, list[tuple[str, str]]]] = []
    rest = list(entries)
    for part in range(1, count + 1):
        name, caption = named(part)
        taken: list[tuple[str, str]] = []
        while rest and (not taken or fits(vcard(name, [*taken, rest[0]]), size)):
            if not taken and not fits(vcard(name, [rest[0]]), size) and count < len(entries):
                return None  # one entry alone is too dense here: try more codes
            taken.append(rest.pop(0))
        parts.append((name, caption, taken))
    return None if rest or not all(taken for _, _, taken in parts) else parts


def qr_kinds(cards: Iterable[ContactCard], codes: Iterable[QrView | None] = ()) -> list[str]:
    """The kinds of QR code these cards and codes show, once each, sorted (usage counters)."""
    kinds = {code.kind for card in cards for code in card.codes}
    kinds.update(code.kind for code in codes if code is not None)
    return sorted(kinds)
