"""Contacts and links as QR codes, shared by the article and help screens (Qt-free)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from content.cache import ContactView
from kiosk.qr import QrCode, tel_code, url_code, vcard_code
from kiosk.screens.text import Strings, fmt, language_name

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
    caption: str = ""  # above the label: the messenger's name or the link's title


def qr_view(code: QrCode, caption: str = "") -> QrView:
    return QrView(code.kind, code.image_id, code.label, code.payload, caption)


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


def link_code(url: str) -> QrCode | None:
    """The QR code for an https, tel or messenger link (None for other links)."""
    if url.startswith("tel:"):
        try:
            return tel_code(url.removeprefix("tel:"))
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
            codes.append(qr_view(tel_code(contact.short)))
    for phone in contact.phones:
        try:
            codes.append(qr_view(tel_code(phone)))
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


def vcard_of(
    title: str, contacts: Iterable[ContactView], first: tuple[str, str] | None = None
) -> QrView | None:
    """One vCard QR code holding every number of these contacts (None when there is none).

    `first`: (label, number) of the number to call in danger, saved first; a number is saved
    once, under its first label."""
    entries: list[tuple[str, str]] = [first] if first else []
    seen = {number for _, number in entries}
    for c in contacts:
        numbers = ([c.short] if c.short else []) + list(c.phones)
        for number in numbers:
            if number not in seen:
                seen.add(number)
                entries.append((c.name, number))
    if not entries:
        return None
    return qr_view(vcard_code(title, entries))


def qr_kinds(cards: Iterable[ContactCard], codes: Iterable[QrView | None] = ()) -> list[str]:
    """The kinds of QR code these cards and codes show, once each, sorted (usage counters)."""
    kinds = {code.kind for card in cards for code in card.codes}
    kinds.update(code.kind for code in codes if code is not None)
    return sorted(kinds)
