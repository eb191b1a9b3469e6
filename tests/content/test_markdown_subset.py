"""The Markdown subset articles are written in (content/markdown_subset.py)."""

from __future__ import annotations

from pathlib import Path

from content.markdown_subset import Block, Link, check_markdown, extract_links, parse_blocks
from content.source import load_source

SAMPLE = Path(__file__).resolve().parents[2] / "content" / "sample"

ARTICLE = """Short text with **bold**, *italic* and a <tag>.
Second line of the same paragraph.

## What to do

- Keep your [passport](article:general/warning-signs).
- Call [the hotline](tel:+74951234567).

1. First
2. Second

![A map](assets/maps/ru.png)

[Official site](https://example.org)
"""


def test_parse_blocks() -> None:
    blocks = parse_blocks(ARTICLE.replace("<tag>", "&lt;tag&gt;"))
    assert blocks == [
        Block(
            "paragraph",
            "Short text with <b>bold</b>, <i>italic</i> and a &lt;tag&gt;. "
            "Second line of the same paragraph.",
        ),
        Block("heading", "What to do", level=2),
        Block("bullets", items=("Keep your passport.", "Call the hotline.")),
        Block("numbers", items=("First", "Second")),
        Block("image", "A map", src="assets/maps/ru.png"),
        Block("paragraph", "Official site"),
    ]


def test_parse_blocks_never_passes_html_through() -> None:
    blocks = parse_blocks("Hello <script>alert(1)</script> & <b>x</b>\n\n<div>block</div>\n")
    assert blocks == [Block("paragraph", "Hello alert(1) &amp; x")]


def test_extract_links() -> None:
    assert extract_links(ARTICLE + "\n[again](https://example.org) [bad](javascript:x)\n") == [
        Link("passport", "article:general/warning-signs"),
        Link("the hotline", "tel:+74951234567"),
        Link("Official site", "https://example.org"),
    ]


def test_check_markdown_lines() -> None:
    text = "Fine text.\n\nA <b>bold</b> word\nand `code`.\n\n> quoted\n\n- a\n  - nested\n"
    assert check_markdown(text) == [
        (3, "raw HTML is not allowed in articles ('<b>')"),
        (3, "raw HTML is not allowed in articles ('</b>')"),
        (4, "code (text between `backticks`) is not supported"),
        (6, "block quotes (lines starting with >) are not supported"),
        (9, "lists inside lists are not supported"),
    ]
    assert check_markdown(ARTICLE.replace(" and a <tag>", "")) == []


def test_check_markdown_links() -> None:
    problems = check_markdown(
        "[a](tel:12-34)\n[b](article:RU)\n[c](mailto:x@y.z)\n[d](https://)\n[e](tg:resolve)\n"
    )
    assert [line for line, _ in problems] == [1, 2, 3, 4]


def test_parse_article_is_blocks_and_links_in_one_pass() -> None:
    from content.markdown_subset import parse_article

    content, _ = load_source(SAMPLE)
    assert content.articles
    for article in content.articles:
        assert parse_article(article.body) == (
            parse_blocks(article.body),
            extract_links(article.body),
        )
    blocks, links = parse_article(
        "## Yordam\n\n[Sayt](https://example.org) va [b](tel:+74951234567)"
    )
    assert blocks == [
        Block("heading", "Yordam", level=2),
        Block("paragraph", "Sayt va b"),
    ]
    assert links == [Link("Sayt", "https://example.org"), Link("b", "tel:+74951234567")]
