"""Marks in the kiosk cache: sections and items for some nationalities, and pictures
(content/markdown_subset.py marks, content/build.py, content/cache.py blocks_for and search)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from content.build import build_cache
from content.cache import Block, ContentCache, blocks_for
from content.migrations import SCHEMA_VERSION
from tests.content.factory import article, make_content

BODY = """Registration rules.

## Deadline

- Citizens of Uzbekistan: within **15 days**. {for=UZ}
- Citizens of Kyrgyzstan: within **30 days**. {for=KG picture=topics/get-help.svg}
- Keep the slip. {picture=topics/money.svg}

## Patent {for=UZ}

You need a **patent**, zebrafinch.

### Only deeper

- still for UZ

## For everyone

- Carry your passport.
"""


@pytest.fixture(scope="module")
def marked_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = make_content()
    marked = article("RU", "working-legally", "en", "Working legally", BODY)
    articles = tuple(a for a in base.articles if a.key != marked.key) + (marked,)
    assets = {
        **base.assets,
        "topics/get-help.svg": b"<svg xmlns='http://www.w3.org/2000/svg'/>",
        "topics/money.svg": b"<svg xmlns='http://www.w3.org/2000/svg'/>",
    }
    path = tmp_path_factory.mktemp("marked") / "cache.db"
    build_cache(replace(base, articles=articles, assets=assets), path, content_version=1)
    return path


@pytest.fixture
def cache(marked_cache: Path) -> Iterator[ContentCache]:
    opened = ContentCache.open(marked_cache)
    yield opened
    opened.close()


def _blocks(cache: ContentCache) -> list[Block]:
    sections = cache.article("RU", "working-legally", "en").sections
    return next(s for s in sections if s.scope == "RU").blocks


def _texts(blocks: list[Block]) -> list[str]:
    return [b.text for b in blocks if b.text] + [i for b in blocks for i in b.items]


def test_marks_reach_the_cache(cache: ContentCache) -> None:
    assert cache.schema_version == SCHEMA_VERSION >= 3
    deadline = _blocks(cache)[2]
    assert deadline.items == [
        "Citizens of Uzbekistan: within <b>15 days</b>.",
        "Citizens of Kyrgyzstan: within <b>30 days</b>.",
        "Keep the slip.",
    ]
    assert deadline.item_only == [["UZ"], ["KG"], []]
    assert deadline.pictures == ["", "topics/get-help.svg", "topics/money.svg"]
    patent = [b for b in _blocks(cache) if b.only]
    assert [b.kind for b in patent] == ["heading", "paragraph", "heading", "bullets"]
    assert all(b.only == ["UZ"] for b in patent)


def test_each_nationality_reads_its_own(cache: ContentCache) -> None:
    blocks = _blocks(cache)
    uz, kg = _texts(blocks_for(blocks, "UZ")), _texts(blocks_for(blocks, "KG"))
    assert "Citizens of Uzbekistan: within <b>15 days</b>." in uz
    assert "Citizens of Kyrgyzstan: within <b>30 days</b>." not in uz
    assert "Citizens of Kyrgyzstan: within <b>30 days</b>." in kg
    assert "Citizens of Uzbekistan: within <b>15 days</b>." not in kg
    assert "Patent" in uz and "Patent" not in kg and "Only deeper" not in kg
    for nationality in ("UZ", "KG", "TM"):
        shown = _texts(blocks_for(blocks, nationality))
        assert "Keep the slip." in shown and "Carry your passport." in shown
    tm = blocks_for(blocks, "TM")
    deadline = next(b for b in tm if "Keep the slip." in b.items)
    assert deadline.items == ["Keep the slip."] and deadline.pictures == ["topics/money.svg"]
    assert _texts(blocks_for(blocks, "")) == _texts(blocks)  # no nationality known: everything


def test_a_heading_with_nothing_left_under_it_is_dropped() -> None:
    blocks = [
        Block("heading", 2, "Deadline"),
        Block("bullets", 0, "", ["for KG"], item_only=[["KG"]]),
        Block("heading", 2, "Next"),
        Block("paragraph", 0, "text"),
    ]
    assert [b.text for b in blocks_for(blocks, "UZ")] == ["Next", "text"]
    assert [b.text for b in blocks_for(blocks, "KG")] == ["Deadline", "", "Next", "text"]


def test_search_finds_nothing_only_in_a_section_for_others(cache: ContentCache) -> None:
    assert [h.topic for h in cache.search("en", "zebrafinch")] == ["working-legally"]
    assert [h.topic for h in cache.search("en", "zebrafinch", nationality="UZ")] == [
        "working-legally"
    ]
    assert cache.search("en", "zebrafinch", nationality="KG") == []
    hit = cache.search("en", "passport", nationality="KG")
    assert hit and "Patent" not in hit[0].snippet and "15 days" not in hit[0].snippet


def test_a_schema_2_cache_is_still_read_with_blocks_for_everyone(
    marked_cache: Path, tmp_path: Path
) -> None:
    """Caches built before marks existed: no `nationalities` column, blocks without marks."""
    old = tmp_path / "old.db"
    old.write_bytes(marked_cache.read_bytes())
    conn = sqlite3.connect(old)
    with conn:
        conn.execute("ALTER TABLE article_texts DROP COLUMN nationalities")
        conn.execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'")
        conn.execute(
            "UPDATE article_texts SET blocks = json_replace(blocks, '$[0]', "
            "json_remove(json_extract(blocks, '$[0]'), '$.only', '$.item_only', '$.pictures'))"
        )
        conn.execute("PRAGMA user_version = 2")
    conn.close()
    with ContentCache.open(old) as cache:
        assert cache.schema_version == 2
        first = cache.article("RU", "working-legally", "en").sections[-1].blocks[0]
        assert first.only == [] and first.item_only == [] and first.pictures == []
        assert [h.topic for h in cache.search("en", "zebrafinch", nationality="KG")] == [
            "working-legally"
        ]
