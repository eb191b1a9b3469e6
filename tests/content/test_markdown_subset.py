"""The Markdown subset articles are written in (content/markdown_subset.py)."""

from __future__ import annotations

from pathlib import Path

from content.markdown_subset import (
    MARK_KEYS,
    Block,
    Link,
    check_markdown,
    extract_links,
    inspect_markdown,
    parse_blocks,
)
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


MARKED = """Everyone reads this.

## Registration {for=UZ,KG}

- Citizens of Uzbekistan: 15 days. {for=UZ}
- Citizens of Kyrgyzstan: 30 days. {for=KG picture=checklist/a.svg}
- Keep the slip. {picture=assets/checklist/slip.png}

### Kyrgyzstan only {for=KG}

Text for KG.

## For everyone

- Carry your passport.
"""


def test_marks_give_sections_and_items_their_nationalities_and_pictures() -> None:
    blocks = parse_blocks(MARKED)
    assert blocks == [
        Block("paragraph", "Everyone reads this."),
        Block("heading", "Registration", level=2, only=("UZ", "KG")),
        Block(
            "bullets",
            items=(
                "Citizens of Uzbekistan: 15 days.",
                "Citizens of Kyrgyzstan: 30 days.",
                "Keep the slip.",
            ),
            only=("UZ", "KG"),
            item_only=(("UZ",), ("KG",), ("UZ", "KG")),
            pictures=("", "checklist/a.svg", "checklist/slip.png"),
        ),
        Block("heading", "Kyrgyzstan only", level=3, only=("KG",)),
        Block("paragraph", "Text for KG.", only=("KG",)),
        Block("heading", "For everyone", level=2),  # the section ends at a heading as high
        Block("bullets", items=("Carry your passport.",)),
    ]
    assert check_markdown(MARKED) == []
    check = inspect_markdown("\n" + MARKED)  # lines within the text, 1-based
    assert check.nationalities == [
        (4, "UZ"),
        (4, "KG"),
        (6, "UZ"),
        (7, "KG"),
        (10, "KG"),
    ]
    assert check.pictures == [(7, "checklist/a.svg"), (8, "checklist/slip.png")]


def test_marks_never_show_as_text() -> None:
    for block in parse_blocks(MARKED):
        assert "{" not in block.text and not any("{" in item for item in block.items)
    assert all("{" not in link.label for link in extract_links("- [a](https://x.org) {for=UZ}"))


def test_braces_without_key_value_stay_text() -> None:
    assert parse_blocks("- Say {hello}\n") == [Block("bullets", items=("Say {hello}",))]


def test_mark_problems_have_their_line() -> None:
    text = (
        "Intro.\n\n"
        "## A {picture=x.svg}\n\n"
        "- one {for=UZ for=KG}\n"
        "- two {for=UZ, KG}\n"
        "- three {for=UZ picture=../x.svg}\n"
        "- four {colour=red}\n"
        "\nA paragraph. {for=UZ}\n"
    )
    problems = check_markdown(text)
    assert [line for line, _ in problems] == [3, 5, 6, 7, 8, 10]
    assert "not on a heading" in problems[0][1]
    assert "given twice" in problems[1][1]
    assert "key=value" in problems[2][1]
    assert "SVG or PNG" in problems[3][1]
    assert "unknown mark 'colour'" in problems[4][1]
    assert "not of a paragraph" in problems[5][1]


def test_sample_marks_name_home_countries_and_pictures_that_exist() -> None:
    content, report = load_source(SAMPLE)
    assert not report.errors
    marked = [a for a in content.articles if "{for=" in a.body or "{picture=" in a.body]
    assert marked  # the sample uses marks
    assert any(a.generated for a in marked)  # uz-Cyrl, transliterated: marks kept as written
    homes = {d.id for d in content.destinations if d.kind == "home"}
    for article in marked:
        check = inspect_markdown(article.body)
        assert check.problems == []
        assert {n for _, n in check.nationalities} <= homes
        assert all(p in content.assets for _, p in check.pictures)


def test_readme_documents_every_mark() -> None:
    readme = (SAMPLE.parent / "README.md").read_text(encoding="utf-8")
    assert "### Marks" in readme
    for key in MARK_KEYS:
        assert f"`{key}=`" in readme, key


def test_an_item_of_two_paragraphs_is_one_item_with_its_mark() -> None:
    text = "- First part.\n\n  Second part. {for=UZ}\n- Next.\n"
    assert parse_blocks(text) == [
        Block(
            "bullets",
            items=("First part. Second part.", "Next."),
            item_only=(("UZ",), ()),
        )
    ]
