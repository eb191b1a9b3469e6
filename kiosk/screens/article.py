"""An article: the general part, then the destination's own, as flat rows; contacts and links.

The body is one flat list of rows so that QML builds one light delegate per row, and only the
rows of the first screen before that screen's first frame (`rows_first`); `rows_rest` follow.

What the traveller reads is right for their nationality, read from `place.nationality` each
time a screen is built (a switch of nationality rebuilds the screen): sections and list items
marked for other nationalities are left out, and the article's contacts are those the help
screen shows this traveller for the same destination (`traveller_contact_ids`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from content.cache import Block, ContactView, ContentCache, blocks_for
from content.model import GENERAL_SCOPE
from kiosk.screens.cards import ContactCard, QrView, contact_card, link_code, qr_view
from kiosk.screens.place import Place, asset_url
from kiosk.screens.text import Strings, t

SECTION_GAP, ELEMENT_GAP, ITEM_GAP = 24, 20, 12  # the space above a row, in pixels
_TAGS = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class BlockView:
    kind: str  # heading | paragraph | bullets | numbers | image
    level: int
    text: str
    items: tuple[str, ...]
    pictures: tuple[str, ...] = ()  # per item: the picture's image URL, "" none (or () none)


@dataclass(frozen=True)
class Section:
    scope: str  # "general" or the destination id
    heading: str  # the chip above it: "General" or "In <country>"
    title: str
    blocks: tuple[BlockView, ...]
    verified: str
    source: str
    sample: bool


@dataclass(frozen=True)
class ArticleRow:
    """One row of the body: chip, title, sample, heading, paragraph, item, verified, divider."""

    kind: str
    text: str
    gap: int  # pixels above the row
    marker: str = ""  # a list item's bullet or number
    picture: str = ""  # a list item's picture (image URL), shown beside its words; "" none


@dataclass(frozen=True)
class ArticleLink:
    """A link to another article (`article:SCOPE/TOPIC`), shown as a button."""

    label: str
    url: str


@dataclass(frozen=True)
class ArticleScreen:
    topic: str = ""
    title: str = ""
    icon: str = ""
    sections: tuple[Section, ...] = ()
    rows_first: tuple[ArticleRow, ...] = ()
    rows_rest: tuple[ArticleRow, ...] = ()
    contacts: tuple[ContactCard, ...] = ()
    links: tuple[QrView, ...] = ()  # https, tel and messenger links, as QR codes
    article_links: tuple[ArticleLink, ...] = ()


def blocks_of(
    blocks: Sequence[Block], nationality: str = "", picture_url: Callable[[str], str] = str
) -> tuple[BlockView, ...]:
    """The blocks a traveller of `nationality` reads; pictures as image URLs (`picture_url`)."""
    return tuple(
        BlockView(
            b.kind,
            int(b.level or 0),
            b.text or "",
            tuple(b.items),
            tuple(picture_url(p) if p else "" for p in b.pictures),
        )
        for b in blocks_for(list(blocks), nationality)
    )


def traveller_contact_ids(cache: ContentCache, place: Place, lang: str, dest: str) -> set[str]:
    """The contacts the help screen shows this traveller for `dest` ("general": before a
    destination, the contacts at home): an article lists only these of its contacts."""
    if dest and dest != GENERAL_SCOPE:
        there, home = cache.help_contacts(dest, place.nationality, lang, place.nationality)
    else:
        there, home = [], cache.contacts([place.home_country], lang)
    return {c.id for c in there + home}


def traveller_contacts(
    cache: ContentCache, place: Place, lang: str, dest: str, contacts: Sequence[ContactView]
) -> list[ContactView]:
    """`contacts` (an article's, in its order) that the help screen shows this traveller."""
    shown = traveller_contact_ids(cache, place, lang, dest)
    return [c for c in contacts if c.id in shown]


def article_rows(sections: Sequence[Section], sample_notice: str) -> list[ArticleRow]:
    """The sections as rows, in reading order."""
    rows: list[ArticleRow] = []
    for number, section in enumerate(sections):
        rows.append(ArticleRow("chip", section.heading, SECTION_GAP if number else 0))
        rows.append(ArticleRow("title", section.title, ELEMENT_GAP))
        if section.sample:
            rows.append(ArticleRow("sample", sample_notice, ELEMENT_GAP))
        for block in section.blocks:
            if block.kind in ("heading", "paragraph"):
                rows.append(ArticleRow(block.kind, block.text, ELEMENT_GAP))
                continue
            for i, item in enumerate(block.items):
                marker = f"{i + 1}." if block.kind == "numbers" else "•"
                picture = block.pictures[i] if i < len(block.pictures) else ""
                gap = ELEMENT_GAP if i == 0 else ITEM_GAP
                rows.append(ArticleRow("item", item, gap, marker, picture))
        rows.append(
            ArticleRow(
                "verified",
                "   ·   ".join(x for x in (section.verified, section.source) if x),
                ELEMENT_GAP,
            )
        )
        rows.append(ArticleRow("divider", "", ELEMENT_GAP))
    return rows


def first_screen_count(rows: Sequence[ArticleRow], large: bool, height: int = 1920) -> int:
    """How many rows surely fill a 1080-px-wide, `height`-px-tall screen (overestimated).

    Characters per line are underestimated (wide Cyrillic letters, bold) and every row is
    counted whole, so the first frame is full; what is below is built right after it.
    """
    font = 36 if large else 28
    per_line = max(20, int(984 / (0.62 * font)))
    line = int(font * 1.25 * 1.2)
    used = 0
    for count, row in enumerate(rows, start=1):
        chars = len(_TAGS.sub("", row.text))
        lines = max(1, -(-chars // per_line))
        used += row.gap + lines * line
        if used >= height:
            return count
    return len(rows)


def build_article(
    cache: ContentCache,
    place: Place,
    lang: str,
    strings: Strings,
    *,
    dest: str,
    topic: str,
    large_text: bool,
) -> ArticleScreen:
    """`dest`: a destination id or "general"; `large_text` decides how many rows come first."""
    article = cache.article(dest, topic, lang)
    dest_name = "" if dest == "general" else cache.destination_name(dest, lang)
    sections = tuple(
        Section(
            scope=s.scope,
            heading=t(strings, "article.general")
            if s.scope == "general"
            else t(strings, "article.country_specific", country=dest_name),
            title=s.title,
            blocks=blocks_of(s.blocks, place.nationality, lambda p: asset_url(cache, p)),
            verified=t(strings, "article.verified_on", date=s.verified_on),
            source=t(strings, "article.source", source=s.source) if s.source else "",
            sample=s.status == "sample",
        )
        for s in article.sections
    )
    links: list[QrView] = []
    article_links: list[ArticleLink] = []
    seen: set[str] = set()
    for link in article.links:
        if link.url in seen:
            continue  # the general part and the country's both link to it: one button
        seen.add(link.url)
        if link.url.startswith("article:"):
            article_links.append(ArticleLink(link.label, link.url))
            continue
        code = link_code(link.url, cache.phone_display)
        if code is not None:
            links.append(qr_view(code, link.label))
    rows = article_rows(sections, strings.get("article.sample_notice", ""))
    first = first_screen_count(rows, large_text)
    return ArticleScreen(
        topic=topic,
        title=article.title,
        icon=asset_url(cache, f"topics/{topic}.svg"),
        sections=sections,
        rows_first=tuple(rows[:first]),
        rows_rest=tuple(rows[first:]),
        contacts=tuple(
            contact_card(c, strings, place.language_names)
            for c in traveller_contacts(cache, place, lang, dest, article.contacts)
        ),
        links=tuple(links),
        article_links=tuple(article_links),
    )
