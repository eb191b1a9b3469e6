"""What the listen buttons read (content/speech_text.py): pure, no tools needed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from content.build import build_cache
from content.cache import Block, ContentCache
from content.model import Content
from content.source import load_source
from content.speech_text import (
    article_blocks,
    article_item,
    article_text,
    digits,
    help_item,
    plain,
    speech_items,
    speech_parts,
    spoken_numbers,
)

SAMPLE = Path(__file__).resolve().parents[2] / "content" / "sample"


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Content, ContentCache]]:
    content, report = load_source(SAMPLE)
    assert report.ok
    db = tmp_path_factory.mktemp("speech-text") / "c.db"
    build_cache(content, db, content_version=1)
    cache = ContentCache.open(db)
    yield content, cache
    cache.close()


def test_numbers_are_read_digit_by_digit() -> None:
    assert digits("112") == "1 1 2"
    assert digits("+998 71 200-00-00") == "+ 9 9 8 7 1 2 0 0 0 0 0 0"
    assert spoken_numbers("Call +7 495 123-45-67 now") == "Call + 7 4 9 5 1 2 3 4 5 6 7 now"
    assert spoken_numbers("8 800 100 49 00 free") == "8 8 0 0 1 0 0 4 9 0 0 free"
    # years, amounts, days and dates stay numbers
    assert spoken_numbers("15 kun, 2026-yil, 2026-11-30, 1 500 rubl") == (
        "15 kun, 2026-yil, 2026-11-30, 1 500 rubl"
    )


def test_an_article_is_its_title_then_its_blocks_in_plain_text() -> None:
    text = article_text(
        "Title", "First **bold** &amp; more.\n\n## Part\n\n- one\n- two: +998712000000\n"
    )
    assert text.splitlines() == [
        "Title.",
        "First bold & more.",
        "Part.",
        "one.",
        "two: + 9 9 8 7 1 2 0 0 0 0 0 0.",
    ]
    assert "<" not in text and "**" not in text


def test_every_screen_item_in_every_language(sample: tuple[Content, ContentCache]) -> None:
    content, cache = sample
    items = {(i.item, i.language): i for i in speech_items(content, cache)}
    kinds = {item.split(".")[0] for item, _ in items}
    assert kinds == {"article", "checklist", "help", "language", "attract"}
    for article in content.articles:
        name = f"article.{article.scope}.{article.topic}"
        for part in speech_parts(article.title, article_blocks(article.body)):
            assert (part.item(name), article.language) in items  # one part: `name` itself
    for language in content.languages:
        assert items[("language", language.id)].text.startswith(language.name)
    for airport in content.airports:
        for lang in airport.languages:
            assert ("attract", lang) in items
            for dest in ("", *airport.destinations):
                nationality = airport.nationality or airport.country
                key = (help_item(dest, airport.country, nationality), lang)
                assert key in items, key
    assert ("checklist.general", "uz") in items
    paths = [i.path for i in items.values()]
    assert len(paths) == len(set(paths)) and all(p.startswith("audio/") for p in paths)


def test_help_reads_the_in_danger_line_first_then_numbers_digit_by_digit(
    sample: tuple[Content, ContentCache],
) -> None:
    content, cache = sample
    items = {(i.item, i.language): i for i in speech_items(content, cache)}
    text = items[(help_item("RU", "UZ", "UZ"), "en")].text
    first = text.splitlines()[0]
    number = cache.emergency_number("RU")
    assert first == f"In danger now? Call {digits(number)}."
    assert "Embassy of Uzbekistan" in text
    # every contact number of the screen, digit by digit
    there, home = cache.help_contacts("RU", "UZ", "en", "UZ")
    for contact in there + home:
        for phone in contact.phones:
            assert digits(phone) in text
        if contact.short:
            assert digits(contact.short) in text
    # not an embassy of another nationality
    assert "Embassy of Kyrgyzstan" not in text and "Embassy of Turkmenistan" not in text
    # in Russian: the banner in the reader's language
    banner = cache.ui_strings("ru")["help.in_danger"].replace("{number}", digits(number))
    assert items[(help_item("RU", "UZ", "UZ"), "ru")].text.splitlines()[0] == banner + "."


def _only_for(blocks: list[Block], nationality: str) -> list[str]:
    """The plain texts of the sections and items marked for `nationality` alone."""
    texts = []
    for block in blocks:
        if tuple(block.only) == (nationality,) and block.kind != "image":
            texts.append(plain(block.text))
            texts.extend(plain(x) for x in block.items)
        for item, marks in zip(block.items, block.item_only, strict=False):
            if tuple(marks) == (nationality,):
                texts.append(plain(item))
    return [" ".join(t.split())[:40] for t in texts if t.strip()]


@pytest.mark.parametrize("topic", ["working-legally", "entry-registration"])
def test_a_marked_article_is_heard_only_where_it_is_shown(
    sample: tuple[Content, ContentCache], topic: str
) -> None:
    """The Russia articles' Uzbek-only parts are in the clips a Kyrgyz traveller is played
    from no clip, and in an Uzbek traveller's clips all of them."""
    content, cache = sample
    items = {(x.item, x.language): x.text for x in speech_items(content, cache)}
    articles = [a for a in content.articles if a.scope == "RU" and a.topic == topic]
    assert len(articles) >= 4
    for article in articles:
        blocks = article_blocks(article.body)
        uz_only = _only_for(blocks, "UZ")
        assert uz_only, article.language
        parts = speech_parts(article.title, blocks)
        assert len(parts) > 1
        name = article_item("RU", topic)
        # what is published is exactly these parts
        texts = {p.suffix: items[(p.item(name), article.language)] for p in parts}
        heard = {
            n: " ".join(" ".join(texts[p.suffix].split()) for p in parts if p.applies(n))
            for n in ("KG", "UZ")
        }
        assert (name, article.language) not in items  # no whole-article clip any more
        for text in uz_only:
            assert text not in heard["KG"], (article.language, text)
            assert text in heard["UZ"], (article.language, text)


def test_an_unmarked_article_stays_one_clip_named_like_its_item() -> None:
    blocks = article_blocks("Text.\n\n## Part\n\n- one\n- two\n")
    parts = speech_parts("Title", blocks)
    assert [(p.suffix, p.only) for p in parts] == [("", ())]
    assert parts[0].item("article.RU.x") == "article.RU.x"


def test_a_heading_with_only_marked_items_is_heard_only_by_those_who_see_it() -> None:
    blocks = article_blocks(
        "Intro.\n\n## Heading\n\n- uz {for=UZ}\n- kg {for=KG}\n\n## End\n\nBye."
    )
    parts = speech_parts("Title", blocks)
    assert [(p.suffix, p.text.splitlines()) for p in parts] == [
        ("01", ["Title.", "Intro."]),
        ("02-KG-UZ", ["Heading."]),
        ("03-UZ", ["uz."]),
        ("04-KG", ["kg."]),
        ("05", ["End.", "Bye."]),
    ]
    assert [p.suffix for p in parts if p.applies("TM")] == ["01", "05"]
