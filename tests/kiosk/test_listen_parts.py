"""The listen button of an article with nationality marks plays only the parts the screen
shows the traveller (kiosk/listen.py): Qt-free, on the sample with a stand-in clip per item
(which clips are chosen does not depend on their sound)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from content.build import build_cache
from content.cache import ContentCache
from content.source import load_source
from content.speech_text import speech_items
from kiosk.content_loader import SAMPLE_DIR
from kiosk.listen import clips_for_screen
from kiosk.screens.place import place_of

CLIP = b"OggS\x00\x02" + b"\x00" * 22 + b"\x01\x13OpusHead"


@pytest.fixture(scope="module")
def sample(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[ContentCache, dict[str, str]]]:
    content, report = load_source(SAMPLE_DIR)
    assert report.ok
    folder = tmp_path_factory.mktemp("listen-parts")
    with ContentCache.open(_build(content, folder / "plain.db")) as cache:
        items = speech_items(content, cache)
    texts = {x.path: x.text for x in items}
    assets = dict(content.assets) | dict.fromkeys(texts, CLIP)
    db = _build(replace(content, assets=assets), folder / "audio.db")
    with ContentCache.open(db) as cache:
        yield cache, texts


def _build(content: object, db: Path) -> Path:
    build_cache(content, db, content_version=1)  # type: ignore[arg-type]
    return db


def _heard(cache: ContentCache, airport: str, lang: str, dest: str, topic: str) -> tuple[str, ...]:
    return clips_for_screen(
        "article",
        {"dest": dest, "topic": topic},
        cache=cache,
        place=place_of(cache, airport),
        lang=lang,
        destination=dest,
        available=frozenset(cache.asset_paths("audio/")),
    ).paths


def _text(texts: dict[str, str], paths: tuple[str, ...]) -> str:
    return " ".join(" ".join(texts[p].split()) for p in paths)


@pytest.mark.parametrize("lang", ["ru", "en", "ky", "uz"])
def test_manas_and_tashkent_hear_their_own_parts_of_working_legally(
    sample: tuple[ContentCache, dict[str, str]], lang: str
) -> None:
    cache, texts = sample
    at_manas = _heard(cache, "FRU", lang, "RU", "working-legally")
    at_tashkent = _heard(cache, "TAS", lang, "RU", "working-legally")
    assert at_manas and at_tashkent and at_manas != at_tashkent
    # each in order, sharing the parts for everyone, each with its own nationality's parts
    assert all(p in texts for p in at_manas + at_tashkent)
    assert [p for p in at_manas if p in at_tashkent] == [p for p in at_tashkent if p in at_manas]
    assert any("-KG" in p for p in at_manas) and not any("-UZ" in p for p in at_manas)
    assert any("-UZ" in p for p in at_tashkent) and not any("-KG" in p for p in at_tashkent)
    # the Uzbek-only patent section is heard at Tashkent, not at Manas
    patent = next(p for p in at_tashkent if p.split(".")[3].endswith("-UZ"))
    first_line = texts[patent].splitlines()[0]
    assert first_line in _text(texts, at_tashkent)
    assert first_line not in _text(texts, at_manas)


def test_an_article_without_marks_is_one_clip_everywhere(
    sample: tuple[ContentCache, dict[str, str]],
) -> None:
    cache, _ = sample
    at_manas = _heard(cache, "FRU", "en", "general", "warning-signs")
    assert at_manas == _heard(cache, "TAS", "en", "general", "warning-signs")
    assert at_manas == ("audio/article.general.warning-signs.en.ogg",)
