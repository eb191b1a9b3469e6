"""What each screen shows, as plain dicts and lists for QML (Qt-free).

The controller asks for the page of the current screen; these functions turn the cache's views
into the values QML binds to, including the QR codes (image ids) of contacts and links.
"""

from __future__ import annotations

import contextlib
import re
from typing import Any

from kiosk.qr import QrCode, tel_code, url_code, vcard_code

MESSENGER_HOSTS = (
    "t.me",
    "wa.me",
    "api.whatsapp.com",
    "signal.me",
    "viber.com",
    "invite.viber.com",
)


def fmt(template: str, **values: str) -> str:
    """Fill `{name}` placeholders; unknown placeholders are left as they are."""
    return re.sub(r"\{(\w+)\}", lambda m: str(values.get(m.group(1), m.group(0))), template)


def qr_dict(code: QrCode) -> dict[str, str]:
    return {"kind": code.kind, "image": code.image_id, "label": code.label, "payload": code.payload}


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


def contact_card(contact: Any, strings: dict[str, str], language_names: dict[str, str]) -> dict:
    """A contact with its QR codes: each phone, the short number, its link and messengers."""
    codes: list[dict[str, str]] = []
    if contact.short:
        with contextlib.suppress(ValueError):
            codes.append(qr_dict(tel_code(contact.short)))
    for phone in contact.phones:
        try:
            codes.append(qr_dict(tel_code(phone)))
        except ValueError:
            continue
    if contact.url:
        code = link_code(contact.url)
        if code is not None:
            codes.append(qr_dict(code))
    for name, url in sorted(contact.messengers.items()):
        code = link_code(url)
        if code is not None:
            entry = qr_dict(QrCode("messenger", code.payload, code.label))
            entry["messenger"] = name.capitalize()
            codes.append(entry)
    details = []
    if contact.free:
        details.append(strings.get("help.free_call", ""))
    if contact.hours:
        details.append(fmt(strings.get("help.hours", "{hours}"), hours=contact.hours))
    if contact.languages:
        names = ", ".join(language_names.get(x, x) for x in contact.languages)
        details.append(fmt(strings.get("help.languages", "{languages}"), languages=names))
    return {
        "id": contact.id,
        "name": contact.name,
        "kind": contact.kind,
        "kindLabel": strings.get(f"contact.kind.{contact.kind}", contact.kind),
        "details": [d for d in details if d],
        "codes": codes,
        "sample": contact.status == "sample",
        "checked": fmt(strings.get("article.verified_on", "{date}"), date=contact.verified_on),
        "source": fmt(strings.get("article.source", "{source}"), source=contact.source),
        "emergency": contact.kind == "emergency",
    }


def vcard_of(title: str, contacts: list[Any]) -> dict[str, str] | None:
    entries: list[tuple[str, str]] = []
    for c in contacts:
        numbers = ([c.short] if c.short else []) + list(c.phones)
        for number in numbers:
            entries.append((c.name, number))
    if not entries:
        return None
    return qr_dict(vcard_code(title, entries))


def blocks_list(blocks: list[Any]) -> list[dict[str, Any]]:
    return [
        {"kind": b.kind, "level": int(b.level or 0), "text": b.text or "", "items": list(b.items)}
        for b in blocks
    ]


def first_number(contacts: list[Any]) -> str:
    """The emergency number to show in the 'In danger now?' banner."""
    for c in contacts:
        if c.kind == "emergency":
            return c.short or (c.phones[0] if c.phones else "")
    return ""


# The article body as one flat list of rows, so QML builds one light delegate per row and only
# the rows of the first screen before that screen's first frame. `gap` is the space above a row.
SECTION_GAP, ELEMENT_GAP, ITEM_GAP = 24, 20, 12
_TAGS = re.compile(r"<[^>]+>")


def article_rows(sections: list[dict[str, Any]], sample_notice: str) -> list[dict[str, Any]]:
    """Rows of kinds chip, title, sample, heading, paragraph, item, verified, divider."""
    rows: list[dict[str, Any]] = []

    def add(kind: str, text: str, gap: int, marker: str = "") -> None:
        rows.append({"kind": kind, "text": text, "gap": gap, "marker": marker})

    for number, section in enumerate(sections):
        add("chip", section["heading"], SECTION_GAP if number else 0)
        add("title", section["title"], ELEMENT_GAP)
        if section["sample"]:
            add("sample", sample_notice, ELEMENT_GAP)
        for block in section["blocks"]:
            if block["kind"] in ("heading", "paragraph"):
                add(block["kind"], block["text"], ELEMENT_GAP)
                continue
            for i, item in enumerate(block["items"]):
                marker = f"{i + 1}." if block["kind"] == "numbers" else "•"
                add("item", item, ELEMENT_GAP if i == 0 else ITEM_GAP, marker)
        add("verified", f"{section['verified']}   ·   {section['source']}", ELEMENT_GAP)
        add("divider", "", ELEMENT_GAP)
    return rows


def first_screen_count(rows: list[dict[str, Any]], large: bool, height: int = 1920) -> int:
    """How many rows surely fill a 1080-px-wide, `height`-px-tall screen (overestimated).

    Characters per line are underestimated (wide Cyrillic letters, bold) and every row is
    counted whole, so the first frame is full; what is below is built right after it.
    """
    font = 36 if large else 28
    per_line = max(20, int(984 / (0.62 * font)))
    line = int(font * 1.25 * 1.2)
    used = 0
    for count, row in enumerate(rows, start=1):
        chars = len(_TAGS.sub("", row["text"]))
        lines = max(1, -(-chars // per_line))
        used += row["gap"] + lines * line
        if used >= height:
            return count
    return len(rows)
